package main

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"
)

// TestSmoke runs one tiny round of every workload on every contender, so
// that the benchmark keeps compiling and working; it checks that each
// contender has the figures it should and that the table prints them.
func TestSmoke(t *testing.T) {
	o := options{bulkBytes: 1 << 20, rtts: 20, holRTTs: 20, opens: 5, msgs: 100, startPeers: 1, idlePeers: 2}
	var progress bytes.Buffer
	res, err := run(context.Background(), allContenders(), workloads, &o, 1, &progress)
	if err != nil {
		t.Fatal(err)
	}
	// The contenders whose link opens streams of one connection.
	muxed := []string{"yamux/tcp", "yamux/tls", "gojxta pipe", "libp2p default", "libp2p noise", "libp2p tls"}
	for _, c := range allContenders() {
		for _, col := range res.cols {
			_, ok := res.value(col.name, c.name)
			want := map[string]bool{
				"bulk MB/s": c.link != nil || c.pump != nil, "64B rtt p50 µs": c.link != nil || c.rtt != nil,
				"hol busy÷idle":      slices.Contains(muxed, c.name),
				"open+echo+close /s": c.link != nil, "1KiB msgs/s": c.link != nil || c.pump != nil,
				"start ms": c.start != nil, "idle KB/peer": c.hub != nil,
			}
			if w, known := want[col.name]; known && ok != w {
				t.Errorf("%s, %s: figure present %v, want %v", c.name, col.name, ok, w)
			}
		}
	}
	var out bytes.Buffer
	res.print(&out)
	for _, s := range []string{
		"gojxta pipe ÷ yamux/tls", "gojxta pipe ÷ libp2p default", "gojxta endpoint ÷ yamux/tls",
		"goals (issue 17)", "endpoint 64 KiB bulk", "pipe hol busy p99", "(floor, yamux/tls peer:",
	} {
		if !strings.Contains(out.String(), s) {
			t.Errorf("table lacks %q:\n%s", s, out.String())
		}
	}
	if testing.Verbose() {
		t.Log("\n" + out.String())
	}
}

// TestSelect checks the selection of contenders and workloads by name.
func TestSelect(t *testing.T) {
	if got := selectContenders(allContenders(), "libp2p,yamux/tls"); len(got) != 5 { // yamux/tls matches yamux/tls peer too
		t.Errorf("selected %d contenders, want 5", len(got))
	}
	if ws, err := selectWorkloads("hol"); err != nil || len(ws) != 1 || ws[0].name != "hol" {
		t.Errorf("selecting hol: %v, %v", ws, err)
	}
	if _, err := selectWorkloads("bulk,nonsense"); err == nil {
		t.Error("an unknown workload was accepted")
	}
}

// TestDiscoverySmoke runs the discovery workload on a tiny swarm and
// checks that its table prints the row.
func TestDiscoverySmoke(t *testing.T) {
	var progress, out bytes.Buffer
	rows, err := runDiscovery(context.Background(), []int{4}, 5, &progress)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0].hit <= 0 || rows[0].rtt <= 0 || rows[0].ratio <= 0 {
		t.Fatalf("rows %+v", rows)
	}
	printDiscovery(&out, rows)
	if !strings.Contains(out.String(), "publish -> first remote hit") {
		t.Errorf("table lacks its title:\n%s", out.String())
	}
	if got := discoverySizes(10000); !slices.Equal(got, []int{10, 100, 1000, 10000}) {
		t.Errorf("sizes %v", got)
	}
}
