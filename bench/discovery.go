package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"runtime"
	"slices"
	"text/tabwriter"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group/discovery"
	"github.com/gojxta/gojxta/jxta/node"
)

// The discovery workload is gojxta's alone (go-libp2p has no
// publish/remote-query service to set beside it: its DHT's provider
// records are the nearest thing, with another model), so it prints a
// table of its own, one row per swarm size N: an in-memory swarm
// (endpoint.MemNetwork) of N edges and N/200 rendezvous (at least one),
// each edge seeded with one rendezvous and leased. Then, over and over,
// a random edge publishes a pipe advertisement of a fresh name and
// another random edge queries the group for it (Remote, threshold 1,
// 100 ms per attempt) until it has it: the time from Publish to that
// first hit, against an endpoint round trip between two edges of the
// same swarm, timed alternately with it.

// edgesPerRendezvous sizes the rendezvous tier of a swarm, as the main
// module's BenchmarkDiscoveryLatency does.
const edgesPerRendezvous = 200

// discoveryRow is one swarm size's figures.
type discoveryRow struct {
	n, rdvs       int
	start         time.Duration // starting the swarm until every edge has a lease
	heapPerPeerKB float64       // live heap per peer, after start-up
	hit, rtt      time.Duration // medians
	hit90         time.Duration
	ratio         float64 // hit / rtt, medians
	queries       int
}

// swarm is an in-memory gojxta network of rendezvous and edges.
type swarm struct {
	rdvs, edges []*node.Node
}

func (s *swarm) close() {
	for _, n := range slices.Concat(s.edges, s.rdvs) {
		n.Close()
	}
}

