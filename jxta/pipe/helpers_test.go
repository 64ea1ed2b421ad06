package pipe_test

import (
	"context"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/node"
	"github.com/gojxta/gojxta/jxta/pipe"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// network is where the test peers run: real TCP on loopback or in memory.
type network struct {
	name string
	mem  *endpoint.MemNetwork
}

func networks() []network {
	return []network{{"tcp", nil}, {"mem", endpoint.NewMemNetwork()}}
}

// peer starts a node on nw: a rendezvous, or an edge seeded with seeds.
func (nw network) peer(t testing.TB, name string, rdv bool, seeds ...*node.Node) *node.Node {
	t.Helper()
	cfg := node.Config{Name: name, Network: nw.mem, Rendezvous: rdv, Lease: 2 * time.Second, GossipPeriod: 100 * time.Millisecond}
	if nw.mem == nil {
		cfg.Listen = []string{"tcp://127.0.0.1:0"}
	}
	for _, s := range seeds {
		cfg.Seeds = append(cfg.Seeds, s.Addresses()[0].String())
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	n, err := node.Start(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { n.Close() })
	return n
}

// star starts a rendezvous and edges leased with it.
func (nw network) star(t testing.TB, edges ...string) (*node.Node, []*node.Node) {
	t.Helper()
	rdv := nw.peer(t, "rdv", true)
	var out []*node.Node
	for _, name := range edges {
		out = append(out, nw.peer(t, name, false, rdv))
	}
	for _, e := range out {
		leased(t, e.NetGroup(), rdv)
	}
	return rdv, out
}

// leased waits until g holds a lease with rdv.
func leased(t testing.TB, g *group.Group, rdv *node.Node) {
	t.Helper()
	require.Eventually(t, func() bool {
		for _, p := range g.Rendezvous().RendezVous() {
			if p == rdv.ID() {
				return true
			}
		}
		return false
	}, 15*time.Second, 10*time.Millisecond, "no lease with the rendezvous")
}

// pipes returns n's pipe service in the Net group.
func pipes(n *node.Node) *pipe.Service { return n.NetGroup().Pipes() }

// ctxT returns a context ending after d or with the test.
func ctxT(t testing.TB, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
