// Command jxtashell is the interactive shell of gojxta. It starts a JXTA
// peer and reads JXSE-style commands at the JXTA> prompt, from -e, from a
// script (-f) or from standard input when that is not a terminal
// (echo whoami | jxtashell).
//
// Usage:
//
//	jxtashell [--home DIR] [--name NAME] [--listen ADDR]... [--seed ADDR]... [--rdv]
//	          [--no-multicast] [-x] [-k] [-v] [-e "cmd; cmd" | -f script]
//	jxtashell --version
//
// The home directory (--home, else $JXTA_HOME, else ~/.jxta) keeps the
// peer's ID and name, its cache, the history of the prompt and the startup
// file. The first run creates it; later runs are the same peer. Two
// jxtashells cannot share a home at the same time.
//
// # Startup file
//
// The file .jshrc of the home directory runs when jxtashell starts, before
// the first prompt and before -e or -f, one command line per line. A
// failing line prints its error and the next one runs. -x skips the file.
//
// # At the prompt
//
// When standard input is a terminal, lines are edited as in bash or any
// readline program (github.com/ergochat/readline):
//
//	Left, Right, Ctrl-A, Ctrl-E   move in the line
//	Ctrl-W, Ctrl-U, Ctrl-K        delete a word, to the start, to the end
//	Up, Down                      recall earlier lines
//	Ctrl-R                        search earlier lines backwards (Enter runs the match)
//	Tab                           complete; with several choices, Tab again shows them
//	Ctrl-C                        discard the line; interrupt the running command
//	Ctrl-D                        at an empty line: leave jxtashell
//
// Tab completes a command name where a command starts (at the start of
// the line, after ";", "&&", "||" or "|", after "var ="), an option of the
// command for a word starting with "-", a file path for arguments the
// command's synopsis calls FILE (importfile, exportfile, validate), a
// command name for man, and a variable name for the others (cat, publish,
// join...).
//
// The history command lists the lines typed, numbered; the last 1000 are
// kept in the file history of the home directory for the next session.
// Passwords typed at a password prompt are read without echo and never
// kept. A line that starts with !n runs line n again, !! the last line,
// !-n the n-th last and !text the last line starting with text; the line
// is printed before it runs, and the rest of the line follows the recalled
// one (!! | grep x).
//
// Ctrl-C while a command runs interrupts it (sleep, later recv) and the
// prompt comes back. Lines that arrive while the user types (talk's
// incoming messages) print above the prompt, which is redrawn with what
// was being typed.
//
// The line editor asks the terminal where the cursor is before each
// prompt (ESC [6n), as readline programs do: a terminal emulator answers
// it; a device that does not should feed jxtashell through a pipe.
//
// A script (-e, -f, standard input) stops at its first failing command
// unless -k is given (or it runs set -k). The exit status is that of the
// last command run: non-zero when it failed.
package main
