// Package openai writes answers with a chat model on any OpenAI-compatible
// server (OpenAI, Azure OpenAI, Ollama, vLLM, LiteLLM, llama.cpp), through
// github.com/sashabaranov/go-openai. The model only drafts: it returns
// claims with the numbers of the passages that support them, and every
// claim is verified against those passages (answer.Compose) before it is
// shown. When the model fails — timeouts, rate limits, server errors,
// replies that are not the JSON asked for — the answer falls back to the
// extractive answerer and says so. It is the only package that imports
// go-openai for chat.
package openai

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/internal/openaiclient"
	"github.com/storybot/storybot/retrieval"
)

// FallbackNote is added to an answer the extractive answerer wrote because
// the model failed.
const FallbackNote = "The model was unavailable; this answer was extracted directly from the sources."

// Defaults for zero Options fields.
const (
	DefaultTimeout        = 30 * time.Second
	DefaultMaxTokens      = 800
	DefaultBackoff        = 500 * time.Millisecond
	DefaultMaxRetryAfter  = 30 * time.Second
	DefaultMaxPromptBytes = 24000
)

// Fallback answers without a model; answer.Extractive satisfies it.
type Fallback interface {
	Answer(q answer.Question, hits []retrieval.Hit) *answer.Answer
}

// Options configure an Answerer.
type Options struct {
	// BaseURL is the server's API root ("https://api.openai.com/v1",
	// "http://localhost:11434/v1"); for Azure, the resource endpoint.
	BaseURL string
	// APIKey authenticates; it is sent only in the request header and
	// never logged or put in an error.
	APIKey string
	// APIType is "openai" (the default) or "azure".
	APIType string
	// APIVersion is the Azure API version.
	APIVersion string
	// Model names the chat model (the deployment, on Azure).
	Model string
	// Timeout bounds each model call (default 30s).
	Timeout time.Duration
	// MaxTokens is the completion budget of each call (default 800).
	MaxTokens int
	// Retries is how many times a call that failed transiently (timeout,
	// 429, 5xx, connection error) is retried; 0 means none.
	Retries int
	// Backoff is the first wait between retries, doubled each time
	// (default 500ms); a 429's Retry-After overrides it.
	Backoff time.Duration
	// MaxRetryAfter is the longest Retry-After honoured (default 30s); a
	// server asking for more gets the extractive fallback at once.
	MaxRetryAfter time.Duration
	// MaxPromptBytes bounds the passage text sent (default 24000 bytes);
	// the best-ranked passages that fit are sent, at least one.
	MaxPromptBytes int
	// HTTPClient sends the requests; nil means a plain http.Client (each
	// call's deadline comes from Timeout).
	HTTPClient *http.Client
	// Logger receives one line per answer (tokens, status, fallbacks),
	// never message text or the key; nil discards.
	Logger *slog.Logger
	// Fallback answers when the model cannot; nil means answer.Extractive
	// with no IDF.
	Fallback Fallback
	// Thesaurus lets verification accept synonyms; may be nil.
	Thesaurus *retrieval.Thesaurus
	// Usage receives the counters; nil means a fresh Usage (see
	// Answerer.Usage).
	Usage *Usage
	// Judge adds one call per answer asking the model whether each quote
	// supports its claim; a claim must pass both the lexical checks and
	// the judge. Off by default: it costs a call.
	Judge bool
}

// Usage counts what the answerer did, for metrics. All fields are safe to
// read while answers are written.
type Usage struct {
	Answers       atomic.Int64 // questions answered (model or fallback)
	Calls         atomic.Int64 // chat completion requests sent
	Retries       atomic.Int64 // of those, retries after a transient failure
	Repairs       atomic.Int64 // repair requests after invalid JSON
	Fallbacks     atomic.Int64 // answers the extractive answerer wrote instead
	DroppedClaims atomic.Int64 // claims that failed verification
	JudgeCalls    atomic.Int64 // judge requests sent (each also counts in Calls)
	// Down is set while the model's last call failed (after retries):
	// answers fall back to the extractive answerer.
	Down             atomic.Bool
	JudgedOut        atomic.Int64 // claims the judge found unsupported
	PromptTokens     atomic.Int64
	CompletionTokens atomic.Int64
}

