package answer_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/retrieval"
)

// doc makes an invented article.
func doc(key, title, text string) retrieval.Document {
	return retrieval.Document{Source: key + ".txt", Key: key, Title: title, Text: text}
}

// askWith answers q from ix with an answerer at a given operating point.
func askWith(t *testing.T, ix *retrieval.Index, e answer.Extractive, q string) *answer.Answer {
	t.Helper()
	qq := answer.Analyze(q, retrieval.NewThesaurus())
	hits := ix.WithText(ix.Search(retrieval.Query{Terms: qq.Terms(), Limit: 12}))
	e.IDF = ix.IDF
	a := e.Answer(qq, hits)
	if err := answer.Check(a, ix.Get); err != nil {
		t.Fatalf("%q: answer fails its own check: %v\n%s", q, err, a.Answer)
	}
	return a
}

// bestCandidate returns the top candidate of q's first part.
func bestCandidate(t *testing.T, ix *retrieval.Index, q string) answer.Candidate {
	t.Helper()
	qq := answer.Analyze(q, retrieval.NewThesaurus())
	hits := ix.WithText(ix.Search(retrieval.Query{Terms: qq.Terms(), Limit: 12}))
	cs := answer.Extractive{IDF: ix.IDF}.Candidates(qq, hits)
	if len(cs) == 0 || len(cs[0]) == 0 {
		t.Fatalf("%q: no candidates", q)
	}
	return cs[0][0]
}

func prob(t *testing.T, ix *retrieval.Index, q string) float64 {
	t.Helper()
	c := bestCandidate(t, ix, q)
	return answer.DefaultModel.Prob(&c.Features)
}

var fleet = []retrieval.Document{
	doc("fleet", "Ferry operator orders new boats",
		"The Lakeside Ferry Company ordered six electric ferries from a shipyard in Gdansk in 2023, its chairman said.\n\n"+
			"The boats will replace diesel vessels that have served the northern route since the 1990s.\n\n"+
			"Passenger numbers rose by a fifth last summer, according to the company's annual report."),
	doc("museum", "Museum reopens after repairs",
		"The city museum reopened on Saturday after a two-year restoration of its glass roof.\n\n"+
			"Visitors queued along the river before the doors opened, and the director thanked the volunteers."),
}

// The sentence that holds the question's rare words is the one quoted.
func TestBestSentenceHoldsTheRareWords(t *testing.T) {
	ix := indexOf(t, fleet...)
	c := bestCandidate(t, ix, "How many electric ferries did the Lakeside Ferry Company order?")
	if !strings.Contains(c.Text, "six electric ferries") {
		t.Errorf("best candidate %q, want the sentence about the order", c.Text)
	}
	c = bestCandidate(t, ix, "When did the city museum reopen?")
	if !strings.Contains(c.Text, "reopened on Saturday") {
		t.Errorf("best candidate %q, want the sentence about the reopening", c.Text)
	}
}

// Evidence against lowers the probability of the same sentence: a year in
// the question that the sentence does not give while it gives another, and
// a negation the sentence does not share.
func TestEvidenceAgainstLowersTheProbability(t *testing.T) {
	ix := indexOf(t, fleet...)
	for _, tc := range []struct{ feature, fits, against string }{
		{"numbers_off",
			"How many electric ferries did the Lakeside Ferry Company order in 2023?",
			"How many electric ferries did the Lakeside Ferry Company order in 2019?"},
		{"negation",
			"Which company ordered electric ferries from a shipyard in Gdansk?",
			"Which company did not order electric ferries from a shipyard in Gdansk?"},
	} {
		t.Run(tc.feature, func(t *testing.T) {
			i := slices.Index(answer.FeatureNames[:], tc.feature)
			fits, against := bestCandidate(t, ix, tc.fits), bestCandidate(t, ix, tc.against)
			if fits.Features[i] != 0 || against.Features[i] == 0 {
				t.Errorf("%s is %v for the fitting question and %v for the other: want 0 and more", tc.feature, fits.Features[i], against.Features[i])
			}
			if w := answer.DefaultModel.Weights[i]; w >= 0 {
				t.Errorf("the model weighs %s %+.3f: evidence against should weigh less than nothing", tc.feature, w)
			}
			if pf, pa := prob(t, ix, tc.fits), prob(t, ix, tc.against); pa >= pf {
				t.Errorf("probability %.3f with the evidence against, %.3f without: want lower", pa, pf)
			}
		})
	}
}

// Words the sources never use make a question not covered, and the answer
// says so first, in the question's words.
func TestUnknownWordsAreNotCovered(t *testing.T) {
	ix := indexOf(t, fleet...)
	a := askWith(t, ix, answer.Extractive{}, "What did the volcano observatory in Reykjavik warn about the eruption?")
	if a.Status != answer.NotCovered {
		t.Fatalf("status %s, want not_covered:\n%s", a.Status, a.Answer)
	}
	if a.Confidence >= answer.DefaultModel.Threshold {
		t.Errorf("confidence %.3f is not below the threshold %.3f", a.Confidence, answer.DefaultModel.Threshold)
	}
}

