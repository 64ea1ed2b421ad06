package resolver

import (
	"bytes"
	"compress/gzip"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixedRendezvous is a group's rendezvous state, set by the test.
type fixedRendezvous struct {
	mu   sync.Mutex
	rdv  bool
	to   []jxta.PeerID
	view []jxta.PeerID
}

func (f *fixedRendezvous) IsRendezvous() bool { f.mu.Lock(); defer f.mu.Unlock(); return f.rdv }
func (f *fixedRendezvous) RendezVous() []jxta.PeerID {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.to
}
func (f *fixedRendezvous) PeerView() []jxta.PeerID { f.mu.Lock(); defer f.mu.Unlock(); return f.view }

// star starts a rendezvous r and edges a and b, each connected to r only,
// over TCP or in memory.
func star(t *testing.T, tcp bool) (r, a, b *peer) {
	t.Helper()
	mem := testNetwork(tcp)
	r, a, b = newPeer(t, mem, "r", jxta.NetGroupID), newPeer(t, mem, "a", jxta.NetGroupID), newPeer(t, mem, "b", jxta.NetGroupID)
	for _, e := range []*peer{a, b} {
		_, err := e.ep.Connect(context.Background(), r.ep.Addresses()[0])
		require.NoError(t, err)
	}
	r.res.SetRendezvous(&fixedRendezvous{rdv: true})
	a.res.SetRendezvous(&fixedRendezvous{to: []jxta.PeerID{r.ep.ID()}})
	b.res.SetRendezvous(&fixedRendezvous{to: []jxta.PeerID{r.ep.ID()}})
	return r, a, b
}

func TestGroupQueryIsForwardedAndAnsweredDirectly(t *testing.T) {
	for _, tcp := range []bool{true, false} {
		t.Run(map[bool]string{true: "tcp", false: "mem"}[tcp], func(t *testing.T) {
			r, a, b := star(t, tcp)
			forwarded := make(chan int, 1)
			r.res.Handle("find", QueryHandlerFunc(func(ctx context.Context, q *Query) (string, bool) {
				forwarded <- r.res.Forward(ctx, q, []jxta.PeerID{a.ep.ID(), b.ep.ID(), r.ep.ID()})
				return "", false
			}))
			var got *Query
			b.res.Handle("find", QueryHandlerFunc(func(_ context.Context, q *Query) (string, bool) {
				got = q
				return "found " + q.Body, true
			}))
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			ch, err := a.res.Query(ctx, jxta.PeerID{}, "find", "x")
			require.NoError(t, err)
			select {
			case resp := <-ch:
				assert.Equal(t, b.ep.ID(), resp.Peer, "b answers a itself")
				assert.Equal(t, "found x", resp.Body)
				assert.True(t, b.ep.Connected(a.ep.ID()), "over a connection of its own: the handler did not ask for answers along the path")
			case <-ctx.Done():
				t.Fatal("no answer to the group query")
			}
			assert.Equal(t, 1, <-forwarded, "forwarded to b only: not back to a, not to r itself")
			require.NotNil(t, got)
			assert.Equal(t, a.ep.ID(), got.Source)
			assert.Equal(t, r.ep.ID(), got.Peer)
			assert.Equal(t, 1, got.HopCount)
		})
	}
}

// TestAnswerReachesAQuerierThatMoved: b knows a stale address of a (a
// restarted elsewhere, say); the route in a's query replaces it, so b's
// answer reaches a.
func TestAnswerReachesAQuerierThatMoved(t *testing.T) {
	for _, tcp := range []bool{true, false} {
		t.Run(map[bool]string{true: "tcp", false: "mem"}[tcp], func(t *testing.T) {
			r, a, b := star(t, tcp)
			stale := &advert.PeerAdv{PeerID: a.ep.ID(), GroupID: jxta.NetGroupID, Name: "a"}
			dead := "tcp://127.0.0.1:1"
			if !tcp {
				dead = "mem://nobody-here"
			}
			require.NoError(t, stale.SetEndpointAddresses([]string{dead}))
			b.ep.AddPeer(stale)
			r.res.Handle("find", QueryHandlerFunc(func(ctx context.Context, q *Query) (string, bool) {
				r.res.Forward(ctx, q, []jxta.PeerID{b.ep.ID()})
				return "", false
			}))
			b.res.Handle("find", QueryHandlerFunc(func(context.Context, *Query) (string, bool) { return "here", true }))
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			ch, err := a.res.Query(ctx, jxta.PeerID{}, "find", "x")
			require.NoError(t, err)
			select {
			case resp := <-ch:
				assert.Equal(t, "here", resp.Body)
			case <-ctx.Done():
				t.Fatal("the answer went to the stale address")
			}
			pa, ok := b.ep.Peer(a.ep.ID())
			require.True(t, ok)
			assert.Equal(t, "a", pa.Name, "what b knew of a besides its addresses is kept")
			assert.NotContains(t, pa.EndpointAddresses(), dead)
		})
	}
}

func TestGroupQueryOnARendezvousRunsLocally(t *testing.T) {
	t.Parallel()
	r, a, _ := star(t, false)
	r.res.Handle("find", QueryHandlerFunc(func(_ context.Context, q *Query) (string, bool) { return "mine", true }))
	a.res.Handle("find", QueryHandlerFunc(func(_ context.Context, q *Query) (string, bool) { return "edge", true }))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ch, err := r.res.Query(ctx, jxta.PeerID{}, "find", "x")
	require.NoError(t, err)
	resp := <-ch
	assert.Equal(t, r.ep.ID(), resp.Peer)
	assert.Equal(t, "mine", resp.Body)
}

func TestGroupQueryWithoutRendezvousGoesToConnectedPeers(t *testing.T) {
	t.Parallel()
	a, b := pair(t, false, jxta.NetGroupID)
	b.res.Handle("find", QueryHandlerFunc(func(_ context.Context, q *Query) (string, bool) { return "b", true }))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ch, err := a.res.Query(ctx, jxta.PeerID{}, "find", "x")
	require.NoError(t, err)
	assert.Equal(t, "b", (<-ch).Body)

	lone := New(a.ep, jxta.NewGroupIDWithParent(jxta.NetGroupID), nil)
	defer lone.Close()
	b.ep.Close()
	require.Eventually(t, func() bool { return len(a.ep.Connections()) == 0 }, 5*time.Second, 10*time.Millisecond)
	_, err = lone.Query(ctx, jxta.PeerID{}, "find", "x")
	assert.ErrorIs(t, err, ErrNoPeers)
}

func TestForwardStopsAtMaxHopCount(t *testing.T) {
	t.Parallel()
	a, b := pair(t, false, jxta.NetGroupID)
	q := &Query{Handler: "h", Source: a.ep.ID(), Peer: a.ep.ID(), HopCount: MaxHopCount}
	assert.Zero(t, a.res.Forward(context.Background(), q, []jxta.PeerID{b.ep.ID()}))
}

func TestOwnQueryComingBackIsDropped(t *testing.T) {
	t.Parallel()
	a, b := pair(t, false, jxta.NetGroupID)
	calls := make(chan struct{}, 1)
	a.res.Handle("h", QueryHandlerFunc(func(context.Context, *Query) (string, bool) { calls <- struct{}{}; return "", false }))
	doc := advert.Marshal(&protocol.ResolverQuery{HandlerName: "h", HopCount: 1, SrcPeerID: a.ep.ID(), Query: "x"})
	m := jxta.NewMessage()
	m.AddXML(jxta.NamespaceJXTA, b.res.oRes, doc)
	require.NoError(t, b.ep.SendTo(context.Background(), a.ep.ID(), b.res.name, b.res.oRes, m))
	assert.Eventually(t, func() bool { return strings.Contains(a.log.String(), "own query came back") }, 5*time.Second, 10*time.Millisecond)
	assert.Empty(t, calls)
}

func TestSRDI(t *testing.T) {
	for _, tcp := range []bool{true, false} {
		t.Run(map[bool]string{true: "tcp", false: "mem"}[tcp], func(t *testing.T) {
			a, b := pair(t, tcp, jxta.NetGroupID)
			type push struct {
				peer    jxta.PeerID
				payload string
			}
			got := make(chan push, 4)
			b.res.HandleSRDI("disc", func(p jxta.PeerID, payload string) { got <- push{p, payload} })
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			payload := protocol.Flatten(&protocol.SRDIMessage{PeerID: a.ep.ID(), PrimaryKey: "Adv", Entries: []protocol.SRDIEntry{{SKey: "Name", Value: "chat", Expiration: time.Hour}}})
			require.NoError(t, a.res.SendSRDI(ctx, b.ep.ID(), "disc", payload))
			p := <-got
			assert.Equal(t, a.ep.ID(), p.peer)
			assert.Equal(t, payload, p.payload)

			// JXSE may gzip the document.
			var z bytes.Buffer
			zw := gzip.NewWriter(&z)
			zw.Write(advert.Marshal(&protocol.ResolverSRDI{HandlerName: "disc", Payload: "zipped"}))
			zw.Close()
			m := jxta.NewMessage()
			m.Add(jxta.Element{Namespace: jxta.NamespaceJXTA, Name: a.res.srdiParam, Type: "application/gzip", Data: z.Bytes()})
			require.NoError(t, a.ep.SendTo(ctx, b.ep.ID(), a.res.name, a.res.srdiParam, m))
			assert.Equal(t, "zipped", (<-got).payload)

			m = jxta.NewMessage()
			m.Add(jxta.Element{Namespace: jxta.NamespaceJXTA, Name: a.res.srdiParam, Type: "application/gzip", Data: []byte("not gzip")})
			require.NoError(t, a.ep.SendTo(ctx, b.ep.ID(), a.res.name, a.res.srdiParam, m))
			assert.Eventually(t, func() bool { return strings.Contains(b.log.String(), "bad compressed SRDI") }, 5*time.Second, 10*time.Millisecond)
		})
	}
}
