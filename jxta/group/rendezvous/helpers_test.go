package rendezvous

import (
	"cmp"
	"context"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/testlog"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// network is where test peers run: TCP on loopback, or in memory.
type network struct {
	name string
	mem  *endpoint.MemNetwork // nil for TCP
}

func networks() []network {
	return []network{{"tcp", nil}, {"mem", endpoint.NewMemNetwork()}}
}

var peerCount atomic.Int64

// newEndpoint starts an endpoint named name on nw.
func (nw network) newEndpoint(t testing.TB, name string) (*endpoint.Endpoint, *slog.Logger, *testlog.Buffer) {
	t.Helper()
	logger, lb := testlog.New()
	cfg := endpoint.Config{Name: name, Logger: logger}
	if nw.mem != nil {
		cfg.Listen = []jxta.Address{{Protocol: "mem", Host: fmt.Sprintf("%s-%d", name, peerCount.Add(1))}}
		cfg.Transports = []endpoint.Transport{nw.mem}
	} else {
		cfg.Listen = []jxta.Address{jxta.MustParseAddress("tcp://127.0.0.1:0")}
	}
	ep, err := endpoint.New(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { ep.Close() })
	return ep, logger, lb
}

// spec describes a test peer.
type spec struct {
	role   Role
	lease  time.Duration // default 1 minute
	period time.Duration // gossip period; default 50 ms
	seeds  []*testPeer
	tune   func(*Config)
}

// testPeer is an endpoint with a rendezvous service in the Net group,
// and a handler for service app/x whose deliveries it collects.
type testPeer struct {
	ep  *endpoint.Endpoint
	svc *Service
	log *testlog.Buffer
	got chan *endpoint.Incoming

	mu  sync.Mutex
	evs []Event
}

// start starts a test peer on nw.
func (nw network) start(t testing.TB, name string, sp spec) *testPeer {
	t.Helper()
	ep, logger, lb := nw.newEndpoint(t, name)
	p := &testPeer{ep: ep, log: lb, got: make(chan *endpoint.Incoming, 100)}
	ids := make([]jxta.PeerID, len(sp.seeds))
	for i, s := range sp.seeds {
		ep.AddPeer(s.ep.PeerAdv())
		ids[i] = s.ep.ID()
	}
	cfg := Config{Group: jxta.NetGroupID, Endpoint: ep, Role: sp.role,
		Lease: cmp.Or(sp.lease, time.Minute), GossipPeriod: cmp.Or(sp.period, 50*time.Millisecond),
		Seeds:  func() []jxta.PeerID { return ids },
		Notify: p.record, Logger: logger}
	if sp.tune != nil {
		sp.tune(&cfg)
	}
	svc, err := New(cfg)
	require.NoError(t, err)
	p.svc = svc
	ep.HandleFunc("app", "x", func(in *endpoint.Incoming) {
		select {
		case p.got <- in:
		default: // tests that look read them; fuzzing does not
		}
	})
	t.Cleanup(func() { p.svc.Close() })
	return p
}

func (p *testPeer) id() jxta.PeerID { return p.ep.ID() }

func (p *testPeer) record(e Event) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.evs = append(p.evs, e)
}

// events counts the events of kind about peer.
func (p *testPeer) events(kind EventKind, peer jxta.PeerID) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, e := range p.evs {
		if e.Kind == kind && e.Peer == peer {
			n++
		}
	}
	return n
}

// hasEvents waits until p was told of n events of kind about peer (the
// service tells them after its state changed), and checks there were
// no more.
func hasEvents(t *testing.T, p *testPeer, kind EventKind, peer jxta.PeerID, n int, msgAndArgs ...any) {
	t.Helper()
	require.Eventually(t, func() bool { return p.events(kind, peer) >= n }, 10*time.Second, 5*time.Millisecond, msgAndArgs...)
	assert.Equal(t, n, p.events(kind, peer), msgAndArgs...)
}

// kill stops the peer as a crash would look from outside: its endpoint
// closes, connections and all.
func (p *testPeer) kill() { p.ep.Close() }

// leasedWith waits until edge holds a lease with rdv.
func leasedWith(t *testing.T, edge, rdv *testPeer) {
	t.Helper()
	require.Eventually(t, func() bool {
		r := edge.svc.RendezVous()
		return len(r) == 1 && r[0] == rdv.id()
	}, 10*time.Second, 5*time.Millisecond, "%s never held a lease with %s", edge.ep.PeerAdv().Name, rdv.ep.PeerAdv().Name)
}

// hasEdge waits until rdv holds a lease granted to edge.
func hasEdge(t *testing.T, rdv, edge *testPeer) {
	t.Helper()
	require.Eventually(t, func() bool {
		for _, l := range rdv.svc.Edges() {
			if l.Peer == edge.id() {
				return true
			}
		}
		return false
	}, 10*time.Second, 5*time.Millisecond)
}

// viewsComplete reports whether the view of each peer holds as many
// peers as there are others (cheaply: benchmarks poll it).
func viewsComplete(all []*testPeer) bool {
	for _, p := range all {
		v := p.svc.g.view
		v.mu.Lock()
		n := len(v.entries)
		v.mu.Unlock()
		if n != len(all)-1 {
			return false
		}
	}
	return true
}

// received waits for a message on p's app/x handler.
func received(t *testing.T, p *testPeer) *endpoint.Incoming {
	t.Helper()
	select {
	case in := <-p.got:
		return in
	case <-time.After(10 * time.Second):
		t.Fatalf("%s: nothing delivered", p.ep.PeerAdv().Name)
		return nil
	}
}

func ctxT(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	t.Cleanup(cancel)
	return ctx
}
