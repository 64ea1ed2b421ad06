package main

import (
	"io"
	"net"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// lockedBuffer collects what a shell running on another goroutine writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestMetricsFlag runs the shell with --metrics 127.0.0.1:0: it prints
// where it serves, /metrics answers a real HTTP client while the shell
// runs, stats prints the same figures, and leaving the shell stops the
// server.
func TestMetricsFlag(t *testing.T) {
	t.Parallel()
	stdin, feed := io.Pipe()
	var stdout, stderr lockedBuffer
	status := make(chan int, 1)
	go func() {
		status <- run([]string{"--metrics", "127.0.0.1:0", "--home", t.TempDir(), "--listen", "tcp://127.0.0.1:0", "--no-multicast", "-x"},
			stdin, &stdout, &stderr)
	}()
	served := regexp.MustCompile(`jxtashell: serving metrics at http://(127\.0\.0\.1:\d+)/metrics\n`)
	var addr string
	require.Eventually(t, func() bool {
		m := served.FindStringSubmatch(stderr.String())
		if m != nil {
			addr = m[1]
		}
		return m != nil
	}, 30*time.Second, 10*time.Millisecond, "stderr: %s", stderr.String())

	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get("http://" + addr + "/metrics")
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, string(body), "\njxta_endpoint_connections_open 0\n")
	assert.Contains(t, string(body), `jxta_discovery_cache_entries{group="urn:jxta:jxta-NetGroup",group_name="NetPeerGroup"}`)
	assert.Contains(t, string(body), "# TYPE jxta_endpoint_messages_received_total counter")

	_, err = io.WriteString(feed, "stats\n")
	require.NoError(t, err)
	require.Eventually(t, func() bool { return strings.Contains(stdout.String(), "NetPeerGroup") }, 10*time.Second, 10*time.Millisecond)
	assert.Regexp(t, `(?m)^Connections : 0 open; 0 opened \(0 outbound, 0 inbound\); 0 failed$`, stdout.String())

	feed.Close()
	select {
	case st := <-status:
		assert.Equal(t, 0, st, "stderr: %s", stderr.String())
	case <-time.After(30 * time.Second):
		t.Fatal("the shell did not exit")
	}
	_, err = client.Get("http://" + addr + "/metrics")
	assert.Error(t, err, "the server stops with the shell")
}

func TestMetricsFlagBadAddress(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	status, _, stderr := runShell([]string{"--metrics", busy.Addr().String(), "--home", t.TempDir(), "--listen", "tcp://127.0.0.1:0", "--no-multicast", "-x", "-e", "stats"}, "")
	assert.Equal(t, 1, status)
	assert.Contains(t, stderr, "jxtashell: starting the peer: node: metrics: listen tcp "+busy.Addr().String())
}