// UsageSnapshot is a copy of Usage's counters.
type UsageSnapshot struct {
	Answers, Calls, Retries, Repairs, Fallbacks, DroppedClaims int64
	JudgeCalls, JudgedOut                                      int64
	PromptTokens, CompletionTokens                             int64
}

// Snapshot reads every counter.
func (u *Usage) Snapshot() UsageSnapshot {
	return UsageSnapshot{
		Answers: u.Answers.Load(), Calls: u.Calls.Load(), Retries: u.Retries.Load(),
		Repairs: u.Repairs.Load(), Fallbacks: u.Fallbacks.Load(), DroppedClaims: u.DroppedClaims.Load(),
		JudgeCalls: u.JudgeCalls.Load(), JudgedOut: u.JudgedOut.Load(),
		PromptTokens: u.PromptTokens.Load(), CompletionTokens: u.CompletionTokens.Load(),
	}
}

// Answerer writes verified answers with a chat model. It satisfies
// handlers.Answerer and is safe for concurrent use.
type Answerer struct {
	client *goopenai.Client
	opt    Options
	key    string
	log    *slog.Logger
	usage  *Usage
	// format is the response format the server accepts: 0 JSON schema,
	// 1 JSON object, 2 none. It only moves down.
	format atomic.Int32
	// sleep waits between retries; tests replace it.
	sleep func(ctx context.Context, d time.Duration) error
}

