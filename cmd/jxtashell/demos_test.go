package main

import (
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// TestFirstContact is the JXSE shell's demo A with two jxtashell
// processes on TCP: alice alone sees herself; bob, seeded with her
// address, appears in her peers after peers -r; groups -r and groups list
// the Net group.
func TestFirstContact(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs two jxtashell processes")
	}
	bin := buildShell(t)
	alice := startShell(t, bin, "--home", t.TempDir(), "--name", "alice", "--listen", "tcp://127.0.0.1:0", "--no-multicast")
	m := alice.waitFor(t, "whoami", regexp.MustCompile(`(?s)Name      : alice\nPeer ID   : (urn:jxta:uuid-\w+)\nKey       : Ed25519 SHA256:[A-Za-z0-9+/]{43}\nGroup     : NetPeerGroup urn:jxta:jxta-NetGroup\nAddresses : (tcp://127\.0\.0\.1:\d+)`))
	aliceID, addr := m[1], m[2]
	alice.waitFor(t, "peers", regexp.MustCompile(`(?m)^peer0: name = alice$`))

	bob := startShell(t, bin, edgeArgs(t, "bob", addr)...)
	// A script stops at its first failure, and peers -r fails while alice
	// has nobody to ask: wait for bob's connection.
	alice.waitFor(t, "transports", regexp.MustCompile(`(?m)^  bob urn:jxta:uuid-\S+ tcp://127\.0\.0\.1:\d+ inbound`))
	alice.waitEvery(t, "peers -r -w 1s", regexp.MustCompile(`(?m)^peer\d+: name = bob \(from urn:jxta:uuid-\w+\) \[verified\]$`), 2*time.Second)
	alice.waitFor(t, "peers", regexp.MustCompile(`(?s)peer\d+: name = (alice|bob)( \[verified\])?\npeer\d+: name = (alice|bob)( \[verified\])?\n`))
	bob.waitEvery(t, "groups -r -w 1s", regexp.MustCompile(`(?m)^group\d+: name = NetPeerGroup \(from `+aliceID+`\)$`), 2*time.Second)
	bob.waitFor(t, "groups", regexp.MustCompile(`(?m)^group\d+: name = NetPeerGroup$`))
}

// TestGroupSession is the JXSE shell's demo B in one jxtashell process:
// make a group, join it, see it with whoami -g, go back to the parent with
// chpgrp -p, return, and leave it for good with leave -k.
func TestGroupSession(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a jxtashell process")
	}
	bin := buildShell(t)
	sh := startShell(t, bin, "--home", t.TempDir(), "--name", "alice", "--listen", "tcp://127.0.0.1:0", "--no-multicast")
	sh.expect(t, "g = newpgrp -n mygroup", regexp.MustCompile(`g = group mygroup urn:jxta:uuid-\w+ \(none membership\)`))
	sh.expect(t, "join -d g", regexp.MustCompile(`joined mygroup as alice; it is the current group`))
	sh.waitFor(t, "whoami -g", regexp.MustCompile(`(?s)Name      : mygroup\n.*Parent    : NetPeerGroup urn:jxta:jxta-NetGroup\n`))
	sh.expect(t, "chpgrp -p", regexp.MustCompile(`the current group is NetPeerGroup`))
	sh.waitFor(t, "join", regexp.MustCompile(`(?m)^  mygroup urn:jxta:uuid-\w+$`))
	sh.expect(t, "chpgrp g", regexp.MustCompile(`the current group is mygroup`))
	sh.expect(t, "leave -k", regexp.MustCompile(`left and deleted mygroup; the current group is NetPeerGroup`))
	sh.run(t, "echo groups:; groups; echo end")
	m := sh.waitFor(t, "", regexp.MustCompile(`(?s)\ngroups:\n(.*)\nend\n`))
	assert.Contains(t, m[1], "name = NetPeerGroup")
	assert.NotContains(t, m[1], "mygroup", "the group is gone from the cache")
}
