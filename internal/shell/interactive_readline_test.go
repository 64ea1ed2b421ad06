//go:build unix

package shell_test

import (
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

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
		// Ctrl-D typed while a command still runs could be lost: wait
		// for the prompt.
		prompt := strings.TrimSpace(shell.Prompt)
		deadline := time.Now().Add(10 * time.Second)
		for !strings.HasSuffix(strings.TrimSpace(term.Screen()), prompt) && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
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
	at = term.WaitFor(at, "SYNOPSIS\n    exit", 1)
	term.WaitFor(at, shell.Prompt, 1) // Ctrl-D typed while man still runs could be lost
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

// TestReadlineMore pages a long variable at a terminal with single keys:
// space for the next screen, Enter for the next line, q to stop.
func TestReadlineMore(t *testing.T) {
	t.Parallel()
	term, s, end := readlineSession(t)
	var long strings.Builder
	for i := 1; i <= 200; i++ {
		fmt.Fprintf(&long, "line %d\n", i)
	}
	s.sh.Env.Set("long", "test", long.String())
	at := term.WaitFor(0, shell.Prompt, 1)
	rows := 40 // ptytest's terminal

	// screenEnds waits for line n and the prompt of more after it.
	screenEnds := func(n int) int {
		t.Helper()
		at = term.WaitFor(at, fmt.Sprintf("line %d\n", n), 1)
		return term.WaitFor(at, "--More-- (space: next page, Enter: next line, q: quit) ", 1)
	}
	term.Type("more long\r")
	at = screenEnds(rows - 1)
	assert.NotContains(t, term.Since(at), fmt.Sprintf("line %d\n", rows))

	term.Type(" ") // no Enter: the next screen
	at = screenEnds(2 * (rows - 1))
	assert.NotContains(t, term.Since(at), fmt.Sprintf("line %d\n", 2*rows-1))

	term.Type("\r") // the next line
	at = screenEnds(2*(rows-1) + 1)

	term.Type("q") // no Enter: back at the prompt
	at = term.WaitFor(at, shell.Prompt, 1)
	term.Type("echo still here\r") // the line editor reads and echoes lines again
	at = term.WaitFor(at, "echo still here\n", 1)
	term.WaitFor(at, "still here\n", 1)
	assert.NotContains(t, term.Screen(), fmt.Sprintf("line %d\n", 2*(rows-1)+2), "q stopped more")
	assert.Equal(t, 0, end())
}
