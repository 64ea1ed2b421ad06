// Package shell is the interpreter behind jxtashell: the JXSE-style command
// line (";" between commands, "var = cmd ..." to name a result, quoting),
// the environment of typed variables, and the table of commands, each with
// its own man page.
//
// Commands live one group per file (cmd_*.go) and are added to the table in
// commands.go, so the command set grows without touching the interpreter.
// The shell reads from any io.Reader and writes to any io.Writer, so tests
// drive it in-process; cmd/jxtashell wires it to the terminal and flags.
//
// It sits at the top of the layering and may import every gojxta package.
package shell
