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
	Synopsis string // usage line, for example "cat [-p] [var]"
	Summary  string // one line, for the man listing
	Details  string // description, options and an example, for man <cmd>
	Run      func(c *Call) error
}

// Call is one invocation of a command.
//
// In a pipeline "a | b", b gets two things from a: the text a wrote
// (In) and the object a returned (Piped). Commands that show or store an
// object (cat, more, validate, exportfile) take Piped when given no
// variable, and the text when a returned nothing; commands that filter
// text (grep, wc) read the text. Object returns the object a command
// works on and Input the text it reads.
type Call struct {
	Shell  *Shell
	Cmd    *Command
	Args   []string  // arguments after the command name
	Out    io.Writer // the command's output: the next stage's input in a pipeline
	Assign string    // the variable named with "var = cmd", or ""
	// In is the text the previous command of the pipeline wrote, or nil
	// when the command does not follow a "|".
	In io.Reader
	// Piped is the object the previous command of the pipeline returned,
	// or nil.
	Piped *Var

	ctx      context.Context
	toPipe   bool // Out is the next stage's input
	returned *Var // what the command returned (Return, Result)
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

// errNothingMatched fails a command with status 1 and no message, as grep
// does when no line matched.
var errNothingMatched = errors.New("nothing matched")

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

// ParseOptions parses the call's options with fs for a command that
// takes no other arguments, refusing any with a usage error.
func (c *Call) ParseOptions(fs *flag.FlagSet) error {
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return Usagef("unexpected argument %q", args[0])
	}
	return nil
}

// optionOrOperand returns the value of an option that may also be given
// as the command's one operand ("peerinfo -p peer0" or "peerinfo peer0"):
// value if the option was given, else the operand in args, else "".
func optionOrOperand(value string, args []string) (string, error) {
	switch {
	case len(args) > 1 || len(args) == 1 && value != "":
		return "", Usagef("unexpected argument %q", args[len(args)-1])
	case len(args) == 1:
		return args[0], nil
	}
	return value, nil
}

// Return makes value the command's result: it flows to the next command
// of a pipeline (Piped), and "var = cmd" stores it in var.
func (c *Call) Return(description string, value any) {
	c.returned = &Var{Description: description, Value: value}
}

// Result stores a command's result in the variable the user named, or in
// the next automatic name with the given prefix ("env", "peer", "group",
// "adv"), returns it as Return does, and returns the name used.
func (c *Call) Result(prefix, description string, value any) string {
	name := c.Assign
	if name == "" {
		name = c.Shell.Env.NextName(prefix)
	}
	c.returned = c.Shell.Env.Set(name, description, value)
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

// Object returns the object the command works on: variable name when name
// is not "", else the object the previous command of the pipeline
// returned. It returns nil, nil when there is neither: the command then
// reads text (Input).
func (c *Call) Object(name string) (*Var, error) {
	if name != "" {
		return c.Var(name)
	}
	return c.Piped, nil
}

// Input returns the text a command reads when it is given no variable:
// what the previous command of the pipeline wrote, or else lines read
// from the console up to a line holding only "." (as in JXSE), or the end
// of input. With neither, it returns a usage error.
func (c *Call) Input() (io.Reader, error) {
	if c.In != nil {
		return c.In, nil
	}
	return c.Shell.consoleText()
}
