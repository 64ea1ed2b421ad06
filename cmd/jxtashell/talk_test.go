//go:build unix

package main

import (
	"os"
	"os/exec"
	"regexp"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/ptytest"
	"github.com/gojxta/gojxta/internal/shell"
	"github.com/stretchr/testify/assert"
)

// TestTalkBetweenTwoShells is the JXSE shell's demo D with two jxtashell
// processes on TCP and a rendezvous. Alice's shell reads a script from a
// pipe; bob works at a terminal. Both register and log in; alice finds bob
// with talk -search and talks to him with talk -u, a line at a time from
// her script up to "."; the lines print on bob's terminal as
// "alice to bob> ..." above the prompt, which is redrawn with what bob was
// typing. Bob answers from his terminal the same way, then both log out.
func TestTalkBetweenTwoShells(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs three jxtashell processes")
	}
	bin := buildShell(t)
	_, addr := startRendezvous(t, bin)
	alice := startShell(t, bin, edgeArgs(t, "alice", addr)...)
	cmd := exec.Command(bin, edgeArgs(t, "bob", addr)...)
	cmd.Env = append(os.Environ(), "TERM=xterm")
	bob := ptytest.Start(t, cmd)
	at := bob.WaitFor(0, shell.Prompt, 1)

	alice.waitFor(t, "rdvstatus", regexp.MustCompile(`Rendezvous : rdv urn:jxta:uuid-`))
	alice.run(t, "talk -register alice")
	alice.run(t, "talk -login alice")
	alice.waitFor(t, "", regexp.MustCompile(`alice logged in`))
	bob.Type("talk -register bob\r")
	at = bob.WaitFor(at, "bob registered as a user in NetPeerGroup", 1)
	bob.Type("talk -login bob\r")
	at = bob.WaitFor(at, "bob logged in: messages to bob print here\n", 1)
	alice.waitEvery(t, "talk -search -w 1s", regexp.MustCompile(`(?m)^    bob +user$`), 2*time.Second)

	bob.Type("man exi") // bob is typing when alice's lines come
	at = bob.WaitFor(at, "man exi", 1)
	alice.run(t, "talk -u alice bob")
	alice.run(t, "Hello Bob!")
	alice.run(t, "Are you there?")
	alice.run(t, ".")
	alice.waitFor(t, "", regexp.MustCompile(`Connection established with bob`))
	alice.waitFor(t, "", regexp.MustCompile(`Conversation with bob ended: 2 lines sent`))
	at = bob.WaitFor(at, "alice to bob> Hello Bob!\n", 1)
	at = bob.WaitFor(at, "alice to bob> Are you there?\n", 1)
	at = bob.WaitFor(at, shell.Prompt+"man exi", 1) // the prompt, redrawn below with what bob typed
	bob.Type("t\r")
	at = bob.WaitFor(at, "SYNOPSIS\n    exit", 1)

	bob.Type("talk -u bob alice\r")
	at = bob.WaitFor(at, "Connection established with alice", 1)
	bob.Type("Yes, here.\r.\r")
	at = bob.WaitFor(at, "Conversation with alice ended: 1 line sent\n", 1)
	alice.waitFor(t, "", regexp.MustCompile(`(?m)^bob to alice> Yes, here\.$`))

	alice.run(t, "talk -logout alice")
	alice.waitFor(t, "", regexp.MustCompile(`alice logged out`))
	bob.Type("talk -logout bob\r")
	// Ctrl-D once the next prompt is up: typed while the command still
	// runs, on a terminal in its normal mode, it would be read as an end
	// of input then and lost.
	at = bob.WaitFor(at, "bob logged out\n", 1)
	bob.WaitFor(at, shell.Prompt, 1)
	bob.Type("\x04")
	assert.Equal(t, 0, bob.WaitExit())
}
