// Command benchtable turns the output of storybot's benchmarks (go test
// -bench ./bench/, any -count) into one Markdown table: for every
// comparison, the median of storybot's runs beside the median of the
// library's, their ratio and the target the ratio must meet.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

func main() {
	res, err := Parse(os.Stdin)
	if err != nil {
		fmt.Fprintln(os.Stderr, "benchtable:", err)
		os.Exit(1)
	}
	Write(os.Stdout, res)
}

// Results maps a benchmark name (GOMAXPROCS suffix removed) to its
// metrics, each with every run's value.
type Results map[string]map[string][]float64

var procsRe = regexp.MustCompile(`-\d+$`)

// Parse reads go test -bench output.
func Parse(r io.Reader) (Results, error) {
	res := Results{}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) < 4 || !strings.HasPrefix(f[0], "Benchmark") {
			continue
		}
		name := procsRe.ReplaceAllString(strings.TrimPrefix(f[0], "Benchmark"), "")
		if res[name] == nil {
			res[name] = map[string][]float64{}
		}
		for i := 2; i+1 < len(f); i += 2 {
			v, err := strconv.ParseFloat(f[i], 64)
			if err != nil {
				continue
			}
			res[name][f[i+1]] = append(res[name][f[i+1]], v)
		}
	}
	return res, sc.Err()
}

// Median returns the median of a metric's runs and whether there were any.
func (r Results) Median(name, unit string) (float64, bool) {
	vs := r[name][unit]
	if len(vs) == 0 {
		return 0, false
	}
	s := slices.Clone(vs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2], true
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2, true
}

// Runs returns how many runs a metric has.
func (r Results) Runs(name, unit string) int { return len(r[name][unit]) }

// row is one comparison of the table.
type row struct {
	what     string // what is measured, for the reader
	unit     string // the metric
	storybot string // benchmark names
	library  string
	libName  string
	// target: ratio storybot/library must be <= max (lower is better) or
	// >= min (higher is better); both zero means no target.
	max, min float64
	scale    float64 // divide values by this for display
	show     string  // display unit
}

var paramRe = regexp.MustCompile(`^(\w+)/(\w+)=([^/]+)/engine=`)

// Write prints the table.
func Write(w io.Writer, r Results) {
	names := make([]string, 0, len(r))
	for n := range r {
		names = append(names, n)
	}
	slices.SortFunc(names, func(a, b string) int {
		if c := familyRank(a) - familyRank(b); c != 0 {
			return c
		}
		if c := sizeOf(a) - sizeOf(b); c != 0 {
			return c
		}
		return strings.Compare(a, b)
	})
	var rows []row
	seen := map[string]bool{}
	for _, n := range names {
		m := paramRe.FindStringSubmatch(n)
		if m == nil {
			continue
		}
		family, key, val := m[1], m[2], m[3]
		group := family + "/" + key + "=" + val
		if seen[group] {
			continue
		}
		seen[group] = true
		rows = append(rows, groupRows(r, family, key, val)...)
	}
	fmt.Fprintln(w, "| measure | storybot | library | ratio | target | met |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | --- | --- |")
	for _, rw := range rows {
		sv, ok := r.Median(rw.storybot, rw.unit)
		if !ok {
			continue
		}
		lib, ratio, target, met := "—", "—", "—", ""
		if rw.library != "" {
			if lv, ok := r.Median(rw.library, rw.unit); ok {
				lib = fmt.Sprintf("%s %s", format(lv/rw.scale), rw.libName)
				if lv != 0 {
					q := sv / lv
					ratio = fmt.Sprintf("%.2f×", q)
					switch {
					case rw.max > 0:
						target = fmt.Sprintf("≤ %.2f×", rw.max)
						met = yesNo(q <= rw.max)
					case rw.min > 0:
						target = fmt.Sprintf("≥ %.2f×", rw.min)
						met = yesNo(q >= rw.min)
					}
				}
			}
		} else if rw.max > 0 {
			target = strings.TrimSpace(fmt.Sprintf("< %s %s", format(rw.max/rw.scale), rw.show))
			met = yesNo(sv < rw.max)
		}
		what := rw.what
		if rw.show != "" {
			what += " (" + rw.show + ")"
		}
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s | %s |\n", what, format(sv/rw.scale), lib, ratio, target, met)
	}
}

// families is the order the table reads in.
var families = []string{"Build", "Query", "Quality", "Scale", "Vector", "Ask"}

func familyRank(name string) int {
	f, _, _ := strings.Cut(name, "/")
	if i := slices.Index(families, f); i >= 0 {
		return i
	}
	return len(families)
}

var sizeRe = regexp.MustCompile(`=(\d+)(k|M)?/`)

