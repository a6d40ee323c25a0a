// Package embed turns text into vectors through any OpenAI-compatible
// /v1/embeddings endpoint (github.com/sashabaranov/go-openai), in batches,
// with a cache keyed by content hash and model so unchanged text is never
// embedded twice, here or on another replica. It also fuses vector search
// with the lexical index (HybridSearch), falling back to lexical search
// alone when the embedding server fails.
package embed

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	goopenai "github.com/sashabaranov/go-openai"

	"github.com/storybot/storybot/internal/openaiclient"
)

// Defaults for zero Options fields.
const (
	DefaultBatchSize = 64
	DefaultTimeout   = 30 * time.Second
	DefaultBackoff   = 500 * time.Millisecond
)

// Cache stores encoded vectors by key; the Redis adapter satisfies it for
// sharing between replicas.
type Cache interface {
	Get(ctx context.Context, key string) ([]byte, bool, error)
	Set(ctx context.Context, key string, val []byte) error
}

// Options configure an Embedder.
type Options struct {
	// BaseURL is the server's API root; for Azure, the resource endpoint.
	BaseURL string
	// APIKey authenticates; it is never logged or put in an error.
	APIKey string
	// APIType is "openai" (the default) or "azure"; APIVersion is Azure's.
	APIType    string
	APIVersion string
	// Model names the embedding model (STORYBOT_EMBED_MODEL).
	Model string
	// Dimensions asks text-embedding-3 models for shorter vectors; 0 means
	// the model's own.
	Dimensions int
	// BatchSize is the most inputs per request (default 64).
	BatchSize int
	// Timeout bounds each request (default 30s).
	Timeout time.Duration
	// Retries is how many times a failed batch is retried; Backoff is the
	// first wait, doubled each time (default 500ms).
	Retries int
	Backoff time.Duration
	// HTTPClient sends the requests; nil means a plain http.Client.
	HTTPClient *http.Client
	// Cache holds vectors by Key(model, text); nil means a MemoryCache.
	Cache Cache
	// Logger receives batch failures and cache errors, never text or the
	// key; nil discards.
	Logger *slog.Logger
}

// Stats counts an Embedder's work, for metrics.
type Stats struct {
	Calls     atomic.Int64 // embedding requests sent
	Embedded  atomic.Int64 // texts embedded by the server
	CacheHits atomic.Int64 // texts found in the cache
	Failures  atomic.Int64 // requests that failed for good
	Tokens    atomic.Int64 // prompt tokens the server reported
	Fallbacks atomic.Int64 // hybrid searches that fell back to lexical
}

// Embedder embeds texts with one model.
type Embedder struct {
	client *goopenai.Client
	opt    Options
	key    string
	log    *slog.Logger
	stats  Stats
}

// New returns an Embedder.
func New(opt Options) *Embedder {
	if opt.BatchSize <= 0 {
		opt.BatchSize = DefaultBatchSize
	}
	if opt.Timeout <= 0 {
		opt.Timeout = DefaultTimeout
	}
	if opt.Backoff <= 0 {
		opt.Backoff = DefaultBackoff
	}
	if opt.Retries < 0 {
		opt.Retries = 0
	}
	if opt.Cache == nil {
		opt.Cache = NewMemoryCache()
	}
	log := opt.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	key := opt.APIKey
	opt.APIKey = ""
	var hc goopenai.HTTPDoer
	if opt.HTTPClient != nil {
		hc = opt.HTTPClient
	}
	cfg := openaiclient.Config(key, opt.BaseURL, opt.APIType, opt.APIVersion, hc)
	return &Embedder{client: goopenai.NewClientWithConfig(cfg), opt: opt, key: key, log: log}
}

// Model returns the embedding model's name.
func (e *Embedder) Model() string { return e.opt.Model }

// Stats returns the embedder's counters.
func (e *Embedder) Stats() *Stats { return &e.stats }

// Key is the cache key of a text's vector under a model: the hex SHA-256
// of the model name and the text.
func Key(model, text string) string {
	h := sha256.New()
	h.Write([]byte(model))
	h.Write([]byte{0})
	h.Write([]byte(text))
	return "emb:" + hex.EncodeToString(h.Sum(nil))
}