// startSwarm starts n edges and their rendezvous on one MemNetwork and
// waits until every edge has a lease.
func startSwarm(ctx context.Context, n int) (*swarm, error) {
	mem := endpoint.NewMemNetwork()
	s := &swarm{}
	r := max(1, n/edgesPerRendezvous)
	for i := range r {
		cfg := node.Config{Name: fmt.Sprint("rdv", i), Network: mem, Rendezvous: true}
		if i > 0 {
			cfg.Seeds = []string{s.rdvs[0].Addresses()[0].String()}
		}
		nd, err := node.Start(ctx, cfg)
		if err != nil {
			s.close()
			return nil, err
		}
		s.rdvs = append(s.rdvs, nd)
	}
	for i := range n {
		seed := s.rdvs[i%r].Addresses()[0].String()
		nd, err := node.Start(ctx, node.Config{Name: fmt.Sprint("edge", i), Network: mem, Seeds: []string{seed}})
		if err != nil {
			s.close()
			return nil, err
		}
		s.edges = append(s.edges, nd)
	}
	deadline := time.Now().Add(5 * time.Minute)
	for _, e := range s.edges {
		for len(e.NetGroup().Rendezvous().RendezVous()) == 0 {
			if time.Now().After(deadline) {
				s.close()
				return nil, fmt.Errorf("%s has no lease after 5 minutes", e.Name())
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	return s, nil
}

// discoveryRound publishes on a random edge and queries from another
// until the query finds it, and returns how long that took.
func (s *swarm) discoveryRound(ctx context.Context, seq int) (time.Duration, error) {
	pub := s.edges[rand.IntN(len(s.edges))]
	query := s.edges[rand.IntN(len(s.edges))]
	for query == pub {
		query = s.edges[rand.IntN(len(s.edges))]
	}
	name := fmt.Sprintf("bench-%d-%d", seq, rand.Int())
	t0 := time.Now()
	if err := pub.NetGroup().Discovery().Publish(advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, name), 0, 0); err != nil {
		return 0, err
	}
	for deadline := t0.Add(10 * time.Second); ; {
		qctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		ch, err := query.NetGroup().Discovery().Remote(qctx, jxta.PeerID{}, advert.Adv, "Name", name, 1)
		if err != nil {
			cancel()
			return 0, err
		}
		got := discovery.Collect(ch, 1)
		cancel()
		if len(got) > 0 {
			return time.Since(t0), nil
		}
		if time.Now().After(deadline) {
			return 0, fmt.Errorf("%s not found in 10 s", name)
		}
	}
}

// echo returns a function timing one endpoint round trip between two
// edges of s, connected directly.
func (s *swarm) echo() func(context.Context) (time.Duration, error) {
	a, b := s.edges[0], s.edges[len(s.edges)-1]
	a.Endpoint().AddPeer(b.Endpoint().PeerAdv())
	b.Handle("bench-echo", "", endpoint.HandlerFunc(func(in *endpoint.Incoming) {
		b.Send(context.Background(), in.Peer, "bench-reply", "", jxta.NewMessage())
	}))
	replies := make(chan struct{}, 1)
	a.Handle("bench-reply", "", endpoint.HandlerFunc(func(*endpoint.Incoming) { replies <- struct{}{} }))
	return func(ctx context.Context) (time.Duration, error) {
		t0 := time.Now()
		if err := a.Send(ctx, b.ID(), "bench-echo", "", jxta.NewMessage()); err != nil {
			return 0, err
		}
		select {
		case <-replies:
			return time.Since(t0), nil
		case <-time.After(10 * time.Second):
			return 0, fmt.Errorf("no echo from %s in 10 s", b.Name())
		}
	}
}

// runDiscovery measures each swarm size in sizes: queries
// publish-to-hit rounds, each followed by one endpoint round trip, after
// a warm-up of a tenth of them (at least 10). Progress goes to progress.
func runDiscovery(ctx context.Context, sizes []int, queries int, progress io.Writer) ([]discoveryRow, error) {
	var rows []discoveryRow
	for _, n := range sizes {
		fmt.Fprintf(progress, "discovery N=%d: start", n)
		runtime.GC()
		var before runtime.MemStats
		runtime.ReadMemStats(&before)
		t0 := time.Now()
		s, err := startSwarm(ctx, n)
		if err != nil {
			return nil, fmt.Errorf("discovery, N=%d: %w", n, err)
		}
		row := discoveryRow{n: n, rdvs: len(s.rdvs), start: time.Since(t0), queries: queries}
		runtime.GC()
		var after runtime.MemStats
		runtime.ReadMemStats(&after)
		row.heapPerPeerKB = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(n+len(s.rdvs)) / 1024
		fmt.Fprintf(progress, " %s, queries", row.start.Round(100*time.Millisecond))
		rtt := s.echo()
		var hits, rtts []time.Duration
		for i := range max(10, queries/10) + queries {
			h, err := s.discoveryRound(ctx, i)
			if err != nil {
				s.close()
				return nil, fmt.Errorf("discovery, N=%d: %w", n, err)
			}
			r, err := rtt(ctx)
			if err != nil {
				s.close()
				return nil, fmt.Errorf("discovery, N=%d: %w", n, err)
			}
			if i >= max(10, queries/10) {
				hits, rtts = append(hits, h), append(rtts, r)
			}
		}
		fmt.Fprintln(progress, " done")
		s.close()
		row.hit90 = percentile(slices.Clone(hits), 0.9)
		row.hit, row.rtt = percentile(hits, 0.5), percentile(rtts, 0.5)
		if row.rtt > 0 {
			row.ratio = float64(row.hit) / float64(row.rtt)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// discoverySizes returns 10, 100, 1,000, ... up to max.
func discoverySizes(maxN int) []int {
	var out []int
	for n := 10; n <= maxN; n *= 10 {
		out = append(out, n)
	}
	return out
}

// printDiscovery writes the discovery table, with how the ratio grows
// from one size to the next.
func printDiscovery(w io.Writer, rows []discoveryRow) {
	if len(rows) == 0 {
		return
	}
	fmt.Fprintln(w, "\ndiscovery, gojxta only (go-libp2p has no equivalent service): in-memory swarm, publish -> first remote hit")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "N\trendezvous\tstart-up s\theap KB/peer\thit p50 µs\thit p90 µs\tendpoint rtt p50 µs\thit ÷ rtt\tgrowth\t")
	for i, r := range rows {
		growth := "–"
		if i > 0 && rows[i-1].ratio > 0 {
			growth = fmt.Sprintf("%.2fx", r.ratio/rows[i-1].ratio)
		}
		fmt.Fprintf(tw, "%d\t%d\t%.1f\t%s\t%s\t%s\t%s\t%.1fx\t%s\t\n", r.n, r.rdvs, r.start.Seconds(), figure(r.heapPerPeerKB),
			figure(micros(r.hit)), figure(micros(r.hit90)), figure(micros(r.rtt)), r.ratio, growth)
	}
	tw.Flush()
	fmt.Fprintf(w, "%d queries per N (after a warm-up), each followed by one endpoint round trip; growth is the ratio over the previous N's.\n", rows[0].queries)
	for _, r := range rows {
		if r.n == 1000 {
			verdict := "met"
			if r.ratio > 20 {
				verdict = "MISSED"
			}
			fmt.Fprintf(w, "goal (issue 17): discovery at N = 1,000 ≤ 20x the endpoint rtt: %.1fx  %s\n", r.ratio, verdict)
		}
	}
}

// discoveryOptions is the work of the discovery workload.
type discoveryOptions struct {
	max     int // the largest swarm (sizes 10, 100, ... up to it; 0: none)
	queries int // publish -> hit measurements per size
}

// discoveryTable runs the discovery workload for the sizes o asks for
// and prints its table to w.
func discoveryTable(ctx context.Context, w, progress io.Writer, o discoveryOptions) error {
	rows, err := runDiscovery(ctx, discoverySizes(o.max), o.queries, progress)
	if err != nil {
		return err
	}
	printDiscovery(w, rows)
	return nil
}
