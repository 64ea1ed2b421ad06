package shell_test

import (
	"path/filepath"
	"regexp"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPipeDemo is the JXSE shell's "Pooh and Piglet" session: Pooh binds
// an input pipe, Piglet finds its advertisement, sends a message with two
// elements, and Pooh receives it and reads the elements.
func TestPipeDemo(t *testing.T) {
	for _, tn := range networks() {
		t.Run(tn.name, func(t *testing.T) {
			_, pooh, piglet := rdvStar(t, tn)
			assert.Regexp(t, `pipeadv = JxtaUnicast apipe urn:jxta:uuid-`, pooh.run(t, "pipeadv = newpipe -n apipe"))
			pooh.run(t, "publish -d pipeadv")
			assert.Contains(t, pooh.run(t, "inpipe = mkpipe -i pipeadv"), "inpipe = input pipe apipe")

			m := piglet.runUntil(t, "search -r -w 1s -a Name -v apipe", regexp.MustCompile(`(adv\d+)`))
			out := piglet.run(t, "opipe = mkpipe -o -t 15000 "+m[1])
			assert.Contains(t, out, "opipe = output pipe apipe, bound on")
			assert.Contains(t, piglet.run(t, "mymsg = mkmsg"), "mymsg = message")
			file := writeFile(t, t.TempDir(), "hellopooh", "Hello Pooh, this is Piglet.\n")
			assert.Contains(t, piglet.run(t, "importfile "+q(file)+" file1"), "file1 = text")
			piglet.run(t, "put mymsg hello file1")
			piglet.run(t, `put mymsg bye "see you"`)
			piglet.run(t, "put mymsg pipe pipe-as-text") // no such variable: the words themselves
			piglet.run(t, "put mymsg adv "+m[1])
			assert.Empty(t, piglet.run(t, "send opipe mymsg"))

			assert.Regexp(t, `Message received: pigletmsg \(4 elements\)`, pooh.run(t, "pigletmsg = recv -t 15000 inpipe"))
			assert.Equal(t, "Hello Pooh, this is Piglet.\n", pooh.run(t, "get pigletmsg hello"))
			assert.Equal(t, "see you\n", pooh.run(t, "b = get pigletmsg bye"))
			assert.Equal(t, "see you\n", pooh.run(t, "cat b"))
			assert.Contains(t, pooh.run(t, "a = get pigletmsg adv"), "<jxta:PipeAdvertisement")
			assert.Contains(t, pooh.run(t, "mkpipe -o -t 100 a"), "bound on", "get returns an advertisement back")
			listing := pooh.run(t, "cat pigletmsg")
			assert.Regexp(t, `(?m)^  hello  text/plain;charset=UTF-8  28 bytes$`, listing)
			assert.Contains(t, listing, "adv  text/xml")
			assert.Contains(t, pooh.run(t, "cat -p pigletmsg"), "    see you")

			errs := pooh.fail(t, "recv -t 50 inpipe", 1)
			assert.Contains(t, errs, "no message received: the wait ran out")
			assert.Contains(t, pooh.fail(t, "get pigletmsg nothing", 1), `no element "nothing"`)
			assert.Contains(t, pooh.fail(t, "send inpipe pigletmsg", 1), "not an output pipe")
			assert.Contains(t, pooh.fail(t, "mkpipe -i -o pipeadv", 2), "want one of -i and -o")
		})
	}
}

func TestBidirectionalPipeCommands(t *testing.T) {
	for _, tn := range networks() {
		t.Run(tn.name, func(t *testing.T) {
			_, alice, bob := rdvStar(t, tn)
			alice.run(t, "p = newpipe -n chat")
			dir := t.TempDir()
			alice.run(t, "exportfile "+q(filepath.Join(dir, "chat.xml"))+" p")
			bob.run(t, "p = importfile "+q(filepath.Join(dir, "chat.xml")))

			listened := make(chan bool)
			go func() { listened <- alice.exec("c = listen -t 30000 p") }()
			var out string
			require.Eventually(t, func() bool {
				bob.out.Reset()
				bob.err.Reset()
				if bob.exec("c = dial -t 2000 p") {
					out = bob.out.String()
					return true
				}
				return false
			}, 30*time.Second, 100*time.Millisecond, "dial: %s", bob.err.String())
			assert.Contains(t, out, "c = connection with alice")
			require.True(t, <-listened, alice.err.String())
			assert.Contains(t, alice.out.String(), "c = connection with bob")

			bob.run(t, "m = mkmsg; put m text hello-alice")
			bob.run(t, "send c m")
			alice.run(t, "r = recv -t 10000 c")
			assert.Equal(t, "hello-alice\n", alice.run(t, "get r text"))
			alice.run(t, "put r text hello-bob; send c r")
			bob.run(t, "r = recv -t 10000 c")
			assert.Equal(t, "hello-bob\n", bob.run(t, "get r text"))
		})
	}
}

// connect makes alice listen on a new pipe named name and bob dial it,
// both storing the connection in variable c.
func connect(t *testing.T, alice, bob *session, name string) {
	t.Helper()
	alice.run(t, "p = newpipe -n "+name)
	file := filepath.Join(t.TempDir(), name+".xml")
	alice.run(t, "exportfile "+q(file)+" p")
	bob.run(t, "p = importfile "+q(file))
	listened := make(chan bool)
	go func() { listened <- alice.exec("c = listen -t 30000 p") }()
	require.Eventually(t, func() bool {
		bob.out.Reset()
		bob.err.Reset()
		return bob.exec("c = dial -t 2000 p")
	}, 30*time.Second, 100*time.Millisecond, "dial: %s", bob.err.String())
	require.True(t, <-listened, alice.err.String())
}

// TestClose closes a connection over real TCP with close, then with
// unset: the other side's recv reports the end of the stream at once.
func TestClose(t *testing.T) {
	_, alice, bob := rdvStar(t, testNetwork{name: "tcp"})
	connect(t, alice, bob, "first")
	bob.run(t, "m = mkmsg; put m text hi; send c m")
	alice.run(t, "r = recv -t 10000 c")

	bob.run(t, "close c")
	start := time.Now()
	assert.Equal(t, "recv: no message received: the other side closed the connection (end of stream)\n",
		alice.fail(t, "recv -t 20000 c", 1))
	assert.Less(t, time.Since(start), 10*time.Second, "recv sees the end of the stream, not its wait running out")
	assert.Equal(t, "recv: no message received: c is closed\n", bob.fail(t, "recv -t 20000 c", 1))
	assert.Equal(t, "send: c is closed\n", bob.fail(t, "send c m", 1))
	assert.Contains(t, bob.run(t, "env"), `c = "connection on pipe`, "close keeps the variable")
	assert.Equal(t, "close: m holds a message, not a pipe or connection\n", bob.fail(t, "close m", 1))
	assert.Equal(t, "close: want a variable\nusage: close var...\n", bob.fail(t, "close", 2))

	// unset closes the last variable holding a connection, not one that
	// another variable still holds.
	connect(t, alice, bob, "second")
	bob.run(t, "set d c; unset c; send d m")
	alice.run(t, "r = recv -t 10000 c")
	bob.run(t, "unset d")
	start = time.Now()
	assert.Equal(t, "recv: no message received: the other side closed the connection (end of stream)\n",
		alice.fail(t, "recv -t 20000 c", 1))
	assert.Less(t, time.Since(start), 10*time.Second)

	// Input and output pipes.
	alice.run(t, "m = mkmsg; q = newpipe -n third; in = mkpipe -i q; out = mkpipe -o q; close in out")
	assert.Equal(t, "recv: no message received: the pipe is closed\n", alice.fail(t, "recv -t 20000 in", 1))
	assert.Contains(t, alice.fail(t, "send out m", 1), "closed")
}

func TestRecvIsInterrupted(t *testing.T) {
	s, _ := peerSession(t, networks()[1].config("solo"))
	s.run(t, "p = newpipe -n quiet; in = mkpipe -i p")
	done := make(chan bool)
	go func() { done <- s.exec("recv in") }()
	require.Eventually(t, func() bool { return s.sh.Interrupt() }, 10*time.Second, 10*time.Millisecond)
	select {
	case ok := <-done:
		assert.False(t, ok)
	case <-time.After(10 * time.Second):
		t.Fatal("recv did not return after Interrupt")
	}
	assert.Contains(t, s.err.String(), "no message received: interrupted")
}
