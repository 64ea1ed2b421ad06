package endpoint

import (
	"net"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/metrics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func withMetrics(m *metrics.Set) func(*Config) { return func(c *Config) { c.Metrics = m } }

func snapshot(t *testing.T, m *metrics.Set) metrics.Snapshot {
	t.Helper()
	sn, err := m.Snapshot()
	require.NoError(t, err)
	return sn
}

// TestMetricsCountTraffic checks the counters of both ends against what
// the test sent: messages and bytes by service, connections and streams.
func TestMetricsCountTraffic(t *testing.T) {
	t.Parallel()
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			t.Parallel()
			ma, mb := metrics.New(), metrics.New()
			a, b := newPeer(t, nw, "a", withMetrics(ma)), newPeer(t, nw, "b", withMetrics(mb))
			got := collect(b.Endpoint, "svc", "p")
			a.AddPeer(b.PeerAdv())
			const n = 25
			for i := range n {
				m := jxta.NewMessage()
				m.AddString("", "n", string(rune('a'+i)))
				require.NoError(t, a.SendTo(ctxT(t, 10*time.Second), b.ID(), "svc", "p", m))
			}
			// One message for a service nobody handles at b.
			require.NoError(t, a.SendTo(ctxT(t, 10*time.Second), b.ID(), "nobody", "", jxta.NewMessage()))
			for range n {
				recv(t, got)
			}
			assert.Eventually(t, func() bool {
				return snapshot(t, mb).Value("jxta_endpoint_messages_received_total", "service", "unknown") == 1
			}, 5*time.Second, 5*time.Millisecond)

			sa, sb := snapshot(t, ma), snapshot(t, mb)
			assert.Equal(t, float64(n), sa.Value("jxta_endpoint_messages_sent_total", "service", "svc"))
			assert.Equal(t, float64(n), sb.Value("jxta_endpoint_messages_received_total", "service", "svc"))
			sent := sa.Value("jxta_endpoint_sent_bytes_total", "service", "svc")
			assert.Greater(t, sent, float64(n*10))
			assert.Equal(t, sent, sb.Value("jxta_endpoint_received_bytes_total", "service", "svc"), "both ends count the encoded message")
			assert.Equal(t, 1.0, sa.Value("jxta_endpoint_messages_sent_total", "service", "nobody"))
			assert.Equal(t, 1.0, sa.Value("jxta_endpoint_connections_opened_total", "direction", "outbound"))
			assert.Equal(t, 0.0, sa.Value("jxta_endpoint_connections_opened_total", "direction", "inbound"))
			assert.Equal(t, 1.0, sb.Value("jxta_endpoint_connections_opened_total", "direction", "inbound"))
			assert.Equal(t, 1.0, sa.Value("jxta_endpoint_connections_open"))
			assert.Equal(t, 1.0, sb.Value("jxta_endpoint_connections_open"))
			assert.Equal(t, 0.0, sa.Value("jxta_endpoint_connections_failed_total"))
			assert.Equal(t, 0.0, sb.Value("jxta_endpoint_handshake_failures_total"))

			// A stream, open, then closed.
			b.HandleStream("/test/hold/1", StreamHandlerFunc(func(s *Stream) {
				_, _ = s.Read(make([]byte, 1))
				s.Close()
			}))
			s, err := a.OpenStream(ctxT(t, 10*time.Second), b.ID(), "/test/hold/1", "")
			require.NoError(t, err)
			assert.Eventually(t, func() bool {
				return snapshot(t, mb).Value("jxta_endpoint_streams_opened_total", "direction", "inbound") == 1
			}, 5*time.Second, 5*time.Millisecond)
			assert.Equal(t, 1.0, snapshot(t, ma).Value("jxta_endpoint_streams_open"))
			assert.Equal(t, 1.0, snapshot(t, ma).Value("jxta_endpoint_streams_opened_total", "direction", "outbound"))
			_, _ = s.Write([]byte{1})
			s.Close()
			assert.Eventually(t, func() bool {
				return snapshot(t, ma).Value("jxta_endpoint_streams_open") == 0 && snapshot(t, mb).Value("jxta_endpoint_streams_open") == 0
			}, 5*time.Second, 5*time.Millisecond)
		})
	}
}

// TestMetricsCountFailures checks the reasons of failed connections and
// handshakes.
func TestMetricsCountFailures(t *testing.T) {
	t.Parallel()
	m := metrics.New()
	server := newPeer(t, networks()[0], "server", withMetrics(m), func(c *Config) { c.HandshakeTimeout = 300 * time.Millisecond })

	legacy := dialRaw(t, server.Addresses()[0])
	_, _ = legacy.Write([]byte("JXTAHELLO tcp://127.0.0.1:9 tcp://127.0.0.1:9711 urn:jxta:uuid-59616261646162614E50472050325033F1A68F7234834877BB5C94BD41B87DE303 0 1.1\r\n"))
	waitClosed(t, legacy)
	waitClosed(t, dialRaw(t, server.Addresses()[0])) // says nothing: times out
	_, err := server.Connect(ctxT(t, 5*time.Second), server.Addresses()[0])
	require.ErrorIs(t, err, ErrSelf)

	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := jxta.TCPAddress(l.Addr().String())
	l.Close()
	_, err = server.Connect(ctxT(t, 5*time.Second), dead)
	require.Error(t, err)

	assert.Eventually(t, func() bool {
		sn := snapshot(t, m)
		return sn.Value("jxta_endpoint_handshake_failures_total") == 4
	}, 5*time.Second, 5*time.Millisecond, "legacy, timeout, and self on both ends")
	sn := snapshot(t, m)
	assert.Equal(t, 1.0, sn.Value("jxta_endpoint_handshake_failures_total", "reason", metrics.HandshakeLegacy))
	assert.Equal(t, 1.0, sn.Value("jxta_endpoint_handshake_failures_total", "reason", metrics.HandshakeTimeout))
	assert.Equal(t, 2.0, sn.Value("jxta_endpoint_handshake_failures_total", "reason", metrics.HandshakeSelf))
	assert.Equal(t, 1.0, sn.Value("jxta_endpoint_connections_failed_total", "reason", metrics.ConnDial))
	assert.Equal(t, 4.0, sn.Value("jxta_endpoint_connections_failed_total", "reason", metrics.ConnHandshake))
	assert.Equal(t, 0.0, sn.Value("jxta_endpoint_connections_opened_total"))
}
