package node

import (
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/benchratio"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group/discovery"
)

// swarm is N edges and R rendezvous on one in-memory network, every edge
// leased with a rendezvous.
type swarm struct {
	rdvs  []*Node
	edges []*Node
}

// edgesPerRendezvous sizes the rendezvous tier of a swarm.
const edgesPerRendezvous = 200

func startSwarm(tb testing.TB, n int) *swarm {
	tb.Helper()
	mem := endpoint.NewMemNetwork()
	ctx := context.Background()
	s := &swarm{}
	r := max(1, n/edgesPerRendezvous)
	for i := range r {
		cfg := Config{Name: fmt.Sprint("rdv", i), Network: mem, Rendezvous: true}
		if i > 0 {
			cfg.Seeds = []string{s.rdvs[0].Addresses()[0].String()}
		}
		node, err := Start(ctx, cfg)
		if err != nil {
			tb.Fatal(err)
		}
		s.rdvs = append(s.rdvs, node)
	}
	for i := range n {
		rdv := s.rdvs[i%r]
		node, err := Start(ctx, Config{Name: fmt.Sprint("edge", i), Network: mem, Seeds: []string{rdv.Addresses()[0].String()}})
		if err != nil {
			tb.Fatal(err)
		}
		s.edges = append(s.edges, node)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for _, e := range s.edges {
		for len(e.NetGroup().Rendezvous().RendezVous()) == 0 {
			if time.Now().After(deadline) {
				tb.Fatalf("%s has no lease", e.Name())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return s
}

func (s *swarm) close() {
	for _, n := range append(s.edges, s.rdvs...) {
		n.Close()
	}
}

// BenchmarkDiscoveryLatency measures the time from a publish on one edge
// to the first remote-query hit on another (ours) against an endpoint
// round trip between two edges in the same run (baseline). Issue 17's
// goal: at N = 1,000, a median at most 20x the round trip.
func BenchmarkDiscoveryLatency(b *testing.B) {
	for _, n := range []int{10, 100, 1000} {
		b.Run(fmt.Sprint("N=", n), func(b *testing.B) {
			s := startSwarm(b, n)
			defer s.close()
			echoA, echoB := s.edges[0], s.edges[len(s.edges)-1]
			echoA.Endpoint().AddPeer(echoB.Endpoint().PeerAdv())
			echoB.Handle("bench-echo", "", endpoint.HandlerFunc(func(in *endpoint.Incoming) {
				echoB.Send(context.Background(), in.Peer, "bench-reply", "", jxta.NewMessage())
			}))
			replies := make(chan struct{}, 1)
			echoA.Handle("bench-reply", "", endpoint.HandlerFunc(func(*endpoint.Incoming) { replies <- struct{}{} }))
			ctx := context.Background()
			seq := 0
			benchratio.CompareLatency(b, "x-endpoint-rtt", func() {
				seq++
				pub := s.edges[rand.IntN(len(s.edges))]
				query := s.edges[rand.IntN(len(s.edges))]
				for query == pub {
					query = s.edges[rand.IntN(len(s.edges))]
				}
				name := fmt.Sprintf("bench-%d-%d", seq, rand.Int())
				if err := pub.NetGroup().Discovery().Publish(advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, name), 0, 0); err != nil {
					b.Fatal(err)
				}
				for deadline := time.Now().Add(10 * time.Second); ; {
					qctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
					ch, err := query.NetGroup().Discovery().Remote(qctx, jxta.PeerID{}, advert.Adv, "Name", name, 1)
					if err != nil {
						b.Fatal(err)
					}
					got := discovery.Collect(ch, 1)
					cancel()
					if len(got) > 0 {
						return
					}
					if time.Now().After(deadline) {
						b.Fatalf("%s never found", name)
					}
				}
			}, func() {
				if err := echoA.Send(ctx, echoB.ID(), "bench-echo", "", jxta.NewMessage()); err != nil {
					b.Fatal(err)
				}
				<-replies
			})
		})
	}
}

// BenchmarkIdlePeer reports the heap and goroutines each idle edge costs
// in a swarm of 1,000 (goal: under 100 KB and 10 goroutines).
func BenchmarkIdlePeer(b *testing.B) {
	const n = 1000
	for range b.N {
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		g0 := runtime.NumGoroutine()
		s := startSwarm(b, n)
		time.Sleep(time.Second) // let the handshakes and first pushes settle
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		peers := float64(len(s.edges) + len(s.rdvs))
		b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/peers/1024, "KB/peer")
		b.ReportMetric(float64(runtime.NumGoroutine()-g0)/peers, "goroutines/peer")
		s.close()
	}
}
