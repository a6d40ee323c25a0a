package handlers

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/storybot/storybot/answer"
	"github.com/storybot/storybot/retrieval"
)

// Lead is a question asked in Slack that the sources could not (fully)
// answer: something for the desk to look into.
type Lead struct {
	Time       time.Time     `json:"time"`
	Channel    string        `json:"channel"`
	Question   string        `json:"question"`
	Status     answer.Status `json:"status"`
	NotCovered []string      `json:"not_covered,omitempty"`
}

// LeadStore keeps leads.
type LeadStore interface {
	Add(ctx context.Context, l Lead) error
	// Since returns the channel's leads asked after since and not after
	// until, oldest first.
	Since(ctx context.Context, channel string, since, until time.Time) ([]Lead, error)
}

// LeadLog records leads from answers. Its OnAnswer is meant for
// Service.OnAnswer.
type LeadLog struct {
	Store LeadStore
	// Now stamps leads; nil means time.Now.
	Now func() time.Time
	// Log reports a lead that could not be stored (never its text).
	Log *slog.Logger
}

// OnAnswer records the question of a not_covered or partial answer asked
// in a channel. Questions from the command line (no channel) are not leads.
func (l *LeadLog) OnAnswer(ctx context.Context, req AskRequest, ans *answer.Answer) {
	if ans == nil || req.Channel == "" || (ans.Status != answer.NotCovered && ans.Status != answer.Partial) {
		return
	}
	now := time.Now
	if l.Now != nil {
		now = l.Now
	}
	q := ans.Question
	if q == "" {
		q = req.Question
	}
	lead := Lead{Time: now().UTC(), Channel: req.Channel, Question: q, Status: ans.Status, NotCovered: ans.NotCovered}
	if err := l.Store.Add(ctx, lead); err != nil && l.Log != nil {
		l.Log.Warn("cannot record lead", "channel", req.Channel, "err", err)
	}
}

// dedupLeads drops repeats of a question (the first asking is kept) and
// keeps the newest n.
func dedupLeads(ls []Lead, n int) []Lead {
	var out []Lead
	seen := map[string]bool{}
	for _, l := range ls {
		k := retrieval.LineKey(l.Question)
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, l)
	}
	if len(out) > n {
		out = out[len(out)-n:]
	}
	return out
}

// MemLeads is a LeadStore in memory, for one process and tests.
type MemLeads struct {
	mu    sync.Mutex
	leads []Lead
}

// Add implements LeadStore.
func (m *MemLeads) Add(_ context.Context, l Lead) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.leads = append(m.leads, l)
	return nil
}

// Since implements LeadStore.
func (m *MemLeads) Since(_ context.Context, channel string, since, until time.Time) ([]Lead, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return selectLeads(m.leads, channel, since, until), nil
}

func selectLeads(all []Lead, channel string, since, until time.Time) []Lead {
	var out []Lead
	for _, l := range all {
		if l.Channel == channel && l.Time.After(since) && !l.Time.After(until) {
			out = append(out, l)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Time.Before(out[j].Time) })
	return out
}

// LeadsFileName is the file FileLeads keeps in the data folder.
const LeadsFileName = "leads.jsonl"

// FileLeads is a LeadStore in a JSON Lines file, for the embedded setup.
// Leads older than Keep are dropped when the file is rewritten.
type FileLeads struct {
	Path string
	// Keep is how long leads are kept (default 14 days).
	Keep time.Duration
	mu   sync.Mutex
	adds int
}

// NewFileLeads returns a store in dir/leads.jsonl.
func NewFileLeads(dir string) *FileLeads {
	return &FileLeads{Path: filepath.Join(dir, LeadsFileName)}
}

// compactEvery is how many appends pass between rewrites of the file.
const compactEvery = 200

// Add implements LeadStore by appending one line.
func (f *FileLeads) Add(_ context.Context, l Lead) error {
	line, err := json.Marshal(l)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o700); err != nil {
		return err
	}
	fh, err := os.OpenFile(f.Path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := fh.Write(append(line, '\n')); err != nil {
		fh.Close()
		return err
	}
	if err := fh.Close(); err != nil {
		return err
	}
	if f.adds++; f.adds%compactEvery == 0 {
		return f.compactLocked(l.Time)
	}
	return nil
}

// Since implements LeadStore. A missing file holds no leads; a torn line
// (a crash mid-append) is skipped.
func (f *FileLeads) Since(_ context.Context, channel string, since, until time.Time) ([]Lead, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	all, err := f.readLocked()
	if err != nil {
		return nil, err
	}
	return selectLeads(all, channel, since, until), nil
}

func (f *FileLeads) readLocked() ([]Lead, error) {
	fh, err := os.Open(f.Path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer fh.Close()
	var out []Lead
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var l Lead
		if json.Unmarshal(sc.Bytes(), &l) == nil {
			out = append(out, l)
		}
	}
	return out, sc.Err()
}

// compactLocked rewrites the file without the leads older than Keep.
func (f *FileLeads) compactLocked(now time.Time) error {
	keep := f.Keep
	if keep <= 0 {
		keep = 14 * 24 * time.Hour
	}
	all, err := f.readLocked()
	if err != nil {
		return err
	}
	tmp := f.Path + ".tmp"
	fh, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(fh)
	for _, l := range all {
		if now.Sub(l.Time) > keep {
			continue
		}
		line, _ := json.Marshal(l)
		w.Write(append(line, '\n'))
	}
	if err := w.Flush(); err != nil {
		fh.Close()
		return err
	}
	if err := fh.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, f.Path)
}
