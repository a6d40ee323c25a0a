package answer

import (
	"testing"

	"github.com/storybot/storybot/retrieval"
)

// FuzzAnswer feeds arbitrary article text and questions to the extractive
// answerer: it must never panic and its answers must pass Check.
func FuzzAnswer(f *testing.F) {
	f.Add("Mr. Baker, the mayor, said on Jan. 5 that 40 workers left “because of pay.”", "Who is Baker, and why did the workers leave?")
	f.Add("The harbor master, Colm Brady, said waves of up to six metres made it unsafe.", "How many metres were the waves?")
	f.Add("“Quote ,” he said.\n\nA line\nbroken", "What did he say?")
	f.Add("ÀÉ ’s ‘x’ — $5 ,000.", "how much and when?")
	f.Add("The captain, who has not been named, said on Friday, Mr. Lee said, that a $9 million, three-year repair began.",
		"When did St. Anne's Aldmoor home sales last fall, and why are the workers due to be angry?")
	th := retrieval.NewThesaurus()
	f.Fuzz(func(t *testing.T, text, question string) {
		a := &retrieval.Article{ID: "a", Text: text, Collection: retrieval.DefaultCollection, Passages: retrieval.Chunk(text)}
		ix := retrieval.NewIndex()
		ix.Put(a)
		q := Analyze(question, th)
		hits := ix.WithText(ix.Search(retrieval.Query{Terms: q.Terms(), Limit: 5}))
		ans := Extractive{IDF: ix.IDF}.Answer(q, hits)
		if len(q.Parts) == 0 {
			return
		}
		if err := Check(ans, ix.Get); err != nil {
			t.Fatalf("answer fails its check: %v\n%+v", err, ans)
		}
	})
}
