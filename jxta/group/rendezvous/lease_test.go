package rendezvous

import (
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLeaseRenewalAndFailover(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			const lease = 500 * time.Millisecond
			r1 := nw.start(t, "r1", spec{role: Rendezvous, lease: lease})
			r2 := nw.start(t, "r2", spec{role: Rendezvous, lease: lease})
			edge := nw.start(t, "edge", spec{role: Edge, lease: lease, seeds: []*testPeer{r1, r2}})
			leasedWith(t, edge, r1)
			hasEdge(t, r1, edge)
			first := r1.svc.Edges()[0].Expires
			_, known := r1.ep.Peer(edge.id())
			assert.True(t, known, "the rendezvous keeps the edge's advertisement")

			require.Eventually(t, func() bool {
				e := r1.svc.Edges()
				return len(e) == 1 && e[0].Expires.After(first.Add(lease/4))
			}, 10*time.Second, 5*time.Millisecond, "the edge renews its lease")
			assert.Equal(t, []jxta.PeerID{r1.id()}, edge.svc.RendezVous())
			hasEvents(t, edge, LeaseGranted, r1.id(), 1, "renewals are not new leases")
			hasEvents(t, r1, EdgeConnected, edge.id(), 1)

			killed := time.Now()
			r1.kill()
			leasedWith(t, edge, r2)
			assert.Less(t, time.Since(killed), 2*lease, "a new lease within two lease periods")
			hasEvents(t, edge, LeaseLost, r1.id(), 1)
			hasEvents(t, edge, LeaseGranted, r2.id(), 1)
			hasEdge(t, r2, edge)

			require.NoError(t, edge.svc.Close())
			require.Eventually(t, func() bool { return len(r2.svc.Edges()) == 0 }, 10*time.Second, 5*time.Millisecond, "Disconnect ends the lease")
			hasEvents(t, r2, EdgeDisconnected, edge.id(), 1)
		})
	}
}

func TestFailoverWhenRendezvousStopsGranting(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			const lease = 500 * time.Millisecond
			r1 := nw.start(t, "r1", spec{role: Rendezvous, lease: lease})
			r2 := nw.start(t, "r2", spec{role: Rendezvous, lease: lease})
			edge := nw.start(t, "edge", spec{role: Edge, lease: lease, seeds: []*testPeer{r1, r2}})
			leasedWith(t, edge, r1)

			stopped := time.Now()
			require.NoError(t, r1.svc.Close()) // connected, but no longer granting
			leasedWith(t, edge, r2)
			assert.Less(t, time.Since(stopped), 2*lease, "a new lease within two lease periods")
			hasEvents(t, edge, LeaseLost, r1.id(), 1)
			assert.Contains(t, edge.log.String(), "no lease granted in time")
		})
	}
}

func TestFailoverToReferredRendezvous(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			const lease = 500 * time.Millisecond
			r1 := nw.start(t, "r1", spec{role: Rendezvous, lease: lease})
			r2 := nw.start(t, "r2", spec{role: Rendezvous, lease: lease, seeds: []*testPeer{r1}})
			require.Eventually(t, func() bool { return viewsComplete([]*testPeer{r1, r2}) }, 10*time.Second, 5*time.Millisecond)

			edge := nw.start(t, "edge", spec{role: Edge, lease: lease, seeds: []*testPeer{r1}})
			leasedWith(t, edge, r1)
			r1.kill()
			leasedWith(t, edge, r2) // named in r1's grant
		})
	}
}

func TestLeaseExpiresWithoutRenewal(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			rdv := nw.start(t, "rdv", spec{role: Rendezvous, lease: 300 * time.Millisecond})
			bare, _, _ := nw.newEndpoint(t, "bare") // asks once, never renews
			bare.AddPeer(rdv.ep.PeerAdv())
			pa := bare.PeerAdv()
			require.NoError(t, bare.SendTo(ctxT(t), rdv.id(), leaseService, jxta.NetGroupID.Unique(), leaseRequest(elementConnect, advert.Marshal(pa))))
			require.Eventually(t, func() bool { return rdv.events(EdgeConnected, bare.ID()) == 1 }, 10*time.Second, 5*time.Millisecond)
			require.Eventually(t, func() bool { return rdv.events(EdgeDisconnected, bare.ID()) == 1 }, 10*time.Second, 5*time.Millisecond)
			assert.Empty(t, rdv.svc.Edges())
		})
	}
}

func TestLeasesAreBounded(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			rdv := nw.start(t, "rdv", spec{role: Rendezvous, tune: func(c *Config) { c.MaxEdges = 1 }})
			a := nw.start(t, "a", spec{role: Edge, seeds: []*testPeer{rdv}})
			leasedWith(t, a, rdv)
			b := nw.start(t, "b", spec{role: Edge, seeds: []*testPeer{rdv}})
			require.Eventually(t, func() bool { return rdv.svc.Status().Counters.Refused > 0 }, 10*time.Second, 5*time.Millisecond)
			assert.Contains(t, rdv.log.String(), "too many edges")
			assert.Empty(t, b.svc.RendezVous())
			assert.Len(t, rdv.svc.Edges(), 1)
		})
	}
}

func TestStatus(t *testing.T) {
	nw := networks()[1]
	rdv := nw.start(t, "rdv", spec{role: Rendezvous})
	edge := nw.start(t, "edge", spec{role: Edge, seeds: []*testPeer{rdv}})
	leasedWith(t, edge, rdv)
	hasEdge(t, rdv, edge)

	es := edge.svc.Status()
	assert.Equal(t, Edge, es.Role)
	require.Len(t, es.RendezVous, 1)
	assert.Equal(t, rdv.id(), es.RendezVous[0].Peer)
	assert.WithinDuration(t, time.Now().Add(time.Minute), es.RendezVous[0].Expires, 10*time.Second)

	rs := rdv.svc.Status()
	assert.Equal(t, "rendezvous", rs.Role.String())
	require.Len(t, rs.Edges, 1)
	assert.Equal(t, edge.id(), rs.Edges[0].Peer)
	assert.Empty(t, rs.RendezVous)
}

func TestClosedEndpointFirst(t *testing.T) {
	nw := networks()[1]
	rdv := nw.start(t, "rdv", spec{role: Rendezvous})
	edge := nw.start(t, "edge", spec{role: Edge, seeds: []*testPeer{rdv}})
	leasedWith(t, edge, rdv)
	rdv.kill()
	edge.kill()
	assert.NoError(t, edge.svc.Close())
	assert.NoError(t, rdv.svc.Close())
	assert.NoError(t, rdv.svc.Close(), "Close twice")
	assert.ErrorIs(t, edge.svc.Propagate(ctxT(t), jxta.NewMessage(), "app", "x", 3), ErrClosed)
}

func TestNewChecksConfig(t *testing.T) {
	_, err := New(Config{Group: jxta.NetGroupID})
	assert.Error(t, err, "no endpoint")
	ep, _, _ := networks()[1].newEndpoint(t, "x")
	_, err = New(Config{Endpoint: ep})
	assert.Error(t, err, "no group")
	_, err = New(Config{Group: jxta.NetGroupID, Endpoint: ep, Role: Role(7)})
	assert.Error(t, err, "no such role")
	assert.Equal(t, "unknown", Role(7).String())
}
