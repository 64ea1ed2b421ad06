package rendezvous

import (
	"context"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var headerName = protocol.PropagateElementPrefix + jxta.NetGroupID.Unique()

func TestPropagationReachesEachPeerOnce(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			r1 := nw.start(t, "r1", spec{role: Rendezvous})
			r2 := nw.start(t, "r2", spec{role: Rendezvous, seeds: []*testPeer{r1}})
			r3 := nw.start(t, "r3", spec{role: Rendezvous, seeds: []*testPeer{r1}})
			rdvs := []*testPeer{r1, r2, r3}
			require.Eventually(t, func() bool { return viewsComplete(rdvs) }, 10*time.Second, 5*time.Millisecond, "a triangle")
			e1 := nw.start(t, "e1", spec{role: Edge, seeds: []*testPeer{r1}})
			e2 := nw.start(t, "e2", spec{role: Edge, seeds: []*testPeer{r2}})
			e3 := nw.start(t, "e3", spec{role: Edge, seeds: []*testPeer{r3}})
			for i, e := range []*testPeer{e1, e2, e3} {
				leasedWith(t, e, rdvs[i])
				hasEdge(t, rdvs[i], e)
			}

			m := jxta.NewMessage()
			m.AddString(jxta.NamespaceApp, "text", "hello")
			require.NoError(t, e1.svc.Propagate(ctxT(t), m, "app", "x", 10))
			assert.Equal(t, 1, m.Len(), "the caller's message is not changed")
			for _, p := range []*testPeer{r1, r2, r3, e2, e3} {
				in := received(t, p)
				txt, _ := in.Message.String(jxta.NamespaceApp, "text")
				assert.Equal(t, "hello", txt)
				_, hasHeader := in.Message.Get(jxta.NamespaceJXTA, headerName)
				assert.False(t, hasHeader, "delivered without the propagation header")
			}
			// Every copy sent was delivered, dropped or failed (r2 and r3
			// may each get one from r1 and one from each other): nothing
			// more is on its way.
			all := []*testPeer{r1, r2, r3, e1, e2, e3}
			require.Eventually(t, func() bool {
				var sent, got uint64
				for _, p := range all {
					c := p.svc.Status().Counters
					sent, got = sent+c.Sent, got+c.Delivered+c.Dropped+c.Failed
				}
				return sent == got
			}, 10*time.Second, 5*time.Millisecond)
			for _, p := range all {
				assert.Empty(t, p.got, "exactly once, and never back to the sender")
			}
			assert.Equal(t, uint64(1), e1.svc.Status().Counters.Propagated)
			assert.Equal(t, uint64(1), r1.svc.Status().Counters.Relayed)
			assert.Equal(t, uint64(0), r1.svc.Status().Counters.Dropped)
		})
	}
}

// sendRaw sends a propagated message from a to b with header h ("" for
// none).
func sendRaw(t *testing.T, a *endpoint.Endpoint, b jxta.PeerID, h string) {
	t.Helper()
	m := jxta.NewMessage()
	if h != "" {
		m.AddXML(jxta.NamespaceJXTA, headerName, []byte(h))
	}
	require.NoError(t, a.SendTo(ctxT(t), b, PropagateService, jxta.NetGroupID.Unique(), m))
}

func header(id string, ttl int, path ...jxta.PeerID) string {
	return string(advert.Marshal(&protocol.RendezVousPropagateMessage{MessageID: id, DestSName: "app", DestSParam: "x", TTL: ttl, Path: path}))
}

