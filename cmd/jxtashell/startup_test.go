package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// peerArgs keep a test's peer off the LAN, on a free loopback port.
var peerArgs = []string{"--listen", "tcp://127.0.0.1:0", "--no-multicast"}

// inHome returns the arguments that run a peer in home, then args.
func inHome(home string, args ...string) []string {
	return append(append([]string{"--home", home}, peerArgs...), args...)
}

// homeWithStartup returns a home directory whose .jshrc imports the good
// fixture as fromrc, fails on its second line, and imports it again as
// after.
func homeWithStartup(t *testing.T, f fixtures) string {
	t.Helper()
	home := t.TempDir()
	rc := "importfile " + q(f.good) + " fromrc\nnosuch\nimportfile " + q(f.good) + " after\n"
	require.NoError(t, os.WriteFile(filepath.Join(home, startupFile), []byte(rc), 0o600))
	return home
}

func TestStartupFile(t *testing.T) {
	t.Parallel()
	f := newFixtures(t)

	t.Run("runs before -e and goes on after a failing line", func(t *testing.T) {
		t.Parallel()
		home := homeWithStartup(t, f)
		status, out, errs := runShell(inHome(home, "-e", "env"), "")
		assert.Equal(t, 0, status, errs)
		assert.Contains(t, out, "fromrc = \"jxta:PipeAdvertisement")
		assert.Contains(t, out, "after = \"jxta:PipeAdvertisement")
		assert.Equal(t, "nosuch: unknown command (man lists the commands)\n", errs)
		assert.Less(t, strings.Index(out, "fromrc = jxta:"), strings.Index(out, "fromrc = \""), "the startup file runs first")
	})

	t.Run("runs before -f and before piped commands", func(t *testing.T) {
		t.Parallel()
		home := homeWithStartup(t, f)
		script := f.script(t, "env.jsh", "env\n")
		for _, args := range [][]string{inHome(home, "-f", script), inHome(home)} {
			status, out, errs := runShell(args, "env\n")
			assert.Equal(t, 0, status, "%v: %s", args, errs)
			assert.Contains(t, out, "after = \"jxta:PipeAdvertisement", args)
		}
	})

	t.Run("-x skips it", func(t *testing.T) {
		t.Parallel()
		home := homeWithStartup(t, f)
		status, out, errs := runShell(inHome(home, "-x", "-e", "env"), "")
		assert.Equal(t, 0, status)
		assert.Empty(t, out)
		assert.Empty(t, errs)
	})

	t.Run("exit in it ends jxtashell", func(t *testing.T) {
		t.Parallel()
		home := t.TempDir()
		require.NoError(t, os.WriteFile(filepath.Join(home, startupFile), []byte("nosuch\nexit\nman\n"), 0o600))
		status, out, _ := runShell(inHome(home, "-e", "man"), "")
		assert.Equal(t, 127, status, "the status of the command before exit")
		assert.Empty(t, out, "neither the rest of the file nor -e runs")
	})

	t.Run("a home without one", func(t *testing.T) {
		t.Parallel()
		status, out, errs := runShell(inHome(t.TempDir(), "-e", "env"), "")
		assert.Equal(t, 0, status)
		assert.Empty(t, out)
		assert.Empty(t, errs)
	})

	t.Run("an unreadable one is reported", func(t *testing.T) {
		t.Parallel()
		home := t.TempDir()
		require.NoError(t, os.Mkdir(filepath.Join(home, startupFile), 0o700))
		status, _, errs := runShell(inHome(home, "-e", "env"), "")
		assert.Equal(t, 0, status)
		assert.Contains(t, errs, ".jshrc")
	})
}

func TestVersionFlag(t *testing.T) {
	t.Parallel()
	home := filepath.Join(t.TempDir(), "home")
	status, out, errs := runShell([]string{"--version", "--home", home}, "")
	assert.Equal(t, 0, status)
	assert.Empty(t, errs)
	assert.Regexp(t, `^gojxta \S+\nGo `+regexp.QuoteMeta(runtime.Version())+` \S+\n$`, out)
	assert.NoDirExists(t, home, "no peer starts")
}

// TestHome runs jxtashell processes to see where their home is: --home,
// else $JXTA_HOME, else ~/.jxta; the first run creates it and later runs
// keep the peer's ID.
func TestHome(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	bin := buildShell(t)
	idLine := regexp.MustCompile(`Peer ID   : (urn:jxta:uuid-\w+)`)
	whoami := func(t *testing.T, env []string, args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, append(append(args, peerArgs...), "-e", "whoami")...)
		cmd.Env = append(os.Environ(), env...)
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		require.NoError(t, cmd.Run(), errb.String())
		m := idLine.FindStringSubmatch(out.String())
		require.NotNil(t, m, out.String())
		return m[1]
	}

	t.Run("--home, created on the first run, keeps the peer ID", func(t *testing.T) {
		t.Parallel()
		home := filepath.Join(t.TempDir(), "new", "home")
		first := whoami(t, nil, "--home", home)
		assert.FileExists(t, filepath.Join(home, "PlatformConfig"))
		assert.Equal(t, first, whoami(t, nil, "--home", home), "the same peer")
		assert.NotEqual(t, first, whoami(t, nil, "--home", t.TempDir()), "another home, another peer")
	})

	t.Run("$JXTA_HOME without --home", func(t *testing.T) {
		t.Parallel()
		home := t.TempDir()
		id := whoami(t, []string{"JXTA_HOME=" + home})
		assert.FileExists(t, filepath.Join(home, "PlatformConfig"))
		assert.Equal(t, id, whoami(t, nil, "--home", home))
	})

	t.Run("~/.jxta without $JXTA_HOME", func(t *testing.T) {
		t.Parallel()
		user := t.TempDir()
		id := whoami(t, []string{"JXTA_HOME=", "HOME=" + user})
		assert.FileExists(t, filepath.Join(user, ".jxta", "PlatformConfig"))
		assert.Equal(t, id, whoami(t, nil, "--home", filepath.Join(user, ".jxta")))
	})
}
