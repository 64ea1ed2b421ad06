package shell_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/shell"
	"github.com/gojxta/gojxta/jxta/node"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// syncBuffer is a buffer that talk's listeners write to (Shell.Notify)
// while the test runs commands and reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func (b *syncBuffer) Len() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Len()
}

// talker is a shell running a peer, whose output keeps everything written
// to it: what commands print and the lines talk's listeners print.
type talker struct {
	sh       *shell.Shell
	out, err *syncBuffer
}

// talkerSession starts a shell and its peer with cfg; both stop when the
// test ends.
func talkerSession(t *testing.T, cfg node.Config) *talker {
	t.Helper()
	s := &talker{out: &syncBuffer{}, err: &syncBuffer{}}
	s.sh = shell.New(s.out, s.err)
	s.sh.SetPeerStarter(func() (*node.Node, error) {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		return node.Start(ctx, cfg)
	})
	_, err := s.sh.StartPeer()
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, s.sh.Close()) })
	return s
}

// run runs a command line that must succeed and returns what was written
// while it ran.
func (s *talker) run(t *testing.T, line string) string {
	t.Helper()
	from, errFrom := s.out.Len(), s.err.Len()
	require.True(t, s.sh.Exec(line), "%s: %s", line, s.err.String()[errFrom:])
	return s.out.String()[from:]
}

// fail runs a command line that must fail with status and returns its
// error output.
func (s *talker) fail(t *testing.T, line string, status int) string {
	t.Helper()
	from := s.err.Len()
	require.False(t, s.sh.Exec(line), line)
	errs := s.err.String()[from:]
	assert.Equal(t, status, s.sh.Status(), "%s: %s", line, errs)
	return errs
}

// runUntil runs line until what it prints matches re.
func (s *talker) runUntil(t *testing.T, line string, re *regexp.Regexp) {
	t.Helper()
	var out string
	require.Eventually(t, func() bool {
		out = s.run(t, line)
		return re.MatchString(out)
	}, 60*time.Second, 100*time.Millisecond, "%s never printed %s; last output:\n%s", line, re, out)
}

// sees waits until the shell has printed line on a line of its own.
func (s *talker) sees(t *testing.T, line string) {
	t.Helper()
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(line) + `$`)
	require.Eventually(t, func() bool { return re.MatchString(s.out.String()) },
		30*time.Second, 20*time.Millisecond, "never printed %q; output:\n%s", line, s.out.String())
}

// shellStar starts a rendezvous and two edges seeded with it, each in a
// shell (talk and xfer tests), and waits until both edges hold a lease.
func shellStar(t *testing.T, tn testNetwork) (alice, bob *talker) {
	t.Helper()
	cfg := tn.config("rdv")
	cfg.Rendezvous, cfg.Lease, cfg.GossipPeriod = true, 2*time.Second, 100*time.Millisecond
	rdv := talkerSession(t, cfg)
	rn, err := rdv.sh.StartPeer()
	require.NoError(t, err)
	edge := func(name string) *talker {
		c := tn.config(name, rn)
		c.Lease = 2 * time.Second
		s := talkerSession(t, c)
		s.runUntil(t, "rdvstatus", regexp.MustCompile(`Rendezvous : rdv `))
		return s
	}
	return edge("alice"), edge("bob")
}

// TestTalk is JXSE's talk demo between two peers and a rendezvous: alice
// and bob register and log in, find each other with -search, and talk
// with -u, from console lines and from a pipe.
func TestTalk(t *testing.T) {
	for _, tn := range networks() {
		t.Run(tn.name, func(t *testing.T) {
			alice, bob := shellStar(t, tn)
			assert.Regexp(t, `^alice registered as a user in NetPeerGroup \(pipe urn:jxta:uuid-\w+\)\n$`, alice.run(t, "talk -register alice"))
			bob.run(t, "talk -register bob")
			assert.Equal(t, "alice logged in: messages to alice print here\n", alice.run(t, "talk -login alice"))
			bob.run(t, "talk -login bob")
			alice.runUntil(t, "talk -search -w 1s", regexp.MustCompile(`(?m)^    bob +user$`))
			assert.Regexp(t, `(?m)^    alice +user$`, alice.run(t, "talk -search -w 100ms"))

			alice.sh.In = strings.NewReader("Hello Bob!\n\nHow are you?\n.\nnot sent\n")
			out := alice.run(t, "talk -u alice bob")
			assert.Contains(t, out, "Connection established with bob")
			assert.Contains(t, out, "Conversation with bob ended: 2 lines sent")
			bob.sees(t, "alice to bob> Hello Bob!")
			bob.sees(t, "alice to bob> How are you?")
			assert.NotContains(t, bob.out.String(), "not sent")

			bob.run(t, `echo "Fine, thanks!" | talk -u bob alice -w 5s`)
			alice.sees(t, "bob to alice> Fine, thanks!")

			// carol is registered on bob's peer but nobody listens for her.
			bob.run(t, "talk -register carol")
			alice.runUntil(t, "talk -search -w 1s", regexp.MustCompile(`(?m)^    carol +user$`))
			assert.Contains(t, alice.fail(t, "echo hi | talk -u alice carol -w 5s", 1), "talk: carol is not logged in anywhere that answered within 5s; try again later")
			assert.Contains(t, alice.fail(t, "echo hi | talk -u alice nobody -w 1s", 1), "talk: nobody is not registered: no registration here, and no peer sent one within 1s (talk -register nobody)")

			assert.Contains(t, bob.fail(t, "talk -login bob", 1), "talk: bob is logged in already (talk -logout bob first)")
			assert.Equal(t, "bob logged out\n", bob.run(t, "talk -logout bob"))
			assert.Contains(t, bob.fail(t, "talk -logout bob", 1), "talk: bob is not logged in here in NetPeerGroup")
			assert.Contains(t, bob.fail(t, "echo hi | talk -u bob alice", 1), "talk: bob is not logged in here in NetPeerGroup (talk -login bob)")
		})
	}
}

