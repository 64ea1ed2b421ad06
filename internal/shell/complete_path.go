package shell

import (
	"os"
	"path/filepath"
	"strings"
	"unicode/utf8"
)

// completePath completes the word being typed as a file path: the names in
// its directory that start with its last element, directories ending with
// "/". A leading "~/" is the user's home directory. Hidden names are
// offered only when the element starts with ".".
func (w partialWord) completePath() Completion {
	dir, base := "", w.partial
	if i := strings.LastIndexByte(w.partial, '/'); i >= 0 {
		dir, base = w.partial[:i+1], w.partial[i+1:]
	}
	list := dir
	switch {
	case list == "":
		list = "."
	case strings.HasPrefix(list, "~/"):
		home, err := os.UserHomeDir()
		if err != nil {
			return Completion{}
		}
		list = filepath.Join(home, list[2:])
	}
	entries, err := os.ReadDir(list)
	if err != nil {
		return Completion{}
	}
	var choices []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || strings.HasPrefix(name, ".") && !strings.HasPrefix(base, ".") {
			continue
		}
		isDir := e.IsDir()
		if e.Type()&os.ModeSymlink != 0 {
			st, err := os.Stat(filepath.Join(list, name))
			isDir = err == nil && st.IsDir()
		}
		if isDir {
			name += "/"
		}
		choices = append(choices, dir+name)
	}
	c := w.complete(choices, true)
	if i := strings.LastIndexByte(w.raw, '/'); i >= 0 {
		c.Shown = utf8.RuneCountInString(w.raw[i+1:])
	}
	return c
}
