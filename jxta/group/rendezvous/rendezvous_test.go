package rendezvous

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/testlog"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// net is where test peers run: TCP on loopback or in memory.
type net struct {
	name   string
	mem    *endpoint.MemNetwork
	period time.Duration // gossip period; 50 ms if zero
}

func nets() []net { return []net{{"tcp", nil, 0}, {"mem", endpoint.NewMemNetwork(), 0}} }

type peer struct {
	ep  *endpoint.Endpoint
	svc *Service
	log *testlog.Buffer
	got chan *endpoint.Incoming
	mu  sync.Mutex
	evs []Event
}

func (p *peer) events(kind EventKind) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	n := 0
	for _, e := range p.evs {
		if e.Kind == kind {
			n++
		}
	}
	return n
}

// start starts a peer in role, looking for rendezvous among seeds.
func (nw net) start(t testing.TB, name string, role Role, lease time.Duration, seeds ...*peer) *peer {
	t.Helper()
	log, lb := testlog.New()
	cfg := endpoint.Config{PeerID: jxta.NewPeerID(jxta.NetGroupID), Name: name, Logger: log}
	if nw.mem != nil {
		cfg.Listen = []jxta.Address{{Protocol: "mem", Host: name + "-" + fmt.Sprint(time.Now().UnixNano())}}
		cfg.Transports = []endpoint.Transport{nw.mem}
	} else {
		cfg.Listen = []jxta.Address{jxta.MustParseAddress("tcp://127.0.0.1:0")}
	}
	ep, err := endpoint.New(cfg)
	require.NoError(t, err)
	p := &peer{ep: ep, log: lb, got: make(chan *endpoint.Incoming, 100)}
	for _, s := range seeds {
		ep.AddPeer(s.ep.PeerAdv())
	}
	ids := make([]jxta.PeerID, len(seeds))
	for i, s := range seeds {
		ids[i] = s.ep.ID()
	}
	period := nw.period
	if period == 0 {
		period = 50 * time.Millisecond
	}
	svc, err := New(Config{Group: jxta.NetGroupID, Endpoint: ep, Role: role, Lease: lease, GossipPeriod: period,
		Seeds:  func() []jxta.PeerID { return ids },
		Notify: func(e Event) { p.mu.Lock(); p.evs = append(p.evs, e); p.mu.Unlock() },
		Logger: log})
	require.NoError(t, err)
	p.svc = svc
	ep.HandleFunc("app", "x", func(in *endpoint.Incoming) { p.got <- in })
	t.Cleanup(func() { p.close() })
	return p
}

func (p *peer) close() { p.svc.Close(); p.ep.Close() }

func leasedWith(t *testing.T, edge, rdv *peer, within time.Duration) {
	t.Helper()
	require.Eventually(t, func() bool {
		r := edge.svc.RendezVous()
		return len(r) == 1 && r[0] == rdv.ep.ID()
	}, within, 5*time.Millisecond)
}

func TestLeaseAndFailover(t *testing.T) {
	for _, nw := range nets() {
		t.Run(nw.name, func(t *testing.T) {
			const lease = 500 * time.Millisecond
			r1, r2 := nw.start(t, "r1", Rendezvous, lease), nw.start(t, "r2", Rendezvous, lease)
			edge := nw.start(t, "edge", Edge, lease, r1, r2)
			leasedWith(t, edge, r1, 10*time.Second)
			require.Eventually(t, func() bool { return len(r1.svc.Edges()) == 1 }, 5*time.Second, 5*time.Millisecond)
			assert.Equal(t, edge.ep.ID(), r1.svc.Edges()[0].Peer)
			assert.Equal(t, 1, edge.events(LeaseGranted))

			time.Sleep(2 * lease) // renewals keep the lease
			leasedWith(t, edge, r1, time.Second)
			assert.Equal(t, 1, edge.events(LeaseGranted), "renewals are not new leases")

			r1.close()
			start := time.Now()
			leasedWith(t, edge, r2, 10*time.Second)
			assert.Less(t, time.Since(start), 2*lease+time.Second, "a new lease within two lease periods")
			assert.Equal(t, 1, edge.events(LeaseLost))

			edge.svc.Close()
			require.Eventually(t, func() bool { return len(r2.svc.Edges()) == 0 }, 5*time.Second, 5*time.Millisecond, "Disconnect ends the lease")
			assert.Equal(t, 1, r2.events(EdgeDisconnected))
		})
	}
}