// Embed returns one vector per text, in order. Texts in the cache cost no
// call; the rest are sent in batches of BatchSize and cached.
func (e *Embedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var miss []int
	for i, t := range texts {
		b, ok, err := e.opt.Cache.Get(ctx, Key(e.opt.Model, t))
		if err != nil {
			e.log.Warn("embedding cache read failed", "error", e.redact(err))
		}
		if ok && err == nil {
			if v, err := DecodeVector(b); err == nil {
				out[i] = v
				e.stats.CacheHits.Add(1)
				continue
			}
		}
		miss = append(miss, i)
	}
	for start := 0; start < len(miss); start += e.opt.BatchSize {
		batch := miss[start:min(start+e.opt.BatchSize, len(miss))]
		in := make([]string, len(batch))
		for j, i := range batch {
			in[j] = texts[i]
		}
		vecs, err := e.embedBatch(ctx, in)
		if err != nil {
			return nil, err
		}
		for j, i := range batch {
			out[i] = vecs[j]
			if err := e.opt.Cache.Set(ctx, Key(e.opt.Model, texts[i]), EncodeVector(vecs[j])); err != nil {
				e.log.Warn("embedding cache write failed", "error", e.redact(err))
			}
		}
	}
	return out, nil
}

// embedBatch sends one request, retrying failures with backoff.
func (e *Embedder) embedBatch(ctx context.Context, in []string) ([][]float32, error) {
	req := goopenai.EmbeddingRequestStrings{Input: in, Model: goopenai.EmbeddingModel(e.opt.Model), Dimensions: e.opt.Dimensions}
	var lastErr error
	for try := 0; try <= e.opt.Retries; try++ {
		if try > 0 {
			if err := openaiclient.Sleep(ctx, openaiclient.Backoff(e.opt.Backoff, try-1)); err != nil {
				break
			}
		}
		if ctx.Err() != nil {
			break
		}
		callCtx, cancel := context.WithTimeout(ctx, e.opt.Timeout)
		e.stats.Calls.Add(1)
		resp, err := e.client.CreateEmbeddings(callCtx, req)
		cancel()
		if err == nil {
			vecs, err := ordered(resp, len(in))
			if err == nil {
				e.stats.Embedded.Add(int64(len(in)))
				e.stats.Tokens.Add(int64(resp.Usage.PromptTokens))
				return vecs, nil
			}
			lastErr = err
			continue
		}
		lastErr = err
		if !retryable(err) {
			break
		}
	}
	e.stats.Failures.Add(1)
	err := errors.Join(ctx.Err(), lastErr)
	return nil, fmt.Errorf("embed %d texts with %s: %s", len(in), e.opt.Model, e.redact(err))
}

// ordered returns the response's vectors in input order, checking there is
// one for every input.
func ordered(resp goopenai.EmbeddingResponse, n int) ([][]float32, error) {
	if len(resp.Data) != n {
		return nil, fmt.Errorf("server returned %d embeddings for %d inputs", len(resp.Data), n)
	}
	out := make([][]float32, n)
	for _, d := range resp.Data {
		if d.Index < 0 || d.Index >= n || out[d.Index] != nil || len(d.Embedding) == 0 {
			return nil, fmt.Errorf("server returned a bad embedding index %d", d.Index)
		}
		out[d.Index] = d.Embedding
	}
	return out, nil
}

// retryable reports failures worth another try: anything but a 4xx other
// than 408 and 429.
func retryable(err error) bool {
	status := 0
	var apiErr *goopenai.APIError
	var reqErr *goopenai.RequestError
	switch {
	case errors.As(err, &apiErr):
		status = apiErr.HTTPStatusCode
	case errors.As(err, &reqErr):
		status = reqErr.HTTPStatusCode
	}
	return status == 0 || status == http.StatusRequestTimeout || status == http.StatusTooManyRequests || status >= 500
}

func (e *Embedder) redact(err error) string {
	if err == nil {
		return ""
	}
	s := err.Error()
	if e.key != "" {
		s = strings.ReplaceAll(s, e.key, "[redacted]")
	}
	return s
}

// EncodeVector packs a vector as little-endian float32s.
func EncodeVector(v []float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

// DecodeVector unpacks EncodeVector's bytes.
func DecodeVector(b []byte) ([]float32, error) {
	if len(b) == 0 || len(b)%4 != 0 {
		return nil, fmt.Errorf("encoded vector has %d bytes, not a positive multiple of 4", len(b))
	}
	v := make([]float32, len(b)/4)
	for i := range v {
		v[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return v, nil
}

// MemoryCache is a Cache in process memory, for a single replica and
// tests.
type MemoryCache struct {
	mu sync.RWMutex
	m  map[string][]byte
}

// NewMemoryCache returns an empty MemoryCache.
func NewMemoryCache() *MemoryCache { return &MemoryCache{m: make(map[string][]byte)} }

// Get implements Cache.
func (c *MemoryCache) Get(_ context.Context, key string) ([]byte, bool, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	b, ok := c.m[key]
	return b, ok, nil
}

// Set implements Cache.
func (c *MemoryCache) Set(_ context.Context, key string, val []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.m[key] = append([]byte(nil), val...)
	return nil
}

// Len returns the number of cached vectors.
func (c *MemoryCache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}
