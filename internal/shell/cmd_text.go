package shell

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// textCommands are the Unix-style commands over text: echo, grep, wc and
// more.
func textCommands() []*Command {
	return []*Command{
		{
			Name:     "echo",
			Synopsis: "echo [word...]",
			Summary:  "print words",
			Details: `Prints its words separated by blanks, and returns them as text: "x = echo
hello" stores the string hello in x.

Example:
    echo last status $?
    greeting = echo hello world`,
			Run: runEcho,
		},
		{
			Name:     "grep",
			Synopsis: "grep [-c] [-i] [-n] [-v] pattern [var]",
			Summary:  "print the lines that contain a string",
			Details: `Prints the lines of var (as cat -p shows it) that contain pattern, a
plain string (not a regular expression, as in JXSE). With no var it reads
the text the command before it in a pipeline wrote, or else the lines
typed (or the next lines of a script) up to a line holding only ".".
The exit status is 1 when no line matched.

Options:
    -c    print only the number of matching lines
    -i    ignore case
    -n    put each line's number before it ("12:text")
    -v    the lines that do not contain pattern

Options may be clustered: grep -ci alice.

Example:
    peers | grep -i alice
    grep -n Name env0`,
			Run: runGrep,
		},
		{
			Name:     "wc",
			Synopsis: "wc [-c] [-l] [-w] [var]",
			Summary:  "count lines, words and characters",
			Details: `Prints the number of lines, words and characters (not bytes) of var (as
cat -p shows it), in that order on one line. With no var it reads the
text the command before it in a pipeline wrote, or else the lines typed
up to a line holding only ".".

Options (with none, all three):
    -c    characters
    -l    lines
    -w    words (separated by blanks)

Example:
    peers | wc -l
    wc env0`,
			Run: runWc,
		},
		{
			Name:     "more",
			Synopsis: "more [-p] [var]",
			Summary:  "show a variable or text one screen at a time",
			Details: `Shows the object held in var as cat does, one screen at a time when the
output is a terminal, as less and more do: the space bar shows the next
screen, Enter the next line, q (or Ctrl-C) stops, each without Enter
after it. Elsewhere (a file, a pipe) it prints everything. With no var it shows the
object or text of the command before it in a pipeline, or else the lines
typed up to a line holding only ".".

Options:
    -p    pretty-print (indent) documents

Example:
    more -p env0
    search -l | more`,
			Run: runMore,
		},
	}
}

func runEcho(c *Call) error {
	text := strings.Join(c.Args, " ")
	fmt.Fprintln(c.Out, text)
	c.Return("text", text)
	return nil
}

// textArg returns the text a text command reads: that of the variable
// named by the only element of args, if any, else its input.
func textArg(c *Call, args []string) (io.Reader, error) {
	if len(args) == 0 {
		return c.Input()
	}
	v, err := c.Var(args[0])
	if err != nil {
		return nil, err
	}
	return objectText(v)
}

// lineFilter selects lines for grep.
type lineFilter struct {
	pattern    string
	ignoreCase bool
	invert     bool
}

// matches reports whether line is selected.
func (f lineFilter) matches(line string) bool {
	if f.ignoreCase {
		line = strings.ToLower(line)
	}
	return strings.Contains(line, f.pattern) != f.invert
}

// grepLines writes the lines of r that f selects, numbered if number is
// set, or only counts them if count is set; it returns how many it
// selected.
func grepLines(r io.Reader, w io.Writer, f lineFilter, number, count bool) (int, error) {
	if f.ignoreCase {
		f.pattern = strings.ToLower(f.pattern)
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), maxLine)
	n := 0
	for i := 1; sc.Scan(); i++ {
		line := sc.Text()
		if !f.matches(line) {
			continue
		}
		n++
		switch {
		case count:
		case number:
			fmt.Fprintf(w, "%d:%s\n", i, line)
		default:
			fmt.Fprintln(w, line)
		}
	}
	return n, sc.Err()
}

func runGrep(c *Call) error {
	c.Args = getoptArgs(c.Args, "cinv", "")
	fs := c.Flags()
	count := fs.Bool("c", false, "count")
	ignoreCase := fs.Bool("i", false, "ignore case")
	number := fs.Bool("n", false, "line numbers")
	invert := fs.Bool("v", false, "invert")
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	if len(args) < 1 || len(args) > 2 {
		return Usagef("want a pattern and at most one variable")
	}
	r, err := textArg(c, args[1:])
	if err != nil {
		return err
	}
	f := lineFilter{pattern: args[0], ignoreCase: *ignoreCase, invert: *invert}
	n, err := grepLines(r, c.Out, f, *number, *count)
	if err != nil {
		return err
	}
	if *count {
		fmt.Fprintln(c.Out, n)
	}
	if n == 0 {
		return errNothingMatched
	}
	return nil
}

