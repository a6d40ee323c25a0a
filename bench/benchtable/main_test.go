package main

import (
	"strings"
	"testing"
)

const sample = `goos: linux
BenchmarkQuery/corpus=synthetic-20k/engine=storybot-2   	    5000	    90000 ns/op	     80000 p50-ns	    300000 p99-ns	    900000 raw-p99-ns
BenchmarkQuery/corpus=synthetic-20k/engine=storybot-2   	    5000	    90000 ns/op	     60000 p50-ns	    200000 p99-ns	    900000 raw-p99-ns
BenchmarkQuery/corpus=synthetic-20k/engine=storybot-2   	    5000	    90000 ns/op	     70000 p50-ns	    250000 p99-ns	    900000 raw-p99-ns
BenchmarkQuery/corpus=synthetic-20k/engine=bleve-2      	    5000	    90000 ns/op	    200000 p50-ns	    400000 p99-ns	    900000 raw-p99-ns
BenchmarkAsk/passages=20k/engine=storybot-2             	    5000	    90000 ns/op	   2000000 p50-ns	  12000000 p99-ns
PASS
`

func TestTable(t *testing.T) {
	res, err := Parse(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	if m, _ := res.Median("Query/corpus=synthetic-20k/engine=storybot", "p50-ns"); m != 70000 {
		t.Errorf("median %v, want 70000", m)
	}
	var b strings.Builder
	Write(&b, res)
	out := b.String()
	for _, want := range []string{
		"| lexical query p50, corpus=synthetic-20k (µs) | 70.0 | 200.0 bleve | 0.35× | ≤ 0.50× | yes |",
		"| lexical query p99, corpus=synthetic-20k (µs) | 250.0 | 400.0 bleve | 0.62× | ≤ 0.50× | **no** |",
		"| question path p99 (no model), passages=20k (ms) | 12.0 | — | — | < 10.0 ms | **no** |",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
}
