package node

import (
	"context"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/group/rendezvous"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// noLease waits until g holds no lease.
func noLease(t *testing.T, g *group.Group) {
	t.Helper()
	require.Eventually(t, func() bool { return len(g.Rendezvous().RendezVous()) == 0 }, 15*time.Second, 20*time.Millisecond, "the lease never ended")
}

func TestSetRendezvousAtRunTime(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			alice := nw.peer(t, "alice", false)
			bob := nw.peer(t, "bob", false, alice)
			assert.False(t, alice.IsRendezvous())
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()

			// alice becomes a rendezvous: bob, seeded with her, leases
			// with her, in the Net group and in a group he joins.
			require.NoError(t, alice.SetRendezvous(ctx, true))
			assert.True(t, alice.IsRendezvous())
			assert.Equal(t, rendezvous.Rendezvous, alice.NetGroup().Rendezvous().Role())
			leased(t, bob.NetGroup(), alice)
			pga, err := bob.CreateGroup(nil, group.GroupOptions{Name: "open"})
			require.NoError(t, err)
			bobOpen, err := bob.JoinGroup(ctx, pga, "bob", "")
			require.NoError(t, err)
			leased(t, bobOpen, alice)
			assert.Contains(t, alice.ServedGroups(), pga.GroupID)

			// She stops: bob's leases end at once (no waiting for a
			// renewal), the groups she served stop, and bob, with no
			// other rendezvous, reaches her ad hoc, through his
			// connection.
			require.NoError(t, alice.SetRendezvous(ctx, false))
			assert.Equal(t, rendezvous.Edge, alice.NetGroup().Rendezvous().Role())
			noLease(t, bob.NetGroup())
			noLease(t, bobOpen)
			assert.Empty(t, alice.ServedGroups())
			pipe := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "ad-hoc")
			require.NoError(t, alice.NetGroup().Discovery().Publish(pipe, 0, 0))
			got := find(t, bob.NetGroup(), advert.Adv, "Name", "ad-hoc")
			assert.Equal(t, pipe.PipeID.ID, got[0].Adv.ID())

			// bob becomes one: alice, seeded with nobody, finds him
			// with AddSeed.
			require.NoError(t, bob.SetRendezvous(ctx, true))
			assert.Equal(t, rendezvous.Rendezvous, bobOpen.Rendezvous().Role(), "joined groups change role too")
			peer, err := alice.AddSeed(ctx, bob.Addresses()[0].String())
			require.NoError(t, err)
			assert.Equal(t, bob.ID(), peer)
			leased(t, alice.NetGroup(), bob)
		})
	}
}

func TestAddSeed(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			rdv := nw.peer(t, "rdv", true)
			edge := nw.peer(t, "edge", false)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			addr := rdv.Addresses()[0]
			peer, err := edge.AddSeed(ctx, addr.String())
			require.NoError(t, err)
			assert.Equal(t, rdv.ID(), peer)
			leased(t, edge.NetGroup(), rdv)
			again, err := edge.AddSeed(ctx, addr.String())
			require.NoError(t, err)
			assert.Equal(t, rdv.ID(), again)
			assert.Equal(t, []jxta.Address{addr}, edge.Seeds(), "once")

			// The seed is kept: after its connection drops, it comes back.
			edge.Endpoint().Disconnect(rdv.ID())
			require.Eventually(t, func() bool { return edge.ep.Connected(rdv.ID()) }, 30*time.Second, 50*time.Millisecond)

			_, err = edge.AddSeed(ctx, "no such address")
			assert.Error(t, err)
			require.NoError(t, edge.Close())
			_, err = edge.AddSeed(ctx, addr.String())
			assert.ErrorIs(t, err, ErrClosed)
			assert.ErrorIs(t, edge.SetRendezvous(ctx, true), ErrClosed)
		})
	}
}
