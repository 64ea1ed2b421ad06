package shell

import (
	"errors"
	"io"
	"os"
	"sync"

	"github.com/ergochat/readline"
	"golang.org/x/term"
)

// Readline is the LineEditor jxtashell uses on a terminal, on
// github.com/ergochat/readline: emacs-style editing keys, up and down to
// recall lines, Ctrl-R to search them backwards, Tab to complete, Ctrl-C
// to discard the line and Ctrl-D at an empty line to leave.
//
// The terminal is in raw mode only while a line is read, so Ctrl-C while
// a command runs is a SIGINT for jxtashell to turn into Shell.Interrupt.
// Like every readline, it asks the terminal where the cursor is before
// each prompt (ESC [6n) and waits for the answer.
type Readline struct {
	rl     *readline.Instance
	in     *os.File
	resize *resizeWatch

	rawMu sync.Mutex
	raw   *term.State // the terminal's mode before raw mode, while a line is read
}

// NewReadline returns a line editor on the terminal in, writing to out and
// errw (a terminal too, normally the same one); complete gives the Tab
// completions of the text before the cursor (Shell.Complete).
func NewReadline(in *os.File, out, errw io.Writer, complete func(before string) Completion) (*Readline, error) {
	r := &Readline{in: in}
	r.resize = watchResize()
	rl, err := readline.NewFromConfig(&readline.Config{
		Prompt:                 Prompt,
		HistoryLimit:           HistoryLimit,
		DisableAutoSaveHistory: true, // Interactive remembers what it runs, expanded
		AutoComplete:           completer(complete),
		InterruptPrompt:        "^C",
		EOFPrompt:              "exit",
		Undo:                   true,
		Stdin:                  in,
		Stdout:                 out,
		Stderr:                 errw,
		FuncIsTerminal:         func() bool { return true },
		FuncMakeRaw:            r.makeRaw,
		FuncExitRaw:            r.exitRaw,
		FuncGetSize:            r.size,
		FuncOnWidthChanged:     r.resize.onResize,
	})
	if err != nil {
		r.resize.stop()
		return nil, err
	}
	r.rl = rl
	return r, nil
}

// ReadLine shows prompt and returns the line typed.
func (r *Readline) ReadLine(prompt string) (string, error) {
	if r.rl.GetConfig().Prompt != prompt {
		r.rl.SetPrompt(prompt)
	}
	line, err := r.rl.ReadLine()
	return line, editorError(err)
}

// ReadPassword reads a line without echo and without keeping it.
func (r *Readline) ReadPassword(prompt string) (string, error) {
	cfg := r.rl.GeneratePasswordConfig()
	cfg.Prompt = prompt
	cfg.MaskRune = 0 // no echo at all, not even stars
	cfg.FuncGetSize = r.size
	line, err := r.rl.ReadLineWithConfig(cfg)
	return line, editorError(err)
}

// ReadKey shows prompt and returns the next key pressed, without echo and
// without waiting for Enter (in raw mode, as while a line is read; the
// terminal is given back after). Enter is '\r', Ctrl-C '\x03'.
func (r *Readline) ReadKey(prompt string) (rune, error) {
	cfg := r.rl.GeneratePasswordConfig() // no echo, no history
	cfg.Prompt = prompt
	cfg.MaskRune = 0
	cfg.FuncGetSize = r.size
	var key rune
	cfg.FuncFilterInputRune = func(k rune) (rune, bool) {
		key = k
		return readline.CharEnter, true // the first key ends the "line"
	}
	if _, err := r.rl.ReadLineWithConfig(cfg); err != nil {
		return 0, editorError(err)
	}
	return key, nil
}

// Remember adds line to the lines the up arrow and Ctrl-R recall.
func (r *Readline) Remember(line string) { r.rl.SaveToHistory(line) }

// Stdout returns a writer to out that keeps the prompt intact.
func (r *Readline) Stdout() io.Writer { return r.rl.Stdout() }

// Stderr returns a writer to errw that keeps the prompt intact.
func (r *Readline) Stderr() io.Writer { return r.rl.Stderr() }

// Rows returns the terminal's height, or 0 if it is unknown.
func (r *Readline) Rows() int {
	if _, h := r.size(); h > 0 {
		return h
	}
	return 0
}

// Close gives the terminal back in the mode it had and stops the editor's
// goroutines. The one that reads keys may go on until one more key comes
// when Close interrupts a ReadLine.
func (r *Readline) Close() error {
	err := r.rl.Close()
	r.resize.stop()
	return err
}

// editorError maps the library's errors to the LineEditor's.
func editorError(err error) error {
	if errors.Is(err, readline.ErrInterrupt) {
		return ErrInterrupted
	}
	return err
}

func (r *Readline) makeRaw() error {
	r.rawMu.Lock()
	defer r.rawMu.Unlock()
	st, err := term.GetState(int(r.in.Fd()))
	if err != nil {
		return err
	}
	if err := makeRawKeepingOutput(int(r.in.Fd())); err != nil {
		return err
	}
	r.raw = st
	return nil
}

func (r *Readline) exitRaw() error {
	r.rawMu.Lock()
	defer r.rawMu.Unlock()
	if r.raw == nil {
		return nil
	}
	err := term.Restore(int(r.in.Fd()), r.raw)
	r.raw = nil
	return err
}

// size returns the terminal's width and height, or -1, -1.
func (r *Readline) size() (int, int) {
	w, h, err := term.GetSize(int(r.in.Fd()))
	if err != nil {
		return -1, -1
	}
	return w, h
}

// completer adapts a completion function to the library, which inserts a
// choice's suffix after the cursor and lists choices as the last Shown
// runes before the cursor followed by the suffix.
type completer func(before string) Completion

// Do returns the completions of the text before pos.
func (f completer) Do(line []rune, pos int) ([][]rune, int) {
	if pos < 0 || pos > len(line) {
		return nil, 0
	}
	c := f(string(line[:pos]))
	out := make([][]rune, len(c.Suffixes))
	for i, s := range c.Suffixes {
		out[i] = []rune(s)
	}
	return out, c.Shown
}
