package main

import (
	"bytes"
	"fmt"
	"io"
	"math"
	"strings"
	"text/tabwriter"
)

// A ratio is a row of the table comparing two contenders round by round.
type ratio struct{ ours, base string }

// ratios are the comparisons the table gives: gojxta against the floor
// of its design (bare yamux over TLS, with gojxta's yamux configuration),
// against go-libp2p's defaults, and its message APIs against its pipe
// (MessageConn) or the floor (endpoint messages).
var ratios = []ratio{
	{"gojxta pipe", "yamux/tls"},
	{"gojxta pipe", "libp2p default"},
	{"gojxta MessageConn", "gojxta pipe"},
	{"gojxta MessageConn", "libp2p default"},
	{"gojxta endpoint", "yamux/tls"},
	{"gojxta endpoint", "libp2p default"},
}

// value returns the median figure of contender c in column col.
func (r *results) value(col, c string) (float64, bool) {
	v, ok := r.figs[col][c]
	if !ok || len(v) == 0 {
		return 0, false
	}
	return median(v), true
}

// has reports whether the table has column col.
func (r *results) has(col string) bool {
	_, ok := r.figs[col]
	return ok
}

// ratio returns the median over rounds of ours/base in column col.
func (r *results) ratio(col string, x ratio) (float64, bool) {
	a, b := r.figs[col][x.ours], r.figs[col][x.base]
	if len(a) == 0 || len(a) != len(b) {
		return 0, false
	}
	q := make([]float64, len(a))
	for i := range a {
		if b[i] == 0 {
			return 0, false
		}
		q[i] = a[i] / b[i]
	}
	return median(q), true
}

