// Command fit fits the evidence model's weights on outside question sets
// and reports how it does on the questions it was not fitted on.
//
//	go run ./answer/fit -out answer/model.json ../shared/data/qa-dev/*
//
// Every set folder holds articles.jsonl and questions.jsonl (see
// docs/answering.md). Each set is ingested into a fresh in-memory index and
// each question is asked through the same path as `storybot ask`; every
// sentence of the retrieved passages becomes a candidate with its features,
// labelled positive when it holds a gold answer and comes from one of the
// question's sources. Questions are split by a hash of their id: -train of
// them fit a logistic regression (Newton's method, L2), the rest are held
// out. The operating point is the lowest threshold at which every set's
// training questions abstain at least -abstain of the time. The command
// prints the held-out figures per set, the cover/abstain curve and an
// ablation table (each feature removed in turn, refitted, re-thresholded),
// and writes the model fitted on the training questions.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"hash/fnv"
	"io"
	"math"
	"os"
	"sort"
	"strings"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/answer/qa"
	"github.com/storybot/storybot/handlers"
	"github.com/storybot/storybot/retrieval"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "fit:", err)
		os.Exit(1)
	}
}

type options struct {
	train   float64
	abstain float64
	lambda  float64
	out     string
	ablate  bool
	folds   int
	dump    int
	// pointSets are the sets the threshold is chosen on; empty means all.
	pointSets string
}

