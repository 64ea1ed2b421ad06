package jxsepeer

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/interop"
	"github.com/gojxta/gojxta/internal/wiretest"
	"github.com/gojxta/gojxta/jxta"
)

// Mode is the role a JXSE peer starts in (JXSE's NetworkManager.ConfigMode).
type Mode string

// The modes of a JXSE peer.
const (
	Edge       Mode = "EDGE" // leases with a seed rendezvous (the default)
	Rendezvous Mode = "RENDEZVOUS"
	AdHoc      Mode = "ADHOC" // no rendezvous: multicast only
)

// StartTimeout bounds how long ID waits for the STARTED line: room for
// the one-time compile on a loaded machine.
const StartTimeout = 60 * time.Second

// Options are a JXSE peer's settings, each one of jxse-peer's -D options
// (see ../shared/jxse/README.md). The zero value of a field leaves
// jxse-peer's default, except Port and Home.
type Options struct {
	// Mode is the peer's role; default Edge.
	Mode Mode
	// Name is the peer's name; default "jxse".
	Name string
	// Host is the address the peer binds and announces; default 127.0.0.1.
	Host string
	// Port is its TCP port; 0 picks a free port on loopback.
	Port int
	// Seeds are seed rendezvous URIs, such as tcp://127.0.0.1:9701.
	Seeds []string
	// Mcast turns IP multicast on (224.0.1.85:1234), on the interface with
	// address McastIf (default Host).
	Mcast   bool
	McastIf string
	// Publish publishes a pipe advertisement with this name and binds an
	// input pipe on it: the peer prints "RECEIVED name=text" per element.
	// PipeType is JxtaUnicast (default) or JxtaPropagate. Without Expect
	// or Stay the peer exits as soon as it has published.
	Publish  string
	PipeType string
	// Find searches for a pipe advertisement with this name: "FOUND <pipe
	// id> <name>" or "NOT FOUND <name>".
	Find string
	// Send, after Find, sends one message with a text element named
	// Element (default "jxse") holding Send: "SENT <text>" or "NOT SENT".
	// SENT means JXSE queued it: a peer that stops at once (no Stay) can
	// lose it.
	Send    string
	Element string
	// Expect, after Publish, waits for a received element whose name=text
	// contains it: "EXPECTED <text>" or "NOT RECEIVED <text>".
	Expect string
	// Timeout is the budget for all tasks together (default 30 s); an
	// edge with seeds waits for its rendezvous within it.
	Timeout time.Duration
	// Stay keeps the peer up this long after its tasks, to serve others.
	Stay time.Duration
	// Log is JXSE's own log level (SEVERE, the default, WARNING, INFO,
	// FINE); JXSE logs to stderr.
	Log string
	// Listen, a pipe ID, runs gojxta's own JXSE edge (JxseListener.java)
	// instead of jxse-peer: it listens on that pipe (of PipeType, default
	// JxtaPropagate, named PipeName) and prints "LISTENING <pipe ID>",
	// then RECEIVED lines, and Expect's line. Several such peers can
	// listen on one pipe, which jxse-peer cannot do. Mode, Publish, Find
	// and Send do not apply.
	Listen   string
	PipeName string
}

// args returns o as jxse-peer's -D options, for a peer at home.
func (o Options) args(home string) []string {
	a := []string{"-Dhome=" + home, "-Dport=" + strconv.Itoa(o.Port)}
	add := func(key, value string) {
		if value != "" {
			a = append(a, "-D"+key+"="+value)
		}
	}
	ms := func(d time.Duration) string {
		if d <= 0 {
			return ""
		}
		return strconv.FormatInt(d.Milliseconds(), 10)
	}
	add("mode", string(o.Mode))
	add("name", o.Name)
	add("host", o.Host)
	add("seed", strings.Join(o.Seeds, ","))
	if o.Mcast {
		add("mcast", "true")
	}
	add("mcastIf", o.McastIf)
	add("publish", o.Publish)
	add("pipeType", o.PipeType)
	add("find", o.Find)
	add("send", o.Send)
	add("element", o.Element)
	add("expect", o.Expect)
	add("timeout", ms(o.Timeout))
	add("stay", ms(o.Stay))
	add("log", o.Log)
	add("listen", o.Listen)
	add("pipeName", o.PipeName)
	return a
}

