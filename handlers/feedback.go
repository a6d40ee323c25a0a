package handlers

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/retrieval"
)

// FeedbackRecord is one reader's verdict on one answer, with everything
// needed to judge it later. It is one line of `storybot feedback`.
type FeedbackRecord struct {
	Time       time.Time         `json:"time"`
	Helpful    bool              `json:"helpful"`
	User       string            `json:"user"`
	Channel    string            `json:"channel"`
	AnswerID   string            `json:"answer_id"`
	Question   string            `json:"question"`
	Status     answer.Status     `json:"status"`
	Answer     string            `json:"answer"`
	Citations  []answer.Citation `json:"citations"`
	NotCovered []string          `json:"not_covered,omitempty"`
}

// FeedbackStore keeps feedback records.
type FeedbackStore interface {
	Add(ctx context.Context, r FeedbackRecord) error
	// Export writes every record as JSON Lines, oldest first.
	Export(ctx context.Context, w io.Writer) error
}

// Feedback records readers' verdicts on answers.
type Feedback struct {
	Store FeedbackStore
	// Index, when set, is used to drop any citation of an article outside
	// the request's collections (or no longer indexed) before storing.
	Index *retrieval.Index
	// Now stamps records; nil means time.Now.
	Now func() time.Time
}

// FeedbackRequest is one click on "Helpful" or "Not helpful".
type FeedbackRequest struct {
	Helpful  bool
	User     string
	Channel  string
	AnswerID string
	Answer   *answer.Answer
	// Collections the channel may see; with an Index, citations of any
	// other collection are dropped (empty: all of them).
	Collections []string
}

// Record stores one verdict. A stored record never cites an article
// outside the request's collections.
func (f *Feedback) Record(ctx context.Context, req FeedbackRequest) error {
	if req.Answer == nil {
		return errors.New("feedback: no answer")
	}
	now := time.Now
	if f.Now != nil {
		now = f.Now
	}
	allowed := req.Collections
	cites := make([]answer.Citation, 0, len(req.Answer.Citations))
	for _, c := range req.Answer.Citations {
		if f.Index != nil {
			a := f.Index.Header(c.ArticleID)
			if a == nil || !slices.Contains(allowed, a.Collection) {
				continue
			}
		}
		cites = append(cites, c)
	}
	rec := FeedbackRecord{
		Time:       now().UTC(),
		Helpful:    req.Helpful,
		User:       req.User,
		Channel:    req.Channel,
		AnswerID:   req.AnswerID,
		Question:   req.Answer.Question,
		Status:     req.Answer.Status,
		Answer:     req.Answer.Answer,
		Citations:  cites,
		NotCovered: req.Answer.NotCovered,
	}
	if err := f.Store.Add(ctx, rec); err != nil {
		return fmt.Errorf("feedback: %w", err)
	}
	return nil
}

// FeedbackFileName is the file FileFeedback keeps in the data folder.
const FeedbackFileName = "feedback.jsonl"

// FileFeedback is a FeedbackStore in a JSON Lines file, for the embedded
// setup: one process appends, `storybot feedback` reads.
type FileFeedback struct {
	Path string
	mu   sync.Mutex
}

// NewFileFeedback returns a store in dir/feedback.jsonl.
func NewFileFeedback(dir string) *FileFeedback {
	return &FileFeedback{Path: filepath.Join(dir, FeedbackFileName)}
}

// Add implements FeedbackStore by appending one line.
func (s *FileFeedback) Add(_ context.Context, r FeedbackRecord) error {
	line, err := json.Marshal(r)
	if err != nil {
		return err
	}
	line = append(line, '\n')
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(s.Path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(s.Path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(line); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// Export implements FeedbackStore. A missing file is no feedback yet; a
// torn last line (a crash mid-append) is skipped.
func (s *FileFeedback) Export(ctx context.Context, w io.Writer) error {
	f, err := os.Open(s.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	for sc.Scan() {
		if err := ctx.Err(); err != nil {
			return err
		}
		line := sc.Bytes()
		if !json.Valid(line) {
			continue
		}
		if _, err := w.Write(append(line, '\n')); err != nil {
			return err
		}
	}
	return sc.Err()
}

// ExportVotes writes the store's records as JSON Lines, one vote per user
// per answer: a reader who clicks again changes their vote, so only the
// latest of their records for an answer is written, in the order of those
// latest votes. The store itself keeps every click.
func ExportVotes(ctx context.Context, s FeedbackStore, w io.Writer) error {
	var all bytes.Buffer
	if err := s.Export(ctx, &all); err != nil {
		return err
	}
	type key struct{ answer, user string }
	var lines [][]byte
	var keys []key
	last := map[key]int{}
	sc := bufio.NewScanner(&all)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := append([]byte(nil), sc.Bytes()...)
		var r struct {
			AnswerID string `json:"answer_id"`
			User     string `json:"user"`
		}
		if json.Unmarshal(line, &r) != nil {
			continue
		}
		k := key{r.AnswerID, r.User}
		last[k] = len(lines)
		lines, keys = append(lines, line), append(keys, k)
	}
	if err := sc.Err(); err != nil {
		return fmt.Errorf("export feedback: %w", err)
	}
	for i, line := range lines {
		if last[keys[i]] != i {
			continue
		}
		if _, err := w.Write(append(line, '\n')); err != nil {
			return fmt.Errorf("export feedback: %w", err)
		}
	}
	return nil
}