func run(ctx context.Context, args []string, w io.Writer) error {
	fs := flag.NewFlagSet("fit", flag.ContinueOnError)
	var o options
	fs.Float64Var(&o.train, "train", 0.5, "share of each set's questions to fit on (by a hash of the id); the rest are held out")
	fs.Float64Var(&o.abstain, "abstain", 0.87, "the lowest abstain rate on unanswerable training questions that the threshold must keep in every set")
	fs.Float64Var(&o.lambda, "lambda", 1, "L2 penalty on the weights")
	fs.StringVar(&o.out, "out", "", "write the fitted model here (e.g. answer/model.json)")
	fs.BoolVar(&o.ablate, "ablate", true, "print the ablation table")
	fs.IntVar(&o.folds, "folds", 5, "folds of the ablation's cross-validation")
	drop := fs.String("drop", "", "comma-separated features to leave out (weight 0)")
	fs.StringVar(&o.pointSets, "point-sets", "", "comma-separated sets the operating point is chosen on (default: every set)")
	fs.IntVar(&o.dump, "dump", 0, "print this many held-out unanswerable questions answered with the highest confidence, and as many answerable ones refused with the lowest")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return fmt.Errorf("give one or more question-set folders (articles.jsonl + questions.jsonl)")
	}
	var data []*question
	var names []string
	for _, dir := range fs.Args() {
		qs, name, err := collect(ctx, dir)
		if err != nil {
			return err
		}
		names = append(names, name)
		for _, q := range qs {
			q.train = split(q.q.ID, name) < o.train
		}
		data = append(data, qs...)
		fmt.Fprintf(w, "%s: %d questions, %d candidates\n", name, len(qs), countCands(qs))
	}
	all := make([]bool, answer.NumFeatures)
	for i := range all {
		all[i] = !strings.Contains(","+*drop+",", ","+answer.FeatureNames[i]+",")
	}
	m := fitModel(data, all, o)
	fmt.Fprintf(w, "\nweights (fitted on %d training questions):\n", countTrain(data, true))
	for i, n := range answer.FeatureNames {
		fmt.Fprintf(w, "  %-18s %+.3f\n", n, m.Weights[i])
	}
	fmt.Fprintf(w, "  %-18s %+.3f\nconfidence weights: %v bias %+.3f\nthreshold %.3f\n", "bias", m.Bias, m.ConfWeights, m.ConfBias, m.Threshold)

	fmt.Fprintf(w, "\nheld-out questions, default operating point:\n")
	for _, n := range names {
		fmt.Fprintf(w, "  %-14s %s\n", n, qa.Tally(decide(data, m, m.Threshold, n, false)))
	}
	fmt.Fprintf(w, "  %-14s %s\n", "all", qa.Tally(decide(data, m, m.Threshold, "", false)))
	for _, n := range names {
		rec, top, ans := 0, 0, 0
		for _, q := range data {
			if q.set != n || q.train || !q.q.Answerable() || len(q.parts) == 0 {
				continue
			}
			ans++
			part := q.parts[0]
			for i := range part {
				if part[i].label {
					rec++
					break
				}
			}
			bi, _ := bestOf(m, part)
			if bi >= 0 && part[bi].label {
				top++
			}
		}
		fmt.Fprintf(w, "  %-14s answerable held-out: a gold sentence retrieved %d/%d, ranked first %d; cover at abstain >= 85%%: %.1f%%\n",
			n, rec, ans, top, coverAt(decide(data, m, m.Threshold, n, false), 85))
	}
	fmt.Fprintf(w, "\ncurve on held-out questions:\n")
	for _, p := range qa.Curve(decide(data, m, m.Threshold, "", false)) {
		fmt.Fprintf(w, "  confidence >= %.1f: cover %5.1f%%  abstain %5.1f%%\n", p.Threshold, p.Cover, p.Abstain)
	}
	if o.dump > 0 {
		dump(w, data, m, o.dump)
	}
	if o.ablate {
		fmt.Fprintf(w, "\nablation: each feature removed, refitted; figures are held-out over %d folds (every question held out once),\n", o.folds)
		fmt.Fprintf(w, "cover@85 is the mean over sets of the best cover with abstain >= 85%%; the rest at each fold's refitted default threshold\n\n")
		fmt.Fprintf(w, "| removed | cover@85 | cover | abstain | hit | wrong |\n|---|---|---|---|---|---|\n")
		row := func(name string, use []bool) {
			rs, bySet := crossValidate(data, use, o)
			c85 := 0.0
			for _, n := range names {
				c85 += coverAt(bySet[n], 85) / float64(len(names))
			}
			s := qa.Tally(rs)
			fmt.Fprintf(w, "| %s | %.1f | %.1f | %.1f | %.1f | %.1f |\n", name, c85, s.Cover, s.Abstain, s.Hit, s.Wrong)
		}
		row("(none)", all)
		for i, n := range answer.FeatureNames {
			if !all[i] {
				continue
			}
			use := slicesClone(all)
			use[i] = false
			row(n, use)
		}
	}
	if o.out != "" {
		point := ""
		if o.pointSets != "" {
			point = " -point-sets " + o.pointSets
		}
		m.Fitted = fmt.Sprintf("go run ./answer/fit -train %g -abstain %g -lambda %g%s on %s: %d training questions, %d held out",
			o.train, o.abstain, o.lambda, point, strings.Join(names, ", "), countTrain(data, true), countTrain(data, false))
		b, err := json.MarshalIndent(m, "", "  ")
		if err != nil {
			return err
		}
		if err := os.WriteFile(o.out, append(b, '\n'), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(w, "\nwrote %s\n", o.out)
	}
	return nil
}

// crossValidate fits on all folds but one, in turn, and returns every
// question's held-out result, also by set. The training flags are restored.
func crossValidate(data []*question, use []bool, o options) ([]qa.Result, map[string][]qa.Result) {
	saved := make([]bool, len(data))
	for i, q := range data {
		saved[i] = q.train
	}
	var all []qa.Result
	bySet := map[string][]qa.Result{}
	for k := 0; k < o.folds; k++ {
		for _, q := range data {
			q.train = int(split(q.q.ID, q.set)*float64(o.folds)) != k
		}
		m := fitModel(data, use, o)
		for _, q := range data {
			if !q.train {
				r := decide([]*question{q}, m, m.Threshold, "", false)
				all = append(all, r...)
				bySet[q.set] = append(bySet[q.set], r...)
			}
		}
	}
	for i, q := range data {
		q.train = saved[i]
	}
	return all, bySet
}

func slicesClone(b []bool) []bool { return append([]bool(nil), b...) }

// split places a question in [0, 1) by a hash of its set and id.
func split(id, set string) float64 {
	h := fnv.New64a()
	h.Write([]byte(set + "\x00" + id))
	return float64(h.Sum64()%10000) / 10000
}

