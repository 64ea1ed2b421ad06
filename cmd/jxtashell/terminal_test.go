//go:build unix

package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/ptytest"
	"github.com/gojxta/gojxta/internal/shell"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestTerminal uses jxtashell as a person at a terminal does: the real
// binary on a pseudo-terminal, keys typed, the screen read back.
func TestTerminal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary and runs it on a terminal")
	}
	t.Parallel()
	bin := buildShell(t)
	f := newFixtures(t)

	// open starts jxtashell on a terminal with its peer in home, and waits
	// for the prompt.
	open := func(t *testing.T, home string, args ...string) (*ptytest.Terminal, int) {
		t.Helper()
		cmd := exec.Command(bin, inHome(home, args...)...)
		cmd.Env = append(os.Environ(), "TERM=xterm")
		term := ptytest.Start(t, cmd)
		return term, term.WaitFor(0, shell.Prompt, 1)
	}

	t.Run("completion, recall, history and !n", func(t *testing.T) {
		t.Parallel()
		term, at := open(t, t.TempDir())

		// Tab completes a command name, a file name, a variable name.
		term.Type("imp\t" + f.dir + "/pi\tmyvar\r")
		at = term.WaitFor(at, "myvar = jxta:PipeAdvertisement\n", 1)
		term.Type("cat -p myv\t\r")
		at = term.WaitFor(at, "<Name>demo</Name>", 1)
		// Options come from the command's synopsis.
		term.Type("newpgrp --pa\t")
		term.WaitFor(at, "newpgrp --password", 1)
		term.Type("\x15\r") // Ctrl-U empties the line

		// Up recalls the last line.
		term.Type(ptytest.Up + "\r")
		at = term.WaitFor(at, "<Name>demo</Name>", 1)
		// Ctrl-R finds the last line with "imp" in it.
		term.Type("\x12imp\r")
		at = term.WaitFor(at, "myvar = jxta:PipeAdvertisement\n", 1)

		term.Type("history\r")
		at = term.WaitFor(at, "    1  importfile "+f.dir+"/pipe.xml myvar\n    2  cat -p myvar\n    3  importfile "+f.dir+"/pipe.xml myvar\n    4  history\n", 1)
		// !n prints the line, then runs it.
		term.Type("!2\r")
		at = term.WaitFor(at, "cat -p myvar\n", 1)
		term.WaitFor(at, "<Name>demo</Name>", 1)

		term.Type("\x04")
		assert.Equal(t, 0, term.WaitExit())
	})

	t.Run("a password is not echoed nor kept", func(t *testing.T) {
		t.Parallel()
		home := t.TempDir()
		term, at := open(t, home)
		term.Type("newpgrp -n club --password\r")
		at = term.WaitFor(at, "Password for club: ", 1)
		term.Type("hunter2\r")
		term.Type("env\r")
		term.WaitFor(at, `peer group advertisement club"`, 1)
		term.Type("exit\r")
		assert.Equal(t, 0, term.WaitExit())
		assert.NotContains(t, term.Raw(), "hunter2", "the password is not echoed")
		history, err := os.ReadFile(filepath.Join(home, historyFile))
		require.NoError(t, err)
		assert.Equal(t, "newpgrp -n club --password\nenv\nexit\n", string(history), "the password is not kept")
	})

	t.Run("Ctrl-C interrupts a command and the shell goes on", func(t *testing.T) {
		t.Parallel()
		term, at := open(t, t.TempDir())
		term.Type("sleep 100000\r")
		at = term.WaitFor(at, "sleep 100000\n", 1)
		interrupt(t, term, at, "sleep: interrupted")
		term.Type("man sleep\r")
		term.WaitFor(at, "SYNOPSIS\n    sleep ms", 1)
		term.Type("\x04")
		assert.Equal(t, 0, term.WaitExit(), "the status of man sleep")
	})

	t.Run("Ctrl-C stops a blocking recv", func(t *testing.T) {
		t.Parallel()
		term, at := open(t, t.TempDir())
		term.Type("p = newpipe -n quiet; in = mkpipe -i p\r")
		at = term.WaitFor(at, "in = input pipe quiet", 1)
		term.Type("recv in\r")
		at = term.WaitFor(at, "recv in\n", 1)
		interrupt(t, term, at, "recv: no message received: interrupted")
		term.Type("cat in\r")
		term.WaitFor(at, `input pipe "quiet"`, 1)
		term.Type("\x04")
		assert.Equal(t, 0, term.WaitExit(), "the status of cat")
	})

	t.Run("Ctrl-C at the prompt discards the line", func(t *testing.T) {
		t.Parallel()
		term, at := open(t, t.TempDir())
		term.Type("man sleep\x03")
		at = term.WaitFor(at, "man sleep^C\n", 1)
		term.Type("man exit\r")
		term.WaitFor(at, "SYNOPSIS\n    exit", 1)
		assert.NotContains(t, term.Screen(), "sleep ms")
		term.Type("nosuch\r\x04")
		assert.Equal(t, 127, term.WaitExit(), "Ctrl-D leaves with the status of the last command")
	})

	t.Run("the history is kept across runs", func(t *testing.T) {
		t.Parallel()
		home := t.TempDir()
		term, at := open(t, home)
		term.Type("man exit\r")
		term.WaitFor(at, "SYNOPSIS", 1)
		term.Type("\x04")
		require.Equal(t, 0, term.WaitExit())

		term, at = open(t, home)
		term.Type(ptytest.Up + "\r")
		at = term.WaitFor(at, "SYNOPSIS\n    exit", 1)
		term.Type("history\r")
		term.WaitFor(at, "    1  man exit\n    2  history\n", 1)
		term.Type("\x04")
		assert.Equal(t, 0, term.WaitExit())
	})

	t.Run(".jshrc runs before the first prompt; -x skips it", func(t *testing.T) {
		t.Parallel()
		home := homeWithStartup(t, f)
		term, at := open(t, home)
		before := term.Screen()[:at]
		assert.Contains(t, before, "fromrc = jxta:PipeAdvertisement\n")
		assert.Contains(t, before, "nosuch: unknown command")
		assert.Contains(t, before, "after = jxta:PipeAdvertisement\n", "the shell went on")
		term.Type("env\r")
		term.WaitFor(at, `after = "jxta:PipeAdvertisement`, 1)
		term.Type("\x04")
		assert.Equal(t, 0, term.WaitExit())

		term, at = open(t, home, "-x")
		assert.NotContains(t, term.Screen()[:at], "fromrc")
		term.Type("env\rman env\r")
		term.WaitFor(at, "SYNOPSIS", 1)
		assert.NotContains(t, term.Screen(), "fromrc")
		term.Type("\x04")
		assert.Equal(t, 0, term.WaitExit())
	})
}

// interrupt presses Ctrl-C until the screen since at shows want. Ctrl-C
// is a signal only once the command runs and the line editor has given
// the terminal back: it may take more than one press.
func interrupt(t *testing.T, term *ptytest.Terminal, at int, want string) {
	t.Helper()
	require.Eventually(t, func() bool {
		term.Type("\x03")
		return strings.Contains(term.Since(at), want)
	}, ptytest.Wait, 500*time.Millisecond, "the screen shows:\n%s", term.Screen())
}
