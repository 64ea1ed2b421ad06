package main

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/netbed"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The tests of this file run jxtashell processes on hosts of a network
// test bed (internal/netbed): Linux network namespaces joined by veth
// links to a bridge, each host with an address of 10.77.0.0/24. They need
// root; netbed.New skips them, saying why, elsewhere.

// bedPort is the port every peer of a bed listens on: each host has an
// address of its own.
const bedPort = "9701"

// bedAddr is the address a peer on h listens on.
func bedAddr(h *netbed.Host) string { return "tcp://" + h.IP.String() + ":" + bedPort }

// startOn starts a shell named name on host h, in a home of its own, with
// multicast off, listening on h's address unless args has --listen.
func startOn(t *testing.T, h *netbed.Host, bin, name string, args ...string) *shellProcess {
	t.Helper()
	base := []string{"--home", t.TempDir(), "--name", name, "--no-multicast"}
	if !contains(args, "--listen") {
		base = append(base, "--listen", bedAddr(h))
	}
	return startShellCmd(t, h.Command(bin, append(base, args...)...))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// within runs line every 100ms until what the shell prints after it
// matches re, and returns how long that took; it fails the test after
// limit.
func (p *shellProcess) within(t *testing.T, line string, re *regexp.Regexp, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	for {
		mark := len(p.output())
		p.run(t, line)
		time.Sleep(100 * time.Millisecond)
		if re.MatchString(p.output()[mark:]) {
			return time.Since(start)
		}
		require.Less(t, time.Since(start), limit, "no match for %s after %q; output:\n%s", re, line, p.output())
	}
}

// latest runs line once and returns what the shell printed after it,
// once that matches re.
func (p *shellProcess) latest(t *testing.T, line string, re *regexp.Regexp) string {
	t.Helper()
	mark := len(p.output())
	p.expect(t, line, re)
	return p.output()[mark:]
}

// leasedWith waits until each edge holds a lease with the rendezvous
// named rdv.
func leasedWith(t *testing.T, rdv string, edges ...*shellProcess) {
	t.Helper()
	for _, e := range edges {
		e.waitFor(t, "rdvstatus", regexp.MustCompile(`Rendezvous : `+rdv+` urn:jxta:uuid-`))
	}
}

// inView waits until rendezvous r lists the rendezvous named other in its
// peer view, connected.
func inView(t *testing.T, r *shellProcess, other string, limit time.Duration) time.Duration {
	t.Helper()
	return r.within(t, "rdvstatus", regexp.MustCompile(`(?m)^Peer view  : `+other+` urn:jxta:uuid-\w+ UP,`), limit)
}

// notInView waits until rendezvous r no longer lists the rendezvous named
// other in its peer view as connected: it left the view, or is down.
func notInView(t *testing.T, r *shellProcess, other string) {
	t.Helper()
	up := regexp.MustCompile(`(?m)^Peer view  : ` + other + ` urn:jxta:uuid-\w+ UP,`)
	deadline := time.Now().Add(30 * time.Second)
	for {
		out := r.latest(t, "rdvstatus", regexp.MustCompile(`Role       : rendezvous\n(?:.*\n)*?Peer view  : `))
		if !up.MatchString(out) {
			return
		}
		require.True(t, time.Now().Before(deadline), "%s still in the peer view:\n%s", other, out)
		time.Sleep(200 * time.Millisecond)
	}
}

// TestBedDiscoveryAndPipes: a rendezvous in one namespace and edges in
// three others, on a bridge. Each announces its own 10.77.0.x address,
// bob's too though he listens on every interface (0.0.0.0). An advertisement
// published on one edge is found from another; a unicast pipe and a
// bidirectional pipe carry messages between edges in different
// namespaces.
func TestBedDiscoveryAndPipes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a network of namespaces and runs four jxtashell processes")
	}
	bed := netbed.New(t)
	hr, ha, hb, hc := bed.AddHost("rdv"), bed.AddHost("alice"), bed.AddHost("bob"), bed.AddHost("carol")
	bin := buildShell(t)
	rdv := startOn(t, hr, bin, "rdv", "--rdv")
	seed := bedAddr(hr)
	alice := startOn(t, ha, bin, "alice", "--seed", seed)
	bob := startOn(t, hb, bin, "bob", "--seed", seed, "--listen", "tcp://0.0.0.0:"+bedPort)
	carol := startOn(t, hc, bin, "carol", "--seed", seed)
	leasedWith(t, "rdv", alice, bob, carol)

	// Each says the address the others reach it at, bob first of all.
	for _, c := range []struct {
		p *shellProcess
		h *netbed.Host
	}{{rdv, hr}, {alice, ha}, {bob, hb}, {carol, hc}} {
		out := c.p.latest(t, "whoami", regexp.MustCompile(`Addresses : .*\n`))
		assert.Contains(t, out, "Addresses : "+bedAddr(c.h)+"\n", "whoami on %s", c.h.Name)
		assert.NotContains(t, out, "0.0.0.0", "whoami on %s", c.h.Name)
	}
	// The rendezvous sees each edge come from its host's address.
	rdv.waitFor(t, "transports", regexp.MustCompile(`(?s)Connections: 3\n.*  alice urn:jxta:uuid-\w+ tcp://10\.77\.0\.2:\d+ inbound.*  bob urn:jxta:uuid-\w+ tcp://10\.77\.0\.3:\d+ inbound`))

	// carol learns bob's advertisement from the rendezvous and reads
	// there the addresses he announced: his bed address first, no
	// wildcard, no loopback.
	v := carol.waitEvery(t, "peers -r -w 1s -a Name -v bob", regexp.MustCompile(`(?m)^(peer\d+): name = bob\b`), 2*time.Second)[1]
	out := carol.latest(t, "cat -p "+v, regexp.MustCompile(`</jxta:PA>`))
	var addrs []string
	for _, m := range regexp.MustCompile(`<EA>([^<]*)</EA>`).FindAllStringSubmatch(out, -1) {
		addrs = append(addrs, m[1])
	}
	assert.Equal(t, []string{bedAddr(hb)}, addrs, "the addresses bob announced, as carol has them:\n%s", out)

	// A unicast pipe: alice binds its input end, bob finds it and sends.
	alice.run(t, "p = newpipe -n bed-pipe; publish -d p")
	alice.expect(t, "in = mkpipe -i p", regexp.MustCompile(`in = input pipe bed-pipe`))
	adv := bob.waitEvery(t, "search -r -w 1s -a Name -v bed-pipe", regexp.MustCompile(`(?m)^(adv\d+): jxta:PipeAdvertisement name = bed-pipe\b`), 2*time.Second)[1]
	bob.expect(t, "out = mkpipe -o "+adv, regexp.MustCompile(`out = output pipe bed-pipe, bound on alice`))
	bob.run(t, `m = mkmsg; put m hello "hello from bob's namespace"; send out m`)
	alice.expect(t, "r = recv -t 20000 in", regexp.MustCompile(`Message received: r \(1 element\)`))
	alice.waitFor(t, "get r hello", regexp.MustCompile(`(?m)^hello from bob's namespace$`))

	// A bidirectional pipe: carol listens, bob dials, messages both ways.
	carol.run(t, "chat = newpipe -n bed-chat; publish -d chat; c = listen -t 30000 chat")
	adv = bob.waitEvery(t, "search -r -w 1s -a Name -v bed-chat", regexp.MustCompile(`(?m)^(adv\d+): jxta:PipeAdvertisement name = bed-chat\b`), 2*time.Second)[1]
	bob.expect(t, "c = dial -t 20000 "+adv, regexp.MustCompile(`c = connection with carol`))
	carol.waitFor(t, "", regexp.MustCompile(`c = connection with bob`))
	bob.run(t, "send c m")
	carol.expect(t, "r = recv -t 20000 c", regexp.MustCompile(`Message received: r \(1 element\)`))
	carol.run(t, `put r back "and back from carol's"; send c r`)
	bob.expect(t, "r = recv -t 20000 c", regexp.MustCompile(`Message received: r \(2 elements\)`))
	bob.waitFor(t, "get r back", regexp.MustCompile(`(?m)^and back from carol's$`))
}

