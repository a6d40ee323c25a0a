package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"golang.org/x/term"

	"github.com/storybot/storybot/feeds"
	"github.com/storybot/storybot/retrieval"
)

func cmdIngest(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf commonFlags
	cf.register(fs)
	var opt retrieval.LoadOptions
	var published string
	var so streamOptions
	fs.StringVar(&opt.Outlet, "outlet", "", "outlet for inputs that name none")
	fs.StringVar(&opt.URL, "url", "", "URL for a single plain-text input")
	fs.StringVar(&opt.Collection, "collection", "", "collection for inputs that name none (default published)")
	fs.StringVar(&published, "published", "", "publication date (YYYY-MM-DD or RFC 3339) for inputs that name none")
	fs.BoolVar(&so.verbose, "verbose", false, "list every article of a JSON Lines file, not only the failures")
	fs.DurationVar(&so.every, "progress", 5*time.Second, "how often to log progress when stderr is not a terminal (0: never)")
	fs.IntVar(&so.batch, "batch", retrieval.DefaultBatch, "articles of a JSON Lines file cleaned and written together")
	inputs, err := parseInterspersed(fs, args)
	if err != nil {
		return &exitError{code: 2}
	}
	if len(inputs) == 0 {
		return &exitError{code: 2, err: fmt.Errorf("ingest: name at least one file, folder or URL")}
	}
	if published != "" {
		t, err := parseDate(published)
		if err != nil {
			return &exitError{code: 2, err: fmt.Errorf("--published: %w", err)}
		}
		opt.Published = t
	}
	if getenv("GOMEMLIMIT") == "" {
		// A bulk import makes garbage fast; without a limit the heap may
		// grow to twice what it holds before the collector catches up.
		debug.SetMemoryLimit(ingestMemoryLimit)
	}
	a, err := openApp(ctx, cf, stderr, getenv)
	if err != nil {
		return err
	}
	defer a.close()

	start := time.Now()
	ing := &retrieval.Ingester{Store: a.store, Index: a.index}
	var streams, others []string
	for _, in := range inputs {
		if retrieval.IsStream(in) && isRegular(in) {
			streams = append(streams, in)
		} else {
			others = append(others, in)
		}
	}
	var total retrieval.Totals
	if len(others) > 0 {
		total = ingestFiles(ctx, a, ing, others, opt, stdout, stderr)
	}
	for _, path := range streams {
		if ctx.Err() != nil {
			break
		}
		t := ingestStream(ctx, a, ing, path, opt, so, stdout, stderr)
		total.Merge(t)
	}
	elapsed := time.Since(start)
	fmt.Fprintf(stdout, "ingested: %s\n", total)
	if len(streams) > 0 {
		fmt.Fprintf(stderr, "ingest took %s for %d articles, %d cleaned, %.0f articles/s\n",
			elapsed.Round(100*time.Millisecond), total.Done(), total.Cleaned, float64(total.Done())/max(elapsed.Seconds(), 1e-3))
	}
	if ctx.Err() != nil {
		fmt.Fprintf(stderr, "interrupted: the %d articles counted above are stored, in whole batches; %d read but not stored were dropped. "+
			"Run the same command again to resume: what is stored already is skipped without being cleaned again.\n", total.Done()-total.Failed, total.Interrupted)
		return &exitError{code: 1}
	}
	if total.Failed > 0 {
		return &exitError{code: 1}
	}
	return nil
}

// ingestMemoryLimit is the soft limit of the Go heap while ingesting (see
// runtime/debug.SetMemoryLimit); GOMEMLIMIT overrides it.
const ingestMemoryLimit = 1 << 30

func isRegular(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.Mode().IsRegular()
}

// ingestFiles ingests files, folders, URLs and feeds, each read whole, and
// lists every input.
func ingestFiles(ctx context.Context, a *app, ing *retrieval.Ingester, inputs []string, opt retrieval.LoadOptions, stdout, stderr io.Writer) retrieval.Totals {
	sum := &retrieval.Summary{}
	var docs []retrieval.Document
	for _, in := range inputs {
		ds, errs := feeds.Load(ctx, in, opt)
		docs = append(docs, ds...)
		for _, e := range errs {
			sum.Add(retrieval.Result{Source: in, Outcome: retrieval.Failed, Err: e})
		}
	}
	var fresh []*retrieval.Article
	for _, r := range ing.Ingest(ctx, docs).Results {
		sum.Add(r)
		if r.Outcome == retrieval.New || r.Outcome == retrieval.Updated || r.Outcome == retrieval.Duplicate {
			if art := a.index.Get(r.ArticleID); art != nil {
				fresh = append(fresh, art)
			}
		}
	}
	a.embedArticles(ctx, fresh)
	for _, r := range sum.Results {
		printResult(a, r, stdout, stderr)
	}
	return sum.Totals()
}

