package rendezvous

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// viewHas waits until p's peer view holds each of others.
func viewHas(t *testing.T, p *testPeer, others ...*testPeer) {
	t.Helper()
	require.Eventually(t, func() bool {
		view := p.svc.PeerView()
		for _, o := range others {
			if !slices.Contains(view, o.id()) {
				return false
			}
		}
		return true
	}, 10*time.Second, 5*time.Millisecond, "%s's view lacks a peer", p.ep.PeerAdv().Name)
}

func TestEdgeBecomesRendezvous(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			rdv := nw.start(t, "rdv", spec{role: Rendezvous})
			a := nw.start(t, "a", spec{role: Edge, seeds: []*testPeer{rdv}})
			leasedWith(t, a, rdv)
			hasEdge(t, rdv, a)

			require.NoError(t, a.svc.SetRole(ctxT(t), Rendezvous))
			assert.Equal(t, Rendezvous, a.svc.Role())
			assert.Empty(t, a.svc.RendezVous(), "a rendezvous holds no lease")
			hasEvents(t, a, LeaseLost, rdv.id(), 1)
			hasEvents(t, rdv, EdgeDisconnected, a.id(), 1, "a told its rendezvous it left")
			assert.Empty(t, rdv.svc.Edges())

			b := nw.start(t, "b", spec{role: Edge, seeds: []*testPeer{a}})
			leasedWith(t, b, a)
			hasEdge(t, a, b)
			hasEvents(t, a, EdgeConnected, b.id(), 1)
			viewHas(t, a, rdv) // its seed, as a gossip partner
			viewHas(t, rdv, a)

			// b's propagation goes through its new rendezvous to rdv.
			require.NoError(t, b.svc.Propagate(ctxT(t), jxta.NewMessage(), "app", "x", 5))
			received(t, a)
			received(t, rdv)
			require.NoError(t, a.svc.SetRole(ctxT(t), Rendezvous), "the same role again changes nothing")
			assert.Len(t, a.svc.Edges(), 1)
		})
	}
}

func TestRendezvousStopsAndEdgesFailOver(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			// The lease is long: everything below happens well before a
			// renewal, so it comes of the Disconnect messages.
			const lease = time.Hour
			r1 := nw.start(t, "r1", spec{role: Rendezvous, lease: lease})
			r2 := nw.start(t, "r2", spec{role: Rendezvous, lease: lease, seeds: []*testPeer{r1}})
			r1.ep.AddPeer(r2.ep.PeerAdv())
			r1.svc.AddSeed(r2.id())
			viewHas(t, r1, r2)
			viewHas(t, r2, r1)
			both := nw.start(t, "both", spec{role: Edge, lease: lease, seeds: []*testPeer{r1, r2}})
			only := nw.start(t, "only", spec{role: Edge, lease: lease, seeds: []*testPeer{r1}})
			leasedWith(t, both, r1)
			leasedWith(t, only, r1)
			hasEdge(t, r1, only)

			require.NoError(t, r1.svc.SetRole(ctxT(t), Edge))
			assert.Equal(t, Edge, r1.svc.Role())
			hasEvents(t, r1, EdgeDisconnected, both.id(), 1)
			hasEvents(t, r1, EdgeDisconnected, only.id(), 1)
			hasEvents(t, r1, ViewRemoved, r2.id(), 1)
			assert.Empty(t, r1.svc.Edges())
			assert.Empty(t, r1.svc.PeerView(), "an edge keeps no peer view")

			hasEvents(t, both, LeaseLost, r1.id(), 1)
			leasedWith(t, both, r2) // a seed: fails over at once
			hasEvents(t, only, LeaseLost, r1.id(), 1)
			leasedWith(t, only, r2) // named in r1's grant
			leasedWith(t, r1, r2)   // the former rendezvous is an edge of its seed now

			// r2 stops too, running ad hoc: nobody is left to grant a
			// lease, and the edges run without one.
			require.NoError(t, r2.svc.SetRole(ctxT(t), AdHoc))
			for _, e := range []*testPeer{both, only, r1} {
				hasEvents(t, e, LeaseLost, r2.id(), 1)
				assert.Empty(t, e.svc.RendezVous())
			}
			assert.Equal(t, DefaultAdHocMaxTTL, r2.svc.maxTTL())
			require.NoError(t, r2.svc.Propagate(ctxT(t), jxta.NewMessage(), "app", "x", 5), "to its connections")
			received(t, both)
			received(t, only)
		})
	}
}

