package resolver

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/testlog"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type peer struct {
	ep  *endpoint.Endpoint
	res *Service
	log *testlog.Buffer
}

// newPeer starts a peer with the resolver of group, over TCP on loopback
// or, with mem, on that in-memory network.
func newPeer(t *testing.T, mem *endpoint.MemNetwork, name string, group jxta.GroupID) *peer {
	t.Helper()
	log, lb := testlog.New()
	cfg := endpoint.Config{Name: name, Logger: log}
	if mem == nil {
		cfg.Listen = []jxta.Address{jxta.MustParseAddress("tcp://127.0.0.1:0")}
	} else {
		cfg.Listen = []jxta.Address{{Protocol: "mem", Host: name}}
		cfg.Transports = []endpoint.Transport{mem}
	}
	ep, err := endpoint.New(cfg)
	require.NoError(t, err)
	p := &peer{ep: ep, res: New(ep, group, log), log: lb}
	t.Cleanup(func() {
		p.res.Close()
		ep.Close()
	})
	return p
}

// testNetwork returns nil (TCP) or a new in-memory network.
func testNetwork(tcp bool) *endpoint.MemNetwork {
	if tcp {
		return nil
	}
	return endpoint.NewMemNetwork()
}

// pair starts two connected peers, over TCP on loopback or in memory,
// each with the resolver of group.
func pair(t *testing.T, tcp bool, group jxta.GroupID) (a, b *peer) {
	t.Helper()
	mem := testNetwork(tcp)
	a, b = newPeer(t, mem, "a", group), newPeer(t, mem, "b", group)
	_, err := a.ep.Connect(context.Background(), b.ep.Addresses()[0])
	require.NoError(t, err)
	return a, b
}

func flattenPipe(name string) string {
	return protocol.Flatten(advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, name))
}

func TestQueryAndResponse(t *testing.T) {
	for _, tcp := range []bool{true, false} {
		name := map[bool]string{true: "tcp", false: "mem"}[tcp]
		t.Run(name, func(t *testing.T) {
			a, b := pair(t, tcp, jxta.NetGroupID)
			var got *Query
			b.res.Handle("echo", QueryHandlerFunc(func(_ context.Context, q *Query) (string, bool) {
				got = q
				return q.Body, true
			}))
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			body := flattenPipe("hello")
			ch, err := a.res.Query(ctx, b.ep.ID(), "echo", body)
			require.NoError(t, err)
			select {
			case r := <-ch:
				assert.Equal(t, b.ep.ID(), r.Peer)
				assert.Equal(t, body, r.Body, "the flattened document survives both trips")
				pipe, err := protocol.UnflattenAs[*advert.PipeAdv](r.Body, nil)
				require.NoError(t, err)
				assert.Equal(t, "hello", pipe.Name)
			case <-ctx.Done():
				t.Fatal("no response")
			}
			require.NotNil(t, got)
			assert.Equal(t, a.ep.ID(), got.Source)
			assert.Equal(t, a.ep.ID(), got.Peer)
			assert.Equal(t, 0, got.HopCount)
			cancel()
			_, open := <-ch
			assert.False(t, open, "the response channel closes when the context ends")
		})
	}
}

func TestUnansweredQueries(t *testing.T) {
	t.Parallel()
	a, b := pair(t, false, jxta.NetGroupID)
	b.res.Handle("silent", QueryHandlerFunc(func(context.Context, *Query) (string, bool) { return "", false }))
	b.res.Handle("panics", QueryHandlerFunc(func(context.Context, *Query) (string, bool) { panic("bug") }))
	for _, h := range []string{"silent", "nobody", "panics"} {
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		ch, err := a.res.Query(ctx, b.ep.ID(), h, flattenPipe("x"))
		require.NoError(t, err)
		_, gotOne := <-ch
		assert.False(t, gotOne, h)
		cancel()
	}
	assert.Eventually(t, func() bool { return strings.Contains(b.log.String(), "handler panicked") }, 5*time.Second, 10*time.Millisecond)
}

