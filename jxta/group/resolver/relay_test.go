package resolver

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReturnPaths(t *testing.T) {
	var r returnPaths
	now := time.Unix(1000, 0)
	a, b, c := jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID)
	r.add(a, 1, b, now)
	r.add(a, 2, c, now)
	next, ok := r.next(a, 1, now)
	assert.True(t, ok)
	assert.Equal(t, b, next)
	next, _ = r.next(a, 2, now)
	assert.Equal(t, c, next)
	_, ok = r.next(b, 1, now)
	assert.False(t, ok, "another querier's query 1")
	_, ok = r.next(a, 1, now.Add(returnPathLife))
	assert.False(t, ok, "forgotten after returnPathLife")

	for i := range maxReturnPaths + 5 {
		r.add(c, int64(i), a, now)
	}
	assert.LessOrEqual(t, len(r.paths), maxReturnPaths)
	assert.Len(t, r.order, len(r.paths))
	_, ok = r.next(c, 0, now)
	assert.False(t, ok, "the oldest went first")
	_, ok = r.next(c, maxReturnPaths+4, now)
	assert.True(t, ok)
}

// groupQuery sends a group query for "find" from querier and returns the
// first response.
func groupQuery(t *testing.T, querier *peer) Response {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ch, err := querier.res.Query(ctx, jxta.PeerID{}, "find", "x")
	require.NoError(t, err)
	select {
	case resp := <-ch:
		return resp
	case <-ctx.Done():
		t.Fatal("no answer to the group query")
		return Response{}
	}
}

// forwardTo makes r forward the "find" queries it gets to peers.
func forwardTo(r *peer, peers ...*peer) {
	var ids []jxta.PeerID
	for _, p := range peers {
		ids = append(ids, p.ep.ID())
	}
	r.res.Handle("find", QueryHandlerFunc(func(ctx context.Context, q *Query) (string, bool) {
		r.res.Forward(ctx, q, ids)
		return "", false
	}))
}

// answer makes p answer "find" queries with body, back along the query's
// path.
func answer(p *peer, body string) {
	p.res.Handle("find", QueryHandlerFunc(func(context.Context, *Query) (string, bool) { return body, true }))
	p.res.RespondAlongPath("find", true)
}

func connectedTo(p, other *peer) bool { return p.ep.Connected(other.ep.ID()) }

// messagesFrom returns how many messages p received from other, once the
// message that identifies other has arrived.
func messagesFrom(t *testing.T, p, other *peer) int64 {
	t.Helper()
	var n int64
	require.Eventually(t, func() bool {
		tr, ok := p.ep.Traffic(other.ep.ID())
		n = int64(tr.MessagesIn)
		return ok && n >= 1
	}, 5*time.Second, time.Millisecond)
	return n
}

func TestResponseComesBackAlongTheQueryPath(t *testing.T) {
	for _, tcp := range []bool{true, false} {
		t.Run(map[bool]string{true: "tcp", false: "mem"}[tcp], func(t *testing.T) {
			r, a, b := star(t, tcp)
			forwardTo(r, b)
			answer(b, "from b")
			before := messagesFrom(t, r, b)
			resp := groupQuery(t, a)
			assert.Equal(t, "from b", resp.Body)
			assert.Equal(t, b.ep.ID(), resp.Peer, "the rendezvous names the responder")
			assert.Equal(t, before+1, messagesFrom(t, r, b), "b's response went through r")
			assert.False(t, connectedTo(b, a), "b did not dial a")
			assert.False(t, connectedTo(a, b))
		})
	}
}

func TestResponseGoesDirectlyOverAConnection(t *testing.T) {
	t.Parallel()
	r, a, b := star(t, false)
	_, err := b.ep.Connect(context.Background(), a.ep.Addresses()[0])
	require.NoError(t, err)
	forwardTo(r, b)
	answer(b, "from b")
	before := messagesFrom(t, r, b)
	resp := groupQuery(t, a)
	assert.Equal(t, b.ep.ID(), resp.Peer)
	assert.Equal(t, before, messagesFrom(t, r, b), "not through r")
}

