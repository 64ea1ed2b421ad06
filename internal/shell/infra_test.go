package shell_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/identity"
	"github.com/gojxta/gojxta/jxta/node"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWhoami(t *testing.T) {
	t.Parallel()
	s, n := peerSession(t, networks()[1].config("solo"))
	out := s.run(t, "whoami")
	assert.Equal(t, "Name      : solo\n"+
		"Peer ID   : "+n.ID().String()+"\n"+
		"Key       : Ed25519 "+identity.Fingerprint(n.Endpoint().Identity().PublicKey())+"\n"+
		"Group     : NetPeerGroup urn:jxta:jxta-NetGroup\n"+
		"Addresses : mem://solo\n", out)

	pa, err := advert.ParseAs[*advert.PeerAdv]([]byte(s.run(t, "whoami -l")))
	require.NoError(t, err)
	assert.Equal(t, n.ID(), pa.PeerID)
	assert.Equal(t, jxta.NetGroupID, pa.GroupID)
	assert.Equal(t, []string{"mem://solo"}, pa.EndpointAddresses())
	s.run(t, "me = whoami -l")
	assert.Equal(t, n.ID(), s.varAdv(t, "me").(*advert.PeerAdv).PeerID, "the advertisement is the result")

	assert.Equal(t, "Name      : NetPeerGroup\n"+
		"Group ID  : urn:jxta:jxta-NetGroup\n"+
		"Spec ID   : "+jxta.NetGroupSpecID.String()+"\n"+
		"Parent    : World PeerGroup urn:jxta:jxta-WorldGroup\n"+
		"Membership: none\n", s.run(t, "whoami -g"))
	pga, err := advert.ParseAs[*advert.GroupAdv]([]byte(s.run(t, "whoami -g -l")))
	require.NoError(t, err)
	assert.Equal(t, jxta.NetGroupID, pga.GroupID)
	assert.Equal(t, jxta.NetGroupSpecID, pga.SpecID)

	// In a password group: the group's own advertisement, and this
	// peer's advertisement in it.
	s.sh.In = strings.NewReader("secret\nsecret\n")
	s.run(t, "club = newpgrp -n club -d members --password; join -d club")
	club := s.varAdv(t, "club").(*advert.GroupAdv)
	out = s.run(t, "whoami -g")
	assert.Equal(t, "Name      : club\n"+
		"Group ID  : "+club.GroupID.String()+"\n"+
		"Spec ID   : "+club.SpecID.String()+"\n"+
		"Parent    : NetPeerGroup urn:jxta:jxta-NetGroup\n"+
		"Membership: password\n"+
		"Desc      : members\n", out)
	assert.Contains(t, s.run(t, "whoami"), "Group     : club "+club.GroupID.String()+"\n")
	pa, err = advert.ParseAs[*advert.PeerAdv]([]byte(s.run(t, "whoami -l")))
	require.NoError(t, err)
	assert.Equal(t, club.GroupID, pa.GroupID)
	assert.Equal(t, string(advert.MarshalIndent(club)), s.run(t, "whoami -g -l"))
	assert.Contains(t, s.run(t, "whoami -g -l | cat"), "<Name>club</Name>")

	assert.Contains(t, s.fail(t, "whoami extra", 2), "usage: whoami [-g] [-l]")
	s.fail(t, "whoami -x", 2)
}