func TestLeasesAreBounded(t *testing.T) {
	nw := nets()[1]
	rdv := nw.start(t, "rdv", Rendezvous, time.Minute)
	rdv.svc.cfg.MaxEdges = 1
	a := nw.start(t, "a", Edge, time.Minute, rdv)
	leasedWith(t, a, rdv, 5*time.Second)
	b := nw.start(t, "b", Edge, time.Minute, rdv)
	require.Eventually(t, func() bool { return strings.Contains(rdv.log.String(), "too many edges") }, 5*time.Second, 5*time.Millisecond)
	assert.Empty(t, b.svc.RendezVous())
}

func TestPropagationReachesEachPeerOnce(t *testing.T) {
	for _, nw := range nets() {
		t.Run(nw.name, func(t *testing.T) {
			r1 := nw.start(t, "r1", Rendezvous, time.Minute)
			r2 := nw.start(t, "r2", Rendezvous, time.Minute, r1)
			r3 := nw.start(t, "r3", Rendezvous, time.Minute, r1, r2)
			for _, r := range []*peer{r1, r2, r3} {
				require.Eventually(t, func() bool { return len(r.svc.PeerView()) == 2 }, 10*time.Second, 5*time.Millisecond, "triangle view")
			}
			e1 := nw.start(t, "e1", Edge, time.Minute, r1)
			e3 := nw.start(t, "e3", Edge, time.Minute, r3)
			leasedWith(t, e1, r1, 5*time.Second)
			leasedWith(t, e3, r3, 5*time.Second)

			m := jxta.NewMessage()
			m.AddString(jxta.NamespaceApp, "text", "hello")
			require.NoError(t, e1.svc.Propagate(context.Background(), m, "app", "x", 10))
			for _, p := range []*peer{r1, r2, r3, e3} {
				select {
				case in := <-p.got:
					txt, _ := in.Message.String(jxta.NamespaceApp, "text")
					assert.Equal(t, "hello", txt)
					_, hasHeader := in.Message.Get(jxta.NamespaceJXTA, protocol.PropagateElementPrefix+jxta.NetGroupID.Unique())
					assert.False(t, hasHeader)
				case <-time.After(10 * time.Second):
					t.Fatal("not delivered")
				}
			}
			time.Sleep(200 * time.Millisecond)
			for _, p := range []*peer{r1, r2, r3, e3, e1} {
				assert.Empty(t, p.got, "exactly once, never back to the sender")
			}
		})
	}
}

// sendRaw sends a propagated message with header h from a to b.
func sendRaw(t *testing.T, a, b *peer, h string) {
	m := jxta.NewMessage()
	if h != "" {
		m.AddXML(jxta.NamespaceJXTA, protocol.PropagateElementPrefix+jxta.NetGroupID.Unique(), []byte(h))
	}
	require.NoError(t, a.ep.SendTo(context.Background(), b.ep.ID(), PropagateService, jxta.NetGroupID.Unique(), m))
}

func header(id string, ttl int, path ...jxta.PeerID) string {
	return string(advert.Marshal(&protocol.RendezVousPropagateMessage{MessageID: id, DestSName: "app", DestSParam: "x", TTL: ttl, Path: path}))
}

func TestHostilePropagationIsDropped(t *testing.T) {
	nw := nets()[1]
	r := nw.start(t, "r", Rendezvous, time.Minute)
	a := nw.start(t, "a", Edge, time.Minute, r)
	leasedWith(t, a, r, 5*time.Second)
	sendRaw(t, a, r, "")                                      // no header
	sendRaw(t, a, r, "<garbage")                              // bad header
	sendRaw(t, a, r, header("loop", 5, a.ep.ID(), r.ep.ID())) // r on the path
	sendRaw(t, a, r, header("spent", 0, a.ep.ID()))           // TTL 0
	sendRaw(t, a, r, header("forged", 1_000_000, a.ep.ID()))  // TTL beyond any clamp
	sendRaw(t, a, r, header("ok", 3, a.ep.ID()))              // delivered
	sendRaw(t, a, r, header("ok", 3, a.ep.ID()))              // duplicate
	select {
	case <-r.got:
	case <-time.After(5 * time.Second):
		t.Fatal("the good message was not delivered")
	}
	require.Eventually(t, func() bool { return r.svc.Status().Dropped == 6 }, 5*time.Second, 5*time.Millisecond)
	assert.Empty(t, r.got)
	log := r.log.String()
	for _, want := range []string{"without a header", "bad propagation header", "propagation loop", "spent or forged"} {
		assert.Contains(t, log, want)
	}
}