// TestBedRendezvousLinkDown: two rendezvous and two edges, each on a host
// of its own; the edges hold their leases with rdv1. rdv1's link goes
// down: the edges take leases with rdv2 within the keep-alive bound (a
// silent connection is dropped within 6 s; spec §9) and find what was
// published before. The link comes back: rdv1 and rdv2 have each other in
// their peer views again, each edge holds one lease, and a search finds
// each advertisement once, none lost.
func TestBedRendezvousLinkDown(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a network of namespaces and runs four jxtashell processes")
	}
	bed := netbed.New(t)
	h1, h2, ha, hb := bed.AddHost("rdv1"), bed.AddHost("rdv2"), bed.AddHost("alice"), bed.AddHost("bob")
	bin := buildShell(t)
	rdv1 := startOn(t, h1, bin, "rdv1", "--rdv")
	rdv2 := startOn(t, h2, bin, "rdv2", "--rdv", "--seed", bedAddr(h1))
	inView(t, rdv1, "rdv2", time.Minute)
	seeds := []string{"--seed", bedAddr(h1), "--seed", bedAddr(h2)}
	alice := startOn(t, ha, bin, "alice", seeds...)
	bob := startOn(t, hb, bin, "bob", seeds...)
	leasedWith(t, "rdv1", alice, bob)

	alice.run(t, "p1 = newpipe -n bed-1; publish -d p1; p2 = newpipe -n bed-2; publish -d p2")
	both := regexp.MustCompile(`(?s)(?:name = bed-[12] .*){2}`) // a search prints each advertisement once
	bob.latestEvery(t, "search -r -n 20 -w 2s -a Name -v bed-*", both, 3*time.Second)

	h1.LinkDown()
	start := time.Now()
	for name, e := range map[string]*shellProcess{"alice": alice, "bob": bob} {
		e.within(t, "rdvstatus", regexp.MustCompile(`Rendezvous : rdv2 urn:jxta:uuid-`), 30*time.Second)
		took := time.Since(start)
		t.Logf("%s failed over to rdv2 %v after rdv1's link went down", name, took.Round(100*time.Millisecond))
		assert.Less(t, took, 10*time.Second, "within the keep-alive bound (6 s) and some margin")
	}
	// Through rdv2 alone, bob still finds what alice published before.
	bob.latestEvery(t, "search -r -n 20 -w 2s -a Name -v bed-*", both, 3*time.Second)

	// rdv2 has lost rdv1 too: its peer view holds it no more, or down.
	notInView(t, rdv2, "rdv1")
	notInView(t, rdv1, "rdv2")

	h1.LinkUp()
	start = time.Now()
	took := inView(t, rdv2, "rdv1", 45*time.Second)
	t.Logf("rdv2 has rdv1 in its peer view again %v after the link came back", took.Round(100*time.Millisecond))
	inView(t, rdv1, "rdv2", 45*time.Second)
	t.Logf("rdv1 has rdv2 in its peer view again %v after the link came back", time.Since(start).Round(100*time.Millisecond))

	// Nothing duplicated: each edge holds one lease, with rdv2, and rdv1
	// grants none.
	for _, e := range []*shellProcess{alice, bob} {
		out := e.latest(t, "rdvstatus", regexp.MustCompile(`Role       : edge\n(?:.*\n)*?Seed       : `))
		assert.Equal(t, 1, strings.Count(out, "Rendezvous : "), out)
		assert.Contains(t, out, "Rendezvous : rdv2 urn:")
	}
	out := rdv1.latest(t, "rdvstatus", regexp.MustCompile(`Role       : rendezvous\n(?:.*\n)*?Peer view  : `))
	assert.NotContains(t, out, "Edge       : ", "rdv1 still grants leases after its edges moved")
	rdv2.waitFor(t, "rdvstatus", regexp.MustCompile(`(?s)Edge       : (?:alice|bob) .*Edge       : (?:alice|bob) `))

	// Nothing lost or doubled: what alice published before the outage,
	// and one more after, found once each from bob.
	alice.run(t, "p3 = newpipe -n bed-3; publish -d p3")
	res := bob.latestEvery(t, "search -r -n 20 -w 3s -a Name -v bed-*", regexp.MustCompile(`(?s)(?:name = bed-[123] .*){3}`), 4*time.Second)
	for _, name := range []string{"bed-1", "bed-2", "bed-3"} {
		assert.Equal(t, 1, strings.Count(res, "name = "+name+" "), "%s in:\n%s", name, res)
	}
}

