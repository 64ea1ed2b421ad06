package shell

import (
	"errors"
	"fmt"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"time"
)

func sessionCommands() []*Command {
	return []*Command{
		{
			Name:     "man",
			Synopsis: "man [command | syntax]",
			Summary:  "show the manual of a command, or list the commands",
			Details: `With no argument, lists every command with a one-line summary.
With a command name, prints its synopsis, description, options and an
example. "man syntax" describes the command line: ";", "&&", "||", "|",
"var = cmd",
"$?", quoting, comments and scripts.

Example:
    man validate
    man syntax`,
			Run: runMan,
		},
		{
			Name:     "help",
			Synopsis: "help [command]",
			Summary:  "how to get help (see man)",
			Details: `Says how to use man; with a command name, prints its manual as man does.

Example:
    help
    help grep`,
			Run: runHelp,
		},
		{
			Name:     "env",
			Synopsis: "env",
			Summary:  "list the shell's variables",
			Details: `Prints one line per variable, as JXSE does: its name, its description in
quotes and, in brackets, the kind of object it holds (pipe advertisement,
message, input pipe, text...).

Example:
    env`,
			Run: runEnv,
		},
		{
			Name:     "set",
			Synopsis: "set [-k | +k] [-x | +x] | set to from",
			Summary:  "copy a variable, or switch the shell's options",
			Details: `"set to from" copies variable from into variable to, as JXSE's set does.

The options switch how the shell runs; with no argument, set prints them:
    -k    keep going: scripts go on after a command fails (the
          default, +k, stops at the first failure; the prompt always
          goes on)
    +k    stop at the first failure again
    -x    echo each command before it runs (sets the variable echo,
          which JXSE's shell looks for)
    +x    stop echoing (removes the variable echo)

Example:
    set mypipe adv3
    set -k
    set`,
			Run: runSet,
		},
		{
			Name:     "unset",
			Synopsis: "unset var...",
			Summary:  "remove variables",
			Details: `Removes each variable named. If one does not exist, none is removed.
A pipe or connection (mkpipe, listen, dial) is closed with the last
variable that holds it, as close does: the other side of a connection
sees its end.

Example:
    unset env0 adv3`,
			Run: runUnset,
		},
		{
			Name:     "sleep",
			Synopsis: "sleep ms",
			Summary:  "pause for a number of milliseconds",
			Details: `Waits for the given number of milliseconds (at most one hour), which helps
scripts wait for peers.

Example:
    sleep 2000`,
			Run: runSleep,
		},
		{
			Name:     "clear",
			Synopsis: "clear",
			Summary:  "clear the screen",
			Details: `Clears the terminal. It writes nothing when the output is not a terminal
(a file, a pipe).

Example:
    clear`,
			Run: runClear,
		},
		{
			Name:     "version",
			Synopsis: "version [-v]",
			Summary:  "show the version of gojxta and Go",
			Details: `Prints the version of the gojxta module this shell was built from and the
version of Go that built it.

Options:
    -v    also the build settings (revision, time, platform) and the
          modules it was built with

Example:
    version -v`,
			Run: runVersion,
		},
		{
			Name:     "exit",
			Synopsis: "exit",
			Summary:  "leave the shell",
			Details: `Ends the session. The shell's exit status is that of the last command
run before exit.

Example:
    exit`,
			Run: func(c *Call) error {
				if len(c.Args) > 0 {
					return Usagef("takes no arguments")
				}
				c.Shell.exited = true
				return nil
			},
		},
	}
}

func runMan(c *Call) error {
	switch len(c.Args) {
	case 0:
		fmt.Fprintln(c.Out, "Commands (man <command> for details):")
		names := c.Shell.CommandNames()
		width := 0
		for _, name := range names {
			width = max(width, len(name))
		}
		for _, name := range names {
			fmt.Fprintf(c.Out, "  %-*s  %s\n", width, name, c.Shell.Command(name).Summary)
		}
		fmt.Fprintln(c.Out, `The command line: man syntax (";", "&&", "||", "|", "var = cmd", "$?", scripts).`)
		return nil
	case 1:
		if c.Args[0] == "syntax" {
			writeManPage(c, "syntax", "the command line", "cmd [args] [| cmd [args]]... [&& | || | ; ...]", syntaxHelp)
			return nil
		}
		cmd := c.Shell.Command(c.Args[0])
		if cmd == nil {
			return fmt.Errorf("no manual entry for %q (man lists the commands)", c.Args[0])
		}
		writeManPage(c, cmd.Name, cmd.Summary, cmd.Synopsis, cmd.Details)
		return nil
	}
	return Usagef("too many arguments")
}

// writeManPage prints one manual page.
func writeManPage(c *Call, name, summary, synopsis, details string) {
	fmt.Fprintf(c.Out, "NAME\n    %s - %s\n\nSYNOPSIS\n    %s\n\nDESCRIPTION\n", name, summary, synopsis)
	for _, line := range strings.Split(details, "\n") {
		if line == "" {
			fmt.Fprintln(c.Out)
			continue
		}
		fmt.Fprintf(c.Out, "    %s\n", line)
	}
}

