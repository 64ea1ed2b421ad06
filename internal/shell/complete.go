package shell

import (
	"sort"
	"strings"
	"unicode/utf8"
)

// maxCompletions bounds the choices Tab offers.
const maxCompletions = 1000

// Completion is what Tab offers for the word before the cursor.
type Completion struct {
	// Suffixes are the texts that complete the word, one per choice,
	// sorted, each written as the command line needs it (escaped or
	// inside the word's quotes) and ending with a blank when the word is
	// then whole; a directory ends with "/" instead.
	Suffixes []string
	// Shown is how many runes before the cursor belong to every choice
	// when the choices are listed: the word typed so far, or for a path
	// its last element.
	Shown int
}

// Complete returns the completions of the word that ends the text before
// the cursor: a command name where a command starts (at the start of the
// line, after ";", "&&", "||" or "|", after "var ="); an option of the command, taken
// from its Synopsis, for a word starting with "-"; otherwise what the
// Synopsis says the argument is: a file path (FILE), a command (man's
// command) or a variable name (var, groupVar, peerVar...).
func (s *Shell) Complete(before string) Completion {
	w, ok := lexPartial(before)
	if !ok {
		return Completion{}
	}
	words := w.words
	if len(words) >= 2 && words[1] == "=" && validVarName(words[0]) {
		words = words[2:] // var = cmd ...
	}
	var choices []string
	kind := argCommand
	if len(words) > 0 {
		syn := synopsisArgs{}
		if c := s.commands[words[0]]; c != nil {
			syn = parseSynopsis(c.Synopsis)
		}
		kind = syn.argumentKind(words[1:])
		if strings.HasPrefix(w.partial, "-") {
			kind = argNone
			for o := range syn.options {
				choices = append(choices, o)
			}
		}
	}
	switch kind {
	case argCommand:
		choices = s.CommandNames()
	case argVariable:
		choices = s.Env.Names()
	case argFile:
		return w.completePath()
	}
	return w.complete(choices, false)
}

// partialWord is the text before the cursor, split as parseLine splits it.
type partialWord struct {
	words   []string // the whole words of the statement the cursor is in
	partial string   // the word being typed, without quotes and escapes
	raw     string   // the word being typed as written
	quote   rune     // the quote open at the cursor, or 0
}

// lexPartial splits before into the words of its last statement and the
// word being typed. It reports false inside a comment.
func lexPartial(before string) (partialWord, bool) {
	var (
		w      partialWord
		word   strings.Builder
		inWord bool
		start  int // byte offset of the word being typed
	)
	endWord := func() {
		if inWord {
			w.words = append(w.words, word.String())
			word.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(before); {
		c, size := utf8.DecodeRuneInString(before[i:])
		if !inWord && w.quote == 0 {
			start = i
		}
		switch {
		case w.quote != 0:
			if c == w.quote {
				w.quote = 0
			} else if c == '\\' && w.quote == '"' && i+1 < len(before) && (before[i+1] == '"' || before[i+1] == '\\') {
				i++
				size = 1
				word.WriteByte(before[i])
			} else {
				word.WriteRune(c)
			}
		case c == '"' || c == '\'':
			w.quote = c
			inWord = true
		case c == '\\' && i+1 < len(before):
			i++
			c, size = utf8.DecodeRuneInString(before[i:])
			word.WriteRune(c)
			inWord = true
		case c == ';' || c == '|' || c == '&' && i+1 < len(before) && before[i+1] == '&':
			endWord()
			w.words = nil
			if c == '&' {
				size = 2 // "&&"
			}
		case c == '#' && !inWord:
			return partialWord{}, false
		case c == ' ' || c == '\t':
			endWord()
		default:
			word.WriteRune(c)
			inWord = true
		}
		i += size
	}
	if inWord {
		w.partial, w.raw = word.String(), before[start:]
	}
	return w, true
}

// complete returns the choices that extend the word being typed.
func (w partialWord) complete(choices []string, isPath bool) Completion {
	sort.Strings(choices)
	out := Completion{Shown: utf8.RuneCountInString(w.raw)}
	seen := make(map[string]bool)
	for _, c := range choices {
		if !strings.HasPrefix(c, w.partial) || seen[c] || len(out.Suffixes) == maxCompletions {
			continue
		}
		seen[c] = true
		if s, ok := w.suffix(c[len(w.partial):], isPath && strings.HasSuffix(c, "/")); ok {
			out.Suffixes = append(out.Suffixes, s)
		}
	}
	return out
}

// suffix writes rest of a choice for the command line: escaped outside
// quotes, inside the open quote, then the end of the word unless open is
// set (a directory, to be continued).
func (w partialWord) suffix(rest string, open bool) (string, bool) {
	var b strings.Builder
	for _, c := range rest {
		switch {
		case w.quote == '\'' && c == '\'':
			return "", false // a single-quoted word cannot hold a single quote
		case w.quote == '"' && (c == '"' || c == '\\'),
			w.quote == 0 && strings.ContainsRune(" \t\"'\\;|#", c):
			b.WriteByte('\\')
		}
		b.WriteRune(c)
	}
	if !open {
		if w.quote != 0 {
			b.WriteRune(w.quote)
		}
		b.WriteByte(' ')
	}
	return b.String(), true
}
