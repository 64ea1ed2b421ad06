package rendezvous

import (
	"fmt"
	"math"
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
