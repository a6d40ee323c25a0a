package retrieval

import (
	"regexp"
	"regexp/syntax"
	"strings"
)

// gatedRegexp is a regular expression with a cheap test that every match
// passes, derived from the expression itself: either literals one of which
// starts every match (for an expression anchored with ^), or literals one of
// which every match contains. Most lines fail the test, so the expression,
// whose backtracking matcher costs microseconds a line, rarely runs.
//
// Cleaning runs a dozen noise rules on every paragraph of every article; the
// gates took them from the largest part of an index build to a small one.
type gatedRegexp struct {
	*regexp.Regexp
	byFirst  [256][]string // prefix mode: the prefixes, by first byte
	prefixed bool
	contains []string // contains mode: the literals
}

// gated compiles expr and derives its gate. An expression with no usable
// gate runs on every line, as a plain regexp.Regexp would.
func gated(expr string) *gatedRegexp {
	g := &gatedRegexp{Regexp: regexp.MustCompile(expr)}
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		panic(err) // unreachable: MustCompile accepted it
	}
	re = re.Simplify()
	if anchoredAtStart(re) {
		if ps, _, ok := prefixes(re); ok && minLen(ps) > 0 {
			g.prefixed = true
			for _, p := range ps {
				g.byFirst[p[0]] = append(g.byFirst[p[0]], p)
			}
			return g
		}
	}
	if ls, ok := factors(re); ok && minLen(ls) > 0 {
		g.contains = ls
	}
	return g
}

// mayMatch reports whether s passes the gate: false means the expression
// cannot match s.
func (g *gatedRegexp) mayMatch(s string) bool {
	switch {
	case g.prefixed:
		if s == "" {
			return false
		}
		for _, p := range g.byFirst[s[0]] {
			if strings.HasPrefix(s, p) {
				return true
			}
		}
		return false
	case g.contains != nil:
		for _, l := range g.contains {
			if strings.Contains(s, l) {
				return true
			}
		}
		return false
	}
	return true
}

// MatchString reports whether s contains a match, running the expression
// only when s passes the gate.
func (g *gatedRegexp) MatchString(s string) bool {
	return g.mayMatch(s) && g.Regexp.MatchString(s)
}

// FindStringSubmatch is regexp.Regexp's, behind the gate.
func (g *gatedRegexp) FindStringSubmatch(s string) []string {
	if !g.mayMatch(s) {
		return nil
	}
	return g.Regexp.FindStringSubmatch(s)
}

// FindStringSubmatchIndex is regexp.Regexp's, behind the gate.
func (g *gatedRegexp) FindStringSubmatchIndex(s string) []int {
	if !g.mayMatch(s) {
		return nil
	}
	return g.Regexp.FindStringSubmatchIndex(s)
}

// anchoredAtStart reports whether every match of re begins at the start of
// the text.
func anchoredAtStart(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginText:
		return true
	case syntax.OpCapture:
		return anchoredAtStart(re.Sub[0])
	case syntax.OpConcat:
		return len(re.Sub) > 0 && anchoredAtStart(re.Sub[0])
	case syntax.OpAlternate:
		for _, s := range re.Sub {
			if !anchoredAtStart(s) {
				return false
			}
		}
		return true
	}
	return false
}

// maxClass is the largest character class expanded into literals.
const maxClass = 16

