package openai

import (
	"context"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/retrieval"
)

// reasonJudged is the reason of a claim the judge found unsupported.
const reasonJudged = "the judge found its quote does not support it"

// judge asks the model, in one call, whether each claim's quote supports
// it, and returns the draft without the claims it rejects and their
// verdicts. Only claims that pass the lexical checks are asked about: the
// checks are the floor. When the call fails or its reply cannot be read,
// the draft is returned whole and the lexical checks alone decide.
func (a *Answerer) judge(ctx context.Context, hits []retrieval.Hit, d answer.Draft, t *tally) (answer.Draft, []answer.Verdict) {
	var asked []answer.Claim
	var at []int
	for i, c := range d.Claims {
		v := answer.VerifyClaim(c, hits, a.opt.Thesaurus)
		if !v.OK {
			continue // Compose drops it with its reason
		}
		// A claim without a quote is judged against the sentence
		// verification found for it.
		c.Quote = hits[v.Passage-1].Article.Text[v.Start:v.End]
		asked = append(asked, c)
		at = append(at, i)
	}
	if len(asked) == 0 {
		return d, nil
	}
	a.usage.JudgeCalls.Add(1)
	msgs := []goopenai.ChatCompletionMessage{
		{Role: goopenai.ChatMessageRoleSystem, Content: judgePrompt},
		{Role: goopenai.ChatMessageRoleUser, Content: judgeItems(asked, newNonce())},
	}
	content, err := a.complete(ctx, msgs, t, judgeSchema)
	if err != nil {
		a.log.Warn("judge call failed; lexical checks only", "model", a.opt.Model, "error", a.redact(err))
		return d, nil
	}
	var reply struct {
		Supported []bool `json:"supported"`
	}
	if !decodeObject(content, &reply) || len(reply.Supported) != len(asked) {
		a.log.Warn("judge reply unreadable; lexical checks only", "model", a.opt.Model)
		return d, nil
	}
	rejected := map[int]bool{}
	var verdicts []answer.Verdict
	for k, ok := range reply.Supported {
		if !ok {
			rejected[at[k]] = true
			verdicts = append(verdicts, answer.Verdict{Claim: d.Claims[at[k]], Reason: reasonJudged})
		}
	}
	a.usage.JudgedOut.Add(int64(len(verdicts)))
	var kept []answer.Claim
	for i, c := range d.Claims {
		if !rejected[i] {
			kept = append(kept, c)
		}
	}
	d.Claims = kept
	return d, verdicts
}