var availability struct {
	once   sync.Once
	script string
	err    error
}

// Available reports whether JXSE peers can run here: the shared folder
// with jxse/jxse-peer beside the repository, and java, javac and flock on
// the PATH. The error says what is missing. It looks once per process.
func Available() error {
	availability.once.Do(func() { availability.script, availability.err = probe() })
	return availability.err
}

func probe() (string, error) {
	shared := interop.Shared()
	if shared == "" {
		return "", errors.New("../shared not found beside the repository")
	}
	script := filepath.Join(shared, "jxse", "jxse-peer")
	if st, err := os.Stat(script); err != nil || st.Mode()&0o111 == 0 {
		return "", fmt.Errorf("%s missing or not executable", script)
	}
	for _, tool := range []string{"bash", "flock", "java", "javac"} {
		if _, err := exec.LookPath(tool); err != nil {
			return "", fmt.Errorf("no %s on the PATH (Debian: openjdk-17-jdk-headless has java and javac)", tool)
		}
	}
	return script, nil
}

// SkipIfUnavailable skips tb, saying why, when Available reports an error.
func SkipIfUnavailable(tb testing.TB) {
	tb.Helper()
	if err := Available(); err != nil {
		tb.Skipf("jxsepeer: %v: tests against real JXSE peers need ../shared/jxse, java and javac", err)
	}
}

// CacheDir is where jxse-peer keeps its compiled classes: $JXSE_CACHE if
// set, else jxse-peer in the user's cache folder, else in the temporary
// folder.
func CacheDir() string {
	if d := os.Getenv("JXSE_CACHE"); d != "" {
		return d
	}
	if d, err := os.UserCacheDir(); err == nil {
		return filepath.Join(d, "jxse-peer")
	}
	return filepath.Join(os.TempDir(), "jxse-peer")
}

// Peer is a running JXSE peer process.
type Peer struct {
	tb      testing.TB
	opts    Options
	home    string
	cmd     *exec.Cmd
	started time.Time
	stdout  *lines
	stderr  *lines

	done     chan struct{} // closed when the process has exited
	exitCode int           // set before done is closed
	waitErr  error         // set before done is closed
}

// Start runs a JXSE peer with o, in a fresh home folder (tb.TempDir), on
// a free loopback port when o.Port is 0. It returns at once, without
// waiting for the peer to start (WaitLine, ID). It skips tb when
// Available reports an error. tb's Cleanup kills the peer's process
// group and, if tb failed, logs what the peer printed.
func Start(tb testing.TB, o Options) *Peer {
	tb.Helper()
	SkipIfUnavailable(tb)
	if o.Host == "" {
		o.Host = "127.0.0.1"
	}
	if o.Port == 0 {
		_, port, err := net.SplitHostPort(wiretest.FreeAddr(tb))
		if err != nil {
			tb.Fatal(err)
		}
		o.Port, _ = strconv.Atoi(port)
	}
	if o.Name == "" {
		o.Name = "jxse"
	}
	p := &Peer{
		tb:     tb,
		opts:   o,
		home:   tb.TempDir(), // removed after the peer is killed: cleanups run last first
		stdout: newLines(),
		stderr: newLines(),
		done:   make(chan struct{}),
	}
	cmd := exec.Command(availability.script, o.args(p.home)...)
	if o.Listen != "" {
		classes := listenerClasses(tb)
		shared := filepath.Dir(availability.script)
		cmd = exec.Command("java", append(append([]string{"-cp", classes + string(os.PathListSeparator) + filepath.Join(shared, "lib", "*")}, o.args(p.home)...), "JxseListener")...)
	}
	cmd.Env = append(os.Environ(), "JXSE_CACHE="+CacheDir())
	cmd.Stdout = p.stdout
	cmd.Stderr = p.stderr
	cmd.WaitDelay = 5 * time.Second
	ownProcessGroup(cmd)
	p.started = time.Now()
	if err := cmd.Start(); err != nil {
		tb.Fatalf("jxsepeer: starting %s: %v", availability.script, err)
	}
	p.cmd = cmd
	go func() {
		err := cmd.Wait()
		p.exitCode = cmd.ProcessState.ExitCode()
		p.waitErr = err
		close(p.done)
	}()
	tb.Cleanup(func() {
		ended := "killed at the test's end"
		select {
		case <-p.done:
			ended = "exit " + strconv.Itoa(p.exitCode)
		default:
		}
		killProcessGroup(cmd)
		<-p.done
		if tb.Failed() {
			tb.Logf("jxsepeer: %s (%s, %s), %s\nstdout:\n%s\nstderr:\n%s",
				o.Name, o.Mode, p.Addr(), ended, p.Output(), p.Stderr())
		}
	})
	return p
}