func TestTransportsAndRoute(t *testing.T) {
	t.Parallel()
	for _, tn := range networks() {
		t.Run(tn.name, func(t *testing.T) {
			t.Parallel()
			alice, an, bob, bn := pair(t, tn)
			addr := an.Addresses()[0].String()
			proto := an.Transports()[0].Protocol

			out := bob.run(t, "transports")
			assert.Contains(t, out, "Transport "+proto+"\n"+
				"  Public address      : "+bn.Addresses()[0].String()+"\n"+
				"  Listening on        : "+bn.Addresses()[0].String()+"\n"+
				"  Connection oriented : yes\n"+
				"  Allows routing      : no")
			assert.Contains(t, out, "Propagation : none (LAN discovery is off)\n")
			assert.Regexp(t, `(?m)^Connections: 1\n  alice `+regexp.QuoteMeta(an.ID().String()+" "+addr)+` outbound up \d+s, \d+ streams$`, out)
			assert.Regexp(t, `(?m)^  bob `+regexp.QuoteMeta(bn.ID().String())+` \S+ inbound `, alice.run(t, "transports"))

			out = bob.run(t, "route")
			assert.Regexp(t, `^Routes: 1 peer known\n`+
				`alice `+regexp.QuoteMeta(an.ID().String())+`\n`+
				`  Connected : `+regexp.QuoteMeta(addr)+` \(outbound, up \d+s\)\n`+
				`  Addresses : `+regexp.QuoteMeta(addr)+`\n$`, out)
			assert.Equal(t, out[len("Routes: 1 peer known\n"):], bob.run(t, "route info "+an.ID().String()))

			ra, err := advert.ParseAs[*advert.RouteAdv]([]byte(bob.run(t, "route -l info "+an.ID().String())))
			require.NoError(t, err)
			assert.Equal(t, an.ID(), ra.DstPeerID)
			assert.Equal(t, []string{addr}, ra.Dst.Addresses)

			// A variable holding a peer advertisement names the peer too.
			m := bob.runUntil(t, "peers -r -w 1s", regexp.MustCompile(`(?m)^(peer\d+): name = alice`))
			assert.Contains(t, bob.run(t, "route info "+m[1]), "alice "+an.ID().String())

			bn.Endpoint().Disconnect(an.ID())
			bob.runUntil(t, "route", regexp.MustCompile(`(?m)^  Connected : no \(dialed when a message goes to it\)$`))

			stranger := jxta.NewPeerID(jxta.NetGroupID).String()
			assert.Contains(t, bob.fail(t, "route info "+stranger, 1), "no route to "+stranger)
			bob.fail(t, "route info", 2)
			bob.fail(t, "route show "+stranger, 2)
			bob.fail(t, "route info nosuch", 2)
			bob.fail(t, "transports x", 2)
		})
	}
}

// controlSession is a peer in a shell, with short leases.
func controlSession(t *testing.T, tn testNetwork, name string) (*session, *node.Node) {
	t.Helper()
	cfg := tn.config(name)
	cfg.Lease, cfg.GossipPeriod = 2*time.Second, 100*time.Millisecond
	return peerSession(t, cfg)
}