// sizeOf returns the corpus size a benchmark name gives (20k, 1M), 0 if none.
func sizeOf(name string) int {
	m := sizeRe.FindStringSubmatch(name)
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	switch m[2] {
	case "k":
		n *= 1000
	case "M":
		n *= 1_000_000
	}
	return n
}

func yesNo(ok bool) string {
	if ok {
		return "yes"
	}
	return "**no**"
}

// groupRows lists the comparisons of one benchmark group.
func groupRows(r Results, family, key, val string) []row {
	base := family + "/" + key + "=" + val + "/engine="
	at := key + "=" + val
	switch family {
	case "Build":
		rows := []row{{what: "build, 1 goroutine, " + at, unit: "passages/s", storybot: base + "storybot/workers=1", library: base + "bleve", libName: "bleve", min: 2, scale: 1, show: "passages/s"}}
		for n := range r {
			if w, ok := strings.CutPrefix(n, base+"storybot/workers="); ok && w != "1" {
				rows = append(rows, row{what: "build, " + w + " goroutines, " + at, unit: "passages/s", storybot: n, library: base + "bleve", libName: "bleve", min: 2, scale: 1, show: "passages/s"})
			}
		}
		return rows
	case "Query":
		return []row{
			{what: "lexical query p50, " + at, unit: "p50-ns", storybot: base + "storybot", library: base + "bleve", libName: "bleve", max: 0.5, scale: 1000, show: "µs"},
			{what: "lexical query p99, " + at, unit: "p99-ns", storybot: base + "storybot", library: base + "bleve", libName: "bleve", max: 0.5, scale: 1000, show: "µs"},
			{what: "lexical query raw p99 (all runs), " + at, unit: "raw-p99-ns", storybot: base + "storybot", library: base + "bleve", libName: "bleve", scale: 1000, show: "µs"},
		}
	case "Quality":
		return []row{
			{what: "known-item MRR@10, " + at, unit: "MRR@10", storybot: base + "storybot", library: base + "bleve", libName: "bleve", min: 1, scale: 1},
			{what: "known-item Hits@10, " + at, unit: "hits@10", storybot: base + "storybot", library: base + "bleve", libName: "bleve", min: 1, scale: 1},
		}
	case "Vector":
		return []row{
			{what: "vector query p50, " + at, unit: "p50-ns", storybot: base + "storybot", library: base + "chromem", libName: "chromem-go", max: 0.25, scale: 1000, show: "µs"},
			{what: "vector query p99, " + at, unit: "p99-ns", storybot: base + "storybot", library: base + "chromem", libName: "chromem-go", scale: 1000, show: "µs"},
			{what: "vector query p50 vs plain scan, " + at, unit: "p50-ns", storybot: base + "storybot", library: base + "scan", libName: "scan", max: 1.2, scale: 1000, show: "µs"},
			{what: "vector recall@10 vs exact, " + at, unit: "recall@10", storybot: base + "storybot", scale: 1},
		}
	case "Scale":
		return []row{
			{what: "scale: query p50, " + at, unit: "p50-ns", storybot: base + "storybot", library: base + "bleve", libName: "bleve", scale: 1000, show: "µs"},
			{what: "scale: query p99, " + at, unit: "p99-ns", storybot: base + "storybot", library: base + "bleve", libName: "bleve", scale: 1000, show: "µs"},
			{what: "scale: heap per passage, " + at, unit: "heap-B/passage", storybot: base + "storybot", library: base + "bleve", libName: "bleve", scale: 1, show: "B"},
			{what: "scale: replica heap in use ÷ cleaned text, fresh process, " + at, unit: "heap/text", storybot: base + "storybot", max: 2, scale: 1},
			{what: "scale: replica live heap ÷ cleaned text, fresh process, " + at, unit: "live/text", storybot: base + "storybot", scale: 1},
			{what: "scale: the same in use, word cache already full, " + at, unit: "index-heap/text", storybot: base + "storybot", scale: 1},
			{what: "scale: the same live, word cache already full, " + at, unit: "index-live/text", storybot: base + "storybot", scale: 1},
		}
	case "Ask":
		limit := map[string]float64{"20k": 10e6, "1M": 50e6, "archive": 40e6}[val] // the issues' targets
		return []row{
			{what: "question path p50 (no model), " + at, unit: "p50-ns", storybot: base + "storybot", scale: 1e6, show: "ms"},
			{what: "question path p99 (no model), " + at, unit: "p99-ns", storybot: base + "storybot", max: limit, scale: 1e6, show: "ms"},
		}
	}
	return nil
}

// format prints a value with three significant digits, or as an integer
// when large.
func format(v float64) string {
	switch {
	case v >= 1000:
		return strconv.FormatFloat(v, 'f', 0, 64)
	case v >= 10:
		return strconv.FormatFloat(v, 'f', 1, 64)
	}
	return strconv.FormatFloat(v, 'f', 3, 64)
}