// question is one asked question with its candidates, per part.
type question struct {
	set   string
	q     qa.Question
	src   map[string]bool
	parts [][]cand
	train bool
}

type cand struct {
	f     answer.Features
	text  string
	title string
	label bool
}

func countCands(qs []*question) int {
	n := 0
	for _, q := range qs {
		for _, p := range q.parts {
			n += len(p)
		}
	}
	return n
}

func countTrain(qs []*question, train bool) int {
	n := 0
	for _, q := range qs {
		if q.train == train {
			n++
		}
	}
	return n
}

// capture is an answerer that keeps what the service retrieved.
type capture struct {
	q    answer.Question
	hits []retrieval.Hit
}

func (c *capture) Answer(_ context.Context, q answer.Question, hits []retrieval.Hit) (*answer.Answer, error) {
	c.q, c.hits = q, hits
	return &answer.Answer{Question: q.Text, Status: answer.NotCovered, NotCovered: []string{q.Text}}, nil
}

// collect asks every question of a set and keeps its candidates.
func collect(ctx context.Context, dir string) ([]*question, string, error) {
	set, err := qa.ReadSet(dir)
	if err != nil {
		return nil, "", err
	}
	ix, err := set.Index(ctx)
	if err != nil {
		return nil, "", err
	}
	cp := &capture{}
	svc := &handlers.Service{Index: ix, Thesaurus: retrieval.NewThesaurus(), Answerer: cp}
	ex := answer.Extractive{IDF: ix.IDF}
	var out []*question
	for _, q := range set.Questions {
		cp.q, cp.hits = answer.Question{}, nil
		if _, err := svc.Ask(ctx, handlers.AskRequest{Question: q.Q}); err != nil {
			continue // an empty question: nothing to learn
		}
		qq := &question{set: set.Name, q: q, src: set.SrcTitles(q)}
		for _, cs := range ex.Candidates(cp.q, cp.hits) {
			var part []cand
			for _, c := range cs {
				part = append(part, cand{f: c.Features, text: c.Text, title: c.Hit.Article.Title,
					label: q.Answerable() && holdsGold(q, c.Text) && (len(qq.src) == 0 || qq.src[c.Hit.Article.Title])})
			}
			qq.parts = append(qq.parts, part)
		}
		out = append(out, qq)
	}
	return out, set.Name, nil
}

func holdsGold(q qa.Question, text string) bool {
	low := strings.ToLower(text)
	for _, g := range q.Gold {
		if g != "" && strings.Contains(low, strings.ToLower(g)) {
			return true
		}
	}
	return false
}

// decide answers the questions of one set ("" for all), held-out or
// training ones, with a model at a threshold, the way Extractive.Answer
// decides.
func decide(data []*question, m *answer.Model, th float64, set string, train bool) []qa.Result {
	var out []qa.Result
	for _, q := range data {
		if q.train != train || set != "" && q.set != set {
			continue
		}
		r := qa.Result{Question: q.q}
		conf, covered := 0.0, 0
		var texts []string
		for _, part := range q.parts {
			bi, best := bestOf(m, part)
			conf += best
			if bi >= 0 && best >= th {
				covered++
				texts = append(texts, part[bi].text)
				if q.src[part[bi].title] {
					r.FromSource = true
				}
			}
		}
		if len(q.parts) > 0 {
			r.Confidence = conf / float64(len(q.parts))
		}
		switch {
		case covered == len(q.parts) && covered > 0:
			r.Status = answer.Answered
		case covered > 0:
			r.Status = answer.Partial
		default:
			r.Status = answer.NotCovered
		}
		r.Text = strings.Join(texts, " ")
		out = append(out, r)
	}
	return out
}

// coverAt returns the highest cover at which abstain stays at least the
// given percentage, over every threshold of the confidence.
func coverAt(rs []qa.Result, abstain float64) float64 {
	best := 0.0
	for t := 0; t <= 1000; t++ {
		if p := qa.At(rs, float64(t)/1000); p.Abstain >= abstain {
			best = max(best, p.Cover)
		}
	}
	return best
}