func TestHostilePropagationIsDropped(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			const maxTTL = 5
			r := nw.start(t, "r", spec{role: Rendezvous, tune: func(c *Config) { c.MaxTTL = maxTTL }})
			a, _, _ := nw.newEndpoint(t, "a")
			a.AddPeer(r.ep.PeerAdv())
			// spy holds a lease with r and sees what r passes on.
			spy, _, _ := nw.newEndpoint(t, "spy")
			spy.AddPeer(r.ep.PeerAdv())
			relayed := make(chan *endpoint.Incoming, 10)
			spy.HandleFunc(PropagateService, jxta.NetGroupID.Unique(), func(in *endpoint.Incoming) { relayed <- in })
			require.NoError(t, spy.SendTo(ctxT(t), r.id(), leaseService, jxta.NetGroupID.Unique(), leaseRequest(elementConnect, advert.Marshal(spy.PeerAdv()))))
			require.Eventually(t, func() bool { return len(r.svc.Edges()) == 1 }, 10*time.Second, 5*time.Millisecond)

			long := make([]jxta.PeerID, maxTTL+1)
			for i := range long {
				long[i] = jxta.NewPeerID(jxta.NetGroupID)
			}
			sendRaw(t, a, r.id(), "")                                  // no header
			sendRaw(t, a, r.id(), "<garbage")                          // unreadable header
			sendRaw(t, a, r.id(), header("loop", 3, a.ID(), r.id()))   // r on the path
			sendRaw(t, a, r.id(), header("spent", 0, a.ID()))          // TTL 0
			sendRaw(t, a, r.id(), header("negative", -4, a.ID()))      // TTL < 0
			sendRaw(t, a, r.id(), header("long", 3, long...))          // path longer than MaxTTL
			sendRaw(t, a, r.id(), header("forged", 1_000_000, a.ID())) // clamped, delivered
			sendRaw(t, a, r.id(), header("forged", 1_000_000, a.ID())) // duplicate

			in := received(t, r)
			_, hasHeader := in.Message.Get(jxta.NamespaceJXTA, headerName)
			assert.False(t, hasHeader)
			select {
			case in := <-relayed:
				h, err := parseHeader(in.Message, headerName)
				require.NoError(t, err)
				assert.Equal(t, "forged", h.MessageID)
				assert.Equal(t, maxTTL-1, h.TTL, "TTL clamped to MaxTTL, less one hop")
				assert.Equal(t, []jxta.PeerID{a.ID(), r.id()}, h.Path)
			case <-time.After(10 * time.Second):
				t.Fatal("the good message was not passed on")
			}
			require.Eventually(t, func() bool { return r.svc.Status().Counters.Dropped == 7 }, 10*time.Second, 5*time.Millisecond)
			assert.Empty(t, r.got)
			assert.Empty(t, relayed)
			log := r.log.String()
			for _, want := range []string{"without a propagation header", "bad propagation header", "propagation loop", "spent TTL", "path longer"} {
				assert.Contains(t, log, want)
			}
		})
	}
}

func TestAdHocPropagatesToConnectedPeers(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			a := nw.start(t, "a", spec{role: AdHoc})
			b := nw.start(t, "b", spec{role: AdHoc})
			c := nw.start(t, "c", spec{role: AdHoc})
			assert.Equal(t, DefaultAdHocMaxTTL, a.svc.maxTTL())
			require.ErrorIs(t, a.svc.Propagate(ctxT(t), jxta.NewMessage(), "app", "x", 5), ErrNoPeers)
			_, err := a.ep.Connect(ctxT(t), b.ep.Addresses()[0])
			require.NoError(t, err)
			_, err = b.ep.Connect(ctxT(t), c.ep.Addresses()[0])
			require.NoError(t, err)
			require.NoError(t, a.svc.Propagate(ctxT(t), jxta.NewMessage(), "app", "x", 5))
			received(t, b)
			require.Eventually(t, func() bool { return b.svc.Status().Counters.Delivered == 1 }, 10*time.Second, 5*time.Millisecond)
			assert.Empty(t, c.got, "ad-hoc peers do not pass messages on")
		})
	}
}

func TestEdgeWithoutLeaseCannotPropagate(t *testing.T) {
	nw := networks()[1]
	e := nw.start(t, "e", spec{role: Edge})
	assert.ErrorIs(t, e.svc.Propagate(context.Background(), jxta.NewMessage(), "app", "x", 5), ErrNoPeers)
	assert.Error(t, e.svc.Propagate(context.Background(), jxta.NewMessage(), "", "x", 5), "a service is needed")
}
