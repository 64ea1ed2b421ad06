package shell

import (
	"errors"
	"strconv"
	"strings"
)

// word is one word of a command line, as the tokenizer read it: its text
// with quotes and escapes removed, and where "$?" stands in it.
type word struct {
	text   string
	status []int // byte offsets in text where the exit status goes, in order
}

// expand returns the word's text with the exit status in place of each
// "$?".
func (w word) expand(status int) string {
	if len(w.status) == 0 {
		return w.text
	}
	code := strconv.Itoa(status)
	var b strings.Builder
	last := 0
	for _, at := range w.status {
		b.WriteString(w.text[last:at])
		b.WriteString(code)
		last = at
	}
	b.WriteString(w.text[last:])
	return b.String()
}

// stage is one command of a pipeline: its name and arguments.
type stage []word

// condition says when a pipeline runs, after the one before it.
type condition int

const (
	always   condition = iota // first, or after ";": whatever the one before returned
	ifOK                      // after "&&": if the exit status is 0
	ifFailed                  // after "||": if the exit status is not 0
)

// pipeline is one statement of a command line: commands joined by "|",
// the variable the last one's result is stored in ("" when unnamed), and
// the condition ("&&", "||") that joins it to the pipeline before it.
type pipeline struct {
	assign string
	stages []stage
	cond   condition
}

var (
	errUnterminatedQuote = errors.New("unterminated quote")
	errEmptyStage        = errors.New(`missing command before or after "|"`)
	errEmptyCondition    = errors.New(`missing command before or after "&&" or "||"`)
	errAssignInPipeline  = errors.New(`only the start of a pipeline can name its result ("var = a | b")`)
)

// parseLine splits a command line into pipelines separated by ";", "&&"
// and "||", and each pipeline into stages separated by "|". Pipelines
// joined by "&&" and "||" form a list that runs left to right, as in a
// POSIX shell: "a && b || c" runs b if a succeeded, then c if the last
// one run failed. Words are separated by
// blanks; "..." and '...' quote (the quotes are removed); a backslash
// escapes the next character outside single quotes. "$?" outside single
// quotes stands for the exit status of the last command, filled in when
// the pipeline runs. A pipeline of the form "name = cmd args | ..." stores
// the result of its last command in name. A line that does not parse runs
// nothing.
func parseLine(line string) ([]pipeline, error) {
	var (
		pipes  []pipeline
		stages []stage
		words  stage
		buf    strings.Builder
		status []int
		inWord bool
		quote  rune
		cond   condition // of the pipeline being read
	)
	endWord := func() {
		if inWord {
			words = append(words, word{text: buf.String(), status: status})
			buf.Reset()
			status = nil
			inWord = false
		}
	}
	endStage := func() error {
		endWord()
		if len(words) == 0 {
			return errEmptyStage
		}
		stages = append(stages, words)
		words = nil
		return nil
	}
	// endPipeline ends the pipeline being read; next is the condition
	// of the one after it: always after ";" and at the end of the line.
	endPipeline := func(next condition) error {
		endWord()
		if len(words) == 0 && len(stages) == 0 {
			if cond != always || next != always {
				return errEmptyCondition
			}
			return nil // an empty statement
		}
		if err := endStage(); err != nil {
			return err
		}
		p, err := toPipeline(stages)
		if err != nil {
			return err
		}
		p.cond, cond = cond, next
		pipes = append(pipes, p)
		stages = nil
		return nil
	}
	rs := []rune(line)
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch {
		case c == '$' && quote != '\'' && i+1 < len(rs) && rs[i+1] == '?':
			i++
			status = append(status, buf.Len())
			inWord = true
		case quote != 0:
			if c == quote {
				quote = 0
			} else if c == '\\' && quote == '"' && i+1 < len(rs) && strings.ContainsRune(`"\$`, rs[i+1]) {
				i++
				buf.WriteRune(rs[i])
			} else {
				buf.WriteRune(c)
			}
		case c == '"' || c == '\'':
			quote = c
			inWord = true
		case c == '\\' && i+1 < len(rs):
			i++
			buf.WriteRune(rs[i])
			inWord = true
		case c == ';':
			if err := endPipeline(always); err != nil {
				return nil, err
			}
		case (c == '&' || c == '|') && i+1 < len(rs) && rs[i+1] == c:
			i++
			next := ifOK
			if c == '|' {
				next = ifFailed
			}
			if err := endPipeline(next); err != nil {
				return nil, err
			}
		case c == '|':
			if err := endStage(); err != nil {
				return nil, err
			}
		case c == '#' && !inWord:
			i = len(rs) // a comment runs to the end of the line
		case c == ' ' || c == '\t' || c == '\r' || c == '\n':
			endWord()
		default:
			buf.WriteRune(c)
			inWord = true
		}
	}
	if quote != 0 {
		return nil, errUnterminatedQuote
	}
	if err := endPipeline(always); err != nil {
		return nil, err
	}
	return pipes, nil
}

// toPipeline reads the assignment at the start of the first stage; later
// stages may not have one.
func toPipeline(stages []stage) (pipeline, error) {
	name, first := splitAssign(stages[0])
	for _, st := range stages[1:] {
		if n, _ := splitAssign(st); n != "" {
			return pipeline{}, errAssignInPipeline
		}
	}
	stages[0] = first
	return pipeline{assign: name, stages: stages}, nil
}

// splitAssign splits "name = cmd args" (or "name=cmd args") into the
// variable name and the command; it returns "" and the words unchanged
// when they are not an assignment. Words holding "$?" are never a name.
func splitAssign(words stage) (string, stage) {
	plain := func(w word) bool { return len(w.status) == 0 }
	if len(words) >= 3 && plain(words[0]) && plain(words[1]) && words[1].text == "=" && validVarName(words[0].text) {
		return words[0].text, words[2:]
	}
	first := words[0]
	if !plain(first) {
		return "", words
	}
	// "name=cmd args" without blanks around "=".
	if i := strings.IndexByte(first.text, '='); i > 0 && validVarName(first.text[:i]) {
		rest := first.text[i+1:]
		args := words[1:]
		if rest != "" {
			args = append(stage{{text: rest}}, args...)
		}
		if len(args) > 0 {
			return first.text[:i], args
		}
	}
	return "", words
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
