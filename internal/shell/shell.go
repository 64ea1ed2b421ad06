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

	// KeepGoing makes scripts (RunScript) and command lines (Exec) go on
	// after a command fails; by default they stop at the first failure.
	// The interactive prompt always goes on.
	// "set -k" and "set +k" switch it; jxtashell may set it from a flag.
	KeepGoing bool

	// ReadPassword, if set, reads a secret from the terminal without
	// echo (jxtashell sets it when standard input is a terminal).
	ReadPassword func(prompt string) (string, error)
	// ReadLine, if set, reads a line the user types at the terminal,
	// after prompt, and returns io.EOF at the end of input (an
	// interactive front end sets it to its line editor). Commands that
	// read text without a variable or pipe (grep, wc, more, exportfile)
	// read lines up to "." with it, and more waits on it between pages.
	ReadLine func(prompt string) (string, error)
	// In, if set, is where secrets and console lines are read from, a
	// line each, when ReadPassword or ReadLine is unset. With neither,
	// they are the next lines of the input being interpreted.
	In io.Reader
	// TerminalRows, if set, tells that Out is a terminal and its height
	// (0: not a terminal); when unset, Out is a terminal if it is one as
	// an *os.File. more pages and clear clears only on a terminal.
	TerminalRows func() int

	in        *bufio.Scanner // reads inFrom
	inFrom    io.Reader      // the In that in reads
	lines     *bufio.Scanner // the input being interpreted, if any
	startPeer func() (*node.Node, error)
	peer      *node.Node
	current   *group.Group // the current group (stdgroup); nil: the Net group

	runMu     sync.Mutex
	cancelRun context.CancelFunc // cancels the running command, if any

	term  terminalState // the interactive session, if one runs (interactive.go)
	xfers xferLogins    // users logged in with xfer login
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

// Exec runs one command line as a script does. It returns false if a
// command failed; errors have been printed to the shell's error output.
// The line stops at the first failing pipeline unless KeepGoing is set,
// as "set -e" does in a POSIX shell: a pipeline that fails on the left of
// "&&" or "||" is a condition, not a failure.
func (s *Shell) Exec(line string) bool { return s.execLine(line, !s.KeepGoing) }

// execLine runs one command line, stopping at the first failure if stop is
// set; the interactive prompt does not stop, so "a; b" runs b whatever a
// returned. It reports whether no pipeline failed: a pipeline fails if it
// is the last of a list joined by "&&" and "||" and it returned a non-zero
// status.
func (s *Shell) execLine(line string, stop bool) bool {
	pipes, err := parseLine(line)
	if err != nil {
		fmt.Fprintf(s.Err, "jxtashell: %v\n", err)
		s.status = 2
		return false
	}
	ok := true
	for i, p := range pipes {
		if p.cond == ifOK && s.status != 0 || p.cond == ifFailed && s.status == 0 {
			continue
		}
		last := i == len(pipes)-1 || pipes[i+1].cond == always
		if !s.runPipeline(p) && last {
			ok = false
			if stop {
				return false
			}
		}
		if s.exited {
			return ok
		}
	}
	return ok
}

// run runs one command and returns its error.
func (s *Shell) run(cmd *Command, c *Call) error {
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
	c.Shell, c.Cmd, c.ctx = s, cmd, ctx
	return cmd.Run(c)
}

// report sets the exit status from a command's error and prints the
// error: a usage error with the synopsis.
func (s *Shell) report(cmd *Command, err error) {
	var ue *UsageError
	switch {
	case err == nil:
		if !s.exited { // exit keeps the status of the command before it
			s.status = 0
		}
	case errors.Is(err, errNothingMatched):
		s.status = 1
	case errors.As(err, &ue):
		fmt.Fprintf(s.Err, "%s: %s\nusage: %s\n", cmd.Name, ue.Msg, cmd.Synopsis)
		s.status = 2
	default:
		fmt.Fprintf(s.Err, "%s: %s\n", cmd.Name, userMessage(cmd.Name, err))
		s.status = 1
	}
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

// RunScript runs the lines of r, stopping at the first failing command
// unless KeepGoing is set. It returns the exit status of the last command
// run: 0 if every command succeeded.
func (s *Shell) RunScript(r io.Reader) int {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	s.lines = sc
	defer func() { s.lines = nil }()
	for sc.Scan() {
		if !s.Exec(sc.Text()) && !s.KeepGoing {
			return s.status
		}
		if s.exited {
			return s.status
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(s.Err, "jxtashell: reading commands: %v\n", err)
		return 1
	}
	return s.status
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
	sc := s.inputScanner()
	if sc == nil || !sc.Scan() {
		if sc != nil && sc.Err() != nil {
			return "", sc.Err()
		}
		return "", ErrNoInput
	}
	return strings.TrimRight(sc.Text(), "\r"), nil
}
