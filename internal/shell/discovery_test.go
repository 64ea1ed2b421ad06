package shell_test

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/shell"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/node"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// testNetwork is a transport the discovery tests run over: loopback TCP or
// an in-memory network of their own.
type testNetwork struct {
	name string
	mem  *endpoint.MemNetwork // nil: TCP
}

// networks returns a fresh TCP and in-memory network.
func networks() []testNetwork {
	return []testNetwork{{name: "tcp"}, {name: "mem", mem: endpoint.NewMemNetwork()}}
}

// config returns the configuration of a peer named name, seeded with the
// addresses of seeds.
func (tn testNetwork) config(name string, seeds ...*node.Node) node.Config {
	cfg := node.Config{Name: name, Listen: []string{"tcp://127.0.0.1:0"}}
	if tn.mem != nil {
		cfg.Network, cfg.Listen = tn.mem, []string{"mem://" + name}
	}
	for _, s := range seeds {
		cfg.Seeds = append(cfg.Seeds, s.Addresses()[0].String())
	}
	return cfg
}

// peerSession is a shell running a peer started with cfg; the peer stops
// when the test ends.
func peerSession(t *testing.T, cfg node.Config) (*session, *node.Node) {
	t.Helper()
	s := newSession()
	s.sh.SetPeerStarter(func() (*node.Node, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return node.Start(ctx, cfg)
	})
	n, err := s.sh.StartPeer()
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, s.sh.Close()) })
	return s, n
}

// connected waits until every node has a connection to each of peers.
func connected(t *testing.T, n *node.Node, peers ...*node.Node) {
	t.Helper()
	require.Eventually(t, func() bool {
		for _, p := range peers {
			found := false
			for _, ci := range n.Endpoint().Connections() {
				found = found || ci.Peer == p.ID()
			}
			if !found {
				return false
			}
		}
		return true
	}, 30*time.Second, 20*time.Millisecond, "%s connects to its seeds", n.Name())
}

// pair starts alice, and bob seeded with alice's address, and waits until
// they are connected.
func pair(t *testing.T, tn testNetwork) (alice *session, an *node.Node, bob *session, bn *node.Node) {
	t.Helper()
	alice, an = peerSession(t, tn.config("alice"))
	bob, bn = peerSession(t, tn.config("bob", an))
	connected(t, bn, an)
	connected(t, an, bn)
	return alice, an, bob, bn
}

// run runs a command line that must succeed and returns what it printed.
func (s *session) run(t *testing.T, line string) string {
	t.Helper()
	s.out.Reset()
	s.err.Reset()
	require.True(t, s.exec(line), "%s: %s", line, s.err.String())
	assert.Equal(t, 0, s.sh.Status())
	return s.out.String()
}