// latestEvery runs line every interval until what one run prints matches
// re, and returns that.
func (p *shellProcess) latestEvery(t *testing.T, line string, re *regexp.Regexp, interval time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		mark := len(p.output())
		p.run(t, line)
		time.Sleep(interval)
		if out := p.output()[mark:]; re.MatchString(out) {
			return out
		}
	}
	t.Fatalf("no match for %s after %q; output:\n%s", re, line, p.output())
	return ""
}

// TestBedPartition: two halves, each with a rendezvous and two edges. A
// partition splits them: on each side discovery goes on through its own
// rendezvous, and nothing crosses. The partition heals: the rendezvous
// find each other again, and each side finds what the other published
// during the split.
func TestBedPartition(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a network of namespaces and runs six jxtashell processes")
	}
	bed := netbed.New(t)
	hra, hrb := bed.AddHost("rdva"), bed.AddHost("rdvb")
	ha1, ha2, hb1, hb2 := bed.AddHost("a1"), bed.AddHost("a2"), bed.AddHost("b1"), bed.AddHost("b2")
	bin := buildShell(t)
	rdva := startOn(t, hra, bin, "rdva", "--rdv")
	rdvb := startOn(t, hrb, bin, "rdvb", "--rdv", "--seed", bedAddr(hra))
	a := []*shellProcess{
		startOn(t, ha1, bin, "a1", "--seed", bedAddr(hra)),
		startOn(t, ha2, bin, "a2", "--seed", bedAddr(hra)),
	}
	b := []*shellProcess{
		startOn(t, hb1, bin, "b1", "--seed", bedAddr(hrb)),
		startOn(t, hb2, bin, "b2", "--seed", bedAddr(hrb)),
	}
	leasedWith(t, "rdva", a...)
	leasedWith(t, "rdvb", b...)
	inView(t, rdva, "rdvb", time.Minute)
	inView(t, rdvb, "rdva", time.Minute)

	// Before: a search crosses from one side to the other.
	a[0].run(t, "p = newpipe -n before-a; publish -d p")
	b[0].run(t, "p = newpipe -n before-b; publish -d p")
	a[1].waitEvery(t, "search -r -w 1s -a Name -v before-b", regexp.MustCompile(`name = before-b\b`), 2*time.Second)
	b[1].waitEvery(t, "search -r -w 1s -a Name -v before-a", regexp.MustCompile(`name = before-a\b`), 2*time.Second)

	bed.Partition(hrb, hb1, hb2)
	start := time.Now()
	notInView(t, rdva, "rdvb")
	notInView(t, rdvb, "rdva")
	t.Logf("the rendezvous lost each other %v after the partition", time.Since(start).Round(100*time.Millisecond))

	// During: each side finds what its own side publishes, not the other's.
	a[0].run(t, "p = newpipe -n split-a; publish -d p")
	b[0].run(t, "p = newpipe -n split-b; publish -d p")
	a[1].waitEvery(t, "search -r -w 1s -a Name -v split-a", regexp.MustCompile(`name = split-a\b`), 2*time.Second)
	b[1].waitEvery(t, "search -r -w 1s -a Name -v split-b", regexp.MustCompile(`name = split-b\b`), 2*time.Second)
	a[1].expect(t, "search -r -w 2s -a Name -v split-b", regexp.MustCompile(`no advertisement found within 2s`))
	b[1].expect(t, "search -r -w 2s -a Name -v split-a", regexp.MustCompile(`no advertisement found within 2s`))
	t.Logf("discovery on each side during the split checked %v after it", time.Since(start).Round(100*time.Millisecond))

	bed.Heal()
	start = time.Now()
	inView(t, rdva, "rdvb", 45*time.Second)
	inView(t, rdvb, "rdva", 45*time.Second)
	t.Logf("the rendezvous have each other in their peer views %v after the heal", time.Since(start).Round(100*time.Millisecond))
	a[1].waitEvery(t, "search -r -w 1s -a Name -v split-b", regexp.MustCompile(`name = split-b\b`), 2*time.Second)
	b[1].waitEvery(t, "search -r -w 1s -a Name -v split-a", regexp.MustCompile(`name = split-a\b`), 2*time.Second)
	t.Logf("each side finds the other's advertisements %v after the heal", time.Since(start).Round(100*time.Millisecond))
}
