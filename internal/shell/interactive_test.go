package shell_test

import (
	"bytes"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/shell"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// longWait bounds waits for things that happen at once on an idle machine.
const longWait = 60 * time.Second

// typed is one answer of a scriptedEditor: a line, or an error.
type typed struct {
	line string
	err  error
}

// scriptedEditor is a LineEditor that returns scripted lines and records
// what the session did with it.
type scriptedEditor struct {
	lines     []typed
	passwords []string
	prompts   []string
	recalled  []string // lines passed to Remember
	mu        sync.Mutex
	out       bytes.Buffer // Stdout and Stderr
	beforeEOF func()       // runs when the lines are used up
}

func lineOf(lines ...string) []typed {
	out := make([]typed, len(lines))
	for i, l := range lines {
		out[i] = typed{line: l}
	}
	return out
}

func (e *scriptedEditor) ReadLine(prompt string) (string, error) {
	e.prompts = append(e.prompts, prompt)
	if len(e.lines) == 0 {
		if e.beforeEOF != nil {
			e.beforeEOF()
		}
		return "", io.EOF
	}
	next := e.lines[0]
	e.lines = e.lines[1:]
	return next.line, next.err
}

func (e *scriptedEditor) ReadPassword(prompt string) (string, error) {
	e.prompts = append(e.prompts, prompt)
	if len(e.passwords) == 0 {
		return "", shell.ErrInterrupted
	}
	pw := e.passwords[0]
	e.passwords = e.passwords[1:]
	return pw, nil
}

func (e *scriptedEditor) Remember(line string) { e.recalled = append(e.recalled, line) }
func (e *scriptedEditor) Stdout() io.Writer    { return e }
func (e *scriptedEditor) Stderr() io.Writer    { return e }
func (e *scriptedEditor) Rows() int            { return 3 }

func (e *scriptedEditor) Write(p []byte) (int, error) {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.out.Write(p)
}

func (e *scriptedEditor) output() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.out.String()
}