// runUntil runs line until its output matches re, and returns the match;
// s.out keeps the output of the last run.
func (s *session) runUntil(t *testing.T, line string, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for {
		if m := re.FindStringSubmatch(s.run(t, line)); m != nil {
			return m
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never printed %s; last output:\n%s", line, re, s.out.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// fail runs a command line that must fail with status and returns its
// error output.
func (s *session) fail(t *testing.T, line string, status int) string {
	t.Helper()
	s.out.Reset()
	s.err.Reset()
	require.False(t, s.exec(line), line)
	assert.Equal(t, status, s.sh.Status(), "%s: %s", line, s.err.String())
	return s.err.String()
}

// found returns the list a "var = cmd" assignment stored.
func (s *session) found(t *testing.T, name string) shell.Found {
	t.Helper()
	v := s.sh.Env.Get(name)
	require.NotNil(t, v, name)
	f, ok := v.Value.(shell.Found)
	require.True(t, ok, "%s holds a %T", name, v.Value)
	return f
}

// varAdv returns the advertisement held in variable name.
func (s *session) varAdv(t *testing.T, name string) advert.Advertisement {
	t.Helper()
	v := s.sh.Env.Get(name)
	require.NotNil(t, v, name)
	a, ok := v.Value.(advert.Advertisement)
	require.True(t, ok, "%s holds a %T", name, v.Value)
	return a
}

var longPeerRE = regexp.MustCompile(`^peer4: name = alice\n` +
	`    ID         : (urn:jxta:uuid-\w+)\n` +
	`    Expires on : \w{3} \w{3} \d\d \d\d:\d\d:\d\d \S+ \d{4}\n` +
	`    For Others : 7200000 ms\n$`)

func TestPeersLocal(t *testing.T) {
	t.Parallel()
	s, n := peerSession(t, networks()[1].config("alice"))

	// The peer's own advertisement is in its cache from the start.
	assert.Equal(t, "peer0: name = alice\n", s.run(t, "peers"))
	assert.Equal(t, n.ID().String(), s.varAdv(t, "peer0").ID().String())
	assert.Equal(t, "peer advertisement alice", s.sh.Env.Get("peer0").Description)

	// Numbering goes on across commands; earlier results keep their names.
	assert.Equal(t, "peer1: name = alice\n", s.run(t, "peers"))
	assert.Equal(t, "peer2: name = alice\n", s.run(t, "peers -a Name -v ali*"))
	assert.Equal(t, "", s.run(t, "peers -a Name -v bob"))
	assert.Equal(t, "", s.run(t, "peers -a NoSuchField -v x"))
	assert.Equal(t, "peer3: name = alice\n", s.run(t, "x = peers -n 1"))
	assert.Equal(t, shell.Found{{Var: "peer3", Adv: s.varAdv(t, "peer3")}}, s.found(t, "x"))
	assert.Equal(t, "peer3: jxta:PA name = alice "+n.ID().String()+"\n", s.run(t, "cat x"))
	assert.Equal(t, "1 peer advertisements found by peers", s.sh.Env.Get("x").Description)
	assert.Equal(t, "", s.run(t, "y = peers -a Name -v nobody"))
	assert.Empty(t, s.found(t, "y"))
	assert.Equal(t, "no advertisements\n", s.run(t, "cat y"))

	// -l adds the ID and the lifetimes (JXSE's default expiration for
	// others: two hours).
	m := longPeerRE.FindStringSubmatch(s.run(t, "peers -l"))
	require.NotNil(t, m, s.out.String())
	assert.Equal(t, n.ID().String(), m[1])
}

func TestPeersNeedAPeer(t *testing.T) {
	t.Parallel()
	for _, line := range []string{"peers", "groups -r", "search -l", "publish -d p", "flush -d p", "info -d p", "remotepublish -d p", "newpipe"} {
		s := newSession()
		s.sh.Env.Set("p", "", advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "x"))
		assert.Contains(t, s.fail(t, line, 1), shell.ErrNoPeer.Error(), line)
	}
}

func TestRemoteNeedsConnectedPeers(t *testing.T) {
	t.Parallel()
	s, _ := peerSession(t, networks()[1].config("alone"))
	s.run(t, "p = newpipe -n x")
	for _, line := range []string{"peers -r", "groups -r", "search -r -w 1s", "remotepublish -d p"} {
		errs := s.fail(t, line, 1)
		assert.Contains(t, errs, "no rendezvous or connected peer", line)
	}
}

func TestPeersRemote(t *testing.T) {
	t.Parallel()
	for _, tn := range networks() {
		t.Run(tn.name, func(t *testing.T) {
			t.Parallel()
			_, an, bob, bn := pair(t, tn)
			aliceID := an.ID().String()

			// bob's cache knows only bob; -r asks alice, who answers with
			// her cache: herself, and bob, whom she keeps from the query.
			assert.Equal(t, "peer0: name = bob\n", bob.run(t, "peers"))
			m := bob.runUntil(t, "found = peers -r -w 2s", regexp.MustCompile(`(?m)^(peer\d+): name = alice \(from (urn:jxta:uuid-\w+)\) \[verified\]$`))
			assert.Equal(t, aliceID, m[2])
			assert.Equal(t, aliceID, bob.varAdv(t, m[1]).ID().String())
			assert.Contains(t, bob.sh.Env.Get(m[1]).Description, "from "+aliceID)
			f := bob.found(t, "found")
			require.NotEmpty(t, f)
			first, err := strconv.Atoi(strings.TrimPrefix(f[0].Var, "peer"))
			require.NoError(t, err)
			assert.Positive(t, first, "numbered on from the local listing")
			for i, fa := range f {
				assert.Equal(t, "peer"+strconv.Itoa(first+i), fa.Var, "consecutive names")
				assert.Same(t, fa.Adv, bob.varAdv(t, fa.Var))
			}

			// What alice sent is kept in bob's cache.
			bob.runUntil(t, "peers -a Name -v alice", regexp.MustCompile(`^peer\d+: name = alice \[verified\]\n$`))

			// -p asks one peer, named by ID or by a variable; -n 0 asks for
			// its own advertisement only.
			bob.runUntil(t, "peers -p "+aliceID+" -n 0 -w 2s", regexp.MustCompile(`^peer\d+: name = alice \(from `+aliceID+`\) \[verified\]\n$`))
			bob.runUntil(t, "peers -p "+m[1]+" -n 0 -w 2s -l", regexp.MustCompile(`^peer\d+: name = alice \(from `+aliceID+`\) \[verified\]\n`+
				`    ID         : `+aliceID+`\n    Expires on : .+\n    For Others : 7200000 ms\n$`))

			// -a and -v filter remotely.
			assert.Equal(t, "no peer advertisement found within 1s\n", bob.run(t, "peers -r -w 1s -a Name -v nobody*"))
			bob.runUntil(t, "peers -rw2s -aName -vali*", regexp.MustCompile(`^peer\d+: name = alice \(from `+aliceID+`\) \[verified\]\n$`))

			// -p with a peer bob cannot reach fails.
			stranger := jxta.NewPeerID(jxta.NetGroupID)
			bob.fail(t, "peers -p "+stranger.String()+" -w 1s", 1)
			_ = bn
		})
	}
}

func TestPeersFlush(t *testing.T) {
	t.Parallel()
	alice, an, bob, bn := pair(t, networks()[1])
	bob.runUntil(t, "peers -r -w 1s", regexp.MustCompile(`name = alice`))
	bob.runUntil(t, "peers", regexp.MustCompile(`name = alice \[verified\]\n`))
	require.Contains(t, alice.run(t, "peers"), "name = bob", "alice kept bob's advertisement from his query")

	// -f with a filter removes only what matches.
	assert.Equal(t, "flushed 0 peer advertisements\n", bob.run(t, "peers -f -a Name -v nobody"))
	assert.Equal(t, "flushed 1 peer advertisement\n", bob.run(t, "peers -f -a Name -v ali*"))
	assert.Regexp(t, `^peer\d+: name = bob\n$`, bob.run(t, "peers"))

	// -f keeps the peer's own advertisement.
	assert.Equal(t, "flushed 1 peer advertisement\n", alice.run(t, "peers -f"))
	out := alice.run(t, "peers -l")
	assert.Regexp(t, `^peer\d+: name = alice\n    ID         : `+an.ID().String()+"\n", out)
	assert.Equal(t, "flushed 0 peer advertisements\n", alice.run(t, "peers -f"))
	_ = bn
}

func TestGroups(t *testing.T) {
	t.Parallel()
	for _, tn := range networks() {
		t.Run(tn.name, func(t *testing.T) {
			t.Parallel()
			alice, an, bob, _ := pair(t, tn)
			pga, err := an.CreateGroup(nil, group.GroupOptions{Name: "chess", Description: "a game"})
			require.NoError(t, err)
			gid := pga.GroupID.String()

			// Every peer's cache holds the Net group's advertisement, as JXSE's.
			all := alice.run(t, "groups")
			assert.Contains(t, all, "name = NetPeerGroup\n")
			m := regexp.MustCompile(`(?m)^(group\d+): name = chess$`).FindStringSubmatch(all)
			require.NotNil(t, m, all)
			assert.Equal(t, gid, alice.varAdv(t, m[1]).ID().String())
			out := alice.run(t, "groups -l -a Name -v ch*")
			assert.Regexp(t, `^group2: name = chess\n`+
				`    ID         : `+gid+`\n`+
				`    SpecID     : `+pga.SpecID.String()+`\n`+
				`    Descr      : a game\n`+
				`    Expires on : .+\n`+
				`    For Others : \d+ ms\n$`, out)
			assert.Equal(t, "", alice.run(t, "groups -a Name -v go"))

			// Groups are not peers, and the reverse.
			assert.NotContains(t, alice.run(t, "peers"), "chess")
			assert.Equal(t, "group0: name = NetPeerGroup\n", bob.run(t, "groups"))

			m = bob.runUntil(t, "g = groups -r -w 2s -a Name -v ch*", regexp.MustCompile(`(?m)^(group\d+): name = chess \(from `+an.ID().String()+`\)$`))
			assert.Equal(t, gid, bob.varAdv(t, m[1]).ID().String())
			require.Len(t, bob.found(t, "g"), 1)
			bob.runUntil(t, "groups", regexp.MustCompile(`name = chess\n`))
			assert.Equal(t, "flushed 2 peer group advertisements\n", bob.run(t, "groups -f"))
			assert.Equal(t, "", bob.run(t, "groups"))
		})
	}
}

func TestSearch(t *testing.T) {
	t.Parallel()
	for _, tn := range networks() {
		t.Run(tn.name, func(t *testing.T) {
			t.Parallel()
			alice, an, bob, _ := pair(t, tn)
			out := alice.run(t, "p = newpipe -n chat-room; publish -d p")
			pipeID := strings.Fields(out)[4]
			assert.Equal(t, "adv0: jxta:PipeAdvertisement name = chat-room\n", alice.run(t, "search"))
			assert.Equal(t, "adv1: jxta:PipeAdvertisement name = chat-room\n", alice.run(t, "search -a Name -v *room"))
			assert.Equal(t, "adv2: jxta:PipeAdvertisement name = chat-room\n", alice.run(t, "search -a Id -v "+pipeID))
			assert.Regexp(t, `^adv3: jxta:PipeAdvertisement name = chat-room\n    ID         : `+pipeID+`\n    Expires on : .+\n    For Others : 7200000 ms\n$`, alice.run(t, "search -l"))
			assert.NotContains(t, alice.run(t, "search"), "jxta:PA", "peers are not in search")

			m := bob.runUntil(t, "found = search -r -w 2s -a Name -v chat-*", regexp.MustCompile(`(?m)^(adv\d+): jxta:PipeAdvertisement name = chat-room \(from `+an.ID().String()+`\)$`))
			assert.Equal(t, pipeID, bob.varAdv(t, m[1]).ID().String())
			assert.Equal(t, "chat-room", bob.found(t, "found")[0].Adv.(*advert.PipeAdv).Name)
			bob.runUntil(t, "search -p "+an.ID().String()+" -l -w 2s", regexp.MustCompile(`(?m)^adv\d+: jxta:PipeAdvertisement name = chat-room \(from \S+\)\n`+
				`    ID         : `+pipeID+`\n    Expires on : .+\n    For Others : 7200000 ms$`))

			// The results are kept in bob's cache; -f removes them.
			bob.runUntil(t, "search -a Name -v chat-room", regexp.MustCompile(`name = chat-room\n`))
			assert.Equal(t, "flushed 1 advertisement\n", bob.run(t, "search -f -a Name -v chat-room"))
			assert.Equal(t, "", bob.run(t, "search"))
		})
	}
}

// TestSearchAnswersOnce: the same advertisement from two peers prints once.
func TestSearchAnswersOnce(t *testing.T) {
	t.Parallel()
	tn := networks()[1]
	_, an := peerSession(t, tn.config("alice"))
	_, cn := peerSession(t, tn.config("carol"))
	bob, bn := peerSession(t, tn.config("bob", an, cn))
	connected(t, bn, an, cn)
	shared := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "shared")
	for _, n := range []*node.Node{an, cn} {
		own := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "only-"+n.Name())
		require.NoError(t, n.NetGroup().Discovery().Publish(shared, 0, 0))
		require.NoError(t, n.NetGroup().Discovery().Publish(own, 0, 0))
	}

	// Once a search hears from both (each has a pipe of its own), the
	// shared pipe has printed once.
	bob.runUntil(t, "search -r -w 2s", regexp.MustCompile(`name = only-alice (.*\n)*.*name = only-carol |name = only-carol (.*\n)*.*name = only-alice `))
	assert.Equal(t, 1, strings.Count(bob.out.String(), "name = shared "), bob.out.String())
}