func runHelp(c *Call) error {
	switch len(c.Args) {
	case 0:
		fmt.Fprintln(c.Out, `Type "man" to list the commands, "man <command>" for one of them, and`)
		fmt.Fprintln(c.Out, `"man syntax" for the command line.`)
		return nil
	case 1:
		return runMan(c)
	}
	return Usagef("too many arguments")
}

func runSleep(c *Call) error {
	if len(c.Args) != 1 {
		return Usagef("want a number of milliseconds")
	}
	ms, err := strconv.Atoi(c.Args[0])
	if err != nil || ms < 0 || ms > 3600_000 {
		return Usagef("%q is not a number of milliseconds between 0 and 3600000", c.Args[0])
	}
	t := time.NewTimer(time.Duration(ms) * time.Millisecond)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-c.Context().Done():
		return ErrInterrupted
	}
}

func runEnv(c *Call) error {
	if len(c.Args) > 0 {
		return Usagef("takes no arguments")
	}
	for _, name := range c.Shell.Env.Names() {
		v := c.Shell.Env.Get(name)
		fmt.Fprintf(c.Out, "%s = %q [%s]\n", name, v.Description, kindOf(v.Value))
	}
	return nil
}

// echoVar is the variable whose presence makes the shell echo commands.
const echoVar = "echo"

func runSet(c *Call) error {
	s := c.Shell
	if len(c.Args) == 0 {
		fmt.Fprintf(c.Out, "keep going (-k): %s\n", onOff(s.KeepGoing))
		fmt.Fprintf(c.Out, "echo (-x):       %s\n", onOff(s.Env.Get(echoVar) != nil))
		return nil
	}
	if a := c.Args[0]; !strings.HasPrefix(a, "-") && !strings.HasPrefix(a, "+") {
		return copyVar(c)
	}
	for _, a := range c.Args { // check them all before switching any
		switch a {
		case "-k", "+k", "-x", "+x":
		default:
			return Usagef("unknown option %q", a)
		}
	}
	for _, a := range c.Args {
		switch a {
		case "-k", "+k":
			s.KeepGoing = a == "-k"
		case "-x":
			s.Env.Set(echoVar, "echo commands before they run", "on")
		case "+x":
			s.Env.Unset(echoVar)
		}
	}
	return nil
}

// copyVar is "set to from".
func copyVar(c *Call) error {
	if len(c.Args) != 2 {
		return Usagef("want two variables: set to from")
	}
	to, from := c.Args[0], c.Args[1]
	if !validVarName(to) {
		return Usagef("%q is not a variable name", to)
	}
	v, err := c.Var(from)
	if err != nil {
		return err
	}
	c.Shell.Env.Set(to, v.Description, v.Value)
	return nil
}

func onOff(b bool) string {
	if b {
		return "on"
	}
	return "off"
}

func runUnset(c *Call) error {
	if len(c.Args) == 0 {
		return Usagef("want a variable")
	}
	for _, name := range c.Args {
		if _, err := c.Var(name); err != nil {
			return err
		}
	}
	var errs []error
	for _, name := range c.Args {
		v := c.Shell.Env.Get(name)
		c.Shell.Env.Unset(name)
		if err := c.Shell.Env.closeUnheld(v.Value); err != nil {
			errs = append(errs, fmt.Errorf("closing %s: %w", name, err))
		}
	}
	return errors.Join(errs...)
}

// clearScreen moves the cursor home and erases the screen (ANSI).
const clearScreen = "\x1b[H\x1b[2J"

func runClear(c *Call) error {
	if len(c.Args) > 0 {
		return Usagef("takes no arguments")
	}
	if _, ok := c.terminalRows(); ok {
		_, err := fmt.Fprint(c.Out, clearScreen)
		return err
	}
	return nil
}

func runVersion(c *Call) error {
	fs := c.Flags()
	verbose := fs.Bool("v", false, "verbose")
	if err := c.ParseOptions(fs); err != nil {
		return err
	}
	info, ok := debug.ReadBuildInfo()
	version := "(unknown)"
	if ok && info.Main.Version != "" {
		version = info.Main.Version
	}
	fmt.Fprintf(c.Out, "gojxta %s\n", version)
	fmt.Fprintf(c.Out, "Go %s %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	if !*verbose || !ok {
		return nil
	}
	fmt.Fprintf(c.Out, "module %s\n", info.Main.Path)
	for _, st := range info.Settings {
		if strings.HasPrefix(st.Key, "vcs.") || st.Key == "-race" || st.Key == "CGO_ENABLED" {
			fmt.Fprintf(c.Out, "build %s=%s\n", st.Key, st.Value)
		}
	}
	for _, d := range info.Deps {
		fmt.Fprintf(c.Out, "dep %s %s\n", d.Path, d.Version)
	}
	return nil
}
