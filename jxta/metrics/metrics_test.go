package metrics_test

import (
	"fmt"
	"testing"

	"github.com/gojxta/gojxta/jxta/metrics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNilSetDoesNothing(t *testing.T) {
	t.Parallel()
	var s *metrics.Set
	s.ConnOpened(true)
	s.ConnFailed(metrics.ConnDial)
	s.HandshakeFailed(metrics.HandshakeSelf)
	s.StreamOpened(false)
	s.QuerySent()
	s.QueryAnswered()
	s.QueryDropped(metrics.QueryOverload)
	s.AdvDropped(metrics.AdvWrongSigner, 3)
	s.Service("chat").Received(10)
	s.Unknown().Sent(10)
	s.ObserveEndpoint(func() metrics.EndpointGauges { return metrics.EndpointGauges{} })
	s.ObserveGroups(func() []metrics.Group { return nil })
	sn, err := s.Snapshot()
	assert.NoError(t, err)
	assert.Empty(t, sn)
	assert.Nil(t, s.Registry())
}

func TestCounts(t *testing.T) {
	t.Parallel()
	s := metrics.New()
	s.ConnOpened(true)
	s.ConnOpened(false)
	s.ConnOpened(false)
	s.HandshakeFailed(metrics.HandshakeLegacy)
	s.Service("chat").Received(10)
	s.Service("chat").Received(5)
	s.Service("chat").Sent(7)
	s.Unknown().Received(3)
	s.QueryDropped(metrics.QueryOverload)
	s.AdvDropped(metrics.AdvWrongSigner, 3)
	s.ObserveEndpoint(func() metrics.EndpointGauges { return metrics.EndpointGauges{Connections: 2, Streams: 3} })
	s.ObserveGroups(func() []metrics.Group {
		return []metrics.Group{{ID: "g1", Name: "one", Role: "edge", CacheEntries: 4, LeasesHeld: 1}, {ID: "g1", Name: "dup"}}
	})
	sn, err := s.Snapshot()
	require.NoError(t, err)
	assert.Equal(t, 1.0, sn.Value("jxta_endpoint_connections_opened_total", "direction", "outbound"))
	assert.Equal(t, 2.0, sn.Value("jxta_endpoint_connections_opened_total", "direction", "inbound"))
	assert.Equal(t, 1.0, sn.Value("jxta_endpoint_handshake_failures_total", "reason", "legacy_peer"))
	assert.Equal(t, 1.0, sn.Value("jxta_endpoint_handshake_failures_total"), "other reasons are present at 0")
	assert.Equal(t, 2.0, sn.Value("jxta_endpoint_messages_received_total", "service", "chat"))
	assert.Equal(t, 15.0, sn.Value("jxta_endpoint_received_bytes_total", "service", "chat"))
	assert.Equal(t, 7.0, sn.Value("jxta_endpoint_sent_bytes_total", "service", "chat"))
	assert.Equal(t, 1.0, sn.Value("jxta_endpoint_messages_received_total", "service", "unknown"))
	assert.Equal(t, 1.0, sn.Value("jxta_resolver_queries_dropped_total", "reason", "overload"))
	assert.Equal(t, 3.0, sn.Value("jxta_discovery_advertisements_dropped_total", "reason", "wrong_signer"))
	assert.Equal(t, 2.0, sn.Value("jxta_endpoint_connections_open"))
	assert.Equal(t, 3.0, sn.Value("jxta_endpoint_streams_open"))
	assert.Equal(t, 4.0, sn.Value("jxta_discovery_cache_entries", "group", "g1"))
	assert.Equal(t, 1.0, sn.Value("jxta_rendezvous_leases", "group", "g1", "lease", "held"))
	assert.Equal(t, 1.0, sn.Value("jxta_rendezvous_role", "group", "g1", "role", "edge"))
	assert.Equal(t, 0.0, sn.Value("jxta_rendezvous_role", "group", "g1", "role", "rendezvous"))
	assert.Equal(t, []string{"one"}, sn.LabelValues("jxta_discovery_cache_entries", "group_name"), "a group listed twice is reported once")
}

func TestServiceLabelsBounded(t *testing.T) {
	t.Parallel()
	s := metrics.New()
	for i := range metrics.MaxServices + 10 {
		s.Service(fmt.Sprint("svc", i)).Sent(1)
	}
	assert.Same(t, s.Service("svc0"), s.Service("svc0"), "counters are kept per name")
	sn, err := s.Snapshot()
	require.NoError(t, err)
	values := sn.LabelValues("jxta_endpoint_messages_sent_total", "service")
	assert.Len(t, values, metrics.MaxServices+2, "MaxServices names, unknown and other")
	assert.Equal(t, 10.0, sn.Value("jxta_endpoint_messages_sent_total", "service", "other"))
}
