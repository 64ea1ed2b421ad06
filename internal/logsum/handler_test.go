package logsum

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestHandlerPassesABurstAndSummarisesTheRest(t *testing.T) {
	var out lockedBuffer
	h := NewHandler(slog.NewTextHandler(&out, &slog.HandlerOptions{Level: slog.LevelDebug}), 200*time.Millisecond, 3)
	defer h.Stop()
	log := slog.New(h).With("peer", "p1")
	for i := range 1000 {
		log.Debug("connection refused", "n", i)
	}
	log.Warn("another kind")
	lines := out.lines()
	assert.Len(t, lines, 4, "three of the flood, one of another kind:\n%s", strings.Join(lines, "\n"))
	assert.Eventually(t, func() bool { return len(out.lines()) == 5 }, 2*time.Second, 10*time.Millisecond)
	last := out.lines()[4]
	assert.Contains(t, last, `msg="connection refused (repeated)"`)
	assert.Contains(t, last, "peer=p1", "the attributes of the handler it came through")
	assert.Contains(t, last, "count=997")
	assert.Contains(t, last, "example.n=3")

	// After a quiet interval, records pass again.
	time.Sleep(300 * time.Millisecond)
	log.Debug("connection refused", "n", 1000)
	assert.Len(t, out.lines(), 6)
}

func TestHandlerStopFlushes(t *testing.T) {
	var out lockedBuffer
	h := NewHandler(slog.NewTextHandler(&out, nil), time.Hour, 1)
	log := slog.New(h)
	log.Info("x")
	log.Info("x")
	log.Info("x")
	h.Stop()
	lines := out.lines()
	assert.Len(t, lines, 2)
	assert.Contains(t, lines[1], "count=2")
	log.Info("x")
	assert.Len(t, out.lines(), 3, "a stopped handler lets records through")
}
