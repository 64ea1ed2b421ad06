package shell_test

import (
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSet(t *testing.T) {
	t.Parallel()

	t.Run("copies a variable", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.sh.Env.Set("a", "the first", "value")
		assert.Empty(t, s.run(t, "set b a"))
		b := s.sh.Env.Get("b")
		require.NotNil(t, b)
		assert.Equal(t, "b", b.Name)
		assert.Equal(t, "the first", b.Description)
		assert.Equal(t, "value", b.Value)
		s.run(t, "unset a")
		assert.Equal(t, "value\n", s.run(t, "cat b"), "the copy stays")
	})

	t.Run("switches", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		assert.Equal(t, "keep going (-k): off\necho (-x):       off\n", s.run(t, "set"))
		s.run(t, "set -k -x")
		assert.True(t, s.sh.KeepGoing)
		assert.NotNil(t, s.sh.Env.Get("echo"))
		assert.Equal(t, "JXTA> set\nkeep going (-k): on\necho (-x):       on\n", s.run(t, "set"))
		s.run(t, "set +k +x")
		assert.False(t, s.sh.KeepGoing)
		assert.Nil(t, s.sh.Env.Get("echo"))
	})

	t.Run("usage", func(t *testing.T) {
		t.Parallel()
		for _, line := range []string{"set a", "set a b c", "set 1x a", "set -z", "set -k -z", "set -k x"} {
			s := newSession()
			s.sh.Env.Set("a", "", "v")
			s.fail(t, line, 2)
			assert.Equal(t, "usage: set [-k | +k] [-x | +x] | set to from", s.errLines()[1], line)
			assert.False(t, s.sh.KeepGoing, "%s: nothing switched", line)
		}
		s := newSession()
		s.fail(t, "set b nosuch", 1)
		assert.Nil(t, s.sh.Env.Get("b"))
	})
}

func TestUnset(t *testing.T) {
	t.Parallel()
	s := newSession()
	for _, n := range []string{"a", "b", "c"} {
		s.sh.Env.Set(n, "", n)
	}
	assert.Empty(t, s.run(t, "unset a c"))
	assert.Equal(t, []string{"b"}, s.sh.Env.Names())
	assert.Contains(t, s.fail(t, "unset b nosuch", 1), `"nosuch"`)
	assert.Equal(t, []string{"b"}, s.sh.Env.Names(), "nothing removed when one is missing")
	s.fail(t, "unset", 2)
	assert.Equal(t, "usage: unset var...", s.errLines()[1])
}

func TestHelp(t *testing.T) {
	t.Parallel()
	s := newSession()
	out := s.run(t, "help")
	assert.Contains(t, out, `"man"`)
	assert.Contains(t, out, "man syntax")
	assert.Equal(t, s.run(t, "man grep"), s.run(t, "help grep"))
	s.fail(t, "help a b", 2)
}

// TestManList checks that the list of commands names every command once,
// each summary starting in the same column.
func TestManList(t *testing.T) {
	t.Parallel()
	s := newSession()
	out := lines(s.run(t, "man"))
	require.Greater(t, len(out), 2)
	entries := out[1 : len(out)-1] // between the heading and the syntax line
	require.Len(t, entries, len(s.sh.CommandNames()))
	column := -1
	for i, line := range entries {
		name := s.sh.CommandNames()[i]
		require.True(t, strings.HasPrefix(line, "  "+name+" "), line)
		summary := s.sh.Command(name).Summary
		at := strings.LastIndex(line, summary)
		require.Positive(t, at, line)
		assert.Equal(t, strings.Repeat(" ", at-2-len(name)), line[2+len(name):at], "blanks only between name and summary: %q", line)
		assert.GreaterOrEqual(t, at-2-len(name), 2, "at least two blanks after %s", name)
		if column < 0 {
			column = at
		}
		assert.Equal(t, column, at, "summary of %s aligned: %q", name, line)
	}
}

func TestManSyntax(t *testing.T) {
	t.Parallel()
	s := newSession()
	out := s.run(t, "man syntax")
	assert.True(t, strings.HasPrefix(out, "NAME\n    syntax - "), out)
	for _, w := range []string{"|", ";", "&&", "||", "var = cmd", "$?", "set -k", "echo", "Example:"} {
		assert.Contains(t, out, w)
	}
}

func TestVersion(t *testing.T) {
	t.Parallel()
	s := newSession()
	out := lines(s.run(t, "version"))
	require.Len(t, out, 2)
	assert.Regexp(t, regexp.MustCompile(`^gojxta \S+$`), out[0])
	assert.Equal(t, "Go "+runtime.Version()+" "+runtime.GOOS+"/"+runtime.GOARCH, out[1])

	verbose := lines(s.run(t, "version -v"))
	assert.Equal(t, out, verbose[:2], "-v starts with the same lines")
	assert.Contains(t, verbose, "module github.com/gojxta/gojxta")
	for _, l := range verbose[2:] {
		// Test binaries list no dependencies; jxtashell does ("dep path version").
		assert.Regexp(t, regexp.MustCompile(`^(module|build|dep) \S`), l)
	}
	s.fail(t, "version x", 2)
}

func TestClear(t *testing.T) {
	t.Parallel()
	s := newSession()
	assert.Empty(t, s.run(t, "clear"), "not a terminal")
	s.sh.TerminalRows = func() int { return 0 }
	assert.Empty(t, s.run(t, "clear"), "TerminalRows says not a terminal")
	s.sh.TerminalRows = func() int { return 30 }
	assert.Equal(t, "\x1b[H\x1b[2J", s.run(t, "clear"))
	assert.Empty(t, s.run(t, "clear | cat"), "a pipe is not a terminal")
	s.fail(t, "clear x", 2)
}