func TestInteractive(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := writeFile(t, dir, "pipe.xml", pipeAdv)
	bad := writeFile(t, dir, "noid.xml", noIDAdv)
	imp := "importfile " + q(in)

	t.Run("a prompt before each line", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		ed := &scriptedEditor{lines: lineOf(imp, "", "   ", "# comment", "env")}
		assert.Equal(t, 0, s.sh.Interactive(ed, nil))
		assert.Equal(t, []string{"JXTA> ", "JXTA> ", "JXTA> ", "JXTA> ", "JXTA> ", "JXTA> "}, ed.prompts)
		assert.Contains(t, ed.output(), "env0 = jxta:PipeAdvertisement\n")
		assert.Contains(t, ed.output(), "env0 = \"jxta:PipeAdvertisement imported from ")
		assert.Empty(t, s.out.String(), "the session writes through the editor")
		assert.Equal(t, []string{imp, "# comment", "env"}, ed.recalled, "blank lines are not remembered")
	})

	t.Run("goes on after failures", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		ed := &scriptedEditor{lines: lineOf("nosuch", "cat", imp+" a", "validate "+q(bad), imp+" b")}
		assert.Equal(t, 0, s.sh.Interactive(ed, nil), "status of the last command")
		assert.Equal(t, []string{"a", "b"}, s.sh.Env.Names())
		assert.Contains(t, ed.output(), "nosuch: unknown command")
		assert.Contains(t, ed.output(), "usage: cat [-p] [var]")
		assert.Contains(t, ed.output(), "FAIL "+bad)
	})

	t.Run("a semicolon runs the next command whatever the last returned", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		ed := &scriptedEditor{lines: lineOf("nosuchcmd; echo status $?", "cat; echo status $?; echo again")}
		assert.Equal(t, 0, s.sh.Interactive(ed, nil))
		assert.Contains(t, ed.output(), "nosuchcmd: unknown command")
		assert.Contains(t, ed.output(), "status 127\n")
		assert.Contains(t, ed.output(), "status 2\nagain\n")
	})

	t.Run("conditions", func(t *testing.T) {
		t.Parallel()
		tests := []struct{ line, want string }{
			{"nosuch && echo no; echo $?", "127\n"},
			{"nosuch || echo yes $?", "yes 127\n"},
			{"echo a && echo b", "a\nb\n"},
			{"echo a || echo b; echo $?", "a\n0\n"},
			{"nosuch && echo b || echo c $?", "c 127\n"},
			{"echo a && nosuch || echo c $?", "a\nc 127\n"},
			{"echo a && echo b || echo c", "a\nb\n"},
			{"nosuch || cat || echo $?", "2\n"},
		}
		for _, tt := range tests {
			s := newSession()
			ed := &scriptedEditor{lines: lineOf(tt.line)}
			s.sh.Interactive(ed, nil)
			var lines []string
			for _, l := range strings.SplitAfter(ed.output(), "\n") {
				if !strings.Contains(l, ":") { // error lines and usage lines
					lines = append(lines, l)
				}
			}
			assert.Equal(t, tt.want, strings.Join(lines, ""), tt.line)
		}
	})

	t.Run("status of the last command at Ctrl-D", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		assert.Equal(t, 127, s.sh.Interactive(&scriptedEditor{lines: lineOf(imp, "nosuch")}, nil))
		s = newSession()
		assert.Equal(t, 1, s.sh.Interactive(&scriptedEditor{lines: lineOf("validate " + q(bad))}, nil))
	})

	t.Run("exit stops reading", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		ed := &scriptedEditor{lines: lineOf(imp+" a", "exit", imp+" b")}
		assert.Equal(t, 0, s.sh.Interactive(ed, nil))
		assert.True(t, s.sh.Exited())
		assert.Equal(t, []string{"a"}, s.sh.Env.Names())
		assert.Len(t, ed.prompts, 2)
	})

	t.Run("exit keeps the status of the command before it", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		assert.Equal(t, 1, s.sh.Interactive(&scriptedEditor{lines: lineOf("validate "+q(bad), "exit")}, nil))
		s = newSession()
		assert.Equal(t, 0, s.sh.Interactive(&scriptedEditor{lines: lineOf("nosuch", "man", "exit")}, nil))
	})

	t.Run("Ctrl-C discards the line and the session goes on", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		ed := &scriptedEditor{lines: []typed{{err: shell.ErrInterrupted}, {line: imp}}}
		assert.Equal(t, 0, s.sh.Interactive(ed, nil))
		assert.Equal(t, []string{"env0"}, s.sh.Env.Names())
		assert.Len(t, ed.prompts, 3)
	})

	t.Run("a broken terminal ends the session", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		ed := &scriptedEditor{lines: []typed{{err: errors.New("input/output error")}, {line: imp}}}
		assert.Equal(t, 1, s.sh.Interactive(ed, nil))
		assert.Empty(t, s.sh.Env.Names())
		assert.Contains(t, ed.output(), "jxtashell: reading commands: input/output error")
	})

	t.Run("commands read the console with the editor", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		ed := &scriptedEditor{lines: lineOf("wc -l", "one", "two", ".", "more", "1", "2", "3", "4", ".", "", "history")}
		assert.Equal(t, 0, s.sh.Interactive(ed, nil))
		require.Len(t, ed.prompts, 13)
		assert.Equal(t, []string{"JXTA> ", "", "", "", "JXTA> ", "", "", "", "", ""}, ed.prompts[:10])
		assert.True(t, strings.HasPrefix(ed.prompts[10], "--More--"), "more waits for a key after a page of the editor's height: %q", ed.prompts[10])
		assert.Contains(t, ed.output(), "2\n")
		assert.Contains(t, ed.output(), "    1  wc -l\n    2  more\n    3  history\n", "the lines read are no commands")
	})

	t.Run("output goes back to Out after the session", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.sh.Interactive(&scriptedEditor{lines: lineOf("nosuch")}, nil)
		require.True(t, s.exec("man history"))
		assert.Contains(t, s.out.String(), "SYNOPSIS\n    history")
		assert.False(t, s.exec("nosuch"))
		assert.Contains(t, s.err.String(), "nosuch: unknown command")
	})
}

