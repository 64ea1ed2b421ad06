package shell_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// textSession is a session with a variable "text" of five lines.
func textSession() *session {
	s := newSession()
	s.sh.Env.Set("text", "lines", "Alice joined\nbob left\nalice left\n\nCarol: alice?\n")
	return s
}

func TestGrep(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want string
	}{
		{"grep alice text", "alice left\nCarol: alice?\n"},
		{"grep -i alice text", "Alice joined\nalice left\nCarol: alice?\n"},
		{"grep -c alice text", "2\n"},
		{"grep -ci ALICE text", "3\n"},
		{"grep -n left text", "2:bob left\n3:alice left\n"},
		{"grep -v alice text", "Alice joined\nbob left\n\n"},
		{"grep -vc alice text", "3\n"},
		{"grep -v -i -n alice text", "2:bob left\n4:\n"},
		{"grep : text", "Carol: alice?\n"},
		{"grep '' text", "Alice joined\nbob left\nalice left\n\nCarol: alice?\n"},
		{"grep alice? text", "Carol: alice?\n"},
		{"cat text | grep -n alice", "3:alice left\n5:Carol: alice?\n"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			s := textSession()
			assert.Equal(t, tt.want, s.run(t, tt.line))
		})
	}

	t.Run("no match: status 1, no message", func(t *testing.T) {
		t.Parallel()
		for _, line := range []string{"grep nobody text", "grep -- -x text", `grep 'd\nb' text`, "grep -v '' text"} {
			s := textSession()
			s.fail(t, line, 1)
			assert.Empty(t, s.out.String(), line)
			assert.Empty(t, s.err.String(), line)
		}
		s := textSession()
		s.fail(t, "grep -c nobody text", 1)
		assert.Equal(t, "0\n", s.out.String(), "-c prints 0")
	})

	t.Run("a document variable is read indented", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		s := newSession()
		s.run(t, "importfile "+q(writeFile(t, dir, "pipe.xml", pipeAdv))+" doc")
		assert.Equal(t, "\t<Name>demo</Name>\n", s.run(t, "grep Name doc"))
		assert.Equal(t, "4:\t<Id>"+pipeID+"</Id>\n", s.run(t, "grep -n urn: doc"))
	})

	t.Run("usage", func(t *testing.T) {
		t.Parallel()
		for _, line := range []string{"grep", "grep -x a text", "grep a text text", "grep -h a"} {
			s := textSession()
			s.fail(t, line, 2)
			assert.Equal(t, "usage: grep [-c] [-i] [-n] [-v] pattern [var]", s.errLines()[len(s.errLines())-1], line)
		}
		s := textSession()
		s.fail(t, "grep a nosuch", 1)
		assert.Contains(t, s.err.String(), `"nosuch"`)
		s = textSession()
		s.fail(t, "grep a", 2)
		assert.Contains(t, s.err.String(), "no input")
	})
}

func TestWc(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want string
	}{
		{"wc text", "5 8 48\n"},
		{"wc -l text", "5\n"},
		{"wc -w text", "8\n"},
		{"wc -c text", "48\n"},
		{"wc -lc text", "5 48\n"},
		{"wc -c -w text", "8 48\n"},
		{"cat text | wc -l", "5\n"},
		{"echo | wc", "1 0 1\n"},
		{"echo héllo wörld | wc -c", "12\n"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			s := textSession()
			assert.Equal(t, tt.want, s.run(t, tt.line))
		})
	}

	t.Run("empty text", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.sh.Env.Set("empty", "", []byte{})
		assert.Equal(t, "0 0 0\n", s.run(t, "wc empty"))
	})

	t.Run("usage", func(t *testing.T) {
		t.Parallel()
		for _, line := range []string{"wc -x text", "wc text text", "wc"} {
			s := textSession()
			s.fail(t, line, 2)
			assert.Equal(t, "usage: wc [-c] [-l] [-w] [var]", s.errLines()[len(s.errLines())-1], line)
		}
	})
}

