package shell

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// HistoryLimit is how many lines a History keeps.
const HistoryLimit = 1000

// maxHistoryLine bounds one remembered line: longer lines are run but not
// remembered, so a history holds at most HistoryLimit*maxHistoryLine bytes.
const maxHistoryLine = 16 << 10

// History is the list of command lines typed at the prompt, oldest first,
// numbered from 1 for the history command and !n. It keeps the last
// HistoryLimit lines and, when it has a file, appends each line to it, so
// the next session recalls them. The file holds one line per entry.
type History struct {
	path    string   // the file, or "" to keep lines in memory only
	entries []string // oldest first, at most HistoryLimit
	written int      // lines in the file, to rewrite it before it grows past twice the limit
}

// NewHistory returns an empty history kept in memory only.
func NewHistory() *History { return &History{} }

// OpenHistory returns the history kept in the file path, reading the lines
// it holds (a missing file is an empty history, created on the first Add).
// A file longer than HistoryLimit lines is cut to its last HistoryLimit.
func OpenHistory(path string) (*History, error) {
	h := &History{path: path}
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return h, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := h.read(f); err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if h.written > HistoryLimit {
		if err := h.rewrite(); err != nil {
			return nil, err
		}
	}
	return h, nil
}

// read loads the last HistoryLimit lines of r, skipping empty and overlong
// ones.
func (h *History) read(r io.Reader) error {
	br := bufio.NewReader(r)
	for {
		line, err := readHistoryLine(br)
		if strings.TrimSpace(line) != "" {
			h.written++
			h.remember(line)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

// readHistoryLine returns the next line of br without its end, or "" for
// a blank line or one longer than maxHistoryLine, whose rest it skips.
func readHistoryLine(br *bufio.Reader) (string, error) {
	var b []byte
	long := false
	for {
		chunk, err := br.ReadSlice('\n')
		if !long {
			b = append(b, chunk...)
			long = len(b) > maxHistoryLine+1
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		if long {
			return "", err
		}
		return strings.TrimRight(string(b), "\r\n"), err
	}
}

// Add appends line to the history and to its file. It does not add a blank
// line, one longer than the bound, or the same line as the last one, and
// reports whether it added line.
func (h *History) Add(line string) (bool, error) {
	if strings.TrimSpace(line) == "" || len(line) > maxHistoryLine || strings.ContainsAny(line, "\r\n") {
		return false, nil
	}
	if n := len(h.entries); n > 0 && h.entries[n-1] == line {
		return false, nil
	}
	h.remember(line)
	if h.path == "" {
		return true, nil
	}
	if h.written >= 2*HistoryLimit {
		return true, h.rewrite()
	}
	f, err := os.OpenFile(h.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return true, err
	}
	_, err = f.WriteString(line + "\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	h.written++
	return true, err
}

// remember adds line to the entries, dropping the oldest past the limit.
func (h *History) remember(line string) {
	if len(h.entries) == HistoryLimit {
		copy(h.entries, h.entries[1:])
		h.entries = h.entries[:HistoryLimit-1]
	}
	h.entries = append(h.entries, line)
}

// rewrite replaces the file with the entries, through a temporary file so
// a crash leaves either the old or the new history.
func (h *History) rewrite() error {
	var b bytes.Buffer
	for _, e := range h.entries {
		b.WriteString(e + "\n")
	}
	tmp, err := os.CreateTemp(filepath.Dir(h.path), ".history-*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(b.Bytes())
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), h.path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return err
	}
	h.written = len(h.entries)
	return nil
}

// Entries returns the lines, oldest first: entry n of the history command
// and of !n is Entries()[n-1].
func (h *History) Entries() []string { return h.entries }
