package shell

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
)

// ErrInterrupted is returned by a LineEditor when Ctrl-C discarded the line
// or the password being typed.
var ErrInterrupted = errors.New("interrupted")

// LineEditor reads what a person types at a terminal, with line editing,
// recall of earlier lines and completion. NewReadline returns the one
// jxtashell uses; tests drive Interactive with their own.
type LineEditor interface {
	// ReadLine shows prompt and returns the line typed. It returns
	// ErrInterrupted when Ctrl-C discarded the line and io.EOF on Ctrl-D
	// at an empty line.
	ReadLine(prompt string) (string, error)
	// ReadPassword shows prompt and reads a line without echo, which no
	// history keeps.
	ReadPassword(prompt string) (string, error)
	// Remember adds line to the lines the up arrow and Ctrl-R recall.
	Remember(line string)
	// Stdout and Stderr return writers whose text appears above the
	// prompt while one is shown, the prompt and the line being typed
	// redrawn below it. They may be used from any goroutine.
	Stdout() io.Writer
	Stderr() io.Writer
	// Rows returns the terminal's height, or 0 if it is unknown.
	Rows() int
}

// KeyReader is a LineEditor that also reads single keys, as a pager
// wants them. Readline is one; with it, more pages with the space bar,
// Enter and q, without Enter after them.
type KeyReader interface {
	// ReadKey shows prompt and returns the next key pressed, without
	// echo. Enter is '\r'.
	ReadKey(prompt string) (rune, error)
}

// terminalState is what an interactive session adds to its shell.
type terminalState struct {
	mu      sync.Mutex
	history *History  // the session's history, for the history command
	screen  io.Writer // where Notify writes while a session runs
	keys    KeyReader // reads single keys for more, if the editor can
}

// Interactive reads command lines from ed at the JXTA> prompt and runs
// them until exit or Ctrl-D, going on after failures (in a line too: "a; b"
// runs b whatever a returned); Ctrl-C at the prompt
// discards the line. Each line is added to h (nil: a history in memory)
// and recalled with the up arrow, Ctrl-R, the history command and !n (a
// line starting with !n is printed expanded, then run). While the session
// runs, the shell writes through ed, so Notify can print above the prompt;
// passwords and the lines commands read (grep, wc, more) are read with ed,
// and more pages by its height, with single keys if ed is a KeyReader. It returns the status of the last command.
func (s *Shell) Interactive(ed LineEditor, h *History) int {
	if h == nil {
		h = NewHistory()
	}
	restore := s.attach(ed, h)
	defer restore()
	for _, line := range h.Entries() {
		ed.Remember(line)
	}
	for {
		line, err := ed.ReadLine(Prompt)
		switch {
		case errors.Is(err, ErrInterrupted):
			continue
		case errors.Is(err, io.EOF):
			return s.status
		case err != nil:
			fmt.Fprintf(s.Err, "jxtashell: reading commands: %v\n", err)
			return 1
		}
		line, expanded, err := expandHistory(trimEnd(line), h.Entries())
		switch {
		case err != nil:
			fmt.Fprintf(s.Err, "jxtashell: %v\n", err)
			continue
		case expanded:
			fmt.Fprintln(s.Out, line)
		}
		if strings.TrimSpace(line) == "" {
			continue
		}
		if added, err := h.Add(line); added {
			ed.Remember(line)
			if err != nil {
				fmt.Fprintf(s.Err, "jxtashell: saving the history: %v\n", err)
			}
		}
		s.execLine(line, false)
		if s.exited {
			return s.status
		}
	}
}

// trimEnd removes the blanks that end line (completion leaves one), but
// not an escaped one.
func trimEnd(line string) string {
	t := strings.TrimRight(line, " \t")
	if strings.HasSuffix(t, "\\") && len(t) < len(line) {
		return line[:len(t)+1]
	}
	return t
}

// attach makes the shell write through ed and read from it, and returns
// the function that undoes it.
func (s *Shell) attach(ed LineEditor, h *History) (restore func()) {
	s.term.mu.Lock()
	defer s.term.mu.Unlock()
	out, errw, readPassword, readLine, rows := s.Out, s.Err, s.ReadPassword, s.ReadLine, s.TerminalRows
	s.Out, s.Err, s.ReadPassword, s.ReadLine, s.TerminalRows = ed.Stdout(), ed.Stderr(), ed.ReadPassword, ed.ReadLine, ed.Rows
	s.term.history, s.term.screen = h, ed.Stdout()
	s.term.keys, _ = ed.(KeyReader)
	return func() {
		s.term.mu.Lock()
		defer s.term.mu.Unlock()
		s.Out, s.Err, s.ReadPassword, s.ReadLine, s.TerminalRows = out, errw, readPassword, readLine, rows
		s.term.history, s.term.screen, s.term.keys = nil, nil, nil
	}
}

// Warn prints a warning line for the user, as Notify does but to Err
// outside an interactive session. It may be called from any goroutine.
func (s *Shell) Warn(line string) { s.printLine(true, line) }

// Notify prints line for the user on a line of its own, for output that
// comes while the user types (talk's incoming lines): in an interactive
// session it appears above the prompt, which is redrawn with what the user
// was typing; otherwise it goes to Out. It may be called from any
// goroutine.
func (s *Shell) Notify(line string) { s.printLine(false, line) }

// printLine writes line on a line of its own: above the prompt while an
// interactive session runs, else to Err or Out.
func (s *Shell) printLine(toErr bool, line string) {
	s.term.mu.Lock()
	defer s.term.mu.Unlock()
	w := s.term.screen
	switch {
	case w != nil:
	case toErr:
		w = s.Err
	default:
		w = s.Out
	}
	io.WriteString(w, strings.TrimSuffix(line, "\n")+"\n")
}