// prefixes returns literals one of which begins every match of re, or false
// when it cannot tell; exact means re matches those literals and nothing
// else, so what follows re in a concatenation can extend them.
func prefixes(re *syntax.Regexp) (ps []string, exact, ok bool) {
	switch re.Op {
	case syntax.OpLiteral:
		ps, ok = literal(re)
		return ps, ok, ok
	case syntax.OpCharClass:
		ps, ok = class(re)
		return ps, ok, ok
	case syntax.OpCapture:
		return prefixes(re.Sub[0])
	case syntax.OpPlus:
		ps, _, ok = prefixes(re.Sub[0])
		return ps, false, ok
	case syntax.OpRepeat:
		if re.Min >= 1 {
			ps, _, ok = prefixes(re.Sub[0])
			return ps, false, ok
		}
	case syntax.OpAlternate:
		exact = true
		for _, s := range re.Sub {
			sp, se, sok := prefixes(s)
			if !sok {
				return nil, false, false
			}
			ps, exact = append(ps, sp...), exact && se
		}
		return ps, exact, true
	case syntax.OpConcat:
		acc := []string{""} // the prefixes so far
		grow := func(next []string) bool {
			if minLen(acc) > 0 && len(acc)*len(next) > maxPrefixes {
				return false // enough: acc already gates
			}
			acc = cross(acc, next)
			return true
		}
		for i, s := range re.Sub {
			if zeroWidth(s) {
				continue
			}
			if optional(s) {
				// Either the optional part follows acc, or the rest of the
				// concatenation does.
				inner, _, ok := prefixes(s.Sub[0])
				if !ok {
					return acc, false, minLen(acc) > 0
				}
				rest, _, ok := prefixes(&syntax.Regexp{Op: syntax.OpConcat, Sub: re.Sub[i+1:]})
				if !ok {
					return acc, false, minLen(acc) > 0
				}
				grow(append(inner, rest...))
				return acc, false, minLen(acc) > 0
			}
			sp, se, ok := prefixes(s)
			if !ok || !grow(sp) {
				return acc, false, minLen(acc) > 0
			}
			if !se {
				return acc, false, minLen(acc) > 0
			}
		}
		return acc, true, true
	}
	if zeroWidth(re) {
		return []string{""}, true, true
	}
	return nil, false, false
}

// maxPrefixes bounds the literals a concatenation's prefixes multiply into.
const maxPrefixes = 256

// cross returns every a followed by every b.
func cross(a, b []string) []string {
	out := make([]string, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x+y)
		}
	}
	return out
}

// factors returns literals one of which every match of re contains, or false
// when it cannot tell.
func factors(re *syntax.Regexp) ([]string, bool) {
	switch re.Op {
	case syntax.OpLiteral:
		return literal(re)
	case syntax.OpCharClass:
		return class(re)
	case syntax.OpCapture, syntax.OpPlus:
		return factors(re.Sub[0])
	case syntax.OpRepeat:
		if re.Min >= 1 {
			return factors(re.Sub[0])
		}
	case syntax.OpAlternate:
		var out []string
		for _, s := range re.Sub {
			fs, ok := factors(s)
			if !ok {
				return nil, false
			}
			out = append(out, fs...)
		}
		return out, true
	case syntax.OpConcat:
		// Every part of a concatenation is in every match: use the most
		// selective one, the one whose shortest literal is longest.
		var best []string
		for _, s := range re.Sub {
			if fs, ok := factors(s); ok && (best == nil || minLen(fs) > minLen(best) ||
				minLen(fs) == minLen(best) && len(fs) < len(best)) {
				best = fs
			}
		}
		return best, best != nil
	}
	return nil, false
}

func literal(re *syntax.Regexp) ([]string, bool) {
	if re.Flags&syntax.FoldCase != 0 || len(re.Rune) == 0 {
		return nil, false
	}
	return []string{string(re.Rune)}, true
}

func class(re *syntax.Regexp) ([]string, bool) {
	n := 0
	for i := 0; i < len(re.Rune); i += 2 {
		n += int(re.Rune[i+1]-re.Rune[i]) + 1
		if n > maxClass {
			return nil, false
		}
	}
	var out []string
	for i := 0; i < len(re.Rune); i += 2 {
		for r := re.Rune[i]; r <= re.Rune[i+1]; r++ {
			out = append(out, string(r))
		}
	}
	return out, len(out) > 0
}

func zeroWidth(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpBeginText, syntax.OpBeginLine, syntax.OpEndText, syntax.OpEndLine,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary, syntax.OpEmptyMatch:
		return true
	}
	return false
}

func optional(re *syntax.Regexp) bool {
	return re.Op == syntax.OpQuest || re.Op == syntax.OpStar || re.Op == syntax.OpRepeat && re.Min == 0
}

func minLen(ls []string) int {
	m := -1
	for _, l := range ls {
		if m < 0 || len(l) < m {
			m = len(l)
		}
	}
	return m
}