// TestRdvControl drives the rendezvous network of three shells with
// rdvcontrol and watches it with rdvstatus: alice becomes a rendezvous,
// bob connects to her, carol becomes one too and alice gossips with her,
// bob moves to carol and leaves her, alice stops.
func TestRdvControl(t *testing.T) {
	t.Parallel()
	for _, tn := range networks() {
		t.Run(tn.name, func(t *testing.T) {
			t.Parallel()
			alice, an := controlSession(t, tn, "alice")
			bob, _ := controlSession(t, tn, "bob")
			carol, cn := controlSession(t, tn, "carol")
			aliceAddr, carolAddr := an.Addresses()[0].String(), cn.Addresses()[0].String()
			assert.Contains(t, bob.run(t, "rdvstatus"), "Rendezvous : none yet")

			assert.Equal(t, "NetPeerGroup: this peer is a rendezvous now\n", alice.run(t, "rdvcontrol rdv start"))
			assert.Equal(t, "Group      : NetPeerGroup\nRole       : rendezvous\nPeer view  : empty (no other rendezvous known yet)\n", alice.run(t, "rdvstatus"))
			assert.Regexp(t, `^NetPeerGroup: lease with alice `+regexp.QuoteMeta(an.ID().String())+`, ends in \ds\n$`, bob.run(t, "rdvcontrol edge connect "+aliceAddr))
			out := bob.run(t, "rdvstatus")
			assert.Regexp(t, `(?m)^Rendezvous : alice `+regexp.QuoteMeta(an.ID().String())+` lease ends in \ds$`, out)
			assert.Regexp(t, `(?m)^Seed       : alice `, out)
			alice.runUntil(t, "rdvstatus", regexp.MustCompile(`(?m)^Edge       : bob urn:jxta:uuid-\w+ lease ends in \ds$`))

			carol.run(t, "rdvcontrol rdv start")
			assert.Regexp(t, `^seed `+regexp.QuoteMeta(carolAddr)+` is carol `, alice.run(t, "rdvcontrol rpv addseed "+carolAddr))
			alice.runUntil(t, "rdvstatus", regexp.MustCompile(`(?m)^Peer view  : carol urn:jxta:uuid-\w+ UP, heard \d+s ago$`))

			bob.run(t, "rdvcontrol edge connect "+carolAddr)
			assert.Contains(t, bob.run(t, "rdvstatus"), "Rendezvous : carol ")
			alice.runUntil(t, "rdvstatus", regexp.MustCompile(`^Group      : NetPeerGroup\nRole       : rendezvous\nPeer view  : carol .*\nSeed       : carol .*\n$`))

			assert.Regexp(t, `^NetPeerGroup: the lease with carol \S+ ended\n$`, bob.run(t, "rdvcontrol edge disconnect carol"))
			bob.runUntil(t, "rdvstatus", regexp.MustCompile(`(?m)^Rendezvous : alice `)) // its other seed
			assert.Contains(t, bob.fail(t, "rdvcontrol edge disconnect "+cn.ID().String(), 1), "no lease with that peer")

			// alice stops: bob is told at once; carol is her seed, so she
			// leases with carol; bob does not ask carol, whom he left.
			assert.Equal(t, "NetPeerGroup: this peer is an edge now\n", alice.run(t, "rdvcontrol rdv stop"))
			bob.runUntil(t, "rdvstatus", regexp.MustCompile(`(?m)^Rendezvous : none: lost alice urn:jxta:uuid-\w+ \d+s ago; asking the seeds and known rendezvous for a lease$`))
			alice.runUntil(t, "rdvstatus", regexp.MustCompile(`(?m)^Role       : edge\nRendezvous : carol `))
			assert.Regexp(t, `(?m)^Counters   : propagated \d+, relayed \d+, sent \d+, failed \d+, delivered \d+, dropped \d+, refused \d+$`, carol.run(t, "rdvstatus -v"))
			assert.Contains(t, carol.fail(t, "rdvcontrol edge connect "+aliceAddr, 1), "no edge")
		})
	}
}

func TestRdvControlInAUserGroup(t *testing.T) {
	t.Parallel()
	s, n := peerSession(t, networks()[1].config("solo"))
	s.run(t, "g = newpgrp -n open; join -d g")
	assert.Equal(t, "open: this peer is a rendezvous now\n", s.run(t, "rdvcontrol rdv start"))
	assert.Contains(t, s.run(t, "rdvstatus"), "Group      : open\nRole       : rendezvous\n")
	assert.False(t, n.IsRendezvous(), "the Net group keeps its role")
	s.run(t, "rdvcontrol rdv stop")
	assert.Contains(t, s.run(t, "rdvstatus"), "Role       : edge\n")
}

func TestRdvControlUsage(t *testing.T) {
	t.Parallel()
	s := newSession() // usage errors come before any peer is needed
	const usage = "usage: rdvcontrol rdv start|stop | edge connect addr | edge disconnect peer | rpv addseed addr\n"
	for _, line := range []string{"rdvcontrol", "rdvcontrol rdv", "rdvcontrol rdv go", "rdvcontrol edge connect",
		"rdvcontrol rdv start now", "rdvcontrol rpv addseed", "rdvcontrol rpv reseed", "rdvstatus x", "rdvstatus -x"} {
		s.err.Reset()
		assert.False(t, s.exec(line), line)
		assert.Equal(t, 2, s.sh.Status(), line)
		if strings.HasPrefix(line, "rdvcontrol") {
			assert.True(t, strings.HasSuffix(s.err.String(), usage), "%s: %s", line, s.err.String())
		}
	}

	p, _ := peerSession(t, networks()[1].config("solo"))
	p.fail(t, "rdvcontrol edge connect mem://nobody", 1)
	p.fail(t, "rdvcontrol edge connect no:such:address", 1)
	assert.Contains(t, p.fail(t, "rdvcontrol edge disconnect bob", 2), "no peer variable, peer ID or name")
}
