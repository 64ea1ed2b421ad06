package shell

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

func sessionCommands() []*Command {
	return []*Command{
		{
			Name:     "man",
			Synopsis: "man [command]",
			Summary:  "show the manual of a command, or list the commands",
			Details: `With no argument, lists every command with a one-line summary.
With a command name, prints its synopsis, description, options and an example.

Example:
    man validate`,
			Run: runMan,
		},
		{
			Name:     "env",
			Synopsis: "env",
			Summary:  "list the shell's variables",
			Details: `Prints one line per variable: its name, its description in quotes and
the type of its value in brackets.

Example:
    env`,
			Run: runEnv,
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
		for _, name := range c.Shell.CommandNames() {
			fmt.Fprintf(c.Out, "  %-12s %s\n", name, c.Shell.Command(name).Summary)
		}
		return nil
	case 1:
		cmd := c.Shell.Command(c.Args[0])
		if cmd == nil {
			return fmt.Errorf("no manual entry for %q (man lists the commands)", c.Args[0])
		}
		fmt.Fprintf(c.Out, "NAME\n    %s - %s\n\nSYNOPSIS\n    %s\n\nDESCRIPTION\n", cmd.Name, cmd.Summary, cmd.Synopsis)
		for _, line := range strings.Split(cmd.Details, "\n") {
			if line == "" {
				fmt.Fprintln(c.Out)
				continue
			}
			fmt.Fprintf(c.Out, "    %s\n", line)
		}
		return nil
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
	time.Sleep(time.Duration(ms) * time.Millisecond)
	return nil
}

func runEnv(c *Call) error {
	if len(c.Args) > 0 {
		return Usagef("takes no arguments")
	}
	for _, name := range c.Shell.Env.Names() {
		v := c.Shell.Env.Get(name)
		fmt.Fprintf(c.Out, "%s = %q [%s]\n", name, v.Description, typeName(v.Value))
	}
	return nil
}
