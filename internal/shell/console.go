package shell

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// The console is where the user's lines come from and where the shell's
// output goes: commands that read text without a pipe read its lines,
// more pages on it, clear clears it.

// maxText bounds the text one command reads from the console or passes
// down a pipeline.
const maxText = 64 << 20

// defaultRows is a terminal's height when it cannot be measured.
const defaultRows = 24

// errNoConsole is the usage error of a command that wanted text and has
// nowhere to read it from.
var errNoConsole = &UsageError{Msg: "no input: name a variable, or pipe text into the command"}

// hasConsole reports whether there are lines to read: a line editor, an
// input, or the script being interpreted.
func (s *Shell) hasConsole() bool { return s.ReadLine != nil || s.In != nil || s.lines != nil }

// readLine reads one line the user typed, after prompt: from ReadLine if
// set, else from In if set, else the next line of the input being
// interpreted. It returns io.EOF at the end of the input.
func (s *Shell) readLine(prompt string) (string, error) {
	if s.ReadLine != nil {
		return s.ReadLine(prompt)
	}
	sc := s.inputScanner()
	if sc == nil {
		return "", io.EOF
	}
	if prompt != "" {
		fmt.Fprint(s.Out, prompt)
	}
	if !sc.Scan() {
		if sc.Err() != nil {
			return "", sc.Err()
		}
		return "", io.EOF
	}
	return strings.TrimRight(sc.Text(), "\r"), nil
}

// inputScanner returns the scanner of In if set, else that of the input
// being interpreted, else nil.
func (s *Shell) inputScanner() *bufio.Scanner {
	if s.In == nil {
		return s.lines
	}
	if s.in == nil || s.inFrom != s.In {
		s.in, s.inFrom = bufio.NewScanner(s.In), s.In
		s.in.Buffer(make([]byte, 0, 256), maxLine)
	}
	return s.in
}

// consoleText reads console lines up to a line holding only "." or the end
// of input, as JXSE's commands read their standard input.
func (s *Shell) consoleText() (io.Reader, error) {
	if !s.hasConsole() {
		return nil, errNoConsole
	}
	var b bytes.Buffer
	for {
		line, err := s.readLine("")
		if errors.Is(err, io.EOF) || err == nil && line == "." {
			return &b, nil
		}
		if err != nil {
			return nil, fmt.Errorf("reading the input: %w", err)
		}
		if b.Len()+len(line)+1 > maxText {
			return nil, fmt.Errorf("input longer than %d bytes", maxText)
		}
		b.WriteString(line)
		b.WriteByte('\n')
	}
}

// terminalRows reports whether the command writes to a terminal, and its
// height: TerminalRows says so if set, else the shell's Out is a terminal
// file. A command writing into a pipe never writes to a terminal.
func (c *Call) terminalRows() (int, bool) {
	s := c.Shell
	if c.toPipe {
		return 0, false
	}
	if s.TerminalRows != nil {
		rows := s.TerminalRows()
		return rows, rows > 0
	}
	f, ok := s.Out.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return 0, false
	}
	if _, rows, err := term.GetSize(int(f.Fd())); err == nil && rows > 0 {
		return rows, true
	}
	return defaultRows, true
}