// bestOf returns the best candidate of a part by the candidate model and
// the part's confidence.
func bestOf(m *answer.Model, part []cand) (int, float64) {
	p1, p2, bi := -1.0, 0.0, -1
	for i := range part {
		p := m.Prob(&part[i].f)
		if p > p1 {
			p1, p2, bi = p, max(p1, 0), i
		} else if p > p2 {
			p2 = p
		}
	}
	if bi < 0 {
		return -1, 0
	}
	return bi, m.Confidence(p1, p2, &part[bi].f)
}

// fitModel fits the weights of the features in use on the training
// questions and picks the threshold.
func fitModel(data []*question, use []bool, o options) *answer.Model {
	mask := func(f answer.Features) answer.Features {
		for i := range f {
			if !use[i] {
				f[i] = 0
			}
		}
		return f
	}
	var xs [][]float64
	var ys []float64
	for _, q := range data {
		if !q.train {
			continue
		}
		for _, part := range q.parts {
			for _, c := range part {
				f := mask(c.f)
				xs = append(xs, f[:])
				ys = append(ys, b2f(c.label))
			}
		}
	}
	w, b := newton(xs, ys, o.lambda, answer.NumFeatures)
	m := &answer.Model{Features: answer.FeatureNames[:], Weights: w, Bias: b, ConfWeights: make([]float64, answer.NumFeatures+2)}
	m.ConfWeights[0] = 1 // until fitted, the confidence is the best candidate's probability
	// The confidence regression learns, per training part, whether the
	// best candidate is a right answer.
	xs, ys = nil, nil
	for _, q := range data {
		if !q.train {
			continue
		}
		for _, part := range q.parts {
			masked := make([]cand, len(part))
			for i, c := range part {
				masked[i] = c
				masked[i].f = mask(c.f)
			}
			bi, _ := bestOf(m, masked)
			if bi < 0 {
				continue
			}
			p1 := m.Prob(&masked[bi].f)
			p2 := 0.0
			for i := range masked {
				if i != bi {
					p2 = max(p2, m.Prob(&masked[i].f))
				}
			}
			xs = append(xs, answer.ConfInputs(p1, p2, &masked[bi].f))
			ys = append(ys, b2f(masked[bi].label))
		}
	}
	m.ConfWeights, m.ConfBias = newton(xs, ys, o.lambda, answer.NumFeatures+2)
	if len(xs) == 0 {
		m.ConfWeights[0] = 1 // nothing to fit on: the candidate's probability
	}
	m.Threshold = pickThreshold(data, m, o.abstain, o.pointSets)
	return m
}

func b2f(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// newton fits a logistic regression with an L2 penalty on the weights (not
// the bias) by Newton's method.
func newton(xs [][]float64, ys []float64, lambda float64, dims int) ([]float64, float64) {
	n := dims + 1 // the bias is the last
	beta := make([]float64, n)
	x1 := make([]float64, n)
	for iter := 0; iter < 50; iter++ {
		g := make([]float64, n)
		h := make([][]float64, n)
		for i := range h {
			h[i] = make([]float64, n)
		}
		for k, x := range xs {
			copy(x1, x)
			x1[n-1] = 1
			z := 0.0
			for i := range x1 {
				z += beta[i] * x1[i]
			}
			p := 1 / (1 + math.Exp(-z))
			r, wt := p-ys[k], p*(1-p)
			for i := range x1 {
				g[i] += r * x1[i]
				for j := 0; j <= i; j++ {
					h[i][j] += wt * x1[i] * x1[j]
				}
			}
		}
		for i := 0; i < n; i++ {
			for j := 0; j < i; j++ {
				h[j][i] = h[i][j]
			}
			if i < n-1 {
				g[i] += lambda * beta[i]
				h[i][i] += lambda
			}
			h[i][i] += 1e-9
		}
		step := solve(h, g)
		change := 0.0
		for i := range beta {
			beta[i] -= step[i]
			change = max(change, math.Abs(step[i]))
		}
		if change < 1e-7 {
			break
		}
	}
	w := make([]float64, n-1)
	for i := range w {
		w[i] = round(beta[i])
	}
	return w, round(beta[n-1])
}

func round(x float64) float64 { return math.Round(x*1e4) / 1e4 }

// solve solves h·x = g by Gaussian elimination with partial pivoting.
func solve(h [][]float64, g []float64) []float64 {
	n := len(g)
	for c := 0; c < n; c++ {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(h[r][c]) > math.Abs(h[p][c]) {
				p = r
			}
		}
		h[c], h[p] = h[p], h[c]
		g[c], g[p] = g[p], g[c]
		if h[c][c] == 0 {
			continue
		}
		for r := c + 1; r < n; r++ {
			f := h[r][c] / h[c][c]
			for k := c; k < n; k++ {
				h[r][k] -= f * h[c][k]
			}
			g[r] -= f * g[c]
		}
	}
	x := make([]float64, n)
	for r := n - 1; r >= 0; r-- {
		s := g[r]
		for k := r + 1; k < n; k++ {
			s -= h[r][k] * x[k]
		}
		if h[r][r] != 0 {
			x[r] = s / h[r][r]
		}
	}
	return x
}

