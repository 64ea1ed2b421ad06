package node

import (
	"context"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/group/discovery"
	"github.com/gojxta/gojxta/jxta/group/membership"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// network is where the test peers run: real TCP on loopback or in memory.
type network struct {
	name string
	mem  *endpoint.MemNetwork
}

func networks() []network {
	return []network{{"tcp", nil}, {"mem", endpoint.NewMemNetwork()}}
}

// peer starts a node on nw, seeded with the given nodes.
func (nw network) peer(t *testing.T, name string, rdv bool, seeds ...*Node) *Node {
	t.Helper()
	cfg := Config{Name: name, Network: nw.mem, Rendezvous: rdv, Lease: 2 * time.Second, GossipPeriod: 100 * time.Millisecond}
	for _, s := range seeds {
		cfg.Seeds = append(cfg.Seeds, s.Addresses()[0].String())
	}
	return start(t, cfg)
}

// leased waits until edge holds a lease with rdv in g's rendezvous service.
func leased(t *testing.T, g *group.Group, rdv *Node) {
	t.Helper()
	require.Eventually(t, func() bool {
		for _, p := range g.Rendezvous().RendezVous() {
			if p == rdv.ID() {
				return true
			}
		}
		return false
	}, 15*time.Second, 20*time.Millisecond, "no lease with the rendezvous")
}

// find runs a group-wide remote query from g until it returns a result or
// the deadline passes.
func find(t *testing.T, g *group.Group, cat advert.Category, attr, value string) []discovery.Result {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		ch, err := g.Discovery().Remote(ctx, jxta.PeerID{}, cat, attr, value, 10)
		require.NoError(t, err)
		got := discovery.Collect(ch, 0)
		cancel()
		if len(got) > 0 {
			return got
		}
	}
	t.Fatalf("nothing found for %s %s=%s", cat, attr, value)
	return nil
}

func TestRendezvousAndTwoEdges(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			rdv := nw.peer(t, "rdv", true)
			alice, bob := nw.peer(t, "alice", false, rdv), nw.peer(t, "bob", false, rdv)
			leased(t, alice.NetGroup(), rdv)
			leased(t, bob.NetGroup(), rdv)

			pipe := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "chat-room")
			require.NoError(t, alice.NetGroup().Discovery().Publish(pipe, 0, 0))
			got := find(t, bob.NetGroup(), advert.Adv, "Name", "chat-room")
			assert.Equal(t, pipe.PipeID.ID, got[0].Adv.ID())

			peers := find(t, alice.NetGroup(), advert.Peers, "Name", "bob")
			assert.Equal(t, bob.ID().ID, peers[0].Adv.ID(), "an edge finds the other edge")
		})
	}
}

func TestPasswordGroupAcrossEdges(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			rdv := nw.peer(t, "rdv", true)
			alice, bob := nw.peer(t, "alice", false, rdv), nw.peer(t, "bob", false, rdv)
			leased(t, alice.NetGroup(), rdv)
			leased(t, bob.NetGroup(), rdv)

			pga, err := alice.CreateGroup(nil, group.GroupOptions{Name: "club", Membership: membership.Password, Password: "open sesame"})
			require.NoError(t, err)
			found := find(t, bob.NetGroup(), advert.Groups, "Name", "club")
			remote, ok := found[0].Adv.(*advert.GroupAdv)
			require.True(t, ok)
			assert.Equal(t, pga.GroupID, remote.GroupID)

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			_, err = bob.JoinGroup(ctx, remote, "bob", "wrong")
			require.ErrorIs(t, err, membership.ErrWrongPassword)
			_, joined := bob.Group(remote.GroupID)
			assert.False(t, joined, "a refused join leaves nothing running")

			bobClub, err := bob.JoinGroup(ctx, remote, "bob", "open sesame")
			require.NoError(t, err)
			aliceClub, err := alice.JoinGroup(ctx, pga, "alice", "open sesame")
			require.NoError(t, err)
			// A password group's members accept its traffic only from
			// members: its rendezvous joins it too.
			rdvClub, err := rdv.JoinGroup(ctx, pga, "rdv", "open sesame")
			require.NoError(t, err)

			// Inside the group: the rendezvous serves it for its edges.
			leased(t, aliceClub, rdv)
			leased(t, bobClub, rdv)
			pipe := advert.NewPipeAdv(pga.GroupID, advert.PipeUnicast, "members-only")
			require.NoError(t, aliceClub.Discovery().Publish(pipe, 0, 0))
			got := find(t, bobClub, advert.Adv, "Name", "members-only")
			assert.Equal(t, pipe.PipeID.ID, got[0].Adv.ID())
			assert.True(t, rdvClub.Admitted(alice.ID()) && rdvClub.Admitted(bob.ID()), "the edges proved their membership to the rendezvous")
			assert.True(t, aliceClub.Admitted(rdv.ID()), "and the rendezvous to them")

			// The Net group does not see the group's advertisements.
			entries, err := bob.NetGroup().Discovery().Local(advert.Adv, "Name", "members-only", 10)
			require.NoError(t, err)
			assert.Empty(t, entries)

			require.NoError(t, bob.LeaveGroup(remote.GroupID))
			_, joined = bob.Group(remote.GroupID)
			assert.False(t, joined)
			assert.ErrorIs(t, bob.LeaveGroup(remote.GroupID), ErrNotJoined)
			assert.Error(t, bob.LeaveGroup(jxta.NetGroupID))
		})
	}
}

