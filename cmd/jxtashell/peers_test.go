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
	p := &shellProcess{cmd: exec.Command(bin, args...), done: make(chan struct{})}
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

// waitFor runs line every 200ms until the output matches re.
func (p *shellProcess) waitFor(t *testing.T, line string, re *regexp.Regexp) []string {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		p.run(t, line)
		time.Sleep(200 * time.Millisecond)
		if m := re.FindStringSubmatch(p.output()); m != nil {
			return m
		}
	}
	t.Fatalf("no match for %s after %q; output:\n%s", re, line, p.output())
	return nil
}

// TestTwoShellsSeePeers is the endpoint issue's acceptance scenario: two
// jxtashell processes on loopback ports, the second seeded with the first's
// address, each list the other by name.
func TestTwoShellsSeePeers(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs two jxtashell processes")
	}
	bin := buildShell(t)
	alice := startShell(t, bin, "--home", t.TempDir(), "--name", "alice", "--listen", "tcp://127.0.0.1:0")
	addr := alice.waitFor(t, "whoami", regexp.MustCompile(`Addresses : (tcp://127\.0\.0\.1:\d+)`))[1]

	bob := startShell(t, bin, "--home", t.TempDir(), "--name", "bob", "--listen", "tcp://127.0.0.1:0", "--seed", addr)
	bob.waitFor(t, "peers", regexp.MustCompile(`peer0: name = alice \(connected\) urn:jxta:uuid-`))
	alice.waitFor(t, "peers", regexp.MustCompile(`peer0: name = bob \(connected\) urn:jxta:uuid-`))
	alice.waitFor(t, "transports", regexp.MustCompile(`(?m)^  bob urn:jxta:uuid-\S+ tcp://127\.0\.0\.1:\d+ inbound`))
	bob.waitFor(t, "ping -c 2 peer0", regexp.MustCompile(`2 replies: min \S+ avg \S+ max \S+`))
	bob.waitFor(t, "peerinfo -p peer0", regexp.MustCompile(`Uptime    : \S+\nMessages  : \d+ in, \d+ out`))
}

// TestTwoShellsFindPipe: a pipe advertisement made and published in one
// shell is found by a remote search in another, and stored as adv0.
func TestTwoShellsFindPipe(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs two jxtashell processes")
	}
	bin := buildShell(t)
	alice := startShell(t, bin, "--home", t.TempDir(), "--name", "alice", "--listen", "tcp://127.0.0.1:0")
	addr := alice.waitFor(t, "whoami", regexp.MustCompile(`Addresses : (tcp://127\.0\.0\.1:\d+)`))[1]
	alice.run(t, "p = newpipe -n chat-room; publish -d p")
	alice.waitFor(t, "search -a Name -v chat*", regexp.MustCompile(`adv0: jxta:PipeAdvertisement name = chat-room urn:jxta:uuid-\w+04\n`))

	bob := startShell(t, bin, "--home", t.TempDir(), "--name", "bob", "--listen", "tcp://127.0.0.1:0", "--seed", addr)
	bob.waitFor(t, "peers", regexp.MustCompile(`name = alice \(connected\)`))
	m := bob.waitFor(t, "search -r -w 1s -a Name -v chat-*", regexp.MustCompile(`adv0: jxta:PipeAdvertisement name = chat-room (urn:jxta:uuid-\w+04) \(from urn:jxta:uuid-\w+\)`))
	bob.run(t, "cat -p adv0")
	bob.waitFor(t, "", regexp.MustCompile(`<Id>`+m[1]+`</Id>`))
	// The result was kept in bob's cache: a local search finds it too.
	bob.waitFor(t, "search -a Name -v chat-room", regexp.MustCompile(`(?m)^adv0: jxta:PipeAdvertisement name = chat-room `+m[1]+`\n`))
}