func TestEdgeConnectAndDisconnect(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			r1 := nw.start(t, "r1", spec{role: Rendezvous})
			r2 := nw.start(t, "r2", spec{role: Rendezvous})
			e := nw.start(t, "e", spec{role: Edge, seeds: []*testPeer{r1}})
			leasedWith(t, e, r1)

			e.ep.AddPeer(r2.ep.PeerAdv())
			require.NoError(t, e.svc.Connect(ctxT(t), r2.id()))
			assert.Equal(t, []jxta.PeerID{r2.id()}, e.svc.RendezVous(), "the lease moved at once")
			hasEvents(t, r1, EdgeDisconnected, e.id(), 1, "the former rendezvous is told")
			hasEdge(t, r2, e)
			assert.Equal(t, []jxta.PeerID{r1.id(), r2.id()}, e.svc.Status().Seeds)

			require.NoError(t, e.svc.Disconnect(ctxT(t), r2.id()))
			hasEvents(t, r2, EdgeDisconnected, e.id(), 1)
			leasedWith(t, e, r1) // the only candidate left
			assert.ErrorIs(t, e.svc.Disconnect(ctxT(t), r2.id()), ErrNotLeased)
			hasEvents(t, e, LeaseGranted, r2.id(), 1, "r2 is asked no more")

			require.NoError(t, e.svc.Connect(ctxT(t), r2.id()), "until named again")
			leasedWith(t, e, r2)

			assert.ErrorIs(t, r1.svc.Connect(ctxT(t), r2.id()), ErrNotEdge)
		})
	}
}

func TestConnectToAPeerThatGrantsNothing(t *testing.T) {
	nw := networks()[1]
	other := nw.start(t, "other", spec{role: Edge, lease: time.Second})
	e := nw.start(t, "e", spec{role: Edge, lease: time.Second})
	e.ep.AddPeer(other.ep.PeerAdv())
	assert.ErrorIs(t, e.svc.Connect(ctxT(t), other.id()), ErrNoLease)
	assert.Empty(t, e.svc.RendezVous())

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	assert.ErrorIs(t, e.svc.Connect(ctx, other.id()), context.Canceled)
}

func TestRendezvousDisconnectsAnEdge(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			rdv := nw.start(t, "rdv", spec{role: Rendezvous})
			e := nw.start(t, "e", spec{role: Edge, seeds: []*testPeer{rdv}})
			leasedWith(t, e, rdv)
			hasEdge(t, rdv, e)

			require.NoError(t, rdv.svc.Disconnect(ctxT(t), e.id()))
			hasEvents(t, rdv, EdgeDisconnected, e.id(), 1)
			hasEvents(t, e, LeaseLost, rdv.id(), 1, "the edge takes the rendezvous's Disconnect")
			hasEvents(t, e, LeaseGranted, rdv.id(), 2, "and asks again: it has no other")
			assert.ErrorIs(t, rdv.svc.Disconnect(ctxT(t), rdv.id()), ErrNotLeased)
		})
	}
}

func TestAddSeed(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			r1 := nw.start(t, "r1", spec{role: Rendezvous})
			r2 := nw.start(t, "r2", spec{role: Rendezvous})
			e := nw.start(t, "e", spec{role: Edge})
			assert.Empty(t, e.svc.RendezVous(), "no seed")

			e.ep.AddPeer(r1.ep.PeerAdv())
			e.svc.AddSeed(r1.id())
			e.svc.AddSeed(r1.id())
			e.svc.AddSeed(e.id())
			e.svc.AddSeed(jxta.PeerID{})
			leasedWith(t, e, r1)
			assert.Equal(t, []jxta.PeerID{r1.id()}, e.svc.Status().Seeds, "once, never self or null")

			r1.ep.AddPeer(r2.ep.PeerAdv())
			r1.svc.AddSeed(r2.id()) // rpv addseed: a gossip partner
			viewHas(t, r1, r2)
			viewHas(t, r2, r1)
			st := r2.svc.Status()
			require.Len(t, st.PeerView, 1)
			assert.Equal(t, r1.id(), st.PeerView[0].Peer)
			assert.WithinDuration(t, time.Now(), st.PeerView[0].Heard, 10*time.Second)
		})
	}
}

func TestAdHocBecomesEdge(t *testing.T) {
	nw := networks()[1]
	rdv := nw.start(t, "rdv", spec{role: Rendezvous})
	p := nw.start(t, "p", spec{role: AdHoc, seeds: []*testPeer{rdv}})
	assert.Empty(t, p.svc.RendezVous())
	require.NoError(t, p.svc.SetRole(ctxT(t), Edge))
	leasedWith(t, p, rdv)
	assert.Equal(t, DefaultMaxTTL, p.svc.maxTTL())
	require.NoError(t, p.svc.SetRole(ctxT(t), AdHoc))
	hasEvents(t, rdv, EdgeDisconnected, p.id(), 1)
	assert.Empty(t, p.svc.RendezVous())
	assert.ErrorIs(t, p.svc.Connect(ctxT(t), rdv.id()), ErrNotEdge)
	assert.ErrorIs(t, p.svc.Disconnect(ctxT(t), rdv.id()), ErrNotLeased)
}

func TestSetRoleChecks(t *testing.T) {
	nw := networks()[1]
	p := nw.start(t, "p", spec{role: Edge})
	assert.Error(t, p.svc.SetRole(ctxT(t), Role(7)))
	require.NoError(t, p.svc.Close())
	assert.ErrorIs(t, p.svc.SetRole(ctxT(t), Rendezvous), ErrClosed)
	assert.Equal(t, Edge, p.svc.Role())
	assert.Error(t, p.svc.Connect(ctxT(t), jxta.NewPeerID(jxta.NetGroupID)), "no loop runs")
}