func TestRemotePublish(t *testing.T) {
	t.Parallel()
	for _, tn := range networks() {
		t.Run(tn.name, func(t *testing.T) {
			t.Parallel()
			alice, an, bob, bn := pair(t, tn)
			alice.run(t, "p = newpipe -n pushed")
			assert.Equal(t, "sent to 1 peer\n", alice.run(t, "remotepublish -d p"))
			assert.Equal(t, "", alice.run(t, "search"), "remotepublish does not publish locally")
			bob.runUntil(t, "search -l -a Name -v pushed", regexp.MustCompile(`name = pushed\n(.*\n){2}    For Others : \d+ ms\n`))

			alice.run(t, "q = newpipe -n direct")
			assert.Equal(t, "sent to 1 peer\n", alice.run(t, "remotepublish -p "+bn.ID().String()+" -d q"))
			bob.runUntil(t, "search -a Name -v direct", regexp.MustCompile(`name = direct\n`))

			// A peer that cannot be reached.
			errs := alice.fail(t, "remotepublish -d p -p "+jxta.NewPeerID(jxta.NetGroupID).String(), 1)
			assert.True(t, strings.HasPrefix(errs, "remotepublish: "), errs)
			_ = an
		})
	}
}

func TestFlushAndInfo(t *testing.T) {
	t.Parallel()
	s, _ := peerSession(t, networks()[1].config("alice"))
	s.run(t, "p = newpipe -n temp")
	assert.Contains(t, s.fail(t, "info -d p", 1), "not in this peer's cache for NetPeerGroup")

	s.run(t, "publish -d p")
	out := s.run(t, "info -d p")
	assert.Regexp(t, `^Expires on            : \w{3} \w{3} \d\d \d\d:\d\d:\d\d \S+ \d{4}\n`+
		`Expires for others in : 7200000 ms\n$`, out)
	expires := strings.TrimPrefix(lines(out)[0], "Expires on            : ")
	at, err := time.Parse("Mon Jan 02 15:04:05 MST 2006", expires)
	require.NoError(t, err)
	assert.WithinDuration(t, time.Now().Add(365*24*time.Hour), at, 48*time.Hour, "JXSE's one-year lifetime")

	s.run(t, "peers")
	assert.Contains(t, s.run(t, "info -d peer0"), "Expires for others in : 7200000 ms")

	assert.Equal(t, "", s.run(t, "flush -d p"))
	assert.Equal(t, "", s.run(t, "search"))
	assert.NotNil(t, s.sh.Env.Get("p"), "the variable keeps the advertisement")
	s.fail(t, "info -d p", 1)
	assert.Equal(t, "", s.run(t, "flush -d p"), "flushing what is not cached does nothing")

	// A list of results stands for its advertisement when it holds one.
	s.run(t, "publish -d p; one = search; q = newpipe -n other; publish -d q; two = search")
	assert.Contains(t, s.run(t, "info -d one"), "Expires on")
	assert.Contains(t, s.fail(t, "flush -d two", 1), "two holds 2 advertisements (adv1 adv2): name one")
	s.run(t, "none = search -a Name -v nothing")
	assert.Contains(t, s.fail(t, "info -d none", 1), "none holds no advertisement")
	s.run(t, "flush -d one")
	assert.Equal(t, "adv3: jxta:PipeAdvertisement name = other\n", s.run(t, "search"))
}