func TestGroupsAreSeparate(t *testing.T) {
	t.Parallel()
	other := jxta.NewGroupIDWithParent(jxta.NetGroupID)
	a, b := pair(t, false, jxta.NetGroupID)
	bOther := New(b.ep, other, nil)
	defer bOther.Close()
	bOther.Handle("echo", QueryHandlerFunc(func(_ context.Context, q *Query) (string, bool) { return q.Body, true }))
	// b's Net group resolver has no "echo": a query in the Net group gets
	// no answer from the other group's handler.
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	ch, err := a.res.Query(ctx, b.ep.ID(), "echo", flattenPipe("x"))
	require.NoError(t, err)
	_, gotOne := <-ch
	assert.False(t, gotOne)
}

func TestHostileQueriesAreDropped(t *testing.T) {
	t.Parallel()
	a, b := pair(t, false, jxta.NetGroupID)
	calls := make(chan struct{}, 10)
	b.res.Handle("h", QueryHandlerFunc(func(context.Context, *Query) (string, bool) { calls <- struct{}{}; return "", false }))
	send := func(doc string) {
		m := jxta.NewMessage()
		m.AddXML(jxta.NamespaceJXTA, a.res.oRes, []byte(doc))
		require.NoError(t, a.ep.SendTo(context.Background(), b.ep.ID(), a.res.name, a.res.oRes, m))
	}
	send("not xml")
	send("<jxta:ResolverQuery><HandlerName>h</HandlerName><HC>-5</HC><SrcPeerID>" + a.ep.ID().String() + "</SrcPeerID><Query>x</Query></jxta:ResolverQuery>")
	send("<jxta:ResolverQuery><HandlerName>h</HandlerName><HC>100000</HC><SrcPeerID>" + a.ep.ID().String() + "</SrcPeerID><Query>x</Query></jxta:ResolverQuery>")
	m := jxta.NewMessage() // no query element at all
	require.NoError(t, a.ep.SendTo(context.Background(), b.ep.ID(), a.res.name, a.res.oRes, m))
	send("<jxta:ResolverQuery><HandlerName>h</HandlerName><HC>1</HC><SrcPeerID>" + a.ep.ID().String() + "</SrcPeerID><Query>x</Query></jxta:ResolverQuery>")
	select {
	case <-calls:
	case <-time.After(5 * time.Second):
		t.Fatal("the good query was not processed")
	}
	assert.Empty(t, calls, "only the well-formed query reached the handler")
	// The log says it once, and summarises the rest when its interval
	// ends (here, at once).
	log := b.log.String()
	assert.Equal(t, 1, strings.Count(log, "bad messages dropped"), log)
	assert.Contains(t, log, "text outside the root element")
	b.res.malformed.Stop()
	log = b.log.String()
	assert.Contains(t, log, "count=3")
	assert.Contains(t, log, "hop count -5 is negative")
}

// TestAFloodingPeerGetsItsShare has one peer flood a slow handler with
// queries while another sends a few: the flooder's queries beyond its
// share are dropped, and every one of the other peer's is answered.
func TestAFloodingPeerGetsItsShare(t *testing.T) {
	for _, tcp := range []bool{true, false} {
		t.Run(map[bool]string{true: "tcp", false: "mem"}[tcp], func(t *testing.T) { floodingPeerGetsItsShare(t, testNetwork(tcp)) })
	}
}

