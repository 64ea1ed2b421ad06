package main

import (
	"regexp"
	"testing"
)

// TestRendezvousBringUp is demo session F, "rendezvous bring-up and
// inspection", with three jxtashell processes on loopback and multicast
// off: none is started as a rendezvous. One becomes a rendezvous with
// rdvcontrol rdv start; two edges, seeded with nobody, connect to it with
// rdvcontrol edge connect; rdvstatus on each side shows the leases, route
// and transports the connections. When the rendezvous stops, its edges
// are told at once.
func TestRendezvousBringUp(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs three jxtashell processes")
	}
	bin := buildShell(t)
	common := []string{"--listen", "tcp://127.0.0.1:0", "--no-multicast"}
	rdv := startShell(t, bin, append([]string{"--home", t.TempDir(), "--name", "rdv"}, common...)...)
	m := rdv.waitFor(t, "whoami", regexp.MustCompile(`Peer ID   : (urn:jxta:uuid-\w+)\n(?:.*\n)*?Addresses : (tcp://127\.0\.0\.1:\d+)`))
	rdvID, addr := regexp.QuoteMeta(m[1]), m[2]
	rdv.waitFor(t, "rdvstatus", regexp.MustCompile(`Role       : edge\nRendezvous : none yet`))

	rdv.run(t, "rdvcontrol rdv start")
	rdv.waitFor(t, "", regexp.MustCompile(`NetPeerGroup: this peer is a rendezvous now`))
	rdv.waitFor(t, "rdvstatus", regexp.MustCompile(`Role       : rendezvous\nPeer view  : empty`))

	var edges []*shellProcess
	for _, name := range []string{"alice", "bob"} {
		edge := startShell(t, bin, append([]string{"--home", t.TempDir(), "--name", name}, common...)...)
		edge.run(t, "rdvcontrol edge connect "+addr)
		edge.waitFor(t, "", regexp.MustCompile(`NetPeerGroup: lease with rdv `+rdvID+`, ends in \d+m\d+s`))
		edge.waitFor(t, "rdvstatus", regexp.MustCompile(`Role       : edge\nRendezvous : rdv `+rdvID+` lease ends in \d+m\d+s\nSeed       : rdv `+rdvID))
		edge.waitFor(t, "route", regexp.MustCompile(`rdv `+rdvID+`\n  Connected : `+regexp.QuoteMeta(addr)+` \(outbound, up \d+s\)`))
		edges = append(edges, edge)
	}
	rdv.waitFor(t, "rdvstatus -v", regexp.MustCompile(`Role       : rendezvous\n(?:Edge       : (?:alice|bob) urn:jxta:uuid-\w+ lease ends in \d+m\d+s\n){2}(?:.*\n)*Counters   : `))
	rdv.waitFor(t, "transports", regexp.MustCompile(`Connections: 2\n  (?:alice|bob) urn:jxta:uuid-\w+ tcp://127\.0\.0\.1:\d+ inbound `))

	rdv.run(t, "rdvcontrol rdv stop")
	rdv.waitFor(t, "", regexp.MustCompile(`NetPeerGroup: this peer is an edge now`))
	for _, edge := range edges {
		edge.waitFor(t, "rdvstatus", regexp.MustCompile(`Role       : edge\nRendezvous : none: lost rdv `+rdvID+` \d+s ago; asking the seeds and known rendezvous for a lease`))
	}
}