func TestInteractiveHistory(t *testing.T) {
	t.Parallel()

	t.Run("history lists the lines typed, numbered", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		ed := &scriptedEditor{lines: lineOf("env", "man exit", "env", "history")}
		s.sh.Interactive(ed, nil)
		assert.Contains(t, ed.output(), "    1  env\n    2  man exit\n    3  env\n    4  history\n")
	})

	t.Run("!n, !!, !-n and !text run an earlier line, printed first", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		ed := &scriptedEditor{lines: lineOf("man exit", "man sleep", "!1", "!!", "!-2", "!man", "history")}
		s.sh.Interactive(ed, nil)
		out := ed.output()
		assert.Equal(t, 6, strings.Count(out, "SYNOPSIS"), out)
		assert.Contains(t, out, "man exit\nNAME\n    exit", "the expanded line, then its output")
		assert.Contains(t, out, "    1  man exit\n    2  man sleep\n    3  man exit\n    4  man sleep\n    5  history\n",
			"the history keeps expanded lines, not a line twice in a row")
		assert.NotContains(t, ed.recalled, "!1")
	})

	t.Run("an event not found runs nothing", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		ed := &scriptedEditor{lines: lineOf("man exit", "!9", "!zzz", "history")}
		assert.Equal(t, 0, s.sh.Interactive(ed, nil))
		assert.Contains(t, ed.output(), "jxtashell: !9: event not found\n")
		assert.Contains(t, ed.output(), "jxtashell: !zzz: event not found\n")
		assert.Contains(t, ed.output(), "    1  man exit\n    2  history\n")
	})

	t.Run("the history is kept across sessions", func(t *testing.T) {
		t.Parallel()
		path := filepath.Join(t.TempDir(), "history")
		h, err := shell.OpenHistory(path)
		require.NoError(t, err)
		newSession().sh.Interactive(&scriptedEditor{lines: lineOf("man exit", "env")}, h)

		h, err = shell.OpenHistory(path)
		require.NoError(t, err)
		ed := &scriptedEditor{lines: lineOf("!1", "history")}
		newSession().sh.Interactive(ed, h)
		assert.Equal(t, []string{"man exit", "env", "man exit", "history"}, ed.recalled,
			"the last session's lines first, for the up arrow")
		assert.Contains(t, ed.output(), "    1  man exit\n    2  env\n    3  man exit\n    4  history\n")
	})

	t.Run("a script has no history", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		require.True(t, s.exec("env; history"))
		assert.Empty(t, s.out.String())
	})

	t.Run("history takes no arguments", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		assert.False(t, s.exec("history 3"))
		assert.Contains(t, s.err.String(), "usage: history")
	})
}

func TestInteractivePasswords(t *testing.T) {
	t.Parallel()
	s := newSession()
	secret := &shell.Command{Name: "secret", Synopsis: "secret", Run: func(c *shell.Call) error {
		pw, err := c.Shell.ReadSecret("Password: ")
		if err != nil {
			return err
		}
		c.Out.Write([]byte(strings.Repeat("*", len(pw)) + "\n"))
		return nil
	}}
	s.sh.Register(secret)
	path := filepath.Join(t.TempDir(), "history")
	h, err := shell.OpenHistory(path)
	require.NoError(t, err)
	ed := &scriptedEditor{lines: lineOf("secret", "secret"), passwords: []string{"hunter2"}}
	assert.Equal(t, 1, s.sh.Interactive(ed, h))
	assert.Equal(t, []string{"JXTA> ", "Password: ", "JXTA> ", "Password: ", "JXTA> "}, ed.prompts,
		"passwords are read with the editor")
	assert.Contains(t, ed.output(), "*******\n")
	assert.Contains(t, ed.output(), "secret: interrupted", "Ctrl-C at the password prompt")
	assert.Equal(t, []string{"secret"}, h.Entries(), "the password is not in the history")
	assert.Nil(t, s.sh.ReadPassword, "the session's password reader is gone after it")
}

func TestNotify(t *testing.T) {
	t.Parallel()

	t.Run("without a session it writes to Out", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.sh.Notify("alice to bob> hello")
		s.sh.Notify("alice to bob> again\n")
		assert.Equal(t, "alice to bob> hello\nalice to bob> again\n", s.out.String())
	})

	t.Run("during a session it writes through the editor, from any goroutine", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		var wg sync.WaitGroup
		ed := &scriptedEditor{beforeEOF: func() {
			for i := range 10 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					s.sh.Notify("line " + string(rune('0'+i)))
				}()
			}
			wg.Wait()
		}}
		s.sh.Interactive(ed, nil)
		assert.Empty(t, s.out.String())
		for i := range 10 {
			assert.Contains(t, ed.output(), "line "+string(rune('0'+i))+"\n")
		}
		s.sh.Notify("after")
		assert.Equal(t, "after\n", s.out.String())
	})
}

func TestSleepIsInterrupted(t *testing.T) {
	t.Parallel()
	s := newSession()
	done := make(chan bool)
	go func() { done <- s.sh.Exec("sleep 3600000") }()
	require.Eventually(t, s.sh.Interrupt, longWait, 10*time.Millisecond, "sleep runs")
	select {
	case ok := <-done:
		assert.False(t, ok)
		assert.Contains(t, s.err.String(), "sleep: interrupted")
	case <-time.After(longWait):
		t.Fatal("sleep did not return after Interrupt")
	}
}
