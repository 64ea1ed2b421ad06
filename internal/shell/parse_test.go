package shell

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// words is a stage of plain words.
func words(args ...string) stage {
	st := make(stage, len(args))
	for i, a := range args {
		st[i] = word{text: a}
	}
	return st
}

// cmd is a one-command pipeline without assignment, to keep the table
// short.
func cmd(args ...string) pipeline { return pipeline{stages: []stage{words(args...)}} }

// assign is a one-command pipeline storing its result in name.
func assign(name string, args ...string) pipeline {
	return pipeline{assign: name, stages: []stage{words(args...)}}
}

// stagesOf is a pipeline of several stages.
func stagesOf(name string, stages ...stage) pipeline { return pipeline{assign: name, stages: stages} }

// when returns p joined to the pipeline before it by cond.
func when(cond condition, p pipeline) pipeline { p.cond = cond; return p }

func TestParseLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		line string
		want []pipeline
	}{
		// Blanks and empty statements.
		{"empty", "", nil},
		{"only blanks", " \t \r ", nil},
		{"only semicolons", " ; ;; ", nil},
		{"one word", "man", []pipeline{cmd("man")}},
		{"words", "man cat", []pipeline{cmd("man", "cat")}},
		{"extra blanks", "  man \t  cat  ", []pipeline{cmd("man", "cat")}},
		{"trailing newline", "man\r\n", []pipeline{cmd("man")}},

		// Statements separated by ";".
		{"two statements", "man; env", []pipeline{cmd("man"), cmd("env")}},
		{"no blank around semicolon", "man;env", []pipeline{cmd("man"), cmd("env")}},
		{"empty statements dropped", ";;man;;env;", []pipeline{cmd("man"), cmd("env")}},
		{"semicolon ends a word", "cat a;cat b", []pipeline{cmd("cat", "a"), cmd("cat", "b")}},

		// Quotes.
		{"double quotes", `validate "a b.xml"`, []pipeline{cmd("validate", "a b.xml")}},
		{"single quotes", `validate 'a b.xml'`, []pipeline{cmd("validate", "a b.xml")}},
		{"empty double quotes", `cat ""`, []pipeline{cmd("cat", "")}},
		{"empty single quotes", `cat ''`, []pipeline{cmd("cat", "")}},
		{"quotes inside a word", `cat a"b c"d`, []pipeline{cmd("cat", "ab cd")}},
		{"adjacent quotes", `cat "a"'b'`, []pipeline{cmd("cat", "ab")}},
		{"semicolon quoted", `validate "a;b" c`, []pipeline{cmd("validate", "a;b", "c")}},
		{"hash quoted", `validate '# not a comment'`, []pipeline{cmd("validate", "# not a comment")}},
		{"single quote in double quotes", `cat "it's"`, []pipeline{cmd("cat", "it's")}},
		{"double quote in single quotes", `cat 'say "hi"'`, []pipeline{cmd("cat", `say "hi"`)}},

		// Backslashes.
		{"escaped blank", `cat a\ b`, []pipeline{cmd("cat", "a b")}},
		{"escaped semicolon", `cat a\;b`, []pipeline{cmd("cat", "a;b")}},
		{"escaped quote", `cat \"a`, []pipeline{cmd("cat", `"a`)}},
		{"escaped hash", `cat \#a`, []pipeline{cmd("cat", "#a")}},
		{"escaped quote in double quotes", `cat "a\"b"`, []pipeline{cmd("cat", `a"b`)}},
		{"escaped backslash in double quotes", `cat "a\\b"`, []pipeline{cmd("cat", `a\b`)}},
		{"other backslash in double quotes kept", `cat "a\nb"`, []pipeline{cmd("cat", `a\nb`)}},
		{"backslash in single quotes kept", `cat 'a\'`, []pipeline{cmd("cat", `a\`)}},
		{"trailing backslash kept", `cat a\`, []pipeline{cmd("cat", `a\`)}},

		// Comments.
		{"comment line", "# a comment", nil},
		{"indented comment", "   # a comment", nil},
		{"comment after command", "man # list the commands", []pipeline{cmd("man")}},
		{"comment hides later statements", "man; # env; exit", []pipeline{cmd("man")}},
		{"comment right after semicolon", "man;# env", []pipeline{cmd("man")}},
		{"hash inside a word", "validate a#b.xml", []pipeline{cmd("validate", "a#b.xml")}},

		// Assignments.
		{"var = cmd", "x = importfile a.xml", []pipeline{assign("x", "importfile", "a.xml")}},
		{"var=cmd", "x=importfile a.xml", []pipeline{assign("x", "importfile", "a.xml")}},
		{"var= cmd", "x= importfile a.xml", []pipeline{assign("x", "importfile", "a.xml")}},
		{"var = cmd without args", "x = env", []pipeline{assign("x", "env")}},
		{"var=cmd without args", "x=env", []pipeline{assign("x", "env")}},
		{"underscore and digits", "_my_var2 = env", []pipeline{assign("_my_var2", "env")}},
		{
			"assignments in several statements",
			"a = importfile p.xml; b=importfile q.xml; cat a",
			[]pipeline{assign("a", "importfile", "p.xml"), assign("b", "importfile", "q.xml"), cmd("cat", "a")},
		},
		{"quoted command after =", `x = importfile "a b.xml"`, []pipeline{assign("x", "importfile", "a b.xml")}},
		{"no command after =", "x =", []pipeline{cmd("x", "=")}},
		{"no command after var=", "x=", []pipeline{cmd("x=")}},
		{"no name before =", "=env", []pipeline{cmd("=env")}},
		{"invalid name before =", "1x = env", []pipeline{cmd("1x", "=", "env")}},
		{"invalid name before = without blanks", "a-b=env", []pipeline{cmd("a-b=env")}},
		{"a command name before = is a variable name", "cat = x", []pipeline{assign("cat", "x")}},
		{"= inside a later word", "validate a=b.xml", []pipeline{cmd("validate", "a=b.xml")}},

		// Pipelines.
		{"two stages", "peers | grep alice", []pipeline{stagesOf("", words("peers"), words("grep", "alice"))}},
		{"no blanks around the bar", "peers|grep alice|wc", []pipeline{stagesOf("", words("peers"), words("grep", "alice"), words("wc"))}},
		{"bar quoted", `grep "a|b" x`, []pipeline{cmd("grep", "a|b", "x")}},
		{"bar single-quoted", `grep 'a|b'`, []pipeline{cmd("grep", "a|b")}},
		{"bar escaped", `grep a\|b`, []pipeline{cmd("grep", "a|b")}},
		{"pipelines in statements", "a | b; c | d", []pipeline{
			stagesOf("", words("a"), words("b")), stagesOf("", words("c"), words("d")),
		}},
		{"assignment names the pipeline", "x = importfile a.xml | cat", []pipeline{stagesOf("x", words("importfile", "a.xml"), words("cat"))}},
		{"var=cmd pipeline", "x=a|b", []pipeline{stagesOf("x", words("a"), words("b"))}},
		{"bar in a comment", "a # | b", []pipeline{cmd("a")}},
		{"no command after = in a pipeline", "x = | cat", []pipeline{stagesOf("", words("x", "="), words("cat"))}},

		// The exit status.
		{"status alone", "echo $?", []pipeline{stagesOf("", stage{{text: "echo"}, {text: "", status: []int{0}}})}},
		{"status inside a word", "echo a$?b$?", []pipeline{stagesOf("", stage{{text: "echo"}, {text: "ab", status: []int{1, 2}}})}},
		{"status in double quotes", `echo "s=$?"`, []pipeline{stagesOf("", stage{{text: "echo"}, {text: "s=", status: []int{2}}})}},
		{"status single-quoted", `echo '$?'`, []pipeline{cmd("echo", "$?")}},
		{"status escaped", `echo \$?`, []pipeline{cmd("echo", "$?")}},
		{"status escaped in double quotes", `echo "\$?"`, []pipeline{cmd("echo", "$?")}},
		{"dollar alone", "echo $ a$", []pipeline{cmd("echo", "$", "a$")}},
		{"status is never a name", "$?=echo", []pipeline{stagesOf("", stage{{text: "=echo", status: []int{0}}})}},

		// Conditions.
		{"and", "a && b", []pipeline{cmd("a"), when(ifOK, cmd("b"))}},
		{"or", "a || b", []pipeline{cmd("a"), when(ifFailed, cmd("b"))}},
		{"and or", "a&&b||c; d", []pipeline{cmd("a"), when(ifOK, cmd("b")), when(ifFailed, cmd("c")), cmd("d")}},
		{"conditions of pipelines", "x = a | b && c | d", []pipeline{
			stagesOf("x", words("a"), words("b")), when(ifOK, stagesOf("", words("c"), words("d")))}},
		{"and quoted", `echo "a && b" a\&\&b`, []pipeline{cmd("echo", "a && b", "a&&b")}},
		{"single ampersand is text", "echo a&b", []pipeline{cmd("echo", "a&b")}},
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

func TestParseLineErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want error
	}{
		{`cat "abc`, errUnterminatedQuote},
		{`cat 'abc`, errUnterminatedQuote},
		{`cat "abc\"`, errUnterminatedQuote},
		{`man; cat "a;b`, errUnterminatedQuote},
		{`"`, errUnterminatedQuote},
		{`x = importfile 'a.xml`, errUnterminatedQuote},
		{"| grep a", errEmptyStage},
		{"peers |", errEmptyStage},
		{"peers | ; man", errEmptyStage},
		{"&& man", errEmptyCondition},
		{"man ||", errEmptyCondition},
		{"man && ; env", errEmptyCondition},
		{"man; || env", errEmptyCondition},
		{"man && || env", errEmptyCondition},
		{"peers | && man", errEmptyStage},
		{"peers | | grep a", errEmptyStage},
		{"man; peers | # grep", errEmptyStage},
		{"peers | x = grep a", errAssignInPipeline},
		{"peers | x=cat", errAssignInPipeline},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			got, err := parseLine(tt.line)
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, got, "no statement runs from a line that does not parse")
		})
	}
}