// TestTalkChatRoom registers a chat room (a propagate pipe) on alice's
// peer; bob finds it from his and logs in to it, and what either sends to
// the room reaches both.
func TestTalkChatRoom(t *testing.T) {
	for _, tn := range networks() {
		t.Run(tn.name, func(t *testing.T) {
			alice, bob := shellStar(t, tn)
			assert.Contains(t, alice.run(t, "talk -register lobby -propagate"), "lobby registered as a chat room in NetPeerGroup")
			alice.run(t, "talk -register alice; talk -login alice; talk -login lobby")
			bob.run(t, "talk -register bob; talk -login bob")
			bob.runUntil(t, "talk -search -w 1s", regexp.MustCompile(`(?m)^    lobby +chat room$`))
			bob.run(t, "talk -login lobby")

			bob.run(t, `echo "hi all" | talk -u bob lobby`)
			bob.sees(t, "bob to lobby> hi all")
			alice.sees(t, "bob to lobby> hi all")
			alice.sh.In = strings.NewReader("hello bob\n.\n")
			alice.run(t, "talk -u alice lobby")
			alice.sees(t, "alice to lobby> hello bob")
			bob.sees(t, "alice to lobby> hello bob")
		})
	}
}

// TestTalkSecure: a secure user's messages come through a
// JxtaUnicastSecure pipe, straight from the sender's peer.
func TestTalkSecure(t *testing.T) {
	alice, bob := shellStar(t, networks()[0])
	assert.Contains(t, alice.run(t, "talk -register alice -secure"), "alice registered as a secure user in NetPeerGroup")
	alice.run(t, "talk -login alice")
	bob.run(t, "talk -register bob; talk -login bob")
	bob.runUntil(t, "talk -search -w 1s", regexp.MustCompile(`(?m)^    alice +secure user$`))
	bob.run(t, `echo "a secret" | talk -u bob alice -w 5s`)
	alice.sees(t, "bob to alice> a secret")
}

// TestTalkAlone covers talk on a peer with no other peer: registrations,
// talking to oneself from a terminal, and the errors.
func TestTalkAlone(t *testing.T) {
	for _, tn := range networks() {
		t.Run(tn.name, func(t *testing.T) {
			s := talkerSession(t, tn.config("solo"))
			assert.Equal(t, "no talk registrations found in NetPeerGroup\n", s.run(t, "talk -search -w 100ms"))
			assert.Contains(t, s.fail(t, "talk -login nobody", 1), "talk: nobody is not registered here, and there is no peer to ask (talk -register nobody)")
			assert.Contains(t, s.fail(t, "talk -u me nobody", 1), "talk: me is not logged in here in NetPeerGroup (talk -login me)")

			s.run(t, "talk -register alice; talk -login alice")
			lines := []string{"note to self", "", "second note"}
			s.sh.ReadLine = func(prompt string) (string, error) {
				if len(lines) == 0 {
					return "", io.EOF
				}
				line := lines[0]
				lines = lines[1:]
				return line, nil
			}
			assert.Contains(t, s.run(t, "talk -u alice alice"), "Conversation with alice ended: 2 lines sent")
			s.sees(t, "alice to alice> note to self")
			s.sees(t, "alice to alice> second note")

			s.sh.ReadLine = nil
			assert.Contains(t, s.fail(t, "talk -u alice alice", 2), "talk: no input")

			assert.Contains(t, s.run(t, "a = talk -register carol"), "carol registered as a user")
			s.run(t, "mkpipe -i a")
			assert.Contains(t, s.fail(t, "talk -login carol", 1), "talk: carol's pipe is bound on this peer already")
			assert.Contains(t, s.fail(t, "talk -register carol -propagate", 1), "talk: carol is registered already as a user; a chat room needs another name")

			search := s.run(t, "talk -search -w 100ms")
			assert.Regexp(t, `^talk registrations in NetPeerGroup:\n    alice +user\n    carol +user\n$`, search)
		})
	}
}

