package schedule

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// MemStore is a Store in memory: for one process, and for tests, where
// several schedulers share one to play replicas. Expiry follows Now.
type MemStore struct {
	// Now is the store's clock; nil means time.Now.
	Now func() time.Time
	mu  sync.Mutex
	m   map[string]entry
}

type entry struct {
	Val     []byte    `json:"v"`
	Expires time.Time `json:"e,omitzero"`
}

func (e entry) live(now time.Time) bool { return e.Expires.IsZero() || now.Before(e.Expires) }

func (m *MemStore) now() time.Time {
	if m.Now != nil {
		return m.Now()
	}
	return time.Now()
}

func expiry(now time.Time, ttl time.Duration) time.Time {
	if ttl <= 0 {
		return time.Time{}
	}
	return now.Add(ttl)
}

// SetNX implements Store.
func (m *MemStore) SetNX(_ context.Context, key string, val []byte, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if e, ok := m.m[key]; ok && e.live(now) {
		return false, nil
	}
	if m.m == nil {
		m.m = map[string]entry{}
	}
	m.m[key] = entry{Val: append([]byte(nil), val...), Expires: expiry(now, ttl)}
	return true, nil
}

// GetBytes implements Store.
func (m *MemStore) GetBytes(_ context.Context, key string) ([]byte, bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	e, ok := m.m[key]
	if !ok || !e.live(m.now()) {
		return nil, false, nil
	}
	return append([]byte(nil), e.Val...), true, nil
}

// SetBytes implements Store.
func (m *MemStore) SetBytes(_ context.Context, key string, val []byte, ttl time.Duration) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil {
		m.m = map[string]entry{}
	}
	m.m[key] = entry{Val: append([]byte(nil), val...), Expires: expiry(m.now(), ttl)}
	return nil
}

// FileStoreName is the file NewFileStore keeps in the data folder.
const FileStoreName = "schedule.json"

// FileStore is a Store in a JSON file, for one replica on the embedded
// store: the posted markers survive a restart, so a restart after the
// day's digest does not post it again. Only one process may use the file.
type FileStore struct {
	Path string
	mem  MemStore
	once sync.Once
	err  error
}

// NewFileStore returns a store in dir/schedule.json.
func NewFileStore(dir string) *FileStore {
	return &FileStore{Path: filepath.Join(dir, FileStoreName)}
}

func (f *FileStore) load() error {
	f.once.Do(func() {
		b, err := os.ReadFile(f.Path)
		if errors.Is(err, fs.ErrNotExist) {
			return
		}
		if err != nil {
			f.err = fmt.Errorf("schedule store: %w", err)
			return
		}
		m := map[string]entry{}
		if err := json.Unmarshal(b, &m); err != nil {
			// A torn file loses at most today's marker; start afresh.
			return
		}
		f.mem.m = m
	})
	return f.err
}

// save writes the live entries; the caller holds f.mem.mu.
func (f *FileStore) saveLocked() error {
	now := f.mem.now()
	live := map[string]entry{}
	for k, e := range f.mem.m {
		if e.live(now) {
			live[k] = e
		}
	}
	b, err := json.Marshal(live)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f.Path), 0o700); err != nil {
		return fmt.Errorf("schedule store: %w", err)
	}
	tmp := f.Path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("schedule store: %w", err)
	}
	if err := os.Rename(tmp, f.Path); err != nil {
		return fmt.Errorf("schedule store: %w", err)
	}
	return nil
}

// SetNX implements Store.
func (f *FileStore) SetNX(ctx context.Context, key string, val []byte, ttl time.Duration) (bool, error) {
	if err := f.load(); err != nil {
		return false, err
	}
	ok, _ := f.mem.SetNX(ctx, key, val, ttl)
	if !ok {
		return false, nil
	}
	f.mem.mu.Lock()
	defer f.mem.mu.Unlock()
	return true, f.saveLocked()
}

// GetBytes implements Store.
func (f *FileStore) GetBytes(ctx context.Context, key string) ([]byte, bool, error) {
	if err := f.load(); err != nil {
		return nil, false, err
	}
	return f.mem.GetBytes(ctx, key)
}

// SetBytes implements Store.
func (f *FileStore) SetBytes(ctx context.Context, key string, val []byte, ttl time.Duration) error {
	if err := f.load(); err != nil {
		return err
	}
	_ = f.mem.SetBytes(ctx, key, val, ttl)
	f.mem.mu.Lock()
	defer f.mem.mu.Unlock()
	return f.saveLocked()
}
