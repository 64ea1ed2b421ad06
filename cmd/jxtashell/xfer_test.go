//go:build unix

package main

import (
	"crypto/sha256"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/ptytest"
	"github.com/gojxta/gojxta/internal/shell"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bigFile writes n random bytes to dir/name, streaming them, and returns
// the path and the SHA-256.
func bigFile(t *testing.T, dir, name string, seed uint64, n int64) (string, [32]byte) {
	t.Helper()
	p := filepath.Join(dir, name)
	f, err := os.Create(p)
	require.NoError(t, err)
	defer f.Close()
	h := sha256.New()
	_, err = io.CopyN(io.MultiWriter(f, h), rand.NewChaCha8([32]byte{byte(seed)}), n)
	require.NoError(t, err)
	var sum [32]byte
	h.Sum(sum[:0])
	return p, sum
}

// fileHash returns the SHA-256 of the file at p.
func fileHash(t *testing.T, p string) [32]byte {
	t.Helper()
	f, err := os.Open(p)
	require.NoError(t, err)
	defer f.Close()
	h := sha256.New()
	_, err = io.Copy(h, f)
	require.NoError(t, err)
	var sum [32]byte
	h.Sum(sum[:0])
	return sum
}

// TestXferBetweenTwoShells is the JXSE shell's demo E with two jxtashell
// processes and a rendezvous on TCP: bob registers and logs in, alice
// sends him a 50 MB file, which arrives with its SHA-256 checked. Then a
// second file's sender is killed mid-way; sent again from a new process,
// it resumes where bob's partial file ends, and arrives whole.
func TestXferBetweenTwoShells(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs four jxtashell processes")
	}
	const size = 50 << 20
	bin := buildShell(t)
	_, addr := startRendezvous(t, bin)
	aliceArgs := []string{"--name", "alice", "--listen", "tcp://127.0.0.1:0", "--seed", addr, "--no-multicast"}
	alice := startShell(t, bin, append(aliceArgs, "--home", t.TempDir())...)
	bob := startShell(t, bin, edgeArgs(t, "bob", addr)...)
	for _, edge := range []*shellProcess{alice, bob} {
		edge.waitFor(t, "rdvstatus", regexp.MustCompile(`Rendezvous : rdv urn:jxta:uuid-`))
	}

	inbox := filepath.Join(t.TempDir(), "inbox")
	bob.run(t, "xfer register bob; xfer login -d "+q(inbox)+" bob")
	bob.waitFor(t, "", regexp.MustCompile(`bob logged in: receiving files into `+regexp.QuoteMeta(inbox)))
	alice.run(t, "xfer register alice; xfer login -d "+q(filepath.Join(t.TempDir(), "alice-inbox"))+" alice")
	alice.waitEvery(t, "xfer search -w 1s", regexp.MustCompile(`(?m)^bob \(from urn:jxta:uuid-\w+\)$`), 2*time.Second)

	src := t.TempDir()
	first, firstSum := bigFile(t, src, "first.bin", 1, size)
	alice.run(t, "xfer send alice bob "+q(first))
	alice.waitFor(t, "", regexp.MustCompile(`sent first\.bin to bob: 50\.0 MiB \(52428800 bytes\) in \S+, \S+ \S+/s, SHA-256 verified by the receiver`))
	bob.waitFor(t, "", regexp.MustCompile(`xfer: bob received first\.bin from alice: 50\.0 MiB \(52428800 bytes\) in \S+, \S+ \S+/s, SHA-256 verified, saved as `+regexp.QuoteMeta(filepath.Join(inbox, "first.bin"))))
	assert.Equal(t, firstSum, fileHash(t, filepath.Join(inbox, "first.bin")))

	// The second file goes slowly, and its sender dies a fifth of the way.
	second, secondSum := bigFile(t, src, "second.bin", 2, size)
	alice.run(t, "xfer send -l 20M alice bob "+q(second))
	require.Eventually(t, func() bool {
		parts, _ := filepath.Glob(filepath.Join(inbox, ".partial", "second.bin.*.part"))
		if len(parts) != 1 {
			return false
		}
		st, err := os.Stat(parts[0])
		return err == nil && st.Size() >= size/5
	}, 60*time.Second, 10*time.Millisecond, "bob receives a fifth of the second file")
	require.NoError(t, alice.cmd.Process.Kill())
	m := bob.waitFor(t, "", regexp.MustCompile(`xfer: bob: receiving second\.bin from alice failed: (\d+) of 52428800 bytes of second\.bin held \(kept: sending it again resumes\)`))
	held, err := strconv.ParseInt(m[1], 10, 64)
	require.NoError(t, err)
	assert.Less(t, held, int64(size))

	// A new peer: a restarted one with the same ID on a new port is not
	// answered yet (the others dial the address they knew).
	alice = startShell(t, bin, append(aliceArgs, "--home", t.TempDir())...)
	alice.waitFor(t, "rdvstatus", regexp.MustCompile(`Rendezvous : rdv urn:jxta:uuid-`))
	alice.waitEvery(t, "xfer search -w 1s", regexp.MustCompile(`(?m)^bob \(from urn:jxta:uuid-\w+\)$`), 2*time.Second)
	alice.run(t, "xfer send alice bob "+q(second))
	m = alice.waitFor(t, "", regexp.MustCompile(`sent second\.bin to bob: \S+ \S+ \((\d+) bytes, resumed at (\d+) of 52428800\) in \S+, \S+ \S+/s, SHA-256 verified by the receiver`))
	sent, err := strconv.ParseInt(m[1], 10, 64)
	require.NoError(t, err)
	assert.Equal(t, m[2], strconv.FormatInt(held, 10), "the sender resumes where bob's partial file ends")
	assert.Equal(t, int64(size), held+sent)
	assert.Less(t, sent, int64(size), "fewer bytes than the file go the second time")
	bob.waitFor(t, "", regexp.MustCompile(`xfer: bob received second\.bin from alice: .*resumed at \d+ of 52428800.*SHA-256 verified`))
	assert.Equal(t, secondSum, fileHash(t, filepath.Join(inbox, "second.bin")))
	parts, err := filepath.Glob(filepath.Join(inbox, ".partial", "*"))
	require.NoError(t, err)
	assert.Empty(t, parts, "no partial file is left")
}