func TestAdHocPropagatesToConnectedPeers(t *testing.T) {
	nw := nets()[1]
	a, b := nw.start(t, "a", AdHoc, 0), nw.start(t, "b", AdHoc, 0)
	require.ErrorIs(t, a.svc.Propagate(context.Background(), jxta.NewMessage(), "app", "x", 5), ErrNoPeers)
	_, err := a.ep.Connect(context.Background(), b.ep.Addresses()[0])
	require.NoError(t, err)
	require.NoError(t, a.svc.Propagate(context.Background(), jxta.NewMessage(), "app", "x", 5))
	select {
	case <-b.got:
	case <-time.After(5 * time.Second):
		t.Fatal("not delivered")
	}
}

func TestPeerViewConverges(t *testing.T) {
	nw := nets()[1]
	const r = 12
	seed := nw.start(t, "r0", Rendezvous, time.Minute)
	all := []*peer{seed}
	for i := 1; i < r; i++ {
		all = append(all, nw.start(t, fmt.Sprint("r", i), Rendezvous, time.Minute, seed))
	}
	require.Eventually(t, func() bool { return viewsComplete(all) }, 20*time.Second, 10*time.Millisecond)

	all[r-1].close()
	require.Eventually(t, func() bool {
		return len(all[0].svc.PeerView()) == r-2
	}, 20*time.Second, 10*time.Millisecond, "a dead rendezvous leaves the view")
}

func viewsComplete(all []*peer) bool {
	for _, p := range all {
		if len(p.svc.PeerView()) != len(all)-1 {
			return false
		}
	}
	return true
}

// BenchmarkPeerViewConvergence measures how many gossip periods R = 100
// rendezvous, seeded only with the first, take until every view holds all
// the others, against the goal of 10 x log2(R) periods.
func BenchmarkPeerViewConvergence(b *testing.B) {
	const r = 100
	const period = 100 * time.Millisecond
	for range b.N {
		nw := net{"mem", endpoint.NewMemNetwork(), period}
		seed := nw.start(b, "r0", Rendezvous, time.Minute)
		all := []*peer{seed}
		start := time.Now()
		for i := 1; i < r; i++ {
			all = append(all, nw.start(b, fmt.Sprint("r", i), Rendezvous, time.Minute, seed))
		}
		for !viewsComplete(all) {
			if time.Since(start) > time.Minute {
				b.Fatal("no convergence within a minute")
			}
			time.Sleep(5 * time.Millisecond)
		}
		periods := float64(time.Since(start)) / float64(period)
		b.ReportMetric(periods, "periods")
		b.ReportMetric(periods/(10*6.644), "ratio-to-goal")
		for _, p := range all {
			p.close()
		}
	}
}

// FuzzHandlers feeds arbitrary element bytes to the lease, propagation and
// peer view handlers: they must drop what they cannot read, never panic.
func FuzzHandlers(f *testing.F) {
	f.Add([]byte(header("x", 3, jxta.NewPeerID(jxta.NetGroupID))), "Connect")
	f.Add([]byte("<jxta:PA><PID>urn:jxta:jxta-Null</PID></jxta:PA>"), "PeerView.PeerAdv")
	f.Add([]byte("12"), "ConnectedLease")
	nw := net{"mem", endpoint.NewMemNetwork(), 0}
	r := nw.start(f, "r", Rendezvous, time.Minute)
	e := nw.start(f, "e", Edge, time.Minute)
	f.Fuzz(func(t *testing.T, data []byte, name string) {
		m := jxta.NewMessage()
		m.AddBytes(jxta.NamespaceJXTA, name, data)
		m.AddBytes(jxta.NamespaceJXTA, protocol.PropagateElementPrefix+jxta.NetGroupID.Unique(), data)
		from := jxta.NewPeerID(jxta.NetGroupID)
		for _, p := range []*peer{r, e} {
			p.svc.serveLease(&endpoint.Incoming{Message: m.Clone(), Peer: from})
			p.svc.servePropagate(&endpoint.Incoming{Message: m.Clone(), Peer: from})
			p.svc.serveGossip(&endpoint.Incoming{Message: m.Clone(), Peer: from})
		}
	})
}
