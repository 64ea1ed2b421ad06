package node

import (
	"bufio"
	"context"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// scrape gets /metrics from addr with a real HTTP client and returns each
// series (name and labels, as written) with its value.
func scrape(t *testing.T, addr net.Addr) map[string]float64 {
	t.Helper()
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get("http://" + addr.String() + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Contains(t, resp.Header.Get("Content-Type"), "text/plain")
	out := make(map[string]float64)
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		require.Positive(t, i, line)
		v, err := strconv.ParseFloat(line[i+1:], 64)
		require.NoError(t, err, line)
		out[line[:i]] = v
	}
	require.NoError(t, sc.Err())
	return out
}

// TestMetricsScrape serves both peers' metrics on loopback, sends
// messages from one to the other over real TCP, and checks with a real
// HTTP client that the counters moved by what was sent.
func TestMetricsScrape(t *testing.T) {
	t.Parallel()
	bob := start(t, Config{Name: "bob", Metrics: "127.0.0.1:0"})
	alice := start(t, Config{Name: "alice", Metrics: "127.0.0.1:0"})
	for _, n := range []*Node{alice, bob} {
		addr := n.MetricsAddr()
		require.NotNil(t, addr)
		host, port, err := net.SplitHostPort(addr.String())
		require.NoError(t, err)
		assert.Equal(t, "127.0.0.1", host, "bound only where told")
		assert.NotEqual(t, "0", port, "the port chosen is reported")
	}
	const greet = `jxta_endpoint_messages_received_total{service="greet"}`
	assert.NotContains(t, scrape(t, bob.MetricsAddr()), greet, "no label before the service exists")

	got := make(chan struct{}, 100)
	bob.Handle("greet", "", endpoint.HandlerFunc(func(*endpoint.Incoming) { got <- struct{}{} }))
	beforeA, beforeB := scrape(t, alice.MetricsAddr()), scrape(t, bob.MetricsAddr())
	assert.Equal(t, 0.0, beforeB[greet], "the handler's series starts at 0")
	assert.Equal(t, 0.0, beforeA[`jxta_endpoint_connections_open`])

	alice.Endpoint().AddPeer(bob.Endpoint().PeerAdv())
	const n, size = 10, 1000
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for range n {
		m := jxta.NewMessage()
		m.AddBytes("", "payload", make([]byte, size))
		require.NoError(t, alice.Send(ctx, bob.ID(), "greet", "", m))
	}
	for range n {
		select {
		case <-got:
		case <-ctx.Done():
			t.Fatal("messages not delivered")
		}
	}

	a, b := scrape(t, alice.MetricsAddr()), scrape(t, bob.MetricsAddr())
	delta := func(after, before map[string]float64, series string) float64 {
		t.Helper()
		v, ok := after[series]
		require.True(t, ok, "series %s is exposed", series)
		return v - before[series]
	}
	assert.Equal(t, float64(n), delta(a, beforeA, `jxta_endpoint_messages_sent_total{service="greet"}`))
	assert.Equal(t, float64(n), delta(b, beforeB, greet))
	sent := delta(a, beforeA, `jxta_endpoint_sent_bytes_total{service="greet"}`)
	assert.GreaterOrEqual(t, sent, float64(n*size))
	assert.Less(t, sent, float64(n*(size+400)), "payload plus elements and addresses")
	assert.Equal(t, sent, delta(b, beforeB, `jxta_endpoint_received_bytes_total{service="greet"}`))
	assert.Equal(t, 1.0, delta(a, beforeA, `jxta_endpoint_connections_opened_total{direction="outbound"}`))
	assert.Equal(t, 0.0, delta(a, beforeA, `jxta_endpoint_connections_opened_total{direction="inbound"}`))
	assert.Equal(t, 1.0, delta(b, beforeB, `jxta_endpoint_connections_opened_total{direction="inbound"}`))
	assert.Equal(t, 1.0, a[`jxta_endpoint_connections_open`])
	assert.Equal(t, 1.0, b[`jxta_endpoint_connections_open`])
	for _, m := range []map[string]float64{a, b} {
		assert.Equal(t, 0.0, m[`jxta_endpoint_connections_failed_total{reason="handshake"}`])
		assert.Equal(t, 0.0, m[`jxta_endpoint_handshake_failures_total{reason="timeout"}`])
		net := `group="` + jxta.NetGroupID.String() + `",group_name="NetPeerGroup"`
		assert.GreaterOrEqual(t, m[`jxta_discovery_cache_entries{`+net+`}`], 2.0, "the Net group's advertisement and the peer's")
		roles := 0.0
		for _, r := range []string{"edge", "rendezvous", "ad-hoc"} {
			roles += m[`jxta_rendezvous_role{`+net+`,role="`+r+`"}`]
		}
		assert.Equal(t, 1.0, roles, "one role per group")
		_, ok := m[`jxta_rendezvous_leases{`+net+`,lease="held"}`]
		assert.True(t, ok)
	}

	// Stats reads the same registry.
	sn, err := bob.Stats()
	require.NoError(t, err)
	assert.Equal(t, b[greet], sn.Value("jxta_endpoint_messages_received_total", "service", "greet"))

	// Close stops the server.
	addr := alice.MetricsAddr()
	require.NoError(t, alice.Close())
	_, err = (&http.Client{Timeout: 2 * time.Second}).Get("http://" + addr.String() + "/metrics")
	assert.Error(t, err, "nothing serves after Close")
}

func TestMetricsAddressErrors(t *testing.T) {
	t.Parallel()
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer busy.Close()
	for _, addr := range []string{busy.Addr().String(), "no-such-host.invalid:9100", "127.0.0.1:99999"} {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		n, err := Start(ctx, Config{Home: t.TempDir(), Listen: []string{"tcp://127.0.0.1:0"}, Metrics: addr})
		cancel()
		if !assert.Error(t, err, addr) {
			n.Close()
			continue
		}
		assert.Contains(t, err.Error(), "metrics", addr)
	}
}

func TestMetricsWithoutServer(t *testing.T) {
	t.Parallel()
	n := start(t, Config{Network: endpoint.NewMemNetwork()})
	assert.Nil(t, n.MetricsAddr())
	sn, err := n.Stats()
	require.NoError(t, err)
	assert.Equal(t, 0.0, sn.Value("jxta_endpoint_connections_open"))
	fams, err := n.Metrics().Gather()
	require.NoError(t, err)
	assert.NotEmpty(t, fams)
}
