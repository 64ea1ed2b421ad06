package main

import (
	"bufio"
	"fmt"
	"io"
	"os"

	"github.com/gojxta/gojxta/internal/shell"
)

// startupFile is the file of the home directory that runs when jxtashell
// starts, unless -x is given.
const startupFile = ".jshrc"

// maxStartupLine bounds one line of the startup file.
const maxStartupLine = 1 << 20

// runStartup runs the lines of the startup file path, if there is one.
// Unlike a script it goes on after a failing line, whose error it has
// printed, so one bad line does not cost the rest of the setup.
func runStartup(sh *shell.Shell, path string, stderr io.Writer) {
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		fmt.Fprintf(stderr, "jxtashell: %v\n", err)
		return
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 4096), maxStartupLine)
	for sc.Scan() {
		sh.Exec(sc.Text())
		if sh.Exited() {
			return
		}
	}
	if err := sc.Err(); err != nil {
		fmt.Fprintf(stderr, "jxtashell: reading %s: %v\n", path, err)
	}
}
