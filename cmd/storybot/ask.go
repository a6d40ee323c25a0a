package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/handlers"
)

func cmdAsk(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	fs := flag.NewFlagSet("ask", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cf commonFlags
	cf.register(fs)
	asJSON := fs.Bool("json", false, "print the answer as one JSON object")
	colls := fs.String("collections", "", "comma-separated collections to search (default: the default collections)")
	words, err := parseInterspersed(fs, args)
	if err != nil {
		return &exitError{code: 2}
	}
	question := strings.TrimSpace(strings.Join(words, " "))
	if question == "" {
		return &exitError{code: 2, err: fmt.Errorf("ask: give a question, e.g. storybot ask \"Who replaced the CISO?\"")}
	}
	a, err := openApp(ctx, cf, stderr, getenv)
	if err != nil {
		return err
	}
	defer a.close()
	a.warnIfEmpty(stderr)
	req := handlers.AskRequest{Question: question, Collections: a.collections(*colls)}
	ans, err := a.service().Ask(ctx, req)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		return enc.Encode(ans)
	}
	printAnswer(stdout, ans)
	return nil
}

// collections returns the collections a CLI user searches: the flag's, or
// the configured defaults.
func (a *app) collections(flagValue string) []string {
	if cs := splitList(flagValue); len(cs) > 0 {
		return cs
	}
	return a.cfg.Access.Collections("")
}

// printAnswer writes an answer for a terminal: the answer, what the sources
// leave open, and the numbered sources with their quotes.
func printAnswer(w io.Writer, ans *answer.Answer) {
	// Each claim, with the quote that supports it under it when the claim
	// is in a writer's own words.
	for _, cl := range ans.Claimed() {
		fmt.Fprintln(w, cl.Text)
		for _, c := range cl.Quotes {
			fmt.Fprintf(w, "    > “%s” [%d]\n", shorten(strings.Join(strings.Fields(c.Quote), " "), 300), c.N)
		}
	}
	if len(ans.NotCovered) > 0 {
		fmt.Fprintln(w, "\nNot covered by the sources:")
		for _, nc := range ans.NotCovered {
			fmt.Fprintf(w, "  - %s\n", nc)
		}
	}
	if len(ans.Citations) > 0 {
		fmt.Fprintln(w, "\nSources:")
		for _, c := range ans.Citations {
			where := c.URL
			if where == "" {
				where = c.Source
			}
			meta := []string{}
			if c.Outlet != "" {
				meta = append(meta, c.Outlet)
			}
			if c.Published != "" {
				meta = append(meta, c.Published)
			}
			head := fmt.Sprintf("  [%d] %s", c.N, c.Title)
			if len(meta) > 0 {
				head += " — " + strings.Join(meta, ", ")
			}
			fmt.Fprintln(w, head)
			fmt.Fprintf(w, "      %s\n", where)
			fmt.Fprintf(w, "      “%s”\n", shorten(c.Quote, 300))
		}
	}
	for _, n := range ans.Notes {
		fmt.Fprintf(w, "\nNote: %s\n", n)
	}
	fmt.Fprintf(w, "\nStatus: %s (confidence %.2f)\n", ans.Status, ans.Confidence)
	if ans.LowSupport {
		fmt.Fprintln(w, "Weakly supported: check the quoted sources before using this.")
	}
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
