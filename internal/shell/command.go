package shell

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
)

// Command is one shell command and its manual page.
type Command struct {
	Name     string
	Synopsis string // usage line, for example "cat [-p] var"
	Summary  string // one line, for the man listing
	Details  string // description, options and an example, for man <cmd>
	Run      func(c *Call) error
}

// Call is one invocation of a command.
type Call struct {
	Shell  *Shell
	Cmd    *Command
	Args   []string  // arguments after the command name
	Out    io.Writer // the command's output
	Assign string    // the variable named with "var = cmd", or ""
	ctx    context.Context
}

// Context returns the command's context: it ends when the user interrupts
// the command (Shell.Interrupt). Blocking commands derive their timeouts
// from it.
func (c *Call) Context() context.Context {
	if c.ctx == nil {
		return context.Background()
	}
	return c.ctx
}

// UsageError reports bad arguments; the shell prints it with the synopsis.
type UsageError struct{ Msg string }

// Error returns the message.
func (e *UsageError) Error() string { return e.Msg }

// Usagef returns a UsageError.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// Flags returns a flag set for the command's options. Parse errors become
// usage errors.
func (c *Call) Flags() *flag.FlagSet {
	fs := flag.NewFlagSet(c.Cmd.Name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// Parse parses the call's options with fs and returns the remaining
// arguments.
func (c *Call) Parse(fs *flag.FlagSet) ([]string, error) {
	if err := fs.Parse(c.Args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, Usagef("unknown option -h (see man %s)", c.Cmd.Name)
		}
		return nil, &UsageError{Msg: err.Error()}
	}
	return fs.Args(), nil
}

// Result stores a command's result in the variable the user named, or in
// the next automatic name with the given prefix ("env", "peer", "group",
// "adv"), and returns the name used.
func (c *Call) Result(prefix, description string, value any) string {
	name := c.Assign
	if name == "" {
		name = c.Shell.Env.NextName(prefix)
	}
	c.Shell.Env.Set(name, description, value)
	return name
}

// Var returns the value of variable name, or an error naming it.
func (c *Call) Var(name string) (*Var, error) {
	v := c.Shell.Env.Get(name)
	if v == nil {
		return nil, fmt.Errorf("no variable %q (env lists them)", name)
	}
	return v, nil
}
