package main

import (
	"context"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/wiretest"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/node"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestQueryWaitsForTheSeed is the first-hour issue's example: a shell run
// with -e whose first commands are a remote search and a join, started
// before its seed (a rendezvous that has the group) is up. The search waits
// for the seed within its -w, returns as soon as the group is found, and
// the join finds the group.
func TestQueryWaitsForTheSeed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs jxtashell")
	}
	bin := buildShell(t)
	// The rendezvous has the group in its cache from an earlier run, so
	// that it can answer the first query it gets.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	home := t.TempDir()
	rdv, err := node.Start(ctx, node.Config{Name: "rdv", Home: home, Rendezvous: true, Listen: []string{"tcp://127.0.0.1:0"}})
	require.NoError(t, err)
	_, err = rdv.CreateGroup(nil, group.GroupOptions{Name: "club"})
	require.NoError(t, err)
	require.NoError(t, rdv.Close())

	addr := "tcp://" + wiretest.FreeAddr(t)
	edge := exec.Command(bin, "--home", t.TempDir(), "--name", "bob", "--listen", "tcp://127.0.0.1:0", "--seed", addr, "--no-multicast", "-x",
		"-e", "groups -r -a Name -v club -w 10s; join -d group0")
	var out strings.Builder
	edge.Stdout, edge.Stderr = &out, &out
	began := time.Now()
	require.NoError(t, edge.Start())

	time.Sleep(500 * time.Millisecond) // bob's first queries find nobody
	rdv, err = node.Start(ctx, node.Config{Home: home, Rendezvous: true, Listen: []string{addr}})
	require.NoError(t, err)
	defer rdv.Close()

	require.NoError(t, edge.Wait(), "output:\n%s", out.String())
	took := time.Since(began)
	assert.Regexp(t, `(?m)^group0: name = club \(from urn:jxta:uuid-\w+\)$`, out.String())
	assert.Contains(t, out.String(), "joined club as bob")
	assert.Less(t, took, 8*time.Second, "the search returns once the group is found, not after its -w")
}

// TestUnreachableSeed: a seed nobody answers at gets one warning line
// without -v, the shell goes on (exit status 0) and keeps retrying, and a
// remote search says, at the end of its -w, why nobody was asked.
func TestUnreachableSeed(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs jxtashell")
	}
	bin := buildShell(t)
	addr := "tcp://" + wiretest.FreeAddr(t)
	cmd := exec.Command(bin, "--home", t.TempDir(), "--listen", "tcp://127.0.0.1:0", "--seed", addr, "--no-multicast", "-x",
		"-e", "sleep 1500; rdvstatus")
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	require.NoError(t, cmd.Run(), "stderr:\n%s", stderr.String())
	assert.Equal(t, "jxtashell: warning: seed "+addr+" unreachable: connection refused (retrying)\n", stderr.String(),
		"one line, however often it is retried")
	assert.Contains(t, stdout.String(), "Rendezvous : none yet; retrying the seeds until one answers (see Seed)")
	assert.Regexp(t, `(?m)^Seed       : `+regexp.QuoteMeta(addr)+` unreachable, retrying since \d\d:\d\d:\d\d \(connection refused, [2-9] attempts\)$`, stdout.String())

	cmd = exec.Command(bin, "--home", t.TempDir(), "--listen", "tcp://127.0.0.1:0", "--seed", addr, "--no-multicast", "-x",
		"-e", "search -r -w 1s")
	out, err := cmd.CombinedOutput()
	require.Error(t, err)
	assert.Contains(t, string(out), "search: no rendezvous or connected peer reached within 1s: "+addr+": connection refused")
}

// TestRendezvousStatusTellsTheStory: rdvstatus lists the seed once after
// its rendezvous went away and came back, and an edge without a rendezvous
// says which one it lost and what it does about it.
func TestRendezvousStatusTellsTheStory(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs jxtashell")
	}
	bin := buildShell(t)
	addr := "tcp://" + wiretest.FreeAddr(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rdv, err := node.Start(ctx, node.Config{Name: "rdv", Rendezvous: true, Listen: []string{addr}})
	require.NoError(t, err)
	edge := startShell(t, bin, edgeArgs(t, "bob", addr)...)
	edge.waitFor(t, "rdvstatus", regexp.MustCompile(`Rendezvous : rdv urn:jxta:uuid-\w+ lease ends in`))

	require.NoError(t, rdv.Close())
	edge.waitFor(t, "rdvstatus", regexp.MustCompile(`Rendezvous : none: lost rdv urn:jxta:uuid-\w+ \d+s ago; retrying the seeds until one answers \(see Seed\)`))

	again, err := node.Start(ctx, node.Config{Name: "rdv2", Rendezvous: true, Listen: []string{addr}})
	require.NoError(t, err)
	defer again.Close()
	m := edge.waitFor(t, "rdvstatus", regexp.MustCompile(`Rendezvous : rdv2 urn:jxta:uuid-\w+ lease ends in .*\n((?:.*\n)*?)Seed       : (.*)\n`))
	mark := len(edge.output())
	edge.expect(t, "rdvstatus", regexp.MustCompile(`(?s)Group.*Seed.*\n`))
	time.Sleep(200 * time.Millisecond)
	status := edge.output()[mark:]
	assert.Equal(t, 1, strings.Count(status, "Seed       :"), "the seed is listed once:\n%s", status)
	assert.Contains(t, status, "Seed       : rdv2 "+again.ID().String()+" at "+addr+", connected since ", m[0])
}
