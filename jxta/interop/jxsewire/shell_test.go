package jxsewire_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/jxsepeer"
	"github.com/gojxta/gojxta/internal/wiretest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The README's JXSE interop session, with jxtashell processes.

var (
	shellOnce sync.Once
	shellDir  string // removed by TestMain
	shellBin  string
	shellErr  error
)

// jxtashell builds the shell once per test process.
func jxtashell(t *testing.T) string {
	t.Helper()
	shellOnce.Do(func() {
		dir, err := filepath.Abs("../../../cmd/jxtashell")
		if err != nil {
			shellErr = err
			return
		}
		if shellDir, shellErr = os.MkdirTemp("", "jxsewire-shell-"); shellErr != nil {
			return
		}
		shellBin = filepath.Join(shellDir, "jxtashell")
		out, err := exec.Command("go", "build", "-o", shellBin, dir).CombinedOutput()
		if err != nil {
			shellErr = err
			t.Logf("go build: %s", out)
		}
	})
	require.NoError(t, shellErr)
	return shellBin
}

// shell runs jxtashell with args until ctx ends; it returns its combined
// output once it exits.
func shell(ctx context.Context, t *testing.T, args ...string) func() (string, error) {
	t.Helper()
	cmd := exec.CommandContext(ctx, jxtashell(t), args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	require.NoError(t, cmd.Start())
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-done
	})
	return func() (string, error) {
		err := <-done
		done <- err
		return out.String(), err
	}
}

// TestShellSessionWithJXSE: a gojxta rendezvous and edge run as jxtashell
// --legacy; the edge publishes a pipe and waits on it with recv; a JXSE
// edge leased with the gojxta rendezvous finds the pipe and sends; recv
// prints it.
func TestShellSessionWithJXSE(t *testing.T) {
	t.Parallel()
	jxsepeer.SkipIfUnavailable(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	rdvAddr := "tcp://" + wiretest.FreeAddr(t)
	rdv := shell(ctx, t, "--legacy", "--rdv", "--home", t.TempDir(), "--name", "rdv", "--listen", rdvAddr, "--no-multicast",
		"-e", "sleep 60000")
	bob := shell(ctx, t, "--legacy", "--home", t.TempDir(), "--name", "bob", "--listen", "tcp://127.0.0.1:0", "--seed", rdvAddr, "--no-multicast",
		"-e", "p = newpipe -n chat-with-jxse; publish -d p; in = mkpipe -i p; r = recv -t 60000 in; get r jxse")
	jx := jxsepeer.Start(t, jxsepeer.Options{
		Mode: jxsepeer.Edge, Name: "jxse-edge", Seeds: []string{rdvAddr},
		Find: "chat-with-jxse", Send: "hello from JXSE", Timeout: 40 * time.Second, Stay: 2 * time.Second,
	})
	m, err := jx.WaitLine(`^RDV CONNECTED (true|false)$`, 40*time.Second)
	require.NoError(t, err)
	assert.Equal(t, "true", m[1])
	_, err = jx.WaitLine(`^SENT hello from JXSE$`, 40*time.Second)
	require.NoError(t, err)
	out, err := bob()
	require.NoError(t, err, "bob's output:\n%s", out)
	assert.Contains(t, out, "Message received: r (1 element)")
	assert.True(t, strings.HasSuffix(strings.TrimSpace(out), "hello from JXSE"), "recv and get print the JXSE edge's message:\n%s", out)
	cancel()
	_, _ = rdv()
}

// TestShellSessionWithJXSERendezvous: a jxtashell edge --legacy, seeded
// with a JXSE rendezvous that publishes a pipe and waits on it, finds the
// pipe (marked unverified) and sends to it.
func TestShellSessionWithJXSERendezvous(t *testing.T) {
	t.Parallel()
	jxsepeer.SkipIfUnavailable(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	jx := jxsepeer.Start(t, jxsepeer.Options{
		Mode: jxsepeer.Rendezvous, Name: "jxse-rdv", Publish: "jxse-chat", Expect: "hello from gojxta", Timeout: 60 * time.Second,
	})
	_, err := jx.WaitLine(`^PUBLISHED`, 40*time.Second)
	require.NoError(t, err)
	alice := shell(ctx, t, "--legacy", "--home", t.TempDir(), "--name", "alice", "--listen", "tcp://127.0.0.1:0", "--seed", jx.Addr(), "--no-multicast",
		"-k", "-e", `sleep 1000; search -r -w 3s -a Name -v jxse-chat; search -r -w 3s -a Name -v jxse-chat; search -r -w 3s -a Name -v jxse-chat; search -r -w 3s -a Name -v jxse-chat; out = mkpipe -o adv0; m = mkmsg; put m gojxta "hello from gojxta"; send out m`)
	out, err := alice()
	require.NoError(t, err, "alice's output:\n%s", out)
	assert.Regexp(t, `adv0: jxta:PipeAdvertisement name = jxse-chat \(from urn:jxta:uuid-\w+\) \[unverified\]`, out)
	_, err = jx.WaitLine(`^EXPECTED hello from gojxta$`, 30*time.Second)
	require.NoError(t, err, "the JXSE rendezvous receives alice's message")
}
