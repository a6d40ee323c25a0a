package embed

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"

	"github.com/storybot/storybot/retrieval"
)

// QueryEmbedder embeds texts; *Embedder satisfies it.
type QueryEmbedder interface {
	Embed(ctx context.Context, texts []string) ([][]float32, error)
}

// PassageText is the text embedded for a passage: the article's title,
// then the passage, so a passage that never names its subject still lands
// near questions about it.
func PassageText(a *retrieval.Article, i int) string {
	return a.Title + "\n\n" + a.PassageAt(i).Text
}

// IndexArticles embeds every passage of the articles (cached texts cost no
// call) and stores the vectors in vx under their passage IDs, dropping
// vectors of passages an article no longer has. Call it after the lexical
// index has the articles; on error vx is unchanged for the articles of the
// failed batch.
func IndexArticles(ctx context.Context, emb QueryEmbedder, vx *retrieval.VectorIndex, arts ...*retrieval.Article) error {
	var texts []string
	var ids []string
	for _, a := range arts {
		for i := range a.Passages {
			texts = append(texts, PassageText(a, i))
			ids = append(ids, retrieval.PassageID(a.ID, i))
		}
	}
	if len(texts) > 0 {
		vecs, err := emb.Embed(ctx, texts)
		if err != nil {
			return err
		}
		for i, v := range vecs {
			if err := vx.Add(ids[i], v); err != nil {
				return fmt.Errorf("index vectors: %w", err)
			}
		}
	}
	for _, a := range arts {
		for i := len(a.Passages); vx.Has(retrieval.PassageID(a.ID, i)); i++ {
			vx.Remove(retrieval.PassageID(a.ID, i))
		}
	}
	return nil
}

// RemoveArticle drops the vectors of an article's passages; n is how many
// passages it had.
func RemoveArticle(vx *retrieval.VectorIndex, articleID string, n int) {
	for i := 0; i < n || vx.Has(retrieval.PassageID(articleID, i)); i++ {
		vx.Remove(retrieval.PassageID(articleID, i))
	}
}

// Result is a hybrid search's outcome.
type Result struct {
	Hits []retrieval.Hit
	// Fallback is set when the vector side could not run and Hits are the
	// lexical hits alone; Err says why.
	Fallback bool
	Err      error
}

// HybridSearch runs the lexical search and a vector search for text (the
// question) and fuses the two rankings by reciprocal rank fusion. A vector
// hit outside q's collections, or of an article the index no longer holds,
// is never returned. When the embedder fails (or vx is empty or nil), the
// result is the lexical search alone with Fallback set: a question is
// never left unanswered for want of embeddings. Hit.Score is the fused
// score.
func HybridSearch(ctx context.Context, ix *retrieval.Index, vx *retrieval.VectorIndex, emb QueryEmbedder, q retrieval.Query, text string) Result {
	limit := q.Limit
	if limit <= 0 {
		limit = 10
	}
	if q.Text == "" {
		q.Text = text
	}
	// Each side offers more than it keeps, so fusion has room to agree.
	wide := q
	wide.Limit = max(limit*3, 30)
	lexical := ix.Search(wide)
	fallback := func(err error) Result {
		return Result{Hits: ix.WithText(lexical[:min(limit, len(lexical))]), Fallback: true, Err: err}
	}
	switch {
	case vx == nil || vx.Len() == 0:
		return fallback(fmt.Errorf("no vectors indexed"))
	case emb == nil:
		return fallback(fmt.Errorf("no embedder"))
	case strings.TrimSpace(text) == "":
		return fallback(fmt.Errorf("no query text"))
	}
	vecs, err := emb.Embed(ctx, []string{text})
	if err != nil {
		return fallback(fmt.Errorf("embed query: %w", err))
	}
	allowed := q.Collections
	if len(allowed) == 0 {
		allowed = []string{retrieval.DefaultCollection}
	}
	type loc struct {
		art *retrieval.Article
		i   int
	}
	found := map[string]loc{}
	resolve := func(id string) (loc, bool) {
		if l, ok := found[id]; ok {
			return l, l.art != nil
		}
		aid, i, ok := splitPassageID(id)
		var l loc
		if ok {
			if a := ix.Get(aid); a != nil && i < len(a.Passages) && slices.Contains(allowed, a.Collection) {
				l = loc{a, i}
			}
		}
		found[id] = l
		return l, l.art != nil
	}
	// Resolve outside the vector index's lock: over-fetch, then filter.
	var vecIDs []string
	for _, h := range vx.Search(vecs[0], wide.Limit*2) {
		if _, ok := resolve(h.ID); ok {
			vecIDs = append(vecIDs, h.ID)
		}
		if len(vecIDs) == wide.Limit {
			break
		}
	}
	lexIDs := make([]string, len(lexical))
	byID := map[string]retrieval.Hit{}
	for i, h := range lexical {
		lexIDs[i] = h.Passage.ID
		byID[h.Passage.ID] = h
	}
	ids, scores := retrieval.FuseRRFScores(lexIDs, vecIDs)
	hits := make([]retrieval.Hit, 0, limit)
	for i, id := range ids {
		if len(hits) == limit {
			break
		}
		h, ok := byID[id]
		if !ok {
			l, _ := resolve(id)
			h = retrieval.Hit{Article: l.art, Passage: l.art.PassageAt(l.i)}
		}
		h.Score = scores[i]
		hits = append(hits, h)
	}
	return Result{Hits: ix.WithText(hits)}
}

// splitPassageID reverses retrieval.PassageID.
func splitPassageID(id string) (articleID string, i int, ok bool) {
	k := strings.LastIndex(id, "-p")
	if k < 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(id[k+2:])
	if err != nil || n < 0 || retrieval.PassageID(id[:k], n) != id {
		return "", 0, false
	}
	return id[:k], n, true
}

// Hybrid is HybridSearch bound to an index, its vectors and an embedder,
// logging and counting fallbacks.
type Hybrid struct {
	Index    *retrieval.Index
	Vectors  *retrieval.VectorIndex
	Embedder QueryEmbedder
	Logger   *slog.Logger
	// Stats, when set, counts fallbacks (Stats.Fallbacks).
	Stats *Stats
}

// Search answers q with hybrid retrieval; text is the question.
func (h *Hybrid) Search(ctx context.Context, q retrieval.Query, text string) []retrieval.Hit {
	r := HybridSearch(ctx, h.Index, h.Vectors, h.Embedder, q, text)
	if r.Fallback && h.Vectors != nil && h.Vectors.Len() > 0 {
		if h.Stats != nil {
			h.Stats.Fallbacks.Add(1)
		}
		if h.Logger != nil {
			h.Logger.Warn("vector search unavailable; lexical only", "error", r.Err)
		}
	}
	return r.Hits
}
