package shell_test

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

// rdvStar starts a rendezvous and two edges seeded with it, each in a
// shell, and waits until both edges hold a lease.
func rdvStar(t *testing.T, tn testNetwork) (rdv, alice, bob *session) {
	t.Helper()
	cfg := tn.config("rdv")
	cfg.Rendezvous, cfg.Lease, cfg.GossipPeriod = true, 2*time.Second, 100*time.Millisecond
	rdv, rn := peerSession(t, cfg)
	edge := func(name string) *session {
		c := tn.config(name, rn)
		c.Lease = 2 * time.Second
		s, _ := peerSession(t, c)
		s.runUntil(t, "rdvstatus", regexp.MustCompile(`Rendezvous : rdv `))
		return s
	}
	return rdv, edge("alice"), edge("bob")
}

func TestGroupCommands(t *testing.T) {
	for _, tn := range networks() {
		t.Run(tn.name, func(t *testing.T) {
			rdv, alice, bob := rdvStar(t, tn)
			rdv.runUntil(t, "rdvstatus", regexp.MustCompile(`(?s)Role       : rendezvous.*Edge .*Edge `))

			alice.sh.In = strings.NewReader("open sesame\n")
			out := alice.run(t, "club = newpgrp -n club -d members --password")
			assert.Regexp(t, `club = group club urn:jxta:uuid-\w+ \(password membership\)`, out)
			assert.NotContains(t, out, "open sesame")

			m := bob.runUntil(t, "groups -r -w 1s -a Name -v club", regexp.MustCompile(`(?m)^(group\d+): name = club`))
			bob.sh.In = strings.NewReader("wrong\nopen sesame\n")
			errs := bob.fail(t, "join -d "+m[1], 1)
			assert.Contains(t, errs, "wrong password")
			assert.Regexp(t, `joined club as bob; it is the current group`, bob.run(t, "join -d "+m[1]))
			assert.Regexp(t, `(?m)^\* club urn:jxta:uuid-`, bob.run(t, "join"))

			// The rendezvous has not joined: bob refuses its traffic in
			// the group, and says why.
			bob.runUntil(t, "rdvstatus", regexp.MustCompile(`Refused    : rdv urn:jxta:uuid-\w+ since [0-9:]+: it has not proved it knows the group's password \(a rendezvous must join a password group to serve it\)`))

			// Inside the group: alice and the rendezvous join too (a
			// password group's members accept traffic only from members),
			// alice publishes a pipe there, and bob finds it through the
			// rendezvous.
			alice.sh.In = strings.NewReader("open sesame\n")
			alice.run(t, "join -d club")
			r := rdv.runUntil(t, "groups -r -w 1s -a Name -v club", regexp.MustCompile(`(?m)^(group\d+): name = club`))
			rdv.sh.In = strings.NewReader("open sesame\n")
			rdv.run(t, "join -d "+r[1])
			alice.run(t, "p = newpipe -n members-only; publish -d p")
			bob.runUntil(t, "search -r -w 1s -a Name -v members-only", regexp.MustCompile(`name = members-only`))
			assert.NotContains(t, bob.run(t, "rdvstatus"), "Refused", "the rendezvous proved its membership once it joined")
			assert.Contains(t, bob.run(t, "rdvstatus"), "Group      : club")
			// The Net group does not see it.
			bob.run(t, "chpgrp NetPeerGroup")
			assert.NotContains(t, bob.run(t, "search -a Name -v members-only"), "members-only")
			bob.run(t, "chpgrp club")
			assert.Contains(t, bob.run(t, "leave"), "left club; the current group is NetPeerGroup")
			assert.Contains(t, bob.fail(t, "chpgrp club", 1), "no joined group")
			assert.Contains(t, bob.fail(t, "leave", 1), "cannot be left")
		})
	}
}

func TestGroupCommandErrors(t *testing.T) {
	s, _ := peerSession(t, networks()[1].config("solo"))
	s.fail(t, "newpgrp", 2)
	s.sh.In = strings.NewReader("\n")
	assert.Contains(t, s.fail(t, "newpgrp -n x --password", 1), "must not be empty")
	s.run(t, "p = newpipe -n x")
	assert.Contains(t, s.fail(t, "join -d p", 1), "not a peer group advertisement")
	open := s.run(t, "g = newpgrp -n open")
	assert.Contains(t, open, "(none membership)")
	assert.Contains(t, s.run(t, "join -d g"), "joined open as solo")
	assert.Contains(t, s.run(t, "chpgrp -p"), "NetPeerGroup")
}

func TestLeaveAndDeleteAGroup(t *testing.T) {
	s, _ := peerSession(t, networks()[1].config("solo"))
	s.run(t, "g = newpgrp -n scratch")
	assert.Contains(t, s.run(t, "groups"), "name = scratch")
	s.run(t, "join -d g")
	assert.Contains(t, s.run(t, "whoami -g"), "scratch")
	assert.Contains(t, s.run(t, "leave -k"), "left and deleted scratch; the current group is NetPeerGroup")
	assert.NotContains(t, s.run(t, "groups"), "scratch")
	assert.Contains(t, s.fail(t, "leave -x", 2), "usage: leave [-k]")
}