func TestEdgesFailOverWhenTheirRendezvousDies(t *testing.T) {
	nw := networks()[1]
	r1 := nw.peer(t, "r1", true)
	r2 := nw.peer(t, "r2", true, r1)
	alice := nw.peer(t, "alice", false, r1, r2)
	bob := nw.peer(t, "bob", false, r2, r1)
	// Which seed each edge leases with first depends on which connection
	// comes up first; alice's rendezvous is the one that dies.
	var first jxta.PeerID
	require.Eventually(t, func() bool {
		rdvs := alice.NetGroup().Rendezvous().RendezVous()
		if len(rdvs) > 0 {
			first = rdvs[0]
		}
		return len(rdvs) > 0 && len(bob.NetGroup().Rendezvous().RendezVous()) > 0
	}, 15*time.Second, 10*time.Millisecond, "the edges get leases")
	dead, alive := r1, r2
	if first == r2.ID() {
		dead, alive = r2, r1
	}

	require.NoError(t, dead.Close())
	start := time.Now()
	leased(t, alice.NetGroup(), alive)
	assert.Less(t, time.Since(start), 2*2*time.Second+time.Second, "a new lease within two lease periods")
	leased(t, bob.NetGroup(), alive)

	pipe := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "after-failover")
	require.NoError(t, bob.NetGroup().Discovery().Publish(pipe, 0, 0))
	got := find(t, alice.NetGroup(), advert.Adv, "Name", "after-failover")
	assert.Equal(t, pipe.PipeID.ID, got[0].Adv.ID(), "discovery keeps working")
}

func TestPublishedAdvertisementsSurviveARestart(t *testing.T) {
	home := t.TempDir()
	n := start(t, Config{Name: "keeper", Home: home})
	pipe := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "kept")
	require.NoError(t, n.NetGroup().Discovery().Publish(pipe, 0, 0))
	require.NoError(t, n.Close())

	again := start(t, Config{Home: home})
	entries, err := again.NetGroup().Discovery().Local(advert.Adv, "Name", "kept", 10)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	a, err := entries[0].Advertisement()
	require.NoError(t, err)
	assert.Equal(t, pipe.PipeID.ID, a.ID())
}

func TestGroupTree(t *testing.T) {
	n := start(t, Config{Network: endpoint.NewMemNetwork()})
	groups := n.Groups()
	require.Len(t, groups, 2)
	assert.Equal(t, jxta.WorldGroupID, groups[0].ID())
	assert.Equal(t, jxta.NetGroupID, groups[1].ID())
	assert.Equal(t, n.WorldGroup(), n.NetGroup().Parent())

	pga, err := n.CreateGroup(nil, group.GroupOptions{Name: "open"})
	require.NoError(t, err)
	g, err := n.JoinGroup(context.Background(), pga, "", "")
	require.NoError(t, err)
	assert.Equal(t, n.NetGroup(), g.Parent())
	again, err := n.JoinGroup(context.Background(), pga, "", "")
	require.NoError(t, err)
	assert.Same(t, g, again, "joining twice returns the running group")
	assert.Len(t, n.Groups(), 3)
}

func TestRendezvousJoinsAGroupItServes(t *testing.T) {
	nw := networks()[1]
	rdv := nw.peer(t, "rdv", true)
	alice := nw.peer(t, "alice", false, rdv)
	leased(t, alice.NetGroup(), rdv)
	pga, err := alice.CreateGroup(nil, group.GroupOptions{Name: "open"})
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	aliceOpen, err := alice.JoinGroup(ctx, pga, "alice", "")
	require.NoError(t, err)
	leased(t, aliceOpen, rdv)
	require.Contains(t, rdv.ServedGroups(), pga.GroupID)

	rdvOpen, err := rdv.JoinGroup(ctx, pga, "rdv", "")
	require.NoError(t, err)
	assert.NotContains(t, rdv.ServedGroups(), pga.GroupID, "the joined group replaces the served one")
	pipe := advert.NewPipeAdv(pga.GroupID, advert.PipeUnicast, "from-the-rdv")
	require.NoError(t, rdvOpen.Discovery().Publish(pipe, 0, 0))
	got := find(t, aliceOpen, advert.Adv, "Name", "from-the-rdv")
	assert.Equal(t, pipe.PipeID.ID, got[0].Adv.ID(), "the joined group's handlers answer")
}

// TestMaxEdges: a rendezvous started with MaxEdges 1 grants one lease in
// the Net group and refuses the second edge.
func TestMaxEdges(t *testing.T) {
	nw := networks()[0] // real TCP
	cfg := Config{Name: "rdv", Rendezvous: true, MaxEdges: 1, Lease: 2 * time.Second}
	rdv := start(t, cfg)
	alice := nw.peer(t, "alice", false, rdv)
	leased(t, alice.NetGroup(), rdv)
	bob := nw.peer(t, "bob", false, rdv)
	require.Eventually(t, func() bool { return bob.Endpoint().Connected(rdv.ID()) }, 15*time.Second, 10*time.Millisecond)
	// Bob asks (each ask waits a quarter of the lease for a grant) and is
	// refused: after several asks he still holds no lease.
	time.Sleep(2 * time.Second)
	assert.Empty(t, bob.NetGroup().Rendezvous().RendezVous(), "the second edge got a lease beyond MaxEdges 1")
	assert.Len(t, rdv.NetGroup().Rendezvous().Edges(), 1)
}