// The operating point decides: the same evidence is an answer at a low
// threshold and not covered at a high one, with the same confidence.
func TestMinConfidenceIsTheOperatingPoint(t *testing.T) {
	ix := indexOf(t, fleet...)
	const q = "How many electric ferries did the Lakeside Ferry Company order?"
	low := askWith(t, ix, answer.Extractive{MinConfidence: 0.01}, q)
	high := askWith(t, ix, answer.Extractive{MinConfidence: 0.999}, q)
	if low.Status != answer.Answered || !strings.Contains(low.Answer, "six electric ferries") {
		t.Errorf("at 0.01: status %s, answer %q", low.Status, low.Answer)
	}
	if high.Status != answer.NotCovered || len(high.NotCovered) != 1 {
		t.Errorf("at 0.999: status %s, not covered %q", high.Status, high.NotCovered)
	}
	if low.Confidence != high.Confidence || low.Confidence <= 0 || low.Confidence >= 1 {
		t.Errorf("confidence %v and %v: want the same value in (0, 1)", low.Confidence, high.Confidence)
	}
}

// A question of two parts, one of which the sources answer, is partial.
func TestOnePartOfTwoIsPartial(t *testing.T) {
	ix := indexOf(t, fleet...)
	a := askWith(t, ix, answer.Extractive{MinConfidence: 0.3},
		"When did the city museum reopen, and how much did the volcano observatory in Reykjavik spend?")
	if a.Status != answer.Partial || len(a.NotCovered) != 1 || !strings.Contains(a.Answer, "reopened on Saturday") {
		t.Errorf("status %s, not covered %q:\n%s", a.Status, a.NotCovered, a.Answer)
	}
}

// A statement before the question sets the scene; the answer need not
// repeat it.
func TestSceneBeforeTheQuestionIsContext(t *testing.T) {
	q := answer.Analyze("The museum reopened this weekend. Who did the director thank?", nil)
	if len(q.Parts) != 1 {
		t.Fatalf("parts %d, want 1", len(q.Parts))
	}
	for _, c := range q.Parts[0].Concepts {
		if strings.EqualFold(c.Label, "museum") {
			t.Errorf("the scene's %q is a required concept", c.Label)
		}
	}
	found := false
	for _, c := range q.Parts[0].Context {
		found = found || strings.EqualFold(c.Label, "museum")
	}
	if !found {
		t.Errorf("the scene's words are not context: %+v", q.Parts[0].Context)
	}
}

func TestParseModelRejectsMismatches(t *testing.T) {
	good, err := json.Marshal(answer.DefaultModel)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := answer.ParseModel(good); err != nil {
		t.Fatalf("the shipped model does not parse: %v", err)
	}
	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		if err := json.Unmarshal(good, &m); err != nil {
			t.Fatal(err)
		}
		f(m)
		b, _ := json.Marshal(m)
		return b
	}
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{
		"not json":          {[]byte("{"), "parse model"},
		"a weight short":    {edit(func(m map[string]any) { m["weights"] = m["weights"].([]any)[1:] }), "weights"},
		"renamed feature":   {edit(func(m map[string]any) { m["features"].([]any)[0] = "shoe_size" }), "shoe_size"},
		"threshold above 1": {edit(func(m map[string]any) { m["threshold"] = 1.5 }), "threshold"},
		"confidence short":  {edit(func(m map[string]any) { m["confidence_weights"] = []any{1.0} }), "confidence weights"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := answer.ParseModel(tc.data)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want one naming %q", err, tc.want)
			}
		})
	}
}

// An answer whose confidence clears the operating point by little is
// marked weakly supported; one far above it is not.
func TestLowSupportBand(t *testing.T) {
	ix := indexOf(t, fleet...)
	const q = "How many electric ferries did the Lakeside Ferry Company order?"
	conf := askWith(t, ix, answer.Extractive{MinConfidence: 0.01}, q).Confidence
	// An operating point just under the confidence leaves it weak; one far
	// under it makes it strong.
	weak := askWith(t, ix, answer.Extractive{MinConfidence: conf - 0.001}, q)
	if weak.Status != answer.Answered || !weak.LowSupport {
		t.Errorf("at %.3f: status %s, low support %v; want a weakly supported answer", conf-0.001, weak.Status, weak.LowSupport)
	}
	if lo := 2*conf - 1 - 0.01; lo > 0 {
		if strong := askWith(t, ix, answer.Extractive{MinConfidence: lo}, q); strong.LowSupport {
			t.Errorf("at %.3f with confidence %.3f: marked weak", lo, conf)
		}
	}
	if none := askWith(t, ix, answer.Extractive{MinConfidence: 0.999}, q); none.LowSupport {
		t.Errorf("a not-covered answer is marked weakly supported")
	}
}
