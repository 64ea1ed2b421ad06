package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/gojxta/gojxta/internal/shell"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("jxtashell", flag.ContinueOnError)
	fs.SetOutput(stderr)
	exec := fs.String("e", "", "run these commands (separated by ;) and exit")
	script := fs.String("f", "", "run the commands in this script file and exit")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: jxtashell [-e \"cmd; cmd\"] [-f script]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "jxtashell: unexpected argument %q\n", fs.Arg(0))
		fs.Usage()
		return 2
	}
	if *exec != "" && *script != "" {
		fmt.Fprintln(stderr, "jxtashell: -e and -f cannot be used together")
		fs.Usage()
		return 2
	}
	sh := shell.New(stdout, stderr)
	switch {
	case *exec != "":
		return sh.RunScript(strings.NewReader(*exec))
	case *script != "":
		f, err := os.Open(*script)
		if err != nil {
			fmt.Fprintf(stderr, "jxtashell: %v\n", err)
			return 1
		}
		defer f.Close()
		return sh.RunScript(f)
	case !isTerminal(stdin):
		return sh.RunScript(stdin)
	}
	return sh.Interactive(stdin)
}

// isTerminal reports whether r is a character device (a terminal).
func isTerminal(r io.Reader) bool {
	f, ok := r.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
