package main

import (
	"net"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFloodKeepsTheLogShort is the log explosion: a rendezvous
// run with -v that is sent 1,000 connections of garbage used to write a
// line (or more) for each. Now it writes a handful, and stats counts
// every one.
func TestFloodKeepsTheLogShort(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs jxtashell")
	}
	bin := buildShell(t)
	rdv := startShell(t, bin, "-v", "--home", t.TempDir(), "--name", "rdv", "--rdv", "--listen", "tcp://127.0.0.1:0", "--no-multicast")
	addr := rdv.waitFor(t, "whoami", regexp.MustCompile(`Addresses : tcp://(127\.0\.0\.1:\d+)`))[1]
	const flood = 1000
	for range flood {
		c, err := net.DialTimeout("tcp", addr, 5*time.Second)
		require.NoError(t, err)
		_, _ = c.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
		_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, _ = c.Read(make([]byte, 1024)) // until the peer closes it
		c.Close()
	}
	// The metrics count every refused connection.
	rdv.waitFor(t, "stats", regexp.MustCompile(`Connections : .*; 1000 failed`))
	lines := strings.Count(rdv.output(), "incoming connection refused")
	t.Logf("%d refused connections, %d log lines about them", flood, lines)
	assert.LessOrEqual(t, lines, 10, "the log says it a few times, not %d", flood)
}
