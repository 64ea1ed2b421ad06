package main

import (
	"bufio"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// shellProcess is a jxtashell process fed commands through a pipe, as a
// script would be, with its output collected.
type shellProcess struct {
	cmd   *exec.Cmd
	stdin io.WriteCloser
	mu    sync.Mutex
	out   strings.Builder
	done  chan struct{}
}

func buildShell(t *testing.T) string {
	t.Helper()
	gobin, err := exec.LookPath("go")
	require.NoError(t, err)
	bin := filepath.Join(t.TempDir(), "jxtashell")
	out, err := exec.Command(gobin, "build", "-o", bin, ".").CombinedOutput()
	require.NoError(t, err, "go build: %s", out)
	return bin
}

func startShell(t *testing.T, bin string, args ...string) *shellProcess {
	t.Helper()
	return startShellIn(t, "", bin, args...)
}

// startRendezvous starts a rendezvous shell named rdv on loopback, with
// multicast off, and returns it with its address.
func startRendezvous(t *testing.T, bin string) (*shellProcess, string) {
	rdv := startShell(t, bin, "--home", t.TempDir(), "--name", "rdv", "--rdv", "--listen", "tcp://127.0.0.1:0", "--no-multicast")
	return rdv, rdv.waitFor(t, "whoami", regexp.MustCompile(`Addresses : (tcp://127\.0\.0\.1:\d+)`))[1]
}

// edgeArgs are the arguments of a shell named name, in a home of its own,
// listening on loopback and seeded with addr, with multicast off.
func edgeArgs(t *testing.T, name, addr string) []string {
	return []string{"--home", t.TempDir(), "--name", name, "--listen", "tcp://127.0.0.1:0", "--seed", addr, "--no-multicast"}
}

// startShellIn starts a shell in directory dir ("": the test's).
func startShellIn(t *testing.T, dir, bin string, args ...string) *shellProcess {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	return startShellCmd(t, cmd)
}

// startShellCmd starts the shell that cmd runs (directly, or through a
// command such as ip netns exec that execs it).
func startShellCmd(t *testing.T, cmd *exec.Cmd) *shellProcess {
	t.Helper()
	p := &shellProcess{cmd: cmd, done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), "JXTA_HOME="+t.TempDir())
	var err error
	p.stdin, err = p.cmd.StdinPipe()
	require.NoError(t, err)
	stdout, err := p.cmd.StdoutPipe()
	require.NoError(t, err)
	p.cmd.Stderr = p.cmd.Stdout
	require.NoError(t, p.cmd.Start())
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			p.mu.Lock()
			p.out.WriteString(sc.Text() + "\n")
			p.mu.Unlock()
		}
	}()
	t.Cleanup(func() {
		p.stdin.Close()
		select {
		case <-p.done:
		case <-time.After(10 * time.Second):
			p.cmd.Process.Kill()
		}
		p.cmd.Wait()
	})
	return p
}

func (p *shellProcess) run(t *testing.T, line string) {
	t.Helper()
	_, err := io.WriteString(p.stdin, line+"\n")
	require.NoError(t, err, "the shell has exited; its output:\n%s", p.output())
}

func (p *shellProcess) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// expect runs line once and waits until what the shell prints after it
// matches re: for commands that must not run twice.
func (p *shellProcess) expect(t *testing.T, line string, re *regexp.Regexp) []string {
	t.Helper()
	mark := len(p.output())
	p.run(t, line)
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if m := re.FindStringSubmatch(p.output()[mark:]); m != nil {
			return m
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("no match for %s after %q; output:\n%s", re, line, p.output()[mark:])
	return nil
}

// waitFor runs line every 200ms until the output matches re: for
// commands that may run again (queries).
func (p *shellProcess) waitFor(t *testing.T, line string, re *regexp.Regexp) []string {
	t.Helper()
	return p.waitEvery(t, line, re, 200*time.Millisecond)
}

// waitEvery runs line, then again every interval, until the output matches
// re. Give commands that take a while (remote searches) an interval longer
// than they take, so that lines do not queue up.
func (p *shellProcess) waitEvery(t *testing.T, line string, re *regexp.Regexp, interval time.Duration) []string {
	t.Helper()
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		p.run(t, line)
		time.Sleep(interval)
		if m := re.FindStringSubmatch(p.output()); m != nil {
			return m
		}
	}
	t.Fatalf("no match for %s after %q; output:\n%s", re, line, p.output())
	return nil
}

