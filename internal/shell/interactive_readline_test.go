//go:build unix

package shell_test

import (
	"sync"
	"testing"

	"github.com/gojxta/gojxta/internal/ptytest"
	"github.com/gojxta/gojxta/internal/shell"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// readlineSession runs an interactive session on a pseudo-terminal in
// this process, with the Readline editor jxtashell uses. end types Ctrl-D
// and returns the session's status.
func readlineSession(t *testing.T) (term *ptytest.Terminal, s *session, end func() int) {
	t.Helper()
	term, tty := ptytest.Open(t)
	s = newSession()
	ed, err := shell.NewReadline(tty, tty, tty, s.sh.Complete)
	require.NoError(t, err)
	done := make(chan int, 1)
	go func() {
		defer ed.Close()
		done <- s.sh.Interactive(ed, nil)
	}()
	end = sync.OnceValue(func() int {
		term.Type("\x04")
		return <-done
	})
	t.Cleanup(func() { end() })
	return term, s, end
}

func TestReadlineNotifyKeepsThePrompt(t *testing.T) {
	t.Parallel()
	term, s, _ := readlineSession(t)
	at := term.WaitFor(0, shell.Prompt, 1)
	term.Type("man exi")
	at = term.WaitFor(at, "man exi", 1)

	s.sh.Notify("alice to bob> hello")
	at = term.WaitFor(at, "alice to bob> hello\n", 1)
	term.WaitFor(at, shell.Prompt+"man exi", 1) // redrawn below, with what was typed
	assert.NotContains(t, term.Screen(), "NAME", "the line is still being typed")

	term.Type("t\r")
	term.WaitFor(at, "SYNOPSIS\n    exit", 1)
}

func TestReadlineSession(t *testing.T) {
	t.Parallel()
	term, s, end := readlineSession(t)
	s.sh.Env.Set("pipeAdvert", "test", 1)
	at := term.WaitFor(0, shell.Prompt, 1)

	// Tab completes a command, then a variable.
	term.Type("ma\tma\t\r")
	at = term.WaitFor(at, "SYNOPSIS\n    man [command", 1)
	term.Type("cat -p pipeA\t\r")
	at = term.WaitFor(at, "cat: ", 1) // the value is no document: cat says so
	assert.Contains(t, term.Screen(), "cat -p pipeAdvert")

	// Up recalls the last line, Ctrl-R searches back.
	term.Type(ptytest.Up + "\r")
	at = term.WaitFor(at, "cat: ", 1)
	term.Type("\x12ma\r")
	at = term.WaitFor(at, "SYNOPSIS\n    man [command", 1)

	// Ctrl-C discards the line being typed.
	term.Type("man exit\x03")
	at = term.WaitFor(at, "^C", 1)
	term.Type("history\r")
	at = term.WaitFor(at, "    1  man man\n    2  cat -p pipeAdvert\n    3  man man\n    4  history\n", 1)

	// !n runs a line again, printed first.
	term.Type("!1\r")
	term.WaitFor(at, "man man\nNAME\n    man", 1)

	assert.Equal(t, 0, end(), "the status of the last command")
}