// figure formats a figure with about three significant digits.
func figure(v float64) string {
	switch a := math.Abs(v); {
	case a >= 1000:
		return fmt.Sprintf("%.0f", v)
	case a >= 100:
		return fmt.Sprintf("%.0f", v)
	case a >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

// print writes the table: one row per contender, then one per ratio.
func (r *results) print(w io.Writer) {
	var buf bytes.Buffer
	tw := tabwriter.NewWriter(&buf, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := []string{""}
	for _, c := range r.cols {
		arrow := "↓"
		if c.higher {
			arrow = "↑"
		}
		head = append(head, c.name+" "+arrow)
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	for _, c := range r.contenders {
		row := []string{c.name}
		any := false
		for _, col := range r.cols {
			if v, ok := r.value(col.name, c.name); ok {
				row = append(row, figure(v))
				any = true
			} else {
				row = append(row, "–")
			}
		}
		if any {
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		}
	}
	// An empty row of as many cells keeps the ratios in their columns.
	fmt.Fprintln(tw, strings.Repeat("\t", len(r.cols)+1))
	for _, x := range ratios {
		row := []string{x.ours + " ÷ " + x.base}
		any := false
		for _, col := range r.cols {
			if v, ok := r.ratio(col.name, x); ok {
				row = append(row, fmt.Sprintf("%.2fx", v))
				any = true
			} else {
				row = append(row, "–")
			}
		}
		if any {
			fmt.Fprintln(tw, strings.Join(row, "\t")+"\t")
		}
	}
	tw.Flush()
	for line := range strings.Lines(buf.String()) { // without the padding at the end
		fmt.Fprintln(w, strings.TrimRight(line, " \n"))
	}
	fmt.Fprintln(w, "\n↑ higher is better, ↓ lower is better; a ratio is gojxta's figure over the other's.")
	fmt.Fprintln(w, "yamux/tls is the floor: bare go-yamux (gojxta's configuration) over TLS 1.3.")
	if r.has("bulk MB/s") || r.has("1KiB msgs/s") {
		fmt.Fprintln(w, "bulk and msgs: one-way writes on one stream; for MessageConn and endpoint, messages of 64 KiB / 1 KiB.")
	}
	if r.has("hol busy÷idle") {
		fmt.Fprintf(w, "hol: 64 B round trips on one stream, alone (idle) and beside %d streams of the same connection moving bulk data\n", holStreams)
		fmt.Fprintln(w, "  (busy); tcp and tls have no multiplexer, so no figure: their streams would be connections of their own.")
	}
	r.printGoals(w)
}

// A goal is one of issue 17's targets.
type goal struct {
	what string
	col  string
	x    ratio
	// abs, when set, checks gojxta's own figure instead of a ratio.
	abs bool
	max bool // the figure must be at most limit (else at least)
	lim float64
	// floor, for an abs goal, names the contender whose figure is the
	// floor under it, printed beside it: a goal below its floor cannot
	// be met by the stack built on it.
	floor string
}

// goals are issue 17's targets, checked below the table.
var goals = []goal{
	{what: "pipe bulk ≥ 0.95x bare yamux/tls", col: "bulk MB/s", x: ratio{"gojxta pipe", "yamux/tls"}, lim: 0.95},
	{what: "pipe 64 B rtt p50 ≤ 1.05x bare yamux/tls", col: "64B rtt p50 µs", x: ratio{"gojxta pipe", "yamux/tls"}, max: true, lim: 1.05},
	{what: "pipe open+echo+close ≥ 1.0x bare yamux/tls", col: "open+echo+close /s", x: ratio{"gojxta pipe", "yamux/tls"}, lim: 1.0},
	{what: "pipe hol busy p99 ≤ 20x idle p99", col: "hol busy÷idle", x: ratio{ours: "gojxta pipe"}, abs: true, max: true, lim: 20, floor: "yamux/tls"},
	{what: "endpoint 64 B rtt p50 ≤ 1.1x bare yamux/tls", col: "64B rtt p50 µs", x: ratio{"gojxta endpoint", "yamux/tls"}, max: true, lim: 1.1},
	{what: "endpoint 64 KiB bulk ≥ 0.9x bare yamux/tls", col: "bulk MB/s", x: ratio{"gojxta endpoint", "yamux/tls"}, lim: 0.9},
	{what: "MessageConn 64 B rtt p50 ≤ 1.05x raw pipe", col: "64B rtt p50 µs", x: ratio{"gojxta MessageConn", "gojxta pipe"}, max: true, lim: 1.05},
	{what: "MessageConn 1 KiB rate ≥ 0.9x raw pipe", col: "1KiB msgs/s", x: ratio{"gojxta MessageConn", "gojxta pipe"}, lim: 0.9},
	{what: "idle peer < 100 KB", col: "idle KB/peer", x: ratio{ours: "gojxta pipe"}, abs: true, max: true, lim: 100, floor: "yamux/tls peer"},
	{what: "idle peer < 10 goroutines", col: "idle goroutines/peer", x: ratio{ours: "gojxta pipe"}, abs: true, max: true, lim: 10, floor: "yamux/tls peer"},
}

// printGoals checks the targets, and whether gojxta's pipe is
// ahead of go-libp2p's defaults in every column.
func (r *results) printGoals(w io.Writer) {
	fmt.Fprintln(w, "\ngoals (issue 17):")
	check := func(what string, v float64, ok, max bool, lim float64, unit, floor string) {
		if !ok {
			return
		}
		verdict := "met"
		if (max && v > lim) || (!max && v < lim) {
			verdict = "MISSED"
		}
		fmt.Fprintf(w, "  %-48s %8s%s  %s%s\n", what, figure(v), unit, verdict, floor)
	}
	for _, g := range goals {
		if g.abs {
			v, ok := r.value(g.col, g.x.ours)
			floor := ""
			if f, ok := r.value(g.col, g.floor); ok && g.floor != "" {
				floor = fmt.Sprintf("  (floor, %s: %s)", g.floor, figure(f))
			}
			check(g.what, v, ok, g.max, g.lim, "", floor)
		} else {
			v, ok := r.ratio(g.col, g.x)
			check(g.what, v, ok, g.max, g.lim, "x", "")
		}
	}
	for _, col := range r.cols {
		x := ratio{"gojxta pipe", "libp2p default"}
		if _, ok := r.figs[col.name]["gojxta pipe"]; !ok {
			x.ours = "gojxta MessageConn"
		}
		v, ok := r.ratio(col.name, x)
		check("ahead of libp2p default: "+col.name, v, ok, !col.higher, 1, "x", "")
	}
}
