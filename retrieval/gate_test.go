package retrieval

import (
	"math/rand/v2"
	"regexp/syntax"
	"strings"
	"testing"
	"unicode/utf8"
)

// generate writes a random string that re may match (zero-width assertions
// are ignored, so the caller checks the result with the real expression).
func generate(rng *rand.Rand, re *syntax.Regexp, b *strings.Builder) {
	reps := func(min, max int) int {
		if max < 0 {
			max = min + 3
		}
		return min + rng.IntN(max-min+1)
	}
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if re.Flags&syntax.FoldCase != 0 && rng.IntN(2) == 0 {
				r = []rune(strings.ToUpper(string(r)))[0]
			}
			b.WriteRune(r)
		}
	case syntax.OpCharClass:
		// Prefer printable ASCII members, so ranges like [^()] give text.
		var ascii []rune
		for i := 0; i < len(re.Rune); i += 2 {
			for r := max(re.Rune[i], ' '); r <= min(re.Rune[i+1], '~'); r++ {
				ascii = append(ascii, r)
			}
		}
		if len(ascii) > 0 && rng.IntN(10) > 0 {
			b.WriteRune(ascii[rng.IntN(len(ascii))])
			return
		}
		i := 2 * rng.IntN(len(re.Rune)/2)
		lo, hi := re.Rune[i], min(re.Rune[i+1], utf8.MaxRune)
		b.WriteRune(lo + rune(rng.Int64N(int64(hi-lo)+1)))
	case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
		b.WriteByte("abcdefghijklmnopqrstuvwxyz 0123456789.,:@/()"[rng.IntN(44)])
	case syntax.OpCapture:
		generate(rng, re.Sub[0], b)
	case syntax.OpConcat:
		for _, s := range re.Sub {
			generate(rng, s, b)
		}
	case syntax.OpAlternate:
		generate(rng, re.Sub[rng.IntN(len(re.Sub))], b)
	case syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat:
		lo, hi := re.Min, re.Max
		switch re.Op {
		case syntax.OpStar:
			lo, hi = 0, 3
		case syntax.OpPlus:
			lo, hi = 1, 4
		case syntax.OpQuest:
			lo, hi = 0, 1
		}
		for range reps(lo, hi) {
			generate(rng, re.Sub[0], b)
		}
	}
}

// TestGatesPassEveryMatch checks the derived gates never reject a string the
// expression matches: for every gated expression, thousands of random
// strings built from the expression itself (alone and inside other text).
func TestGatesPassEveryMatch(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, g := range allGates() {
		re, err := syntax.Parse(g.String(), syntax.Perl)
		if err != nil {
			t.Fatal(err)
		}
		matched := 0
		for i := range 4000 {
			var b strings.Builder
			if i%2 == 1 {
				b.WriteString("some words ")
			}
			generate(rng, re, &b)
			if i%4 == 3 {
				b.WriteString(" and more")
			}
			s := b.String()
			if !g.Regexp.MatchString(s) {
				continue
			}
			matched++
			if !g.mayMatch(s) {
				t.Errorf("%s: gate rejects %q, which the expression matches", g, s)
				break
			}
		}
		if matched < 100 {
			t.Errorf("%s: only %d of the generated strings matched; the test proves little", g, matched)
		}
	}
}

// TestGatesReject checks the gates do their job: ordinary prose passes few
// of them, and the expressions gated on literals have gates at all.
func TestGatesReject(t *testing.T) {
	prose := "the council approved the budget on tuesday after a long debate about the new library and its costs"
	passed := 0
	for _, g := range allGates() {
		if g.mayMatch(prose) {
			passed++
		}
	}
	if passed > len(allGates())/4 {
		t.Errorf("%d of %d gates pass ordinary prose; want at most a quarter", passed, len(allGates()))
	}

	tests := []struct {
		expr  string
		pass  []string
		block []string
	}{
		{`^(subscribe|sign up) now`, []string{"subscribe now", "sign up now!"}, []string{"please subscribe now", "sign"}},
		{`^[-*\s]*(updated|posted)`, []string{"-- updated", "posted"}, []string{"it was updated"}},
		{`\b(apps?|podcasts?)\b`, []string{"our podcast", "the app"}, []string{"the council met"}},
		{`(^|\s)(©|copyright)|all rights reserved`, []string{"© 2024", "all rights reserved"}, []string{"the budget"}},
	}
	for _, tt := range tests {
		g := gated(tt.expr)
		for _, s := range tt.pass {
			if !g.mayMatch(s) {
				t.Errorf("gate of %s rejects %q", tt.expr, s)
			}
		}
		for _, s := range tt.block {
			if g.mayMatch(s) {
				t.Errorf("gate of %s passes %q", tt.expr, s)
			}
		}
	}
}

// allGates lists the gated noise-rule expressions, for tests.
func allGates() []*gatedRegexp {
	return []*gatedRegexp{rxCommentMarker, rxCommentForm, rxRelated, rxRelatedPrefix, rxClickSpam, rxPromoWords, rxImperative, rxReader, rxOffer, rxSubscription, rxSourceLink, rxContact, rxEmailOnly, rxFollowOn, rxHandleOnly, rxCopyright, rxCaptionEnd, rxCaptionStart, rxCaptionCredit, rxStamp, monthOrClock, rxTagLine}
}