// New returns an Answerer for the given server and model.
func New(opt Options) *Answerer {
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.MaxTokens <= 0 {
		opt.MaxTokens = DefaultMaxTokens
	}
	if opt.Retries < 0 {
		opt.Retries = 0
	}
	if opt.Backoff <= 0 {
		opt.Backoff = DefaultBackoff
	}
	if opt.MaxRetryAfter <= 0 {
		opt.MaxRetryAfter = DefaultMaxRetryAfter
	}
	if opt.MaxPromptBytes <= 0 {
		opt.MaxPromptBytes = DefaultMaxPromptBytes
	}
	if opt.Fallback == nil {
		opt.Fallback = answer.Extractive{}
	}
	if opt.Usage == nil {
		opt.Usage = new(Usage)
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	a := &Answerer{opt: opt, key: opt.APIKey, log: log, usage: opt.Usage, sleep: openaiclient.Sleep}
	opt.APIKey = "" // keep one copy, in the client config
	a.opt = opt
	a.client = goopenai.NewClientWithConfig(clientConfig(a.key, opt))
	return a
}

// clientConfig builds the go-openai configuration; the HTTP client is
// wrapped to see each response's status and Retry-After.
func clientConfig(key string, opt Options) goopenai.ClientConfig {
	hc := opt.HTTPClient
	if hc == nil {
		hc = &http.Client{}
	}
	return openaiclient.Config(key, opt.BaseURL, opt.APIType, opt.APIVersion, observingDoer{hc})
}

// Usage returns the answerer's counters.
func (a *Answerer) Usage() *Usage { return a.usage }

// Model returns the chat model's name.
func (a *Answerer) Model() string { return a.opt.Model }

// Answer answers q from hits with the model, verifying every claim; when
// the model fails it returns the fallback answer with FallbackNote. The
// error is always nil: a failing model never leaves a question unanswered.
func (a *Answerer) Answer(ctx context.Context, q answer.Question, hits []retrieval.Hit) (*answer.Answer, error) {
	a.usage.Answers.Add(1)
	if len(hits) == 0 {
		// Nothing to cite: no reason to ask the model.
		return a.opt.Fallback.Answer(q, hits), nil
	}
	start := time.Now()
	sent := a.budget(hits)
	var tally tally
	ans, verdicts, err := a.draft(ctx, q, sent, &tally)
	if err == nil {
		lookup := func(id string) *retrieval.Article {
			for _, h := range sent {
				if h.Article.ID == id {
					return h.Article
				}
			}
			return nil
		}
		if cerr := answer.Check(ans, lookup); cerr != nil {
			err = fmt.Errorf("composed answer fails its check: %w", cerr)
		}
	}
	dropped := 0
	for _, v := range verdicts {
		if !v.OK {
			dropped++
			a.log.Debug("claim dropped", "reason", v.Reason)
		}
	}
	a.usage.DroppedClaims.Add(int64(dropped))
	attrs := []any{
		"model", a.opt.Model,
		"calls", tally.calls,
		"prompt_tokens", tally.prompt,
		"completion_tokens", tally.completion,
		"passages", len(sent),
		"claims", len(verdicts),
		"dropped", dropped,
		"duration", time.Since(start).Round(time.Millisecond),
	}
	if err != nil {
		a.usage.Fallbacks.Add(1)
		a.usage.Down.Store(true)
		fb := a.opt.Fallback.Answer(q, hits)
		fb.Notes = append(fb.Notes, FallbackNote)
		a.log.Warn("model answer failed; extractive fallback", append(attrs, "status", fb.Status, "error", a.redact(err))...)
		return fb, nil
	}
	a.log.Info("model answer", append(attrs, "status", ans.Status)...)
	return ans, nil
}

// tally counts one answer's calls and tokens.
type tally struct {
	calls, prompt, completion int
}

// budget returns the best-ranked hits whose text fits MaxPromptBytes.
func (a *Answerer) budget(hits []retrieval.Hit) []retrieval.Hit {
	total := 0
	for i, h := range hits {
		total += len(h.Passage.Text)
		if total > a.opt.MaxPromptBytes && i > 0 {
			return hits[:i]
		}
	}
	return hits
}

// draft asks the model, repairs one invalid reply, and composes the
// verified answer.
func (a *Answerer) draft(ctx context.Context, q answer.Question, hits []retrieval.Hit, t *tally) (*answer.Answer, []answer.Verdict, error) {
	msgs := []goopenai.ChatCompletionMessage{
		{Role: goopenai.ChatMessageRoleSystem, Content: systemPrompt},
		{Role: goopenai.ChatMessageRoleUser, Content: userPrompt(q, hits, newNonce())},
	}
	content, err := a.complete(ctx, msgs, t, answerSchema)
	if err != nil {
		return nil, nil, err
	}
	d, err := parseDraft(content)
	if err != nil {
		a.usage.Repairs.Add(1)
		msgs = append(msgs,
			goopenai.ChatCompletionMessage{Role: goopenai.ChatMessageRoleAssistant, Content: content},
			goopenai.ChatCompletionMessage{Role: goopenai.ChatMessageRoleUser, Content: repairPrompt},
		)
		content, err = a.complete(ctx, msgs, t, answerSchema)
		if err != nil {
			return nil, nil, err
		}
		if d, err = parseDraft(content); err != nil {
			return nil, nil, fmt.Errorf("after one repair: %w", err)
		}
	}
	var judged []answer.Verdict
	if a.opt.Judge {
		d, judged = a.judge(ctx, hits, d, t)
	}
	ans, verdicts, err := compose(q, hits, d, a.opt.Thesaurus)
	return ans, append(verdicts, judged...), err
}

// compose runs answer.Compose, turning a panic on some unforeseen model
// output into an error, so the question still gets the fallback answer.
func compose(q answer.Question, hits []retrieval.Hit, d answer.Draft, th *retrieval.Thesaurus) (ans *answer.Answer, verdicts []answer.Verdict, err error) {
	defer func() {
		if r := recover(); r != nil {
			ans, verdicts, err = nil, nil, fmt.Errorf("compose answer: panic: %v", r)
		}
	}()
	ans, verdicts = answer.Compose(q, hits, d, th)
	return ans, verdicts, nil
}

// complete sends one chat request, retrying transient failures with
// backoff and stepping down the response format a server rejects.
func (a *Answerer) complete(ctx context.Context, msgs []goopenai.ChatCompletionMessage, t *tally, sch namedSchema) (string, error) {
	var lastErr error
	for try := 0; ; try++ {
		if err := ctx.Err(); err != nil {
			return "", errors.Join(err, lastErr)
		}
		if try > 0 {
			a.usage.Retries.Add(1)
		}
		req := a.request(msgs, sch)
		var obs observation
		callCtx, cancel := context.WithTimeout(withObservation(ctx, &obs), a.opt.Timeout)
		a.usage.Calls.Add(1)
		t.calls++
		resp, err := a.client.CreateChatCompletion(callCtx, req)
		cancel()
		if err == nil {
			a.usage.Down.Store(false)
			t.prompt += resp.Usage.PromptTokens
			t.completion += resp.Usage.CompletionTokens
			a.usage.PromptTokens.Add(int64(resp.Usage.PromptTokens))
			a.usage.CompletionTokens.Add(int64(resp.Usage.CompletionTokens))
			if len(resp.Choices) == 0 {
				return "", errInvalidReply
			}
			return resp.Choices[0].Message.Content, nil
		}
		lastErr = err
		status := statusOf(err, &obs)
		if status == http.StatusBadRequest && req.ResponseFormat != nil && formatRejected(err) {
			// The server does not take this response format: step down
			// and ask again at once (not counted against the retries).
			a.format.CompareAndSwap(formatOf(req), formatOf(req)+1)
			a.log.Info("model server rejected the response format; stepping down", "model", a.opt.Model, "format", formatOf(req))
			try--
			continue
		}
		if ctx.Err() != nil {
			return "", fmt.Errorf("chat completion: %w", errors.Join(ctx.Err(), err))
		}
		if !transient(status, err) {
			return "", fmt.Errorf("chat completion (status %d): %w", status, err)
		}
		if try >= a.opt.Retries {
			return "", fmt.Errorf("chat completion failed after %d tries: %w", try+1, err)
		}
		wait := openaiclient.Backoff(a.opt.Backoff, try)
		if ra, ok := obs.retryAfter(time.Now()); ok && status == http.StatusTooManyRequests {
			if ra > a.opt.MaxRetryAfter {
				return "", fmt.Errorf("chat completion: rate limited for %s: %w", ra, err)
			}
			wait = ra
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return "", fmt.Errorf("chat completion: no time left to retry: %w", err)
		}
		if err := a.sleep(ctx, wait); err != nil {
			return "", errors.Join(err, lastErr)
		}
	}
}

// request builds a chat request with the response format the server takes.
func (a *Answerer) request(msgs []goopenai.ChatCompletionMessage, sch namedSchema) goopenai.ChatCompletionRequest {
	req := goopenai.ChatCompletionRequest{Model: a.opt.Model, Messages: msgs}
	if reasoningModel(a.opt.Model) {
		req.MaxCompletionTokens = a.opt.MaxTokens
	} else {
		req.MaxTokens = a.opt.MaxTokens
		req.Temperature = 0.1
	}
	switch a.format.Load() {
	case 0:
		req.ResponseFormat = &goopenai.ChatCompletionResponseFormat{
			Type: goopenai.ChatCompletionResponseFormatTypeJSONSchema,
			JSONSchema: &goopenai.ChatCompletionResponseFormatJSONSchema{
				Name: sch.name, Schema: sch.schema, Strict: true,
			},
		}
	case 1:
		req.ResponseFormat = &goopenai.ChatCompletionResponseFormat{Type: goopenai.ChatCompletionResponseFormatTypeJSONObject}
	}
	return req
}

// formatRejected reports a 400 that may be about the response format: one
// whose message names it, or one with no JSON error at all.
func formatRejected(err error) bool {
	var apiErr *goopenai.APIError
	if errors.As(err, &apiErr) {
		m := strings.ToLower(apiErr.Message)
		return strings.Contains(m, "format") || strings.Contains(m, "schema") || strings.Contains(m, "json")
	}
	var reqErr *goopenai.RequestError
	return errors.As(err, &reqErr)
}

func formatOf(req goopenai.ChatCompletionRequest) int32 {
	switch {
	case req.ResponseFormat == nil:
		return 2
	case req.ResponseFormat.Type == goopenai.ChatCompletionResponseFormatTypeJSONObject:
		return 1
	}
	return 0
}

// reasoningModel reports models that take max_completion_tokens and no
// temperature.
func reasoningModel(m string) bool {
	for _, p := range []string{"o1", "o3", "o4", "gpt-5"} {
		if strings.HasPrefix(m, p) {
			return true
		}
	}
	return false
}

// redact returns the error's text with the key cut out, in case a server
// echoed it.
func (a *Answerer) redact(err error) string {
	return redact(err, a.key)
}

func redact(err error, key string) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if key != "" {
		s = strings.ReplaceAll(s, key, "[redacted]")
	}
	return s
}
