package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"time"

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
	fs.StringVar(&opt.Outlet, "outlet", "", "outlet for inputs that name none")
	fs.StringVar(&opt.URL, "url", "", "URL for a single plain-text input")
	fs.StringVar(&opt.Collection, "collection", "", "collection for inputs that name none (default published)")
	fs.StringVar(&published, "published", "", "publication date (YYYY-MM-DD or RFC 3339) for inputs that name none")
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
	a, err := openApp(ctx, cf, stderr, getenv)
	if err != nil {
		return err
	}
	defer a.close()

	sum := &retrieval.Summary{}
	var docs []retrieval.Document
	for _, in := range inputs {
		ds, errs := feeds.Load(ctx, in, opt)
		docs = append(docs, ds...)
		for _, e := range errs {
			sum.Add(retrieval.Result{Source: in, Outcome: retrieval.Failed, Err: e})
		}
	}
	ing := &retrieval.Ingester{Store: a.store, Index: a.index}
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
		switch r.Outcome {
		case retrieval.Failed:
			fmt.Fprintf(stderr, "failed     %v\n", r.Err)
		case retrieval.Duplicate:
			orig := a.index.Get(r.DuplicateOf)
			of := r.DuplicateOf
			if orig != nil {
				of = orig.Source
			}
			fmt.Fprintf(stdout, "%-10s %s (copy of %s)\n", r.Outcome, r.Source, of)
		default:
			fmt.Fprintf(stdout, "%-10s %s  %q\n", r.Outcome, r.Source, r.Title)
		}
	}
	fmt.Fprintf(stdout, "ingested: %s\n", sum)
	if sum.Count(retrieval.Failed) > 0 {
		return &exitError{code: 1}
	}
	return nil
}

func parseDate(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02T15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD or RFC 3339)", s)
}
