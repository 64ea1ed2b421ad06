package main

import (
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestThreeShellsWithARendezvous is the group issue's acceptance scenario:
// three jxtashell processes with multicast off, one a rendezvous and two
// edges seeded with it. A pipe published on one edge is found by name on
// the other; each edge finds the other with peers -r; a password group made
// on one edge is found with groups -r on the other and joined with its
// password, after a wrong password is refused.
func TestThreeShellsWithARendezvous(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs three jxtashell processes")
	}
	bin := buildShell(t)
	rdv, addr := startRendezvous(t, bin)
	alice := startShell(t, bin, edgeArgs(t, "alice", addr)...)
	bob := startShell(t, bin, edgeArgs(t, "bob", addr)...)
	for _, edge := range []*shellProcess{alice, bob} {
		edge.waitFor(t, "rdvstatus", regexp.MustCompile(`Rendezvous : rdv urn:jxta:uuid-`))
	}
	rdv.waitFor(t, "rdvstatus", regexp.MustCompile(`(?s)Role       : rendezvous.*Edge       : (alice|bob) .*Edge       : (alice|bob) `))

	alice.run(t, "p = newpipe -n chat-room; publish -d p")
	bob.waitEvery(t, "search -r -w 1s -a Name -v chat-room", regexp.MustCompile(`(?m)^adv\d+: jxta:PipeAdvertisement name = chat-room \(from urn:jxta:uuid-\w+\)`), 2*time.Second)
	alice.waitEvery(t, "peers -r -w 1s", regexp.MustCompile(`(?m)^peer\d+: name = bob\b`), 2*time.Second)
	bob.waitEvery(t, "peers -r -w 1s", regexp.MustCompile(`(?m)^peer\d+: name = alice\b`), 2*time.Second)

	alice.run(t, "club = newpgrp -n club --password")
	alice.run(t, "open sesame")
	alice.waitFor(t, "env", regexp.MustCompile(`club = "peer group advertisement club"`))
	m := bob.waitEvery(t, "groups -r -w 1s -a Name -v club", regexp.MustCompile(`(?m)^(group\d+): name = club\b`), 2*time.Second)
	// A script stops at its first failing command, so the wrong password
	// is tried by a third peer, run with -e, reading it from stdin.
	carol := exec.Command(bin, append(edgeArgs(t, "carol", addr),
		"-e", "sleep 2000; groups -r -w 3s -a Name -v club; join -d group0")...)
	carol.Stdin = strings.NewReader("wrong password\n")
	out, err := carol.CombinedOutput()
	require.Error(t, err, "a wrong password fails the join: %s", out)
	assert.Contains(t, string(out), "group0: name = club")
	assert.Contains(t, string(out), "wrong password")
	assert.NotContains(t, string(out), "joined club")

	bob.run(t, "join -d "+m[1])
	bob.run(t, "open sesame")
	bob.waitFor(t, "", regexp.MustCompile(`joined club as bob; it is the current group`))
	bob.waitFor(t, "join", regexp.MustCompile(`(?m)^\* club urn:jxta:uuid-`))
}