// TestResponseRetracesTwoRendezvous sends a's query through r1 and r2 (in
// each other's peer view) to c, connected to r2 only: c's response goes
// back through r2 and r1.
func TestResponseRetracesTwoRendezvous(t *testing.T) {
	for _, tcp := range []bool{true, false} {
		t.Run(map[bool]string{true: "tcp", false: "mem"}[tcp], func(t *testing.T) {
			mem := testNetwork(tcp)
			r1, r2 := newPeer(t, mem, "r1", jxta.NetGroupID), newPeer(t, mem, "r2", jxta.NetGroupID)
			a, c := newPeer(t, mem, "a", jxta.NetGroupID), newPeer(t, mem, "c", jxta.NetGroupID)
			for _, link := range [][2]*peer{{r2, r1}, {a, r1}, {c, r2}} {
				_, err := link[0].ep.Connect(context.Background(), link[1].ep.Addresses()[0])
				require.NoError(t, err)
			}
			r1.res.SetRendezvous(&fixedRendezvous{rdv: true, view: []jxta.PeerID{r2.ep.ID()}})
			r2.res.SetRendezvous(&fixedRendezvous{rdv: true, view: []jxta.PeerID{r1.ep.ID()}})
			a.res.SetRendezvous(&fixedRendezvous{to: []jxta.PeerID{r1.ep.ID()}})
			c.res.SetRendezvous(&fixedRendezvous{to: []jxta.PeerID{r2.ep.ID()}})
			forwardTo(r1, r2)
			forwardTo(r2, c)
			answer(c, "from c")
			resp := groupQuery(t, a)
			assert.Equal(t, "from c", resp.Body)
			assert.Equal(t, c.ep.ID(), resp.Peer, "r2 names c, and r1 takes r2's word")
			assert.False(t, connectedTo(c, a))
			assert.False(t, connectedTo(r2, a))
		})
	}
}

func TestForgedRelayedResponses(t *testing.T) {
	t.Parallel()
	r, a, b := star(t, false)
	_, err := b.ep.Connect(context.Background(), a.ep.Addresses()[0])
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	qctx, endQuery := context.WithCancel(ctx)
	ch, err := a.res.Query(qctx, r.ep.ID(), "find", "x")
	require.NoError(t, err)
	var id int64
	a.res.mu.Lock()
	for k := range a.res.pending {
		id = k
	}
	a.res.mu.Unlock()
	doc := advert.Marshal(&protocol.ResolverResponse{HandlerName: "find", QueryID: id, Response: "forged"})

	// b, no rendezvous of a's, claims to relay r's response: a takes it
	// as b's.
	require.NoError(t, b.ep.SendTo(ctx, a.ep.ID(), b.res.name, b.res.iRes, b.res.relayMessage(doc, a.ep.ID(), id, r.ep.ID())))
	resp := <-ch
	assert.Equal(t, b.ep.ID(), resp.Peer)
	assert.Equal(t, "forged", resp.Body)

	// a is no rendezvous: it relays nothing.
	other := jxta.NewPeerID(jxta.NetGroupID)
	require.NoError(t, b.ep.SendTo(ctx, a.ep.ID(), b.res.name, b.res.iRes, b.res.relayMessage(doc, other, id, jxta.PeerID{})))
	assert.Eventually(t, func() bool { return strings.Contains(a.log.String(), "not a rendezvous") }, 5*time.Second, 10*time.Millisecond)

	// r relays only along the paths of queries it forwarded.
	require.NoError(t, b.ep.SendTo(ctx, r.ep.ID(), b.res.name, b.res.iRes, b.res.relayMessage(doc, a.ep.ID(), id+1, jxta.PeerID{})))
	assert.Eventually(t, func() bool { return strings.Contains(r.log.String(), "not forwarded here") }, 5*time.Second, 10*time.Millisecond)

	// A relayed response to no pending query is not a remote publication.
	endQuery()
	require.Eventually(t, func() bool {
		a.res.mu.Lock()
		defer a.res.mu.Unlock()
		return len(a.res.pending) == 0
	}, 5*time.Second, time.Millisecond)
	published := make(chan Response, 1)
	a.res.HandleResponses("find", func(r Response) { published <- r })
	require.NoError(t, b.ep.SendTo(ctx, a.ep.ID(), b.res.name, b.res.iRes, b.res.relayMessage(doc, a.ep.ID(), id, jxta.PeerID{})))
	assert.Eventually(t, func() bool { return strings.Contains(a.log.String(), "response to no pending query") }, 5*time.Second, 10*time.Millisecond)
	assert.Empty(t, published)
}