// TestXferOnATerminal: alice works at a terminal. The file she sends
// draws a progress bar there before the summary line; the file bob sends
// her prints its arrival above her prompt.
func TestXferOnATerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs three jxtashell processes")
	}
	bin := buildShell(t)
	_, addr := startRendezvous(t, bin)
	bob := startShell(t, bin, edgeArgs(t, "bob", addr)...)
	cmd := exec.Command(bin, edgeArgs(t, "alice", addr)...)
	cmd.Env = append(os.Environ(), "TERM=xterm")
	cmd.Dir = t.TempDir() // alice receives into ./xfer there
	alice := ptytest.Start(t, cmd)
	at := alice.WaitFor(0, shell.Prompt, 1)

	bob.waitFor(t, "rdvstatus", regexp.MustCompile(`Rendezvous : rdv urn:jxta:uuid-`))
	inbox := filepath.Join(t.TempDir(), "inbox")
	bob.run(t, "xfer register bob; xfer login -d "+q(inbox)+" bob")
	bob.waitFor(t, "", regexp.MustCompile(`bob logged in`))
	alice.Type("xfer register alice\r")
	at = alice.WaitFor(at, "registered alice: pipe JxtaXferUserName.alice", 1)
	alice.Type("xfer login alice\r")
	at = alice.WaitFor(at, "alice logged in: receiving files into "+filepath.Join(cmd.Dir, "xfer")+"\n", 1)
	bob.waitEvery(t, "xfer search -w 1s", regexp.MustCompile(`(?m)^alice \(from urn:jxta:uuid-\w+\)$`), 2*time.Second)

	toBob, toBobSum := bigFile(t, t.TempDir(), "to-bob.bin", 3, 4<<20)
	alice.Type("xfer send -t 30000 -l 8M alice bob " + q(toBob) + "\r")
	at = alice.WaitFor(at, "to-bob.bin 100% |", 1)
	at = alice.WaitFor(at, "sent to-bob.bin to bob: 4.0 MiB (4194304 bytes) in ", 1)
	at = alice.WaitFor(at, shell.Prompt, 1)
	bob.waitFor(t, "", regexp.MustCompile(`xfer: bob received to-bob\.bin from alice: 4\.0 MiB`))
	assert.Equal(t, toBobSum, fileHash(t, filepath.Join(inbox, "to-bob.bin")))

	alice.Type("man exi") // alice is typing when the file comes
	at = alice.WaitFor(at, "man exi", 1)
	toAlice, toAliceSum := bigFile(t, t.TempDir(), "to-alice.bin", 4, 1<<20)
	bob.run(t, "xfer send bob alice "+q(toAlice))
	bob.waitFor(t, "", regexp.MustCompile(`sent to-alice\.bin to alice: 1\.0 MiB`))
	at = alice.WaitFor(at, "xfer: alice received to-alice.bin from bob: 1.0 MiB (1048576 bytes) in ", 1)
	at = alice.WaitFor(at, "SHA-256 verified, saved as "+filepath.Join(cmd.Dir, "xfer", "to-alice.bin")+"\n", 1)
	at = alice.WaitFor(at, shell.Prompt+"man exi", 1) // the prompt, redrawn below with what alice typed
	assert.Equal(t, toAliceSum, fileHash(t, filepath.Join(cmd.Dir, "xfer", "to-alice.bin")))
	alice.Type("t\r")
	at = alice.WaitFor(at, "SYNOPSIS\n    exit", 1)
	alice.Type("xfer logout alice\r")
	at = alice.WaitFor(at, "alice logged out\n", 1)
	alice.WaitFor(at, shell.Prompt, 1) // Ctrl-D at the prompt (see the talk test)
	alice.Type("\x04")
	assert.Equal(t, 0, alice.WaitExit())
}
