// Package shell is the interpreter behind jxtashell: the JXSE-style command
// line, the environment of typed variables, and the table of commands, each
// with its own man page.
//
// # The command line
//
// ";" separates pipelines, "&&" and "||" join them in conditions (as in a
// POSIX shell), "|" separates the commands of a pipeline, "var = cmd ..."
// names the result of a pipeline's last command, "..." and '...' quote,
// "\" escapes, "#" starts a comment, and "$?" (outside single quotes) is
// the exit status of the last command: 0 success, 1 failure, 2 bad
// arguments, 127 unknown command. A line that does not parse runs nothing.
// "man syntax" prints the same for users.
//
// # Pipelines
//
// The commands of a pipeline run one after the other. Each gets from the
// one before it, in its Call, two inputs: the text it wrote (Call.In,
// kept up to 64 MiB) and the object it returned with Call.Return or
// Call.Result (Call.Piped). Commands that show or store an object (cat,
// more, validate, exportfile) take the piped object when given no
// variable, through Call.Object, and the text when there is none; text
// filters (grep, wc) read the text, through Call.Input. Given neither a
// variable nor a pipe, Call.Input reads console lines up to "." as JXSE
// does. The last command writes to the shell's output, and "var = ..."
// stores what it returned. A failing command stops the pipeline: what it
// wrote is shown, the commands after it do not run, and the line fails
// with its status. How an object prints is decided in one place,
// showObject, which new object types extend.
//
// # Scripts
//
// RunScript (jxtashell -f, -e, standard input) stops at the first failing
// command unless Shell.KeepGoing is set ("set -k"); as with "set -e" in a
// POSIX shell, a command on the left of "&&" or "||" is a condition, whose
// failure does not stop it. Interactive goes on after any failure, within
// a line too. If a variable named
// echo exists ("set -x"), each pipeline is printed before it runs.
//
// Commands live one group per file (cmd_*.go) and are added to the table in
// commands.go, so the command set grows without touching the interpreter.
// The shell reads from any io.Reader and writes to any io.Writer, so tests
// drive it in-process; cmd/jxtashell wires it to the terminal and flags.
//
// It sits at the top of the layering and may import every gojxta package.
package shell
