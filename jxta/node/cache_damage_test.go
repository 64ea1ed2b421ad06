package node

import (
	"bytes"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cacheLines collects the log lines about the advertisement cache.
type cacheLines struct {
	mu    sync.Mutex
	lines []string
}

func (c *cacheLines) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if s := string(p); strings.Contains(s, "advertisement cache") {
		c.lines = append(c.lines, strings.TrimSpace(s))
	}
	return len(p), nil
}

// TestDamagedCacheStarts damages the advertisement cache of a peer's home
// in the ways a disk does, and starts the peer on it: it starts, says in
// one line what was damaged and lost, keeps what survived, and works.
func TestDamagedCacheStarts(t *testing.T) {
	home := t.TempDir()
	n := start(t, Config{Name: "keeper", Home: home})
	const kept = 20
	for i := range kept {
		pipe := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, fmt.Sprintf("kept-%02d %0500d", i, i))
		require.NoError(t, n.NetGroup().Discovery().Publish(pipe, 0, 0))
	}
	require.NoError(t, n.Close())
	st, err := os.Stat(filepath.Join(home, "cm.db"))
	require.NoError(t, err)
	require.Greater(t, st.Size(), int64(64<<10))
	const ps = 4096
	for _, tt := range []struct {
		name   string
		damage func([]byte) []byte
		reason string
	}{
		{"truncated to 64 KiB", func(b []byte) []byte { return b[:64<<10] }, "file too short"},
		{"4 pages zeroed", func(b []byte) []byte {
			zeroed := 0
			for p := 2; p < len(b)/ps && zeroed < 4; p++ {
				if bytes.Contains(b[p*ps:(p+1)*ps], []byte("<Name>kept-")) {
					clear(b[p*ps : (p+1)*ps])
					zeroed++
				}
			}
			return b
		}, "holds page 0"},
		{"0 bytes", func([]byte) []byte { return nil }, "file too short: 0 bytes"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			h := t.TempDir()
			entries, err := os.ReadDir(home)
			require.NoError(t, err)
			for _, e := range entries {
				if e.Type().IsRegular() {
					b, err := os.ReadFile(filepath.Join(home, e.Name()))
					require.NoError(t, err)
					if e.Name() == "cm.db" {
						b = tt.damage(append([]byte{}, b...))
					}
					require.NoError(t, os.WriteFile(filepath.Join(h, e.Name()), b, 0o600))
				}
			}
			var log cacheLines
			again := start(t, Config{Home: h, Logger: slog.New(slog.NewTextHandler(&log, nil))})
			log.mu.Lock()
			lines := log.lines
			log.mu.Unlock()
			require.Len(t, lines, 1, "one line: %q", lines)
			t.Log(lines[0])
			assert.Contains(t, lines[0], "level=ERROR")
			assert.Contains(t, lines[0], filepath.Join(h, "cm.db")+" was damaged (")
			assert.Contains(t, lines[0], tt.reason)
			assert.Contains(t, lines[0], "moved aside to "+filepath.Join(h, "cm.db.damaged-"))

			d := again.NetGroup().Discovery()
			survived, err := d.Local(advert.Adv, "Name", "kept-*", 100)
			require.NoError(t, err)
			t.Logf("%s: %d of %d advertisements survived", tt.name, len(survived), kept)
			pipe := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "after")
			require.NoError(t, d.Publish(pipe, 0, 0))
			got, err := d.Local(advert.Adv, "Name", "after", 10)
			require.NoError(t, err)
			assert.Len(t, got, 1)
		})
	}
}
