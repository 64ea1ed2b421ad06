package shell

import "fmt"

func historyCommands() []*Command {
	return []*Command{{
		Name:     "history",
		Synopsis: "history",
		Summary:  "list the commands typed at the prompt",
		Details: `Prints the command lines typed at the prompt, numbered from 1, oldest
first, as the up arrow recalls them. The history keeps the last 1000 lines
in the file history of the peer's home directory, so a new session recalls
the lines of the last one; passwords typed at a password prompt are never
kept. Scripts (-e, -f, standard input that is not a terminal) have no
history.

A line that starts with an event designator is replaced by the entry it
names, printed, then run: !! the last line, !n line n, !-n the n-th last,
!text the last line that starts with text. The rest of the line follows the
entry: "!! | grep x".

Example:
    history
    !3`,
		Run: runHistory,
	}}
}

func runHistory(c *Call) error {
	if len(c.Args) > 0 {
		return Usagef("takes no arguments")
	}
	h := c.Shell.term.history
	if h == nil {
		return nil
	}
	for i, line := range h.Entries() {
		fmt.Fprintf(c.Out, "%5d  %s\n", i+1, line)
	}
	return nil
}
