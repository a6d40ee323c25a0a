// Package retrieval owns storybot's view of the news: articles and the
// passages they are cut into, the loaders that read them from files, HTML,
// JSON Lines and feeds, the cleaning that strips scraped noise, duplicate
// detection and story grouping, and the in-memory index that finds the
// passages bearing on a question.
package retrieval

import (
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"time"
	"unique"
)

// DefaultCollection is the collection an article belongs to when its source
// names none.
const DefaultCollection = "published"

// Document is one article as a loader read it, before cleaning: the raw body
// text plus whatever metadata the source carried.
type Document struct {
	// Source is the path or URL the document was read from, as the user
	// gave it; a record of a JSON Lines file adds "#line".
	Source string
	// Key identifies the document across ingests: its canonical URL when it
	// has one, otherwise its absolute path (plus record number). Two ingests
	// of the same Key are the same article, updated or unchanged.
	Key        string
	Title      string
	Outlet     string
	Author     string
	URL        string
	Collection string
	Published  time.Time
	// Text is the raw body, noise included.
	Text string
}

// Article is a cleaned, stored article. Its passages are spans of Text, so a
// citation can quote Text character for character.
type Article struct {
	ID         string    `json:"id"`
	Key        string    `json:"key"`
	Source     string    `json:"source"`
	Title      string    `json:"title"`
	Outlet     string    `json:"outlet,omitempty"`
	Author     string    `json:"author,omitempty"`
	URL        string    `json:"url,omitempty"`
	Collection string    `json:"collection"`
	Published  time.Time `json:"published,omitzero"`
	Ingested   time.Time `json:"ingested"`
	// Text is the cleaned body.
	Text string `json:"text"`
	// Hash is the hex SHA-256 of Text and the metadata that shows to users;
	// an unchanged Hash means a re-ingest has nothing to write.
	Hash string `json:"hash"`
	// DuplicateOf is the ID of the article this one copies (republished or
	// reworded), empty for originals.
	DuplicateOf string `json:"duplicate_of,omitempty"`
	// StoryID groups articles about the same event, copies or not.
	StoryID  string `json:"story_id"`
	Passages []Span `json:"passages"`
	// SourceHash is the hex SHA-256 of the document as read, before
	// cleaning (see DocumentHash): a re-ingest of the same document skips
	// cleaning it again, which is what makes resuming an import fast.
	SourceHash string `json:"source_hash,omitempty"`
	// Signature is the article's MinHash signature (see lsh.go), computed
	// once when it is cleaned and kept, so duplicate detection never
	// fingerprints a stored article again to find its candidates.
	Signature []byte `json:"sig,omitempty"`
}

// Span is a passage's place in its article's Text, in bytes.
type Span struct {
	Start int `json:"s"`
	End   int `json:"e"`
}

// Passage is a paragraph-sized piece of an article, the unit of retrieval and
// citation.
type Passage struct {
	// ID is stable for as long as the article's text is unchanged.
	ID        string
	ArticleID string
	Index     int
	Span
	Text string
}

// PassageAt returns the article's i-th passage.
func (a *Article) PassageAt(i int) Passage {
	sp := a.Passages[i]
	return Passage{
		ID:        PassageID(a.ID, i),
		ArticleID: a.ID,
		Index:     i,
		Span:      sp,
		Text:      a.Text[sp.Start:sp.End],
	}
}

// AllPassages returns every passage of the article in order.
func (a *Article) AllPassages() []Passage {
	ps := make([]Passage, len(a.Passages))
	for i := range a.Passages {
		ps[i] = a.PassageAt(i)
	}
	return ps
}

// Original returns the ID of the article this one counts as: itself, or the
// original it copies.
func (a *Article) Original() string {
	if a.DuplicateOf != "" {
		return a.DuplicateOf
	}
	return a.ID
}

// ArticleID derives a stable article ID from a document key.
func ArticleID(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:8])
}

// PassageID names the i-th passage of an article.
func PassageID(articleID string, i int) string {
	return articleID + "-p" + strconv.Itoa(i)
}

// shrink makes a's metadata strings that equal one another share memory,
// the ones many articles repeat (collection, outlet, author) share one
// canonical copy, and its passage list take no spare room: a replica holds
// every article, and these copies and spare room add up.
func (a *Article) shrink() {
	if cap(a.Passages) > len(a.Passages) {
		a.Passages = slices.Clone(a.Passages)
	}
	if a.Source == a.Key {
		a.Source = a.Key
	}
	if a.URL == a.Key {
		a.URL = a.Key
	}
	if a.StoryID == a.ID {
		a.StoryID = a.ID
	}
	a.Collection = unique.Make(a.Collection).Value()
	a.Outlet = unique.Make(a.Outlet).Value()
	a.Author = unique.Make(a.Author).Value()
}