func TestWordExpand(t *testing.T) {
	t.Parallel()
	assert.Equal(t, "plain", word{text: "plain"}.expand(3))
	assert.Equal(t, "127", word{text: "", status: []int{0}}.expand(127))
	assert.Equal(t, "a0b0", word{text: "ab", status: []int{1, 2}}.expand(0))
	assert.Equal(t, "22x", word{text: "x", status: []int{0, 0}}.expand(2))
}

func TestQuoteWordReadsBack(t *testing.T) {
	t.Parallel()
	for _, w := range []string{"plain", "", "a b", `say "hi"`, `back\slash`, "a;b", "a|b", "#x", "$?", "it's", "tab\tx"} {
		got, err := parseLine("cmd " + quoteWord(w))
		require.NoError(t, err, w)
		require.Len(t, got, 1)
		require.Len(t, got[0].stages[0], 2)
		assert.Equal(t, word{text: w}, got[0].stages[0][1], "quoteWord(%q) = %s", w, quoteWord(w))
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

// FuzzParseLine checks that any line parses without panic into well-formed
// pipelines, and that every plain word reads back through quoteWord (as
// echo prints it).
func FuzzParseLine(f *testing.F) {
	for _, seed := range []string{
		"", "man cat", `x = importfile "a b.xml" | validate; echo $? # c`,
		`cat 'a|b' \; "\$?" a$?b`, "a || b", `"`, "x=a|b", `echo "it's" 'say "hi"' \`,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, line string) {
		pipes, err := parseLine(line)
		if err != nil {
			assert.Nil(t, pipes)
			return
		}
		for _, p := range pipes {
			require.NotEmpty(t, p.stages)
			assert.True(t, p.assign == "" || validVarName(p.assign), "assign %q", p.assign)
			for _, st := range p.stages {
				require.NotEmpty(t, st)
				for _, w := range st {
					last := 0
					for _, at := range w.status {
						require.GreaterOrEqual(t, at, last)
						require.LessOrEqual(t, at, len(w.text))
						last = at
					}
					if len(w.status) > 0 || !utf8.ValidString(w.text) {
						continue
					}
					back, err := parseLine("c " + quoteWord(w.text))
					require.NoError(t, err, "quoteWord(%q) = %s", w.text, quoteWord(w.text))
					require.Len(t, back, 1)
					require.Len(t, back[0].stages, 1)
					require.Len(t, back[0].stages[0], 2)
					assert.Equal(t, word{text: w.text}, back[0].stages[0][1])
				}
			}
		}
	})
}
