package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
	"time"
)

// TestPipeDemoBetweenTwoShells is the JXSE shell's demo C ("Pooh and
// Piglet") with two jxtashell processes on TCP and a rendezvous: Pooh makes
// and publishes a pipe and waits on its input end; Piglet finds the pipe,
// builds a message from a file and a word, and sends it; Pooh receives it
// and reads the elements. Then the two talk over a bidirectional pipe.
func TestPipeDemoBetweenTwoShells(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs three jxtashell processes")
	}
	bin := buildShell(t)
	_, addr := startRendezvous(t, bin)
	pooh := startShell(t, bin, edgeArgs(t, "pooh", addr)...)
	piglet := startShell(t, bin, edgeArgs(t, "piglet", addr)...)
	for _, edge := range []*shellProcess{pooh, piglet} {
		edge.waitFor(t, "rdvstatus", regexp.MustCompile(`Rendezvous : rdv urn:jxta:uuid-`))
	}

	pooh.run(t, "pipeadv = newpipe -n apipe; publish -d pipeadv")
	pooh.expect(t, "inpipe = mkpipe -i pipeadv", regexp.MustCompile(`inpipe = input pipe apipe`))

	m := piglet.waitEvery(t, "search -r -w 1s -a Name -v apipe", regexp.MustCompile(`(?m)^(adv\d+): jxta:PipeAdvertisement name = apipe`), 2*time.Second)
	piglet.expect(t, "opipe = mkpipe -o "+m[1], regexp.MustCompile(`opipe = output pipe apipe, bound on pooh`))
	file := filepath.Join(t.TempDir(), "hellopooh")
	if err := os.WriteFile(file, []byte("Hello Pooh!\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	piglet.run(t, "mymsg = mkmsg")
	piglet.expect(t, "importfile "+file+" file1", regexp.MustCompile(`file1 = text`))
	piglet.run(t, "put mymsg hello file1; put mymsg bye goodbye; send opipe mymsg")

	pooh.expect(t, "pigletmsg = recv -t 20000 inpipe", regexp.MustCompile(`Message received: pigletmsg \(2 elements\)`))
	pooh.waitFor(t, "get pigletmsg hello", regexp.MustCompile(`(?m)^Hello Pooh!$`))
	pooh.waitFor(t, "cat pigletmsg", regexp.MustCompile(`(?m)^  bye  text/plain;charset=UTF-8  7 bytes$`))

	// A bidirectional pipe: Pooh listens, Piglet dials, messages both ways.
	pooh.run(t, "chat = newpipe -n chat; publish -d chat; c = listen -t 30000 chat")
	m = piglet.waitEvery(t, "search -r -w 1s -a Name -v chat", regexp.MustCompile(`(?m)^(adv\d+): jxta:PipeAdvertisement name = chat\b`), 2*time.Second)
	piglet.expect(t, "c = dial -t 20000 "+m[1], regexp.MustCompile(`c = connection with pooh`))
	pooh.waitFor(t, "", regexp.MustCompile(`c = connection with piglet`))
	piglet.run(t, "send c mymsg")
	pooh.expect(t, "r = recv -t 20000 c", regexp.MustCompile(`Message received: r \(2 elements\)`))
	pooh.run(t, "put r bye ciao; send c r")
	piglet.expect(t, "r = recv -t 20000 c", regexp.MustCompile(`Message received: r`))
	piglet.waitFor(t, "get r bye", regexp.MustCompile(`(?m)^ciao$`))
}
