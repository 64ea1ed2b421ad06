package shell

import (
	"bytes"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// synopsisForms splits a synopsis into its forms, the alternatives at
// its top level ("set [-k | +k] | set to from", "chpgrp groupVar | -p"),
// each without the command's name.
func synopsisForms(name, synopsis string) []string {
	var forms []string
	depth, start := 0, 0
	for i, c := range synopsis {
		switch {
		case c == '[':
			depth++
		case c == ']':
			depth--
		case c == '|' && depth == 0 && i > 0 && synopsis[i-1] == ' ':
			forms = append(forms, synopsis[start:i])
			start = i + 1
		}
	}
	forms = append(forms, synopsis[start:])
	for i, f := range forms {
		f = strings.TrimSpace(f)
		f = strings.TrimSpace(strings.TrimPrefix(f+" ", name+" "))
		forms[i] = f
	}
	return forms
}

// rejected matches the usage errors of a command that refuses an option or
// an operand as such, rather than its value.
var rejected = regexp.MustCompile(`flag provided but not defined|unknown option|unexpected argument|too many arguments|takes no arguments|want at most|want no `)

// synopsisValue returns a value for a synopsis placeholder: a number for
// numbers, a path in dir for files, the word itself otherwise (literal
// words of a form, such as "rdv start", are what the command wants).
func synopsisValue(placeholder, dir string) string {
	p := strings.TrimSuffix(placeholder, "...")
	p, _, _ = strings.Cut(p, "|") // "start|stop": the first
	switch placeholderKind(p) {
	case argFile:
		return filepath.Join(dir, p)
	}
	switch p {
	case "ms", "N", "n", "count", "seconds":
		return "1"
	case "duration":
		return "1s"
	case "rate":
		return "1M"
	}
	return p
}

// TestSynopsisMatchesParser walks the command table: for every form of
// every command's synopsis, each option it shows, and its operands, are
// accepted by the command's parser (whatever it then says about their
// values).
func TestSynopsisMatchesParser(t *testing.T) {
	t.Parallel()
	for _, name := range New(nil, nil).CommandNames() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			run := func(args []string) string {
				var out, errb bytes.Buffer
				s := New(&out, &errb)
				line := name
				for _, a := range args {
					line += " " + quoteWord(a)
				}
				s.Exec(line)
				return line + ": " + errb.String()
			}
			cmd := New(nil, nil).Command(name)
			for _, form := range synopsisForms(name, cmd.Synopsis) {
				words := strings.Fields(strings.NewReplacer("[", " [ ", "]", " ] ").Replace(form))
				var operands []string
				for i := 0; i < len(words); i++ {
					w := words[i]
					switch {
					case w == "[" || w == "]" || w == "...":
					case w == "|":
						i++ // an alternative of the word before
					case len(w) > 1 && (w[0] == '-' || w[0] == '+'):
						var value []string
						if i+1 < len(words) && isPlaceholder(words[i+1]) {
							i++
							value = []string{synopsisValue(words[i], dir)}
						}
						for _, opt := range strings.Split(w, "|") { // "-i|-o"
							assert.NotRegexp(t, rejected, run(append([]string{opt}, value...)), "%s: option %s", form, opt)
						}
					default:
						operands = append(operands, synopsisValue(w, dir))
					}
				}
				if len(operands) > 0 {
					assert.NotRegexp(t, rejected, run(operands), "%s: operands", form)
				}
			}
		})
	}
}

func TestSynopsisForms(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"[-k | +k] [-x | +x]", "to from"}, synopsisForms("set", "set [-k | +k] [-x | +x] | set to from"))
	assert.Equal(t, []string{"groupVar", "-p", "name"}, synopsisForms("chpgrp", "chpgrp groupVar | -p | name"))
	assert.Equal(t, []string{"rdv start|stop", "edge connect addr"}, synopsisForms("rdvcontrol", "rdvcontrol rdv start|stop | edge connect addr"))
	assert.Equal(t, []string{""}, synopsisForms("env", "env"))
}
