package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"
)

// main parses the flags, runs the workloads and prints the table.
func main() {
	var (
		o          options
		rounds     int
		only       string
		contenders string
		disc       discoveryOptions
	)
	flag.IntVar(&rounds, "rounds", 5, "interleaved rounds (each contender runs once a round; figures are medians over rounds)")
	flag.StringVar(&only, "workloads", "bulk,rtt,hol,open,msgs,start,idle", "comma-separated workloads to run, of "+workloadNames())
	flag.StringVar(&only, "only", "bulk,rtt,hol,open,msgs,start,idle", "the same as -workloads")
	flag.StringVar(&contenders, "contenders", "", "comma-separated substrings: run only the contenders whose name has one (default all)")
	flag.IntVar(&o.bulkBytes, "bulk-mib", 32, "bulk: MiB per contender per round")
	flag.IntVar(&o.rtts, "rtts", 1000, "rtt: round trips per contender per round")
	flag.IntVar(&o.holRTTs, "hol-rtts", 300, "hol: round trips per contender per round, idle and again busy (a busy one takes milliseconds)")
	flag.IntVar(&o.opens, "opens", 300, "open: opens per contender per round")
	flag.IntVar(&o.msgs, "msgs", 10000, "msgs: 1 KiB messages per contender per round")
	flag.IntVar(&o.startPeers, "start-peers", 3, "start: peers started per contender per round")
	flag.IntVar(&o.idlePeers, "idle-peers", 50, "idle: connected peers per contender per round (the issue's figure: 1000)")
	flag.IntVar(&disc.max, "discovery-max", 1000, "discovery (gojxta only, a table of its own): swarm sizes 10, 100, ... up to this (0: none; 10000: the issue's largest, minutes and ~16 GB)")
	flag.IntVar(&disc.queries, "discovery-queries", 200, "discovery: publish -> hit measurements per swarm size")
	flag.Parse()
	o.bulkBytes <<= 20
	cs := selectContenders(allContenders(), contenders)
	ws, err := selectWorkloads(only)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	fmt.Printf("gojxta bench: %s\n", time.Now().Format("2006-01-02 15:04 MST"))
	fmt.Printf("%s %s/%s, %d CPUs (GOMAXPROCS %d)\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), runtime.GOMAXPROCS(0))
	fmt.Printf("command: %s\n", strings.Join(append([]string{"cd bench && go run ."}, os.Args[1:]...), " "))
	fmt.Printf("rounds: %d; loopback; figures are medians over rounds, ratios medians of per-round ratios\n\n", rounds)
	t0 := time.Now()
	res, err := run(context.Background(), cs, ws, &o, rounds, os.Stderr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	res.print(os.Stdout)
	if err := discoveryTable(context.Background(), os.Stdout, os.Stderr, disc); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	fmt.Printf("\ntook %s\n", time.Since(t0).Round(100*time.Millisecond))
}

// allContenders lists every contender in table order.
func allContenders() []*contender {
	return slices.Concat(baselines(), gojxtas(), libp2ps())
}

// selectContenders keeps the contenders whose name contains one of the
// comma-separated substrings in filter (all for an empty filter).
func selectContenders(all []*contender, filter string) []*contender {
	if filter == "" {
		return all
	}
	var keep []*contender
	for _, c := range all {
		for f := range strings.SplitSeq(filter, ",") {
			if f != "" && strings.Contains(c.name, f) {
				keep = append(keep, c)
				break
			}
		}
	}
	return keep
}

// selectWorkloads returns the workloads named in the comma-separated list.
func selectWorkloads(list string) ([]workload, error) {
	var ws []workload
	for name := range strings.SplitSeq(list, ",") {
		i := slices.IndexFunc(workloads, func(w workload) bool { return w.name == name })
		if i < 0 {
			return nil, fmt.Errorf("unknown workload %q (have %s)", name, workloadNames())
		}
		ws = append(ws, workloads[i])
	}
	return ws, nil
}

// workloadNames lists the names of every workload, comma-separated.
func workloadNames() string {
	names := make([]string, len(workloads))
	for i, w := range workloads {
		names[i] = w.name
	}
	return strings.Join(names, ", ")
}

// results holds every figure: by column name, by contender name, one per
// round (NaN-free: a missing figure is absent from the map).
type results struct {
	cols       []column
	contenders []*contender
	rounds     int
	figs       map[string]map[string][]float64
}

// run runs the workloads one after another; within a workload, every
// contender is prepared, then the rounds run the contenders in an order
// that rotates each round, then everything is closed. Progress goes to
// progress.
func run(ctx context.Context, cs []*contender, ws []workload, o *options, rounds int, progress io.Writer) (*results, error) {
	res := &results{contenders: cs, rounds: rounds, figs: map[string]map[string][]float64{}}
	for _, w := range ws {
		res.cols = append(res.cols, w.cols...)
		for _, col := range w.cols {
			res.figs[col.name] = map[string][]float64{}
		}
		type ready struct {
			c     *contender
			round func(context.Context) ([]float64, error)
		}
		var rs []ready
		var cleanups closers
		fmt.Fprintf(progress, "%s:", w.name)
		for _, c := range cs {
			round, cleanup, err := w.prepare(ctx, c, o)
			if err != nil {
				cleanups.Close()
				return nil, fmt.Errorf("%s, %s: %w", w.name, c.name, err)
			}
			if round != nil {
				rs = append(rs, ready{c, round})
				cleanups = append(cleanups, cleanup)
			}
		}
		for r := range rounds {
			for i := range rs {
				x := rs[(i+r)%len(rs)]
				figs, err := x.round(ctx)
				if err != nil {
					cleanups.Close()
					return nil, fmt.Errorf("%s, %s, round %d: %w", w.name, x.c.name, r+1, err)
				}
				for k, col := range w.cols {
					res.figs[col.name][x.c.name] = append(res.figs[col.name][x.c.name], figs[k])
				}
			}
			fmt.Fprintf(progress, " %d", r+1)
		}
		fmt.Fprintln(progress)
		cleanups.Close()
	}
	return res, nil
}