// pickThreshold returns the lowest threshold at which every set's
// unanswerable training questions are abstained on at least target of the
// time; that threshold covers the most answerable ones.
func pickThreshold(data []*question, m *answer.Model, target float64, only string) float64 {
	sets := map[string]bool{}
	for _, q := range data {
		if only == "" || strings.Contains(","+only+",", ","+q.set+",") {
			sets[q.set] = true
		}
	}
	var names []string
	for s := range sets {
		names = append(names, s)
	}
	sort.Strings(names)
	for t := 1; t < 1000; t++ {
		th := float64(t) / 1000
		ok := true
		for _, s := range names {
			sc := qa.Tally(decide(data, m, th, s, true))
			if sc.Unanswerable > 0 && sc.Abstain < 100*target {
				ok = false
				break
			}
		}
		if ok {
			return th
		}
	}
	return 0.999
}

// dump prints the held-out questions the model gets most wrong, to read
// for general causes.
func dump(w io.Writer, data []*question, m *answer.Model, n int) {
	type row struct {
		q    *question
		conf float64
		text string
	}
	var fp, fn []row
	for _, q := range data {
		if q.train || len(q.parts) == 0 {
			continue
		}
		bi, conf := bestOf(m, q.parts[0])
		text := ""
		if bi >= 0 {
			text = q.parts[0][bi].text
		}
		if q.q.Answerable() {
			fn = append(fn, row{q, conf, text})
		} else {
			fp = append(fp, row{q, conf, text})
		}
	}
	sort.Slice(fp, func(i, j int) bool { return fp[i].conf > fp[j].conf })
	sort.Slice(fn, func(i, j int) bool { return fn[i].conf < fn[j].conf })
	fmt.Fprintf(w, "\nunanswerable, most confident:\n")
	for _, r := range fp[:min(n, len(fp))] {
		fmt.Fprintf(w, "  %.2f %s\n       -> %s\n", r.conf, r.q.q.Q, r.text)
	}
	fmt.Fprintf(w, "\nanswerable, ranked wrong though a gold sentence was retrieved:\n")
	k := 0
	for _, r := range fn {
		part := r.q.parts[0]
		bi, _ := bestOf(m, part)
		if bi < 0 || part[bi].label || k >= n {
			continue
		}
		for i := range part {
			if part[i].label {
				k++
				fmt.Fprintf(w, "  %s [%s]\n     top %.2f %v %s\n    gold %.2f %v %s\n", r.q.q.Q, strings.Join(r.q.q.Gold, " | "),
					m.Prob(&part[bi].f), fmtF(part[bi].f), part[bi].text, m.Prob(&part[i].f), fmtF(part[i].f), part[i].text)
				break
			}
		}
	}
	fmt.Fprintf(w, "\nanswerable, least confident:\n")
	for _, r := range fn[:min(n, len(fn))] {
		fmt.Fprintf(w, "  %.2f %s [%s]\n       -> %s\n", r.conf, r.q.q.Q, strings.Join(r.q.q.Gold, " | "), r.text)
	}
}

func fmtF(f answer.Features) string {
	var b strings.Builder
	for _, x := range f {
		fmt.Fprintf(&b, "%.2f ", x)
	}
	return strings.TrimSpace(b.String())
}
