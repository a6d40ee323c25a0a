package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/storybot/storybot/answer"
	aopenai "github.com/storybot/storybot/answer/openai"
	"github.com/storybot/storybot/handlers"
	"github.com/storybot/storybot/retrieval"
	"github.com/storybot/storybot/retrieval/embed"
)

// kv is what both stores offer for caches: expiring byte values.
type kv interface {
	GetBytes(ctx context.Context, key string) ([]byte, bool, error)
	SetBytes(ctx context.Context, key string, val []byte, ttl time.Duration) error
}

// answerCache adapts a store's key-value entries to handlers.AnswerCache.
type answerCache struct{ kv }

func (c answerCache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	return c.GetBytes(ctx, "answer:"+key)
}

func (c answerCache) Set(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	return c.SetBytes(ctx, "answer:"+key, val, ttl)
}

// vectorCache adapts a store's key-value entries to embed.Cache; vectors
// are kept for 30 days after their last write.
type vectorCache struct{ kv }

func (c vectorCache) Get(ctx context.Context, key string) ([]byte, bool, error) {
	return c.GetBytes(ctx, "vec:"+key)
}

func (c vectorCache) Set(ctx context.Context, key string, val []byte) error {
	return c.SetBytes(ctx, "vec:"+key, val, 30*24*time.Hour)
}

// models holds the model-backed parts, when configured.
type models struct {
	answerer *aopenai.Answerer
	cached   *handlers.CachedAnswerer
	embedder *embed.Embedder
	vectors  *retrieval.VectorIndex
	hybrid   *embed.Hybrid
}

// setupModels builds the chat answerer and the embedding search from the
// settings; with neither set it does nothing and nothing needs the network.
func (a *app) setupModels(ctx context.Context) error {
	o := a.cfg.OpenAI
	cache, _ := a.store.(kv)
	if a.cfg.ModelEnabled() {
		m := aopenai.New(aopenai.Options{
			BaseURL: o.BaseURL, APIKey: o.APIKey.Reveal(), APIType: o.APIType, APIVersion: o.APIVersion,
			Model: o.ChatModel, Timeout: o.Timeout, MaxTokens: o.AnswerMaxTokens, Retries: o.Retries, Judge: o.Judge,
			Logger: a.log, Thesaurus: a.thesaurus, Fallback: answer.Extractive{IDF: a.index.IDF, MinConfidence: a.cfg.MinConfidence},
		})
		a.models.answerer = m
		if cache != nil {
			a.models.cached = &handlers.CachedAnswerer{
				Next: m, Cache: answerCache{cache}, Model: o.ChatModel, Logger: a.log,
				Version: func() string { return strconv.FormatUint(a.index.Version(), 10) },
			}
		}
	}
	if a.cfg.EmbeddingsEnabled() {
		opt := embed.Options{BaseURL: o.BaseURL, APIKey: o.APIKey.Reveal(), APIType: o.APIType, APIVersion: o.APIVersion,
			Model: o.EmbedModel, Timeout: o.Timeout, Retries: o.Retries, Logger: a.log}
		if cache != nil {
			opt.Cache = vectorCache{cache}
		}
		a.models.embedder = embed.New(opt)
		a.models.vectors = retrieval.NewVectorIndex(0)
		a.models.hybrid = &embed.Hybrid{Index: a.index, Vectors: a.models.vectors, Embedder: a.models.embedder, Logger: a.log, Stats: a.models.embedder.Stats()}
		// Known text comes from the cache; only new text costs a call. A
		// failing embedding server leaves search lexical, not broken.
		if err := embed.IndexArticles(ctx, a.models.embedder, a.models.vectors, a.index.Articles()...); err != nil {
			a.log.Warn("embedding the index failed; searching lexically", "err", err)
		}
	}
	return nil
}

// embedArticles adds freshly ingested articles to the vector index.
func (a *app) embedArticles(ctx context.Context, arts []*retrieval.Article) {
	if a.models.embedder == nil || len(arts) == 0 {
		return
	}
	if err := embed.IndexArticles(ctx, a.models.embedder, a.models.vectors, arts...); err != nil {
		a.log.Warn("embedding new articles failed; they are searchable lexically", "articles", len(arts), "err", fmt.Sprint(err))
	}
}

// configure puts the model-backed parts into a service.
func (m *models) configure(s *handlers.Service) {
	switch {
	case m.cached != nil:
		s.Answerer = m.cached
	case m.answerer != nil:
		s.Answerer = m.answerer
	}
	if m.hybrid != nil {
		s.Search = m.hybrid.Search
	}
}
