package main

import (
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/storybot/storybot/retrieval/redisstore"
)

// registerModelMetrics exposes the model's and the embedder's counters on
// /metrics: tokens, calls, retries, fallbacks, dropped claims, cache hits.
func (a *app) registerModelMetrics(reg prometheus.Registerer) {
	counter := func(name, help string, v *atomic.Int64, labels prometheus.Labels) {
		reg.MustRegister(prometheus.NewCounterFunc(prometheus.CounterOpts{
			Name: name, Help: help, ConstLabels: labels,
		}, func() float64 { return float64(v.Load()) }))
	}
	if m := a.models.answerer; m != nil {
		u := m.Usage()
		counter("storybot_model_tokens_total", "Tokens the chat model used.", &u.PromptTokens, prometheus.Labels{"kind": "prompt"})
		counter("storybot_model_tokens_total", "Tokens the chat model used.", &u.CompletionTokens, prometheus.Labels{"kind": "completion"})
		counter("storybot_model_calls_total", "Chat completion requests sent.", &u.Calls, nil)
		counter("storybot_model_retries_total", "Chat requests retried after a transient failure.", &u.Retries, nil)
		counter("storybot_model_fallbacks_total", "Answers written extractively because the model failed.", &u.Fallbacks, nil)
		counter("storybot_model_dropped_claims_total", "Model claims dropped by verification.", &u.DroppedClaims, nil)
		counter("storybot_model_judge_calls_total", "Judge requests sent (STORYBOT_MODEL_JUDGE); each also counts in storybot_model_calls_total.", &u.JudgeCalls, nil)
		counter("storybot_model_judged_out_claims_total", "Model claims the judge found unsupported by their quote.", &u.JudgedOut, nil)
		reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "storybot_model_up", Help: "0 while the model's last answer fell back to the extractive answerer, else 1.",
		}, func() float64 {
			if u.Down.Load() {
				return 0
			}
			return 1
		}))
	}
	if c := a.models.cached; c != nil {
		counter("storybot_answer_cache_hits_total", "Answers served from the cache.", &c.Stats.Hits, nil)
	}
	if e := a.models.embedder; e != nil {
		s := e.Stats()
		counter("storybot_embed_calls_total", "Embedding requests sent.", &s.Calls, nil)
		counter("storybot_embed_cache_hits_total", "Texts whose vectors came from the cache.", &s.CacheHits, nil)
		counter("storybot_embed_tokens_total", "Tokens the embedding model used.", &s.Tokens, nil)
	}
	if h := a.models.hybrid; h != nil && h.Stats != nil {
		counter("storybot_search_lexical_fallbacks_total", "Searches that fell back to lexical only because embedding failed.", &h.Stats.Fallbacks, nil)
	}
}

// registerStoreMetrics exposes what an operator alerts on: the index's
// size, and for the Redis store its health, the times it lost its data and
// the articles written back from memory.
func (a *app) registerStoreMetrics(reg prometheus.Registerer) {
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "storybot_index_articles", Help: "Articles in the index held in memory."},
			func() float64 { return float64(a.index.Len()) }),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "storybot_index_passages", Help: "Passages in the index held in memory."},
			func() float64 { return float64(a.index.Passages()) }),
	)
	rs, ok := a.store.(*redisstore.Store)
	if !ok {
		return
	}
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "storybot_store_healthy", Help: "1 while the index follows Redis, 0 while Redis is unreachable (answers come from memory)."},
			func() float64 {
				if rs.Healthy() {
					return 1
				}
				return 0
			}),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "storybot_store_resets_total", Help: "Times Redis was found to have lost its data."},
			func() float64 { return float64(rs.Resets.Load()) }),
		prometheus.NewCounterFunc(prometheus.CounterOpts{Name: "storybot_store_restored_articles_total", Help: "Articles this replica wrote back to Redis from memory after a loss."},
			func() float64 { return float64(rs.Restored.Load()) }),
	)
}