// TestTwoShellsSeePeers is the endpoint and discovery issues' acceptance
// scenario: two jxtashell processes on loopback ports, the second seeded
// with the first's address. Each finds the other's peer advertisement with
// peers -r (LAN discovery is off, so nothing else tells them), then pings
// and queries it through the variable that holds it.
func TestTwoShellsSeePeers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs two jxtashell processes")
	}
	bin := buildShell(t)
	alice := startShell(t, bin, "--home", t.TempDir(), "--name", "alice", "--listen", "tcp://127.0.0.1:0", "--no-multicast")
	addr := alice.waitFor(t, "whoami", regexp.MustCompile(`Addresses : (tcp://127\.0\.0\.1:\d+)`))[1]

	bob := startShell(t, bin, edgeArgs(t, "bob", addr)...)
	bob.waitFor(t, "transports", regexp.MustCompile(`(?m)^  alice urn:jxta:uuid-\S+ tcp://127\.0\.0\.1:\d+ outbound`))
	alice.waitFor(t, "transports", regexp.MustCompile(`(?m)^  bob urn:jxta:uuid-\S+ tcp://127\.0\.0\.1:\d+ inbound`))

	// Before -r, each cache holds only the peer itself.
	bob.waitFor(t, "peers", regexp.MustCompile(`(?m)^peer0: name = bob$`))
	require.NotContains(t, bob.output(), "name = alice")

	// They are connected, so each has proven its key to the other.
	aliceVar := bob.waitEvery(t, "peers -r -w 1s", regexp.MustCompile(`(?m)^(peer\d+): name = alice \(from urn:jxta:uuid-\w+\) \[verified\]$`), 2*time.Second)[1]
	bobVar := alice.waitEvery(t, "peers -r -w 1s", regexp.MustCompile(`(?m)^(peer\d+): name = bob \(from urn:jxta:uuid-\w+\) \[verified\]$`), 2*time.Second)[1]
	// What -r found is in the cache: a local listing shows it.
	bob.waitFor(t, "peers -a Name -v alice", regexp.MustCompile(`(?m)^peer\d+: name = alice \[verified\]$`))

	bob.waitFor(t, "ping -c 2 "+aliceVar, regexp.MustCompile(`2 replies: min \S+ avg \S+ max \S+`))
	bob.waitFor(t, "peerinfo -p "+aliceVar, regexp.MustCompile(`Uptime    : \S+\nMessages  : \d+ in, \d+ out`))
	alice.waitFor(t, "ping -c 1 "+bobVar, regexp.MustCompile(`1 replies: min \S+`))
}

// TestTwoShellsFindPipe: a pipe advertisement made and published in one
// shell is found by a remote search in another, by name, and stored in an
// advN variable; a pushed one (remotepublish) lands in the other's cache.
func TestTwoShellsFindPipe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs two jxtashell processes")
	}
	bin := buildShell(t)
	alice := startShell(t, bin, "--home", t.TempDir(), "--name", "alice", "--listen", "tcp://127.0.0.1:0", "--no-multicast")
	addr := alice.waitFor(t, "whoami", regexp.MustCompile(`Addresses : (tcp://127\.0\.0\.1:\d+)`))[1]
	alice.run(t, "p = newpipe -n chat-room; publish -d p")
	alice.waitFor(t, "search -a Name -v chat*", regexp.MustCompile(`(?m)^adv0: jxta:PipeAdvertisement name = chat-room$`))

	bob := startShell(t, bin, edgeArgs(t, "bob", addr)...)
	bob.waitFor(t, "transports", regexp.MustCompile(`(?m)^  alice urn:jxta:uuid-`))
	m := bob.waitEvery(t, "search -r -l -w 1s -a Name -v chat-*", regexp.MustCompile(
		`(?m)^(adv\d+): jxta:PipeAdvertisement name = chat-room \(from urn:jxta:uuid-\w+\)\n    ID         : (urn:jxta:uuid-\w+04)$`), 2*time.Second)
	bob.run(t, "cat -p "+m[1])
	bob.waitFor(t, "", regexp.MustCompile(`<Id>`+m[2]+`</Id>`))
	// The result was kept in bob's cache: a local search finds it too.
	bob.waitFor(t, "search -l -a Name -v chat-room", regexp.MustCompile(`(?m)^adv\d+: jxta:PipeAdvertisement name = chat-room\n    ID         : `+m[2]+`$`))

	// bob pushes a pipe advertisement into alice's cache.
	bob.run(t, "q = newpipe -n pushed; remotepublish -d q")
	bob.waitFor(t, "", regexp.MustCompile(`(?m)^sent to 1 peer$`))
	alice.waitFor(t, "search -a Name -v pushed", regexp.MustCompile(`(?m)^adv\d+: jxta:PipeAdvertisement name = pushed$`))
}