// textCounts are what wc counts.
type textCounts struct {
	lines, words, chars int
}

// countText counts the lines (a last line without a newline counts),
// words and characters of data.
func countText(data []byte) textCounts {
	var tc textCounts
	inWord := false
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		data = data[size:]
		tc.chars++
		if r == '\n' || len(data) == 0 {
			tc.lines++
		}
		space := unicode.IsSpace(r)
		if !space && !inWord {
			tc.words++
		}
		inWord = !space
	}
	return tc
}

func runWc(c *Call) error {
	c.Args = getoptArgs(c.Args, "clw", "")
	fs := c.Flags()
	chars := fs.Bool("c", false, "characters")
	lines := fs.Bool("l", false, "lines")
	words := fs.Bool("w", false, "words")
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	if len(args) > 1 {
		return Usagef("want at most one variable")
	}
	r, err := textArg(c, args)
	if err != nil {
		return err
	}
	data, err := readAll(r)
	if err != nil {
		return err
	}
	if !*chars && !*lines && !*words {
		*chars, *lines, *words = true, true, true
	}
	tc := countText(data)
	var out []string
	for _, f := range []struct {
		on bool
		n  int
	}{{*lines, tc.lines}, {*words, tc.words}, {*chars, tc.chars}} {
		if f.on {
			out = append(out, strconv.Itoa(f.n))
		}
	}
	_, err = fmt.Fprintln(c.Out, strings.Join(out, " "))
	return err
}

// The prompts more shows between screens: keyPrompt when it reads single
// keys, linePrompt when it reads lines (a script, a test's editor).
const (
	keyPrompt  = "--More-- (space: next page, Enter: next line, q: quit) "
	linePrompt = "--More-- (Enter: next screen, q: quit) "
)

// eraseLine moves the cursor up to the line of the prompt, which the
// key's Enter ended, and clears it, so that the text goes on there.
const eraseLine = "\x1b[A\r\x1b[K"

func runMore(c *Call) error {
	fs := c.Flags()
	pretty := fs.Bool("p", false, "pretty-print")
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	if len(args) > 1 {
		return Usagef("want at most one variable")
	}
	var name string
	if len(args) == 1 {
		name = args[0]
	}
	v, err := c.Object(name)
	if err != nil {
		return err
	}
	var text []byte
	if v != nil {
		var b bytes.Buffer
		if err := showObject(&b, v, *pretty); err != nil {
			return err
		}
		text = b.Bytes()
		c.Return(v.Description, v.Value)
	} else {
		in, err := c.Input()
		if err != nil {
			return err
		}
		if text, err = readAll(in); err != nil {
			return err
		}
	}
	rows, ok := c.terminalRows()
	if !ok || !c.Shell.hasConsole() {
		_, err = c.Out.Write(text)
		return err
	}
	screen := max(rows-1, 1)
	c.Shell.term.mu.Lock()
	keys := c.Shell.term.keys
	c.Shell.term.mu.Unlock()
	if keys == nil {
		return page(c.Out, text, screen, func() (int, error) {
			answer, err := c.Shell.readLine(linePrompt)
			if err == io.EOF || err == nil && strings.TrimSpace(answer) == "q" {
				return 0, nil
			}
			return screen, err
		})
	}
	return page(c.Out, text, screen, func() (int, error) {
		for {
			key, err := keys.ReadKey(keyPrompt)
			if errors.Is(err, io.EOF) || errors.Is(err, ErrInterrupted) {
				return 0, nil
			}
			if err != nil {
				return 0, err
			}
			if _, err := io.WriteString(c.Out, eraseLine); err != nil {
				return 0, err
			}
			switch key {
			case ' ', 'f':
				return screen, nil
			case '\r', '\n', 'j':
				return 1, nil
			case 'q', 'Q', '\x03', '\x04':
				return 0, nil
			}
		}
	})
}

// page writes text to w a screen of size lines, then asks next how many
// more lines to show (0: stop) each time those are shown.
func page(w io.Writer, text []byte, size int, next func() (int, error)) error {
	for left := size; len(text) > 0; left-- {
		if left == 0 {
			n, err := next()
			if err != nil || n <= 0 {
				return err
			}
			left = n
		}
		line := text
		if i := bytes.IndexByte(text, '\n'); i >= 0 {
			line = text[:i+1]
		}
		if _, err := w.Write(line); err != nil {
			return err
		}
		text = text[len(line):]
	}
	return nil
}
