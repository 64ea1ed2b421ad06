package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"

	"github.com/gojxta/gojxta/internal/shell"
)

// historyFile is the file of the home directory that keeps the lines typed
// at the prompt.
const historyFile = "history"

// runInteractive runs the session at the terminal tty with line editing and
// the history kept in home, and returns the status of the last command.
func runInteractive(sh *shell.Shell, tty *os.File, stdout, stderr io.Writer, home string) int {
	hist, err := shell.OpenHistory(filepath.Join(home, historyFile))
	if err != nil {
		fmt.Fprintf(stderr, "jxtashell: %v (this session's history is not kept)\n", err)
		hist = shell.NewHistory()
	}
	ed, err := shell.NewReadline(tty, stdout, stderr, sh.Complete)
	if err != nil {
		fmt.Fprintf(stderr, "jxtashell: %v\n", err)
		return 1
	}
	defer ed.Close()
	return sh.Interactive(ed, hist)
}

// interruptOnSignal makes Ctrl-C while a command runs (SIGINT: the line
// editor reads Ctrl-C itself at the prompt) interrupt the command instead
// of ending jxtashell. The function it returns undoes it.
func interruptOnSignal(sh *shell.Shell) (stop func()) {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for range sig {
			sh.Interrupt()
		}
	}()
	return func() {
		signal.Stop(sig)
		close(sig)
		<-done
	}
}
