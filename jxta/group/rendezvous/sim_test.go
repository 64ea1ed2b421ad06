package rendezvous

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/require"
)

// simulation runs the peer view protocol of r rendezvous without a
// network or a clock: each round, every rendezvous in random order probes
// its partner, and the probe, the answer and the push are handed over at
// once, through the same encoding and parsing as on the wire. All are
// seeded with rendezvous 0 only.
type simulation struct {
	t      testing.TB
	period time.Duration
	now    time.Time
	round  uint64
	rng    *rand.Rand
	nodes  []*simNode
	byID   map[jxta.PeerID]*simNode
}

type simNode struct {
	id   jxta.PeerID
	doc  []byte
	view *peerView
	down bool
}

func newSimulation(t testing.TB, r int, seed uint64) *simulation {
	sim := &simulation{t: t, period: time.Second, now: time.Unix(1_700_000_000, 0),
		rng: rand.New(rand.NewPCG(seed, 1)), byID: make(map[jxta.PeerID]*simNode)}
	for i := range r {
		pa := &advert.PeerAdv{PeerID: jxta.NewPeerID(jxta.NetGroupID), GroupID: jxta.NetGroupID, Name: fmt.Sprint("r", i)}
		require.NoError(t, pa.SetEndpointAddresses([]string{fmt.Sprintf("mem://r%d", i)}))
		n := &simNode{id: pa.PeerID, doc: advert.Marshal(pa),
			view: newPeerView(pa.PeerID, sim.period, rand.New(rand.NewPCG(seed, uint64(i)+2)))}
		sim.nodes = append(sim.nodes, n)
		sim.byID[n.id] = n
	}
	return sim
}

// step runs one gossip round.
func (sim *simulation) step() {
	defer func() { sim.round++ }() // the first round is round 0, as in the service
	sim.now = sim.now.Add(sim.period)
	seeds := []jxta.PeerID{sim.nodes[0].id}
	for _, i := range sim.rng.Perm(len(sim.nodes)) {
		n := sim.nodes[i]
		if n.down {
			continue
		}
		n.view.expire(sim.now)
		to, ok := n.view.partner(seeds, sim.round)
		if !ok {
			continue
		}
		peer := sim.byID[to]
		if peer.down {
			n.view.remove(to, sim.now) // the dial fails
			continue
		}
		reply := sim.deliver(n, peer, n.view.probe(n.doc, sim.now))
		if reply == nil {
			continue
		}
		if push := sim.deliver(peer, n, reply); push != nil {
			require.Nil(sim.t, sim.deliver(n, peer, push), "a push is not answered")
		}
	}
}

// deliver hands m from a to b and returns b's answer.
func (sim *simulation) deliver(a, b *simNode, m *jxta.Message) *jxta.Message {
	g, err := parseGossip(m, a.id)
	require.NoError(sim.t, err)
	reply, _, err := b.view.receive(g, b.doc, sim.now)
	require.NoError(sim.t, err)
	return reply
}

// converged reports whether every live view holds every other live node.
func (sim *simulation) converged() bool {
	live := 0
	for _, n := range sim.nodes {
		if !n.down {
			live++
		}
	}
	for _, n := range sim.nodes {
		if n.down {
			continue
		}
		n.view.mu.Lock()
		ok := len(n.view.entries) == live-1
		for id := range n.view.entries {
			ok = ok && !sim.byID[id].down
		}
		n.view.mu.Unlock()
		if !ok {
			return false
		}
	}
	return true
}

// run steps until converged, at most limit rounds, and returns how many
// rounds it took.
func (sim *simulation) run(limit int) int {
	for r := 1; r <= limit; r++ {
		sim.step()
		if sim.converged() {
			return r
		}
	}
	sim.t.Fatalf("no convergence within %d rounds", limit)
	return 0
}

func TestSimulatedPeerViewConverges(t *testing.T) {
	const r = 32
	sim := newSimulation(t, r, 1)
	rounds := sim.run(200)
	goal := 10 * 5 // 10 x log2(32)
	t.Logf("%d rendezvous converged in %d rounds (goal %d)", r, rounds, goal)
	require.LessOrEqual(t, rounds, goal)

	// A steady view keeps every live peer: ages stay below the expiry.
	for range 60 {
		sim.step()
		require.True(t, sim.converged(), "round %d: a live peer left a view", sim.round)
	}

	// A dead rendezvous leaves every view: its gossip partners find it
	// unreachable, the others see its age grow.
	sim.nodes[r-1].down = true
	rounds = sim.run(200)
	t.Logf("a dead rendezvous left every view in %d rounds", rounds)
}