// TestConsoleInput checks that grep, wc, more and exportfile given no
// variable and no pipe read the next lines of a script up to ".".
func TestConsoleInput(t *testing.T) {
	t.Parallel()
	out := filepath.Join(t.TempDir(), "note.txt")
	s := newSession()
	script := strings.Join([]string{
		"grep -n b",
		"abc",
		"xyz",
		"bcd",
		".",
		"wc -l",
		"one",
		"two",
		".",
		"more",
		"shown",
		".",
		"exportfile " + q(out),
		"saved line",
		"  indented",
		".",
		"echo done",
	}, "\n")
	require.Equal(t, 0, s.sh.RunScript(strings.NewReader(script)), s.err.String())
	assert.Equal(t, "1:abc\n3:bcd\n2\nshown\ndone\n", s.out.String())
	data, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, "saved line\n  indented\n", string(data))

	t.Run("end of input ends the text", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		assert.Equal(t, 0, s.sh.RunScript(strings.NewReader("wc -w\na b\nc")))
		assert.Equal(t, "3\n", s.out.String())
	})

	t.Run("from In when set", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.sh.In = strings.NewReader("x\ny\n.\nnot read\n")
		assert.Equal(t, 0, s.sh.RunScript(strings.NewReader("wc -l\necho next")))
		assert.Equal(t, "2\nnext\n", s.out.String())
	})

	t.Run("from ReadLine when set", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		typed := []string{"hello", "world", "."}
		s.sh.ReadLine = func(prompt string) (string, error) {
			line := typed[0]
			typed = typed[1:]
			return line, nil
		}
		assert.Equal(t, "1:hello\n", s.run(t, "grep -n ll"))
		assert.Empty(t, typed)
	})
}

func TestMore(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("line\n", 10)

	t.Run("plain when not a terminal", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.sh.Env.Set("long", "", long)
		assert.Equal(t, long, s.run(t, "more long"))
		assert.Equal(t, "10\n", s.run(t, "more long | grep -c line"))
	})

	t.Run("pages on a terminal", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.sh.Env.Set("long", "", long)
		s.sh.TerminalRows = func() int { return 4 }
		var prompts []string
		answers := []string{"", "q"}
		s.sh.ReadLine = func(prompt string) (string, error) {
			prompts = append(prompts, prompt)
			a := answers[0]
			answers = answers[1:]
			return a, nil
		}
		out := s.run(t, "more long")
		assert.Equal(t, strings.Repeat("line\n", 6), out, "two screens of three lines, then q")
		require.Len(t, prompts, 2)
		assert.Contains(t, prompts[0], "--More--")
	})

	t.Run("shows documents as cat does", func(t *testing.T) {
		t.Parallel()
		dir := t.TempDir()
		s := newSession()
		s.run(t, "importfile "+q(writeFile(t, dir, "pipe.xml", pipeAdv))+" doc")
		a := s.varAdv(t, "doc")
		assert.Equal(t, string(advert.Marshal(a)), s.run(t, "more doc"))
		assert.Equal(t, string(advert.MarshalIndent(a)), s.run(t, "cat doc | more -p"))
	})

	t.Run("usage", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.fail(t, "more -x", 2)
		assert.Equal(t, "usage: more [-p] [var]", s.errLines()[1])
		s.fail(t, "more a b", 2)
		s.fail(t, "more", 2)
		assert.Contains(t, s.err.String(), "no input")
	})
}

func TestEchoCommand(t *testing.T) {
	t.Parallel()
	s := newSession()
	assert.Equal(t, "\n", s.run(t, "echo"))
	assert.Equal(t, "a b  c\n", s.run(t, `echo a   b " c"`))
	s.run(t, "x = echo stored text")
	require.NotNil(t, s.sh.Env.Get("x"))
	assert.Equal(t, "stored text", s.sh.Env.Get("x").Value)
	assert.Equal(t, "stored text\n", s.run(t, "cat x"))
}
