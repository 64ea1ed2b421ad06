//go:build unix

package main

import (
	"context"
	"net"
	"os"
	"os/exec"
	"regexp"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/ptytest"
	"github.com/gojxta/gojxta/jxta/node"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestInteractiveShellSaysWhatHappens: at a terminal the shell starts with
// one line naming its peer and where it listens (and that JXSE's port was
// busy, when it moved), and prints one line when it takes a lease with a
// rendezvous and one when it loses it; a remote search prints its results
// as they arrive.
func TestInteractiveShellSaysWhatHappens(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it on a terminal")
	}
	bin := buildShell(t)
	if l, err := net.Listen("tcp", "127.0.0.1:9701"); err == nil {
		defer l.Close() // busy: the shell moves to another port
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	rdv, err := node.Start(ctx, node.Config{Name: "rdv", Rendezvous: true, Listen: []string{"tcp://127.0.0.1:0"}})
	require.NoError(t, err)
	defer rdv.Close()

	cmd := exec.Command(bin, "--home", t.TempDir(), "--name", "bob", "--listen", "tcp://127.0.0.1:9701",
		"--seed", rdv.Addresses()[0].String(), "--no-multicast", "-x")
	cmd.Env = append(os.Environ(), "TERM=xterm")
	term := ptytest.Start(t, cmd)
	term.WaitFor(0, "JXTA>", 1)
	assert.Regexp(t, regexp.MustCompile(`(?m)^peer bob urn:jxta:uuid-\w+, listening on tcp://127\.0\.0\.1:(97\d\d) \(port 9701 was busy, so port 97\d\d\)\r?$`), term.Screen())

	at := term.WaitFor(0, "jxtashell: NetPeerGroup: lease taken with rendezvous rdv ("+rdv.ID().String()+")", 1)

	// Results print as they arrive: the rendezvous's answer shows long
	// before the search, which wants more than it will get, ends.
	began := time.Now()
	term.Type("peers -r -n 5 -w 4s\r")
	at = term.WaitFor(at, ": name = rdv (from "+rdv.ID().String()+")", 1)
	assert.Less(t, time.Since(began), 3*time.Second, "the first result is on the screen at once")
	at = term.WaitFor(at, "JXTA>", 1)
	assert.GreaterOrEqual(t, time.Since(began), 4*time.Second, "while the search goes on for its -w")

	require.NoError(t, rdv.Close())
	term.WaitFor(at, "jxtashell: NetPeerGroup: rendezvous rdv ("+rdv.ID().String()+") lost; looking for another", 1)
	term.Type("\x04")
	assert.Equal(t, 0, term.WaitExit())
}
