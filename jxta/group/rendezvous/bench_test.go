package rendezvous

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta/endpoint"
)

// BenchmarkPeerViewConvergence measures, on the in-memory network, how
// many gossip periods R = 100 rendezvous seeded only with the first take
// until every view holds all the others (from the start of the first),
// against goal G10 of 10 x log2(R) periods: ratio-to-goal must stay at or
// below 1.
func BenchmarkPeerViewConvergence(b *testing.B) {
	const r = 100
	const period = 50 * time.Millisecond
	for range b.N {
		nw := network{"mem", endpoint.NewMemNetwork()}
		start := time.Now()
		seed := nw.start(b, "r0", spec{role: Rendezvous, period: period})
		all := []*testPeer{seed}
		for i := 1; i < r; i++ {
			all = append(all, nw.start(b, fmt.Sprint("r", i), spec{role: Rendezvous, period: period, seeds: []*testPeer{seed}}))
		}
		for !viewsComplete(all) {
			if time.Since(start) > time.Minute {
				b.Fatal("no convergence within a minute")
			}
			time.Sleep(time.Millisecond)
		}
		periods := float64(time.Since(start)) / float64(period)
		b.ReportMetric(periods, "periods")
		b.ReportMetric(periods/(10*math.Log2(r)), "ratio-to-goal")
		for _, p := range all {
			p.svc.Close()
			p.ep.Close()
		}
	}
}

// BenchmarkPeerViewSimulated runs the peer view protocol without a network
// (see simulation) for R = 100 and 580 rendezvous seeded with the first,
// and reports the rounds (gossip periods) until every view holds all the
// others, against goal G10 of 10 x log2(R) periods, and against G10's
// 30 periods for R = 580 (30 s with a period of 1 s).
func BenchmarkPeerViewSimulated(b *testing.B) {
	for _, r := range []int{100, 580} {
		b.Run(fmt.Sprint("R=", r), func(b *testing.B) {
			for i := range b.N {
				rounds := float64(newSimulation(b, r, uint64(i)).run(300))
				b.ReportMetric(rounds, "periods")
				b.ReportMetric(rounds/(10*math.Log2(float64(r))), "ratio-to-goal")
				if r == 580 {
					b.ReportMetric(rounds/30, "ratio-to-30-periods")
				}
			}
		})
	}
}

// BenchmarkFailoverOnStop measures, on the in-memory network, how long an
// edge takes to hold a lease with another rendezvous after its own stops
// being one (SetRole, which tells it), against the baseline of one lease
// asked and granted (Connect to the rendezvous it holds a lease with),
// measured in the same iteration. The edge is connected to both
// beforehand, so that no dial is measured. Leases last an hour, so no
// renewal helps: a small ratio-to-lease-ask means the edge moved on at
// once (the failover is the stop's Disconnect, then one lease asked).
func BenchmarkFailoverOnStop(b *testing.B) {
	const lease = time.Hour
	nw := network{"mem", endpoint.NewMemNetwork()}
	var asks, failovers time.Duration
	for range b.N {
		r1 := nw.start(b, "r1", spec{role: Rendezvous, lease: lease})
		r2 := nw.start(b, "r2", spec{role: Rendezvous, lease: lease})
		moved := make(chan struct{}, 1)
		e := nw.start(b, "e", spec{role: Edge, lease: lease, seeds: []*testPeer{r1, r2}, tune: func(c *Config) {
			c.Notify = func(ev Event) {
				if ev.Kind == LeaseGranted && ev.Peer == r2.id() {
					moved <- struct{}{}
				}
			}
		}})
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		for !slices.Contains(e.svc.RendezVous(), r1.id()) {
			if ctx.Err() != nil {
				b.Fatal("no lease within 10 s")
			}
			time.Sleep(100 * time.Microsecond)
		}
		if err := e.ep.ConnectPeer(ctx, r2.id()); err != nil { // a dial is no part of the failover
			b.Fatal(err)
		}
		start := time.Now()
		if err := e.svc.Connect(ctx, r1.id()); err != nil {
			b.Fatal(err)
		}
		asks += time.Since(start)
		start = time.Now()
		if err := r1.svc.SetRole(ctx, Edge); err != nil {
			b.Fatal(err)
		}
		select {
		case <-moved:
		case <-ctx.Done():
			b.Fatal("no failover within 10 s")
		}
		failovers += time.Since(start)
		cancel()
		for _, p := range []*testPeer{e, r1, r2} {
			p.svc.Close()
			p.ep.Close()
		}
	}
	b.ReportMetric(float64(failovers.Microseconds())/float64(b.N), "failover-µs")
	b.ReportMetric(float64(failovers)/float64(asks), "ratio-to-lease-ask")
}
