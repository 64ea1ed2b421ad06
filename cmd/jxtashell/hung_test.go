package main

import (
	"regexp"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHungRendezvousFailsOver stops (SIGSTOP, not kills) the rendezvous an
// edge holds its lease with: its connection stays open and silent. The
// edge notices through the connection's keep-alives and takes a lease
// with the other rendezvous within the keep-alive bound (6s) and a
// second. Before keep-alives were tuned, this took 33s.
func TestHungRendezvousFailsOver(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs three jxtashell processes")
	}
	bin := buildShell(t)
	r1, addr1 := startRendezvous(t, bin)
	r2 := startShell(t, bin, "--home", t.TempDir(), "--name", "rdv2", "--rdv", "--listen", "tcp://127.0.0.1:0", "--no-multicast", "--seed", addr1)
	addr2 := r2.waitFor(t, "whoami", regexp.MustCompile(`Addresses : (tcp://127\.0\.0\.1:\d+)`))[1]
	edge := startShell(t, bin, append(edgeArgs(t, "edge", addr1), "--seed", addr2)...)
	m := edge.waitFor(t, "rdvstatus", regexp.MustCompile(`Rendezvous : (rdv2?) urn`))
	hung, other := r1, "rdv2"
	if m[1] == "rdv2" {
		hung, other = r2, "rdv"
	}

	require.NoError(t, hung.cmd.Process.Signal(syscall.SIGSTOP))
	t.Cleanup(func() { _ = hung.cmd.Process.Signal(syscall.SIGCONT) }) // runs before the shells' own cleanups
	start := time.Now()
	now := regexp.MustCompile(`Rendezvous : ` + other + ` urn`)
	for {
		mark := len(edge.output())
		edge.run(t, "rdvstatus")
		time.Sleep(100 * time.Millisecond)
		if now.MatchString(edge.output()[mark:]) {
			break
		}
		require.Less(t, time.Since(start), 30*time.Second, "no failover; output:\n%s", edge.output())
	}
	took := time.Since(start)
	t.Logf("failed over from a hung rendezvous in %v", took.Round(100*time.Millisecond))
	assert.Less(t, took, 7*time.Second, "within the keep-alive bound (6s) and a second")
}
