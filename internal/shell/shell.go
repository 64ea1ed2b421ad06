package shell

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"

	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/node"
)

// Prompt is the interactive prompt, as in the JXSE shell.
const Prompt = "JXTA> "

// maxLine bounds one input line.
const maxLine = 1 << 20

// Shell interprets command lines.
type Shell struct {
	Env      *Env
	Out      io.Writer
	Err      io.Writer
	commands map[string]*Command
	status   int  // exit status of the last command
	exited   bool // exit was called

	// ReadPassword, if set, reads a secret from the terminal without
	// echo (jxtashell sets it when standard input is a terminal).
	ReadPassword func(prompt string) (string, error)
	// In, if set, is where secrets are read from, a line each, when
	// ReadPassword is unset.
	In io.Reader

	in        *bufio.Scanner // reads inFrom
	inFrom    io.Reader      // the In that in reads
	lines     *bufio.Scanner // the input being interpreted, if any
	startPeer func() (*node.Node, error)
	peer      *node.Node
	current   *group.Group // the current group (stdgroup); nil: the Net group

	runMu     sync.Mutex
	cancelRun context.CancelFunc // cancels the running command, if any
}

// New returns a shell with the built-in commands, writing to out and errw.
func New(out, errw io.Writer) *Shell {
	s := &Shell{Env: newEnv(), Out: out, Err: errw, commands: make(map[string]*Command)}
	for _, c := range builtins() {
		s.Register(c)
	}
	return s
}

// Register adds a command to the table, replacing one of the same name.
func (s *Shell) Register(c *Command) { s.commands[c.Name] = c }

// Command returns the named command, or nil.
func (s *Shell) Command(name string) *Command { return s.commands[name] }

// CommandNames returns the command names in sorted order.
func (s *Shell) CommandNames() []string {
	out := make([]string, 0, len(s.commands))
	for n := range s.commands {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// Status returns the exit status of the last command: 0 for success.
func (s *Shell) Status() int { return s.status }

// Exited reports whether the exit command ran.
func (s *Shell) Exited() bool { return s.exited }

// Exec runs one command line. It returns false if a command failed; errors
// have been printed to the shell's error output.
func (s *Shell) Exec(line string) bool {
	stmts, err := parseLine(line)
	if err != nil {
		fmt.Fprintf(s.Err, "jxtashell: %v\n", err)
		s.status = 2
		return false
	}
	for _, st := range stmts {
		if !s.run(st) {
			return false
		}
		if s.exited {
			return true
		}
	}
	return true
}

func (s *Shell) run(st statement) bool {
	name := st.args[0]
	cmd := s.commands[name]
	if cmd == nil {
		fmt.Fprintf(s.Err, "%s: unknown command (man lists the commands)\n", name)
		s.status = 127
		return false
	}
	ctx, cancel := context.WithCancel(context.Background())
	s.runMu.Lock()
	s.cancelRun = cancel
	s.runMu.Unlock()
	defer func() {
		s.runMu.Lock()
		s.cancelRun = nil
		s.runMu.Unlock()
		cancel()
	}()
	call := &Call{Shell: s, Cmd: cmd, Args: st.args[1:], Out: s.Out, Assign: st.assign, ctx: ctx}
	err := cmd.Run(call)
	var ue *UsageError
	switch {
	case err == nil:
		if !s.exited { // exit keeps the status of the command before it
			s.status = 0
		}
		return true
	case errors.As(err, &ue):
		fmt.Fprintf(s.Err, "%s: %s\nusage: %s\n", name, ue.Msg, cmd.Synopsis)
		s.status = 2
	default:
		fmt.Fprintf(s.Err, "%s: %v\n", name, err)
		s.status = 1
	}
	return false
}

// Interrupt cancels the command running now, as Ctrl-C does: its context
// ends, so a blocking command returns. It reports whether a command was
// running. It may be called from any goroutine.
func (s *Shell) Interrupt() bool {
	s.runMu.Lock()
	defer s.runMu.Unlock()
	if s.cancelRun == nil {
		return false
	}
	s.cancelRun()
	return true
}

// RunScript runs the lines of r, stopping at the first failing command.
// It returns the exit status: 0 if every command succeeded.
func (s *Shell) RunScript(r io.Reader) int {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	s.lines = sc
	defer func() { s.lines = nil }()
	for sc.Scan() {
		if !s.Exec(sc.Text()) {
			return s.status
		}
		if s.exited {
			return 0
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(s.Err, "jxtashell: reading commands: %v\n", err)
		return 1
	}
	return 0
}

// Interactive prints a prompt, runs each line read from r, and goes on
// after failures, until exit or the end of input. It returns the status of
// the last command.
func (s *Shell) Interactive(r io.Reader) int {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	s.lines = sc
	defer func() { s.lines = nil }()
	for {
		fmt.Fprint(s.Out, Prompt)
		if !sc.Scan() {
			fmt.Fprintln(s.Out)
			return s.status
		}
		if strings.TrimSpace(sc.Text()) == "" {
			continue
		}
		s.Exec(sc.Text())
		if s.exited {
			return s.status
		}
	}
}

// ErrNoInput is returned when a command needs a secret and there is no
// input to read it from.
var ErrNoInput = errors.New("no input to read the password from")

// ReadSecret reads a password: from the terminal without echo if
// ReadPassword is set, else as a line of In if set (jxtashell -e and -f
// read standard input), else as the next line of the input being
// interpreted (piped commands).
func (s *Shell) ReadSecret(prompt string) (string, error) {
	if s.ReadPassword != nil {
		return s.ReadPassword(prompt)
	}
	sc := s.lines
	if s.In != nil {
		if s.in == nil || s.inFrom != s.In {
			s.in, s.inFrom = bufio.NewScanner(s.In), s.In
			s.in.Buffer(make([]byte, 0, 256), maxLine)
		}
		sc = s.in
	}
	if sc == nil || !sc.Scan() {
		if sc != nil && sc.Err() != nil {
			return "", sc.Err()
		}
		return "", ErrNoInput
	}
	return strings.TrimRight(sc.Text(), "\r"), nil
}