func floodingPeerGetsItsShare(t *testing.T, mem *endpoint.MemNetwork) {
	server, flooder, polite := newPeer(t, mem, "server", jxta.NetGroupID), newPeer(t, mem, "flooder", jxta.NetGroupID), newPeer(t, mem, "polite", jxta.NetGroupID)
	for _, p := range []*peer{flooder, polite} {
		_, err := p.ep.Connect(context.Background(), server.ep.Addresses()[0])
		require.NoError(t, err)
	}
	server.res.Handle("slow", QueryHandlerFunc(func(ctx context.Context, q *Query) (string, bool) {
		select {
		case <-time.After(20 * time.Millisecond):
		case <-ctx.Done():
		}
		return q.Body, true
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	floodDone := make(chan struct{})
	go func() {
		defer close(floodDone)
		for ctx.Err() == nil {
			fctx, fcancel := context.WithTimeout(ctx, time.Millisecond)
			_, _ = flooder.res.Query(fctx, server.ep.ID(), "slow", "flood")
			fcancel()
		}
	}()
	defer func() { cancel(); <-floodDone }()
	time.Sleep(100 * time.Millisecond) // the flood is on
	answered := 0
	for range 20 {
		qctx, qcancel := context.WithTimeout(ctx, 2*time.Second)
		ch, err := polite.res.Query(qctx, server.ep.ID(), "slow", "polite")
		require.NoError(t, err)
		if r, ok := <-ch; ok && r.Body == "polite" {
			answered++
		}
		qcancel()
	}
	assert.Equal(t, 20, answered, "every polite query is answered during the flood")
	assert.Contains(t, server.log.String(), "too many queries in progress")
}

func TestQueryAfterClose(t *testing.T) {
	t.Parallel()
	a, b := pair(t, false, jxta.NetGroupID)
	require.NoError(t, a.res.Close())
	_, err := a.res.Query(context.Background(), b.ep.ID(), "h", "x")
	assert.ErrorIs(t, err, ErrClosed)
}

func TestUnsolicitedResponses(t *testing.T) {
	t.Parallel()
	a, b := pair(t, false, jxta.NetGroupID)
	got := make(chan Response, 1)
	b.res.HandleResponses("disc", func(r Response) { got <- r })
	require.NoError(t, a.res.Respond(context.Background(), b.ep.ID(), "disc", flattenPipe("pushed")))
	select {
	case r := <-got:
		assert.Equal(t, a.ep.ID(), r.Peer)
		assert.Contains(t, r.Body, "pushed")
	case <-time.After(5 * time.Second):
		t.Fatal("unsolicited response not delivered")
	}
	require.NoError(t, a.res.Respond(context.Background(), b.ep.ID(), "other", "x"))
	assert.Eventually(t, func() bool { return strings.Contains(b.log.String(), "response to no pending query") }, 5*time.Second, 10*time.Millisecond)
}

func TestQueryFuncCallsUntilTheContextEnds(t *testing.T) {
	for _, tcp := range []bool{true, false} {
		t.Run(map[bool]string{true: "tcp", false: "mem"}[tcp], func(t *testing.T) {
			a, b := pair(t, tcp, jxta.NetGroupID)
			b.res.Handle("echo", QueryHandlerFunc(func(_ context.Context, q *Query) (string, bool) { return q.Body, true }))
			ctx, cancel := context.WithCancel(context.Background())
			got := make(chan Response, 1)
			done := make(chan struct{})
			require.NoError(t, a.res.QueryFunc(ctx, b.ep.ID(), "echo", "hello", func(r Response) { got <- r }, func() { close(done) }))
			select {
			case r := <-got:
				assert.Equal(t, "hello", r.Body)
				assert.Equal(t, b.ep.ID(), r.Peer)
			case <-time.After(5 * time.Second):
				t.Fatal("no response")
			}
			cancel()
			select {
			case <-done:
			case <-time.After(5 * time.Second):
				t.Fatal("done did not run")
			}
			a.res.mu.Lock()
			assert.Empty(t, a.res.pending)
			a.res.mu.Unlock()
		})
	}
}

func TestQueryFuncEndsWhenTheServiceCloses(t *testing.T) {
	t.Parallel()
	a, b := pair(t, false, jxta.NetGroupID)
	done := make(chan struct{})
	require.NoError(t, a.res.QueryFunc(context.Background(), b.ep.ID(), "none", "x", func(Response) {}, func() { close(done) }))
	require.NoError(t, a.res.Close())
	select {
	case <-done:
	default:
		t.Fatal("Close returned before the query ended")
	}
	assert.ErrorIs(t, a.res.QueryFunc(context.Background(), b.ep.ID(), "none", "x", func(Response) {}, nil), ErrClosed)
}
