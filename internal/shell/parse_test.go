package shell

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cmd is a statement without assignment, to keep the table short.
func cmd(args ...string) statement { return statement{args: args} }

// assign is a statement storing its result in name.
func assign(name string, args ...string) statement { return statement{assign: name, args: args} }

func TestParseLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		line string
		want []statement
	}{
		// Blanks and empty statements.
		{"empty", "", nil},
		{"only blanks", " \t \r ", nil},
		{"only semicolons", " ; ;; ", nil},
		{"one word", "man", []statement{cmd("man")}},
		{"words", "man cat", []statement{cmd("man", "cat")}},
		{"extra blanks", "  man \t  cat  ", []statement{cmd("man", "cat")}},
		{"trailing newline", "man\r\n", []statement{cmd("man")}},

		// Statements separated by ";".
		{"two statements", "man; env", []statement{cmd("man"), cmd("env")}},
		{"no blank around semicolon", "man;env", []statement{cmd("man"), cmd("env")}},
		{"empty statements dropped", ";;man;;env;", []statement{cmd("man"), cmd("env")}},
		{"semicolon ends a word", "cat a;cat b", []statement{cmd("cat", "a"), cmd("cat", "b")}},

		// Quotes.
		{"double quotes", `validate "a b.xml"`, []statement{cmd("validate", "a b.xml")}},
		{"single quotes", `validate 'a b.xml'`, []statement{cmd("validate", "a b.xml")}},
		{"empty double quotes", `cat ""`, []statement{cmd("cat", "")}},
		{"empty single quotes", `cat ''`, []statement{cmd("cat", "")}},
		{"quotes inside a word", `cat a"b c"d`, []statement{cmd("cat", "ab cd")}},
		{"adjacent quotes", `cat "a"'b'`, []statement{cmd("cat", "ab")}},
		{"semicolon quoted", `validate "a;b" c`, []statement{cmd("validate", "a;b", "c")}},
		{"hash quoted", `validate '# not a comment'`, []statement{cmd("validate", "# not a comment")}},
		{"single quote in double quotes", `cat "it's"`, []statement{cmd("cat", "it's")}},
		{"double quote in single quotes", `cat 'say "hi"'`, []statement{cmd("cat", `say "hi"`)}},

		// Backslashes.
		{"escaped blank", `cat a\ b`, []statement{cmd("cat", "a b")}},
		{"escaped semicolon", `cat a\;b`, []statement{cmd("cat", "a;b")}},
		{"escaped quote", `cat \"a`, []statement{cmd("cat", `"a`)}},
		{"escaped hash", `cat \#a`, []statement{cmd("cat", "#a")}},
		{"escaped quote in double quotes", `cat "a\"b"`, []statement{cmd("cat", `a"b`)}},
		{"escaped backslash in double quotes", `cat "a\\b"`, []statement{cmd("cat", `a\b`)}},
		{"other backslash in double quotes kept", `cat "a\nb"`, []statement{cmd("cat", `a\nb`)}},
		{"backslash in single quotes kept", `cat 'a\'`, []statement{cmd("cat", `a\`)}},
		{"trailing backslash kept", `cat a\`, []statement{cmd("cat", `a\`)}},

		// Comments.
		{"comment line", "# a comment", nil},
		{"indented comment", "   # a comment", nil},
		{"comment after command", "man # list the commands", []statement{cmd("man")}},
		{"comment hides later statements", "man; # env; exit", []statement{cmd("man")}},
		{"comment right after semicolon", "man;# env", []statement{cmd("man")}},
		{"hash inside a word", "validate a#b.xml", []statement{cmd("validate", "a#b.xml")}},

		// Assignments.
		{"var = cmd", "x = importfile a.xml", []statement{assign("x", "importfile", "a.xml")}},
		{"var=cmd", "x=importfile a.xml", []statement{assign("x", "importfile", "a.xml")}},
		{"var= cmd", "x= importfile a.xml", []statement{assign("x", "importfile", "a.xml")}},
		{"var = cmd without args", "x = env", []statement{assign("x", "env")}},
		{"var=cmd without args", "x=env", []statement{assign("x", "env")}},
		{"underscore and digits", "_my_var2 = env", []statement{assign("_my_var2", "env")}},
		{
			"assignments in several statements",
			"a = importfile p.xml; b=importfile q.xml; cat a",
			[]statement{assign("a", "importfile", "p.xml"), assign("b", "importfile", "q.xml"), cmd("cat", "a")},
		},
		{"quoted command after =", `x = importfile "a b.xml"`, []statement{assign("x", "importfile", "a b.xml")}},
		{"no command after =", "x =", []statement{cmd("x", "=")}},
		{"no command after var=", "x=", []statement{cmd("x=")}},
		{"no name before =", "=env", []statement{cmd("=env")}},
		{"invalid name before =", "1x = env", []statement{cmd("1x", "=", "env")}},
		{"invalid name before = without blanks", "a-b=env", []statement{cmd("a-b=env")}},
		{"a command name before = is a variable name", "cat = x", []statement{assign("cat", "x")}},
		{"= inside a later word", "validate a=b.xml", []statement{cmd("validate", "a=b.xml")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := parseLine(tt.line)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestParseLineUnterminatedQuote(t *testing.T) {
	t.Parallel()
	for _, line := range []string{
		`cat "abc`,
		`cat 'abc`,
		`cat "abc\"`,
		`man; cat "a;b`,
		`"`,
		`x = importfile 'a.xml`,
	} {
		t.Run(line, func(t *testing.T) {
			t.Parallel()
			got, err := parseLine(line)
			require.ErrorIs(t, err, errUnterminatedQuote)
			assert.Nil(t, got, "no statement runs from a line that does not parse")
		})
	}
}

func TestValidVarName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		want bool
	}{
		{"a", true},
		{"env0", true},
		{"_", true},
		{"_x9", true},
		{"MyPipe", true},
		{"", false},
		{"0", false},
		{"1x", false},
		{"a-b", false},
		{"a.b", false},
		{"a b", false},
		{"a=b", false},
		{"é", false},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, validVarName(tt.name), "validVarName(%q)", tt.name)
	}
}