func TestNewPipeInTheCurrentGroup(t *testing.T) {
	t.Parallel()
	s, _ := peerSession(t, networks()[1].config("alice"))
	s.run(t, "p = newpipe -n x")
	pa, ok := s.varAdv(t, "p").(*advert.PipeAdv)
	require.True(t, ok)
	assert.Equal(t, jxta.NetGroupID, pa.PipeID.Group())
}

// TestDiscoveryUsageErrors: bad options print one line and the synopsis,
// with status 2, before any peer starts.
func TestDiscoveryUsageErrors(t *testing.T) {
	t.Parallel()
	const find = " [-r] [-p peer] [-a attr -v value] [-n N] [-l] [-f] [-w duration]"
	tests := []struct {
		line string
		want string
	}{
		{"peers x", `unexpected argument "x"`},
		{"peers -a Name -v *", "a bare * is not allowed"},
		{"groups -a Name -v *", "a bare * is not allowed"},
		{"search -aName -v*", "a bare * is not allowed"},
		{"peers -v alice", "-v needs -a"},
		{"peers -n 0", "-n must be between 1 and 1000"},
		{"peers -n 1001", "-n must be between 1 and 1000"},
		{"groups -r -n 0", "-n must be between 1 and 1000"},
		{"search -n -1", "-n must be between 1 and 1000"},
		{"peers -n x", "-n"},
		{"peers -f -r", "-f takes only -a and -v"},
		{"groups -f -l", "-f takes only -a and -v"},
		{"search -f -n 2", "-f takes only -a and -v"},
		{"peers -w 1s", "-w is for remote searches"},
		{"peers -r -w 0s", "-w must be more than 0"},
		{"peers -r -w 2h", "-w must be more than 0"},
		{"peers -r -w soon", "-w"},
		{"peers -x", "-x"},
		{"peers -rx", "-x"},
		{"peers -p nobody", `"nobody" is neither a peer variable nor a peer ID`},
		{"search -p", "-p"},
		{"flush", "want a variable"},
		{"flush p extra", `unexpected argument "extra"`},
		{"flush -d", "-d"},
		{"info -d p extra", `unexpected argument "extra"`},
		{"remotepublish", "want a variable"},
		{"remotepublish -d p -x", "-x"},
		{"remotepublish -d p -p nobody", "neither a peer variable nor a peer ID"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			s := newSession()
			s.sh.Env.Set("p", "", advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "x"))
			errs := lines(s.fail(t, tt.line+"; man", 2))
			require.Len(t, errs, 2, "an error line and the synopsis")
			name := strings.Fields(tt.line)[0]
			assert.True(t, strings.HasPrefix(errs[0], name+": "), errs[0])
			assert.Contains(t, errs[0], tt.want)
			synopsis := s.sh.Command(name).Synopsis
			assert.Equal(t, "usage: "+synopsis, errs[1])
			if name != "flush" && name != "info" && name != "remotepublish" {
				assert.Equal(t, name+find, synopsis)
			}
			assert.Empty(t, s.out.String(), "the rest of the line does not run")
		})
	}
}

// TestDiscoveryVariableErrors: -d and -p name variables that must exist
// and hold the right kind of value.
func TestDiscoveryVariableErrors(t *testing.T) {
	t.Parallel()
	s := newSession()
	s.sh.Env.Set("str", "", "text")
	assert.Contains(t, s.fail(t, "flush -d nosuch", 1), `no variable "nosuch"`)
	assert.Contains(t, s.fail(t, "info -d str", 1), "str holds text, not an advertisement")
	assert.Contains(t, s.fail(t, "peers -p str", 1), "str holds text, not a peer advertisement")
}