// printResult lists one result: failures on stderr, the rest on stdout.
func printResult(a *app, r retrieval.Result, stdout, stderr io.Writer) {
	switch r.Outcome {
	case retrieval.Failed:
		fmt.Fprintf(stderr, "failed     %v\n", r.Err)
	case retrieval.Duplicate:
		of := r.DuplicateOf
		if orig := a.index.Header(r.DuplicateOf); orig != nil {
			of = orig.Source
		}
		fmt.Fprintf(stdout, "%-10s %s (copy of %s)\n", r.Outcome, r.Source, of)
	default:
		fmt.Fprintf(stdout, "%-10s %s  %q\n", r.Outcome, r.Source, r.Title)
	}
}

// streamOptions are the ingest flags for JSON Lines files.
type streamOptions struct {
	verbose bool
	every   time.Duration
	batch   int
}

// ingestStream ingests a JSON Lines file record by record, showing its
// progress on stderr, and lists the failures (every article with
// --verbose).
func ingestStream(ctx context.Context, a *app, ing *retrieval.Ingester, path string, opt retrieval.LoadOptions, so streamOptions, stdout, stderr io.Writer) retrieval.Totals {
	recs, err := retrieval.OpenRecords(path, opt)
	if err != nil {
		fmt.Fprintf(stderr, "failed     %v\n", err)
		return retrieval.Totals{Failed: 1}
	}
	defer recs.Close()
	p := newProgress(filepath.Base(path), recs, stderr, so.every)
	defer p.stop()
	t, _ := ing.IngestStream(ctx, recs.Next, retrieval.StreamOptions{
		Batch: so.batch,
		Result: func(r retrieval.Result) {
			p.done.Add(1)
			if r.Outcome == retrieval.Failed || so.verbose {
				p.print(func() { printResult(a, r, stdout, stderr) })
			}
		},
		Written: func(arts []*retrieval.Article) { a.embedArticles(ctx, arts) },
	})
	return t
}

// progress shows how far the reading of one file has got: a bar on a
// terminal, otherwise a line every so often, for logs.
type progress struct {
	name  string
	recs  *retrieval.Records
	out   io.Writer
	start time.Time
	done  atomic.Int64

	every time.Duration // between log lines; 0: no log

	mu   sync.Mutex // one writer to out at a time
	bar  *progressbar.ProgressBar
	quit chan struct{}
	wg   sync.WaitGroup
}

func newProgress(name string, recs *retrieval.Records, stderr io.Writer, every time.Duration) *progress {
	p := &progress{name: name, recs: recs, out: stderr, start: time.Now(), quit: make(chan struct{}), every: every}
	if f, ok := stderr.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		p.bar = progressbar.NewOptions64(recs.Size(),
			progressbar.OptionSetWriter(stderr),
			progressbar.OptionSetDescription(name),
			progressbar.OptionShowBytes(true),
			progressbar.OptionShowCount(),
			progressbar.OptionSetPredictTime(true),
			progressbar.OptionSetWidth(30),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionShowDescriptionAtLineEnd(),
			progressbar.OptionClearOnFinish(),
		)
		every = 200 * time.Millisecond
	}
	if every <= 0 {
		return p
	}
	p.wg.Go(func() {
		tick := time.NewTicker(every)
		defer tick.Stop()
		for {
			select {
			case <-p.quit:
				return
			case <-tick.C:
				p.show()
			}
		}
	})
	return p
}

// show updates the bar or logs a line.
func (p *progress) show() {
	p.mu.Lock()
	defer p.mu.Unlock()
	read, size := p.recs.Read(), p.recs.Size()
	done := p.done.Load()
	elapsed := time.Since(p.start)
	rate := float64(done) / max(elapsed.Seconds(), 1e-3)
	if p.bar != nil {
		p.bar.Describe(fmt.Sprintf("%s: %d articles, %.0f/s", p.name, done, rate))
		_ = p.bar.Set64(read)
		return
	}
	eta := ", ETA ?"
	switch {
	case size > 0 && read >= size:
		eta = ", finishing" // read to the end; the last batches are being stored
	case read > 0:
		eta = ", ETA " + (time.Duration(float64(elapsed) * float64(size-read) / float64(read))).Round(time.Second).String()
	}
	fmt.Fprintf(p.out, "ingest %s: %d articles, %.1f of %.1f MB read (%.0f%%), %.0f articles/s%s\n",
		p.name, done, float64(read)/1e6, float64(size)/1e6, 100*float64(read)/float64(max(size, 1)), rate, eta)
}

// print writes a line (a failure) without tearing the bar.
func (p *progress) print(f func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.bar != nil {
		_ = p.bar.Clear()
	}
	f()
}

// stop ends the display; a log gets a last line, so even a short import
// says how far it got.
func (p *progress) stop() {
	close(p.quit)
	p.wg.Wait()
	if p.bar == nil && p.every > 0 {
		p.show()
	}
	if p.bar != nil {
		p.mu.Lock()
		_ = p.bar.Finish()
		p.mu.Unlock()
	}
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD or RFC 3339)", s)
}