// Addr returns the peer's TCP address, tcp://host:port: what to seed
// others with.
func (p *Peer) Addr() string {
	return "tcp://" + net.JoinHostPort(p.opts.Host, strconv.Itoa(p.opts.Port))
}

// Name returns the peer's name.
func (p *Peer) Name() string { return p.opts.Name }

// Home returns the peer's JXTA home folder.
func (p *Peer) Home() string { return p.home }

// Output returns what the peer has printed on stdout so far.
func (p *Peer) Output() string { return p.stdout.String() }

// Stderr returns what the peer has printed on stderr so far: JXSE's log
// (Options.Log) and, on a first run, the compiler's complaints.
func (p *Peer) Stderr() string { return p.stderr.String() }

// WaitLine waits up to timeout for a stdout line, among those printed so
// far and those to come, that matches the regular expression pattern,
// and returns the match and its submatches (regexp's
// FindStringSubmatch). It fails when the peer exits or timeout passes
// without such a line; the error holds what the peer printed.
func (p *Peer) WaitLine(pattern string, timeout time.Duration) ([]string, error) {
	re, err := regexp.Compile(pattern)
	if err != nil {
		return nil, fmt.Errorf("jxsepeer: %w", err)
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	next := 0
	for {
		lines, more := p.stdout.since(next)
		for _, l := range lines {
			if m := re.FindStringSubmatch(l); m != nil {
				return m, nil
			}
		}
		next += len(lines)
		select {
		case <-more:
		case <-p.done:
			lines, _ := p.stdout.since(next)
			for _, l := range lines {
				if m := re.FindStringSubmatch(l); m != nil {
					return m, nil
				}
			}
			return nil, fmt.Errorf("jxsepeer: %s exited (%d) without a line matching %q\nstdout:\n%s\nstderr:\n%s",
				p.opts.Name, p.exitCode, pattern, p.Output(), p.Stderr())
		case <-timer.C:
			return nil, fmt.Errorf("jxsepeer: %s printed no line matching %q within %v\nstdout:\n%s\nstderr:\n%s",
				p.opts.Name, pattern, timeout, p.Output(), p.Stderr())
		}
	}
}

// ID returns the peer's ID, from its STARTED line, waiting for it up to
// StartTimeout; it fails the test if none comes. Call it from the test's
// goroutine.
func (p *Peer) ID() jxta.PeerID {
	p.tb.Helper()
	m, err := p.WaitLine(`^STARTED (\S+)`, StartTimeout)
	if err != nil {
		p.tb.Fatal(err)
	}
	id, err := jxta.ParsePeerID(m[1])
	if err != nil {
		p.tb.Fatalf("jxsepeer: %s's STARTED line: %v", p.opts.Name, err)
	}
	return id
}

// Wait waits up to timeout for the peer to exit and returns its exit
// code. It fails when the peer is still running after timeout, or was
// killed by a signal.
func (p *Peer) Wait(timeout time.Duration) (int, error) {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	select {
	case <-p.done:
	case <-timer.C:
		return -1, fmt.Errorf("jxsepeer: %s still running after %v\nstdout:\n%s", p.opts.Name, timeout, p.Output())
	}
	if p.exitCode < 0 {
		return -1, fmt.Errorf("jxsepeer: %s: %w", p.opts.Name, p.waitErr)
	}
	return p.exitCode, nil
}
