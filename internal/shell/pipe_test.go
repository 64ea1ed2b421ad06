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
