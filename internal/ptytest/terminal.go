//go:build unix

package ptytest

import (
	"bytes"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creack/pty"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Wait is how long a test waits for the screen to show something: long,
// so that a loaded machine under -race passes.
const Wait = 60 * time.Second

// cursorQuery is the device status report asking where the cursor is;
// cursorAnswer says row 1, column 1.
const (
	cursorQuery  = "\x1b[6n"
	cursorAnswer = "\x1b[1;1R"
)

// Terminal is the far end of a pseudo-terminal: what a program wrote to
// it, and the keys typed into it.
type Terminal struct {
	t       testing.TB
	ptmx    *os.File      // the controlling side
	readerr chan struct{} // closed when the reading goroutine ended

	mu       sync.Mutex
	raw      bytes.Buffer // everything the program wrote
	answered int          // cursor queries answered

	cmd    *exec.Cmd     // the program, if Start ran one
	exited chan struct{} // closed when it exited
	status int
}

// Size is the terminal's size in characters.
var size = &pty.Winsize{Rows: 40, Cols: 160}

// Start runs cmd with the terminal as its standard input, output and error
// and as its controlling terminal (so Ctrl-C sends it SIGINT). The program
// is killed, if still running, when the test ends.
func Start(t testing.TB, cmd *exec.Cmd) *Terminal {
	t.Helper()
	ptmx, err := pty.StartWithSize(cmd, size)
	require.NoError(t, err)
	term := newTerminal(t, ptmx)
	term.cmd, term.exited = cmd, make(chan struct{})
	go func() {
		err := cmd.Wait()
		term.mu.Lock()
		term.status = cmd.ProcessState.ExitCode()
		if err != nil && term.status == 0 {
			term.status = -1
		}
		term.mu.Unlock()
		close(term.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-term.exited:
		default:
			cmd.Process.Kill()
			<-term.exited
		}
		ptmx.Close()
		<-term.readerr
	})
	return term
}

// Open returns a terminal and the file of its terminal side, for a line
// editor in the test's own process. Both close when the test ends.
func Open(t testing.TB) (*Terminal, *os.File) {
	t.Helper()
	ptmx, tty, err := pty.Open()
	require.NoError(t, err)
	require.NoError(t, pty.Setsize(ptmx, size))
	term := newTerminal(t, ptmx)
	t.Cleanup(func() {
		tty.Close()
		ptmx.Close()
		<-term.readerr
	})
	return term, tty
}

func newTerminal(t testing.TB, ptmx *os.File) *Terminal {
	term := &Terminal{t: t, ptmx: ptmx, readerr: make(chan struct{})}
	go term.read()
	return term
}

// read collects the program's output and answers cursor queries, until
// the terminal closes.
func (term *Terminal) read() {
	defer close(term.readerr)
	buf := make([]byte, 4096)
	for {
		n, err := term.ptmx.Read(buf)
		if n > 0 {
			term.mu.Lock()
			term.raw.Write(buf[:n])
			queries := strings.Count(term.raw.String(), cursorQuery)
			unanswered := queries - term.answered
			term.answered = queries
			term.mu.Unlock()
			for range unanswered {
				term.ptmx.Write([]byte(cursorAnswer))
			}
		}
		if err != nil {
			return
		}
	}
}

// Type sends keys, as typed: "\r" is Enter, "\t" Tab, "\x03" Ctrl-C,
// "\x04" Ctrl-D, "\x12" Ctrl-R, Up the up arrow. It may be called from
// any goroutine; a failure fails the test.
func (term *Terminal) Type(keys string) {
	term.t.Helper()
	_, err := term.ptmx.Write([]byte(keys))
	assert.NoError(term.t, err, "typing %q; the screen shows:\n%s", keys, term.Screen())
}

// Up is the up-arrow key.
const Up = "\x1b[A"

// escapes matches the control sequences a line editor writes.
var escapes = regexp.MustCompile(`\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[^\[]|[\r\a\x08]`)

// Screen returns what the program wrote, without control sequences: the
// text a person read, redrawn lines included.
func (term *Terminal) Screen() string {
	raw := term.Raw()
	if i := strings.LastIndexByte(raw, '\x1b'); i >= 0 && !complete.MatchString(raw[i:]) {
		raw = raw[:i] // a sequence still being written
	}
	return escapes.ReplaceAllString(raw, "")
}

// complete matches text that starts with a whole control sequence.
var complete = regexp.MustCompile(`^(\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[^\[])`)

// Raw returns every byte the program wrote.
func (term *Terminal) Raw() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.raw.String()
}

// WaitFor waits until the screen, from byte offset from on, shows text
// count times, and returns the offset after the last one.
func (term *Terminal) WaitFor(from int, text string, count int) int {
	term.t.Helper()
	end := 0
	shows := func() bool {
		s := term.Screen()
		if from > len(s) {
			return false
		}
		at := from
		for range count {
			i := strings.Index(s[at:], text)
			if i < 0 {
				return false
			}
			at += i + len(text)
		}
		end = at
		return true
	}
	if !assert.Eventually(term.t, shows, Wait, 10*time.Millisecond) {
		require.FailNow(term.t, "the terminal does not show the text", "waiting for %d× %q after offset %d; the screen shows:\n%s", count, text, from, term.Screen())
	}
	return end
}

// Since returns the screen text from byte offset at on.
func (term *Terminal) Since(at int) string {
	s := term.Screen()
	if at > len(s) {
		return ""
	}
	return s[at:]
}

// WaitExit waits until the program exits and returns its exit status.
func (term *Terminal) WaitExit() int {
	term.t.Helper()
	select {
	case <-term.exited:
	case <-time.After(Wait):
		require.FailNow(term.t, "the program did not exit", "the screen shows:\n%s", term.Screen())
	}
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.status
}
