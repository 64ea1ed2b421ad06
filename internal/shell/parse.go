package shell

import (
	"errors"
	"strings"
)

// statement is one command of a command line: its words, and the variable
// its result is stored in ("" when unnamed).
type statement struct {
	assign string
	args   []string
}

var errUnterminatedQuote = errors.New("unterminated quote")

// parseLine splits a command line into statements separated by ";". Words
// are separated by blanks; "..." and '...' quote (the quotes are removed);
// a backslash escapes the next character outside single quotes. A
// statement of the form "name = cmd args" stores cmd's result in name.
func parseLine(line string) ([]statement, error) {
	var (
		stmts  []statement
		words  []string
		word   strings.Builder
		inWord bool
		quote  rune
	)
	endWord := func() {
		if inWord {
			words = append(words, word.String())
			word.Reset()
			inWord = false
		}
	}
	endStmt := func() {
		endWord()
		if len(words) > 0 {
			stmts = append(stmts, toStatement(words))
		}
		words = nil
	}
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' && i+1 < len(rs) && (rs[i+1] == '"' || rs[i+1] == '\\') {
				i++
				word.WriteRune(rs[i])
			} else {
				word.WriteRune(c)
			}
		case c == '"' || c == '\'':
			quote = c
			inWord = true
		case c == '\\' && i+1 < len(rs):
			i++
			word.WriteRune(rs[i])
			inWord = true
		case c == ';':
			endStmt()
		case c == '#' && !inWord:
			i = len(rs) // a comment runs to the end of the line
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			endWord()
		default:
			word.WriteRune(c)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, errUnterminatedQuote
	}
	endStmt()
	return stmts, nil
}

func toStatement(words []string) statement {
	if len(words) >= 3 && words[1] == "=" && validVarName(words[0]) {
		return statement{assign: words[0], args: words[2:]}
	}
	// "name=cmd args" without blanks around "=".
	if i := strings.IndexByte(words[0], '='); i > 0 && validVarName(words[0][:i]) {
		rest := words[0][i+1:]
		args := words[1:]
		if rest != "" {
			args = append([]string{rest}, args...)
		}
		if len(args) > 0 {
			return statement{assign: words[0][:i], args: args}
		}
	}
	return statement{args: words}
}

func validVarName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		switch {
		case c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
		case c >= '0' && c <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}
