package cache

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// clock is a settable clock for Options.Clock.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// openTest opens a cache in a fresh directory, without background
// collection unless opts asks for it, and closes it at the end of the test.
func openTest(t testing.TB, opts Options) (*Cache, string) {
	t.Helper()
	if opts.CollectInterval == 0 {
		opts.CollectInterval = -1
	}
	path := filepath.Join(t.TempDir(), "cm.db")
	c, err := Open(path, opts)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, c.Close()) })
	return c, path
}

func pipe(g jxta.GroupID, name string) *advert.PipeAdv {
	return advert.NewPipeAdv(g, advert.PipeUnicast, name)
}

func peer(g jxta.GroupID, name string) *advert.PeerAdv {
	return &advert.PeerAdv{PeerID: jxta.NewPeerID(g), GroupID: g, Name: name}
}

func group(name string) *advert.GroupAdv {
	return &advert.GroupAdv{GroupID: jxta.NewGroupID(), SpecID: jxta.StdGroupSpecID, Name: name}
}

// keys returns the keys of entries, in order.
func keys(es []Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Key
	}
	return out
}

// indexRefs counts, per bucket of group's space, the keys that refer to the
// entry key.
func indexRefs(t *testing.T, c *Cache, g jxta.GroupID, key string) map[string]int {
	t.Helper()
	refs := map[string]int{}
	k := []byte(key)
	require.NoError(t, c.flush(nil), "pending entries into the B+tree")
	require.NoError(t, c.db.View(func(tx *bolt.Tx) error {
		s, ok := openSpace(tx, groupName(g))
		if !ok {
			return nil
		}
		if s.adv.Get(k) != nil {
			refs["adv"]++
		}
		if err := s.exp.ForEach(func(ek, _ []byte) error {
			if bytes.Equal(ek[8:], k) {
				refs["exp"]++
			}
			return nil
		}); err != nil {
			return err
		}
		return s.idx.ForEach(func(name, _ []byte) error {
			return s.idx.Bucket(name).ForEach(func(ik, _ []byte) error {
				if bytes.Equal(ik, k) || bytes.HasSuffix(ik, append([]byte{0}, k...)) {
					refs["idx/"+string(name)]++
				}
				return nil
			})
		})
	}))
	return refs
}

func writeFile(path string, data []byte) error { return os.WriteFile(path, data, 0o600) }

// logLines collects the lines a cache logs at Info and above.
type logLines struct {
	mu    sync.Mutex
	lines []string
}

func (l *logLines) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(logWriter{l}, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

type logWriter struct{ l *logLines }

func (w logWriter) Write(p []byte) (int, error) {
	w.l.mu.Lock()
	defer w.l.mu.Unlock()
	w.l.lines = append(w.l.lines, strings.TrimSuffix(string(p), "\n"))
	return len(p), nil
}

// all returns the lines logged.
func (l *logLines) all() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.lines)
}

// only returns the one line logged, failing if there are more or none.
func (l *logLines) only(t *testing.T) string {
	t.Helper()
	lines := l.all()
	require.Len(t, lines, 1, "one line: %q", lines)
	return lines[0]
}
