package resolver

import (
	"context"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/metrics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMetricsCountQueries checks queries sent, answered and dropped on
// both ends of one in-memory connection.
func TestMetricsCountQueries(t *testing.T) {
	t.Parallel()
	mem := endpoint.NewMemNetwork()
	start := func(name string) (*Service, *metrics.Set) {
		m := metrics.New()
		ep, err := endpoint.New(endpoint.Config{Name: name, Metrics: m,
			Listen: []jxta.Address{{Protocol: "mem", Host: name}}, Transports: []endpoint.Transport{mem}})
		require.NoError(t, err)
		res := New(ep, jxta.NetGroupID, nil)
		t.Cleanup(func() {
			res.Close()
			ep.Close()
		})
		return res, m
	}
	a, ma := start("a")
	b, mb := start("b")
	_, err := a.ep.Connect(context.Background(), b.ep.Addresses()[0])
	require.NoError(t, err)
	b.Handle("echo", QueryHandlerFunc(func(_ context.Context, q *Query) (string, bool) { return q.Body, true }))

	const n = 3
	for range n {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		ch, err := a.Query(ctx, b.ep.ID(), "echo", "hi")
		require.NoError(t, err)
		<-ch
		cancel()
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = a.Query(ctx, b.ep.ID(), "nobody", "hi")
	require.NoError(t, err)
	// b counts an answer once it is sent, which may be after a has read it.
	assert.Eventually(t, func() bool {
		sn, err := mb.Snapshot()
		return err == nil && sn.Value("jxta_resolver_queries_dropped_total", "reason", metrics.QueryNoHandler) == 1 &&
			sn.Value("jxta_resolver_queries_answered_total") == n &&
			sn.Value("jxta_endpoint_messages_sent_total", "service", jxta.ResolverClassID.String()) == n
	}, 5*time.Second, 5*time.Millisecond)

	sa, err := ma.Snapshot()
	require.NoError(t, err)
	sb, err := mb.Snapshot()
	require.NoError(t, err)
	assert.Equal(t, float64(n+1), sa.Value("jxta_resolver_queries_sent_total"))
	assert.Equal(t, 0.0, sa.Value("jxta_resolver_queries_answered_total"))
	assert.Equal(t, 0.0, sb.Value("jxta_resolver_queries_sent_total"))
	assert.Equal(t, float64(n), sb.Value("jxta_resolver_queries_answered_total"))
	assert.Equal(t, 1.0, sb.Value("jxta_resolver_queries_dropped_total"))
	// The resolver's endpoint service carries both ways.
	svc := jxta.ResolverClassID.String()
	assert.Equal(t, float64(n+1), sa.Value("jxta_endpoint_messages_sent_total", "service", svc))
	assert.Equal(t, float64(n+1), sb.Value("jxta_endpoint_messages_received_total", "service", svc))
	assert.Equal(t, float64(n), sb.Value("jxta_endpoint_messages_sent_total", "service", svc))
}
