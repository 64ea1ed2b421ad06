package logsum

import (
	"bytes"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// lockedBuffer is a log destination safe for the timer's goroutine.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) lines() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Split(strings.TrimSpace(l.b.String()), "\n")
}

func TestAFloodWritesOneLinePerInterval(t *testing.T) {
	var out lockedBuffer
	s := New(slog.New(slog.NewTextHandler(&out, nil)), slog.LevelWarn, "connection refused", 200*time.Millisecond)
	defer s.Stop()
	for i := range 10_000 {
		s.Event("remote", "10.0.0.1", "n", i)
	}
	assert.Len(t, out.lines(), 1, "the first at once, the rest counted")
	assert.Contains(t, out.lines()[0], "remote=10.0.0.1 n=0")
	assert.Eventually(t, func() bool { return len(out.lines()) == 2 }, 2*time.Second, 10*time.Millisecond)
	assert.Contains(t, out.lines()[1], "count=9999")
	assert.Contains(t, out.lines()[1], "example.remote=10.0.0.1 example.n=1")

	// The next interval's events are summarised too, once.
	for range 5 {
		s.Event("remote", "10.0.0.2")
	}
	assert.Eventually(t, func() bool { return len(out.lines()) == 3 }, 2*time.Second, 10*time.Millisecond)
	assert.Contains(t, out.lines()[2], "count=5")
	time.Sleep(300 * time.Millisecond)
	assert.Len(t, out.lines(), 3, "nothing more without events")

	// After a quiet interval, the next event is logged at once again.
	s.Event("remote", "10.0.0.3")
	assert.Len(t, out.lines(), 4)
	assert.Contains(t, out.lines()[3], "remote=10.0.0.3")
}

func TestStopWritesWhatIsCounted(t *testing.T) {
	var out lockedBuffer
	s := New(slog.New(slog.NewTextHandler(&out, nil)), slog.LevelWarn, "dropped", time.Hour)
	s.Event("k", 1)
	s.Event("k", 2)
	s.Event("k", 3)
	s.Stop()
	assert.Len(t, out.lines(), 2)
	assert.Contains(t, out.lines()[1], "count=2")
	s.Event("k", 4)
	assert.Len(t, out.lines(), 2, "a stopped summary writes nothing")
}

func TestDisabledLevelCostsNothing(t *testing.T) {
	var out lockedBuffer
	s := New(slog.New(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelError})), slog.LevelWarn, "x", time.Millisecond)
	defer s.Stop()
	s.Event("k", 1)
	s.Event("k", 2)
	assert.Equal(t, []string{""}, out.lines())
}