// TestTalkIsInterrupted ends a conversation with Ctrl-C while talk waits
// for the next line: the line editor returns ErrInterrupted, or the shell
// is interrupted (Shell.Interrupt) and reading fails.
func TestTalkIsInterrupted(t *testing.T) {
	s := talkerSession(t, networks()[1].config("solo"))
	s.run(t, "talk -register alice; talk -login alice")
	for _, ctrlC := range []func() error{
		func() error { return shell.ErrInterrupted },
		func() error { s.sh.Interrupt(); return errors.New("read interrupted") },
	} {
		calls := 0
		s.sh.ReadLine = func(string) (string, error) {
			calls++
			if calls == 1 {
				return "before Ctrl-C", nil
			}
			return "", ctrlC()
		}
		assert.Contains(t, s.run(t, "talk -u alice alice"), "Conversation with alice ended: 1 line sent")
		assert.Equal(t, 2, calls)
	}
	s.sees(t, "alice to alice> before Ctrl-C")
}

// TestTalkRegistrationSurvivesRestart registers a user, restarts the peer
// on the same home directory, and registers again: the registration is
// the one kept in the cache, with the same pipe ID.
func TestTalkRegistrationSurvivesRestart(t *testing.T) {
	for _, tn := range networks() {
		t.Run(tn.name, func(t *testing.T) {
			cfg := tn.config("alice")
			cfg.Home = t.TempDir()
			id := regexp.MustCompile(`\(pipe (urn:jxta:uuid-\w+)\)`)
			first := talkerSession(t, cfg)
			m := id.FindStringSubmatch(first.run(t, "talk -register alice"))
			require.NotNil(t, m)
			require.NoError(t, first.sh.Close())

			again := talkerSession(t, cfg)
			out := again.run(t, "talk -register alice")
			assert.Contains(t, out, "alice is registered already; keeping its registration\n")
			assert.Contains(t, out, "(pipe "+m[1]+")")
			again.run(t, "talk -login alice")
			again.sh.In = strings.NewReader("still here\n")
			again.run(t, "talk -u alice alice")
			again.sees(t, "alice to alice> still here")
		})
	}
}

func TestTalkUsage(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ line, msg string }{
		{"talk", "want one of -register, -login, -logout, -search and -u"},
		{"talk alice", "want one of -register, -login, -logout, -search and -u"},
		{"talk -login alice -logout alice", "-login and -logout cannot be used together"},
		{"talk -search -propagate", "-propagate goes with -register"},
		{"talk -login alice -secure", "-secure goes with -register"},
		{"talk -register lobby -propagate -secure", "-propagate and -secure cannot be used together: a chat room is not secure"},
		{"talk -register alice -w 1s", "-w goes with -search, -login and -u"},
		{"talk -search -w 0s", "-w 0s: want a positive duration"},
		{"talk -u alice", "-u wants two users: me and you"},
		{"talk -u alice bob carol", "-u wants two users: me and you"},
		{"talk -u alice bob -x", "flag provided but not defined: -x"},
		{"talk -login alice bob", `unexpected argument "bob"`},
		{`talk -register "al ice"`, `user name "al ice": want one word without *`},
		{"talk -register al*", `user name "al*": want one word without *`},
		{`talk -register ""`, "empty user name"},
	} {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			s := newSession()
			errs := s.fail(t, tt.line, 2)
			assert.Equal(t, "talk: "+tt.msg+"\nusage: "+s.sh.Command("talk").Synopsis+"\n", errs)
		})
	}
}

// TestTalkInAnInteractiveSession talks at the JXTA> prompt of a line
// editor: the conversation's lines are read with the editor, and the
// listener's lines appear through it (above the prompt on a terminal).
func TestTalkInAnInteractiveSession(t *testing.T) {
	s := talkerSession(t, networks()[1].config("solo"))
	ed := &scriptedEditor{lines: lineOf("talk -register alice", "talk -login alice", "talk -u alice alice", "hello me", ".", "env")}
	ed.beforeEOF = func() {
		require.Eventually(t, func() bool { return strings.Contains(ed.output(), "alice to alice> hello me\n") },
			30*time.Second, 10*time.Millisecond, "output:\n%s", ed.output())
	}
	assert.Equal(t, 0, s.sh.Interactive(ed, nil))
	assert.Equal(t, []string{"JXTA> ", "JXTA> ", "JXTA> ", "", "", "JXTA> ", "JXTA> "}, ed.prompts)
	assert.Contains(t, ed.output(), "Conversation with alice ended: 1 line sent\n")
	assert.Empty(t, s.out.String(), "everything went through the editor")
}
