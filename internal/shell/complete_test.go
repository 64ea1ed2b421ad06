package shell_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/internal/shell"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompleteCommands(t *testing.T) {
	t.Parallel()
	s := newSession()
	tests := []struct {
		before string
		want   []string
		shown  int
	}{
		{before: "imp", want: []string{"ortfile "}, shown: 3},
		{before: "pe", want: []string{"erinfo ", "ers "}, shown: 2},
		{before: "exp", want: []string{"ortfile "}, shown: 3},
		{before: "  ma", want: []string{"n "}, shown: 2},
		{before: "env; ma", want: []string{"n "}, shown: 2},
		{before: "env | ma", want: []string{"n "}, shown: 2},
		{before: "env && ma", want: []string{"n "}, shown: 2},
		{before: "env||ma", want: []string{"n "}, shown: 2},
		{before: "x = ma", want: []string{"n "}, shown: 2},
		{before: "x=1 ; y = who", want: []string{"ami "}, shown: 3},
		{before: "zz", want: nil, shown: 2},
		{before: "man # ma", want: nil},
		{before: "man his", want: []string{"tory "}, shown: 3},
	}
	for _, tt := range tests {
		c := s.sh.Complete(tt.before)
		assert.Equal(t, tt.want, c.Suffixes, "%q", tt.before)
		assert.Equal(t, tt.shown, c.Shown, "%q", tt.before)
	}
	all := s.sh.Complete("")
	assert.Len(t, all.Suffixes, len(allCommands), "every command at an empty line")
	assert.Equal(t, 0, all.Shown)
}

func TestCompleteOptions(t *testing.T) {
	t.Parallel()
	s := newSession()
	tests := []struct {
		before string
		want   []string
	}{
		{"search -", []string{"a ", "f ", "l ", "n ", "p ", "r ", "v ", "w "}},
		{"search -r -", []string{"a ", "f ", "l ", "n ", "p ", "r ", "v ", "w "}},
		{"newpgrp --p", []string{"assword "}},
		{"newpgrp -", []string{"-password ", "d ", "n "}},
		{"newpipe -", []string{"n ", "p ", "s "}},
		{"cat -", []string{"p "}},
		{"env -", nil},
		{"nosuch -", nil},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, s.sh.Complete(tt.before).Suffixes, "%q", tt.before)
	}

	t.Run("a new command gets its options from its synopsis", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.sh.Register(&shell.Command{Name: "talk", Synopsis: "talk -register|-login|-logout|-search|-u me you [-propagate]"})
		assert.Equal(t, []string{"ogin ", "ogout "}, s.sh.Complete("talk -l").Suffixes)
		assert.Equal(t, []string{"ropagate "}, s.sh.Complete("talk -u a b -p").Suffixes)
	})
}

func TestCompleteVariables(t *testing.T) {
	t.Parallel()
	s := newSession()
	for _, name := range []string{"peer0", "peer1", "group0", "pipeAdv", "my var"} {
		s.sh.Env.Set(name, "test", 1)
	}
	tests := []struct {
		before string
		want   []string
	}{
		{"cat pe", []string{"er0 ", "er1 "}},
		{"cat -p p", []string{"eer0 ", "eer1 ", "ipeAdv "}},
		{"publish -d g", []string{"roup0 "}},
		{"join -d ", []string{"group0 ", "my\\ var ", "peer0 ", "peer1 ", "pipeAdv "}},
		{"ping -c 3 peer", []string{"0 ", "1 "}},
		{"ping -c ", nil},
		{"chpgrp gr", []string{"oup0 "}},
		{"exportfile out.xml pi", []string{"peAdv "}},
		{"importfile a.xml pi", []string{"peAdv "}},
		{"cat my", []string{"\\ var "}},
		{`cat "my`, []string{` var" `}},
		{"cat 'my", []string{" var' "}},
		{"cat peer0 pe", nil},
		{"sleep ", nil},
		{"newpgrp -n ", nil},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, s.sh.Complete(tt.before).Suffixes, "%q", tt.before)
	}
}

func TestCompletePaths(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, f := range []string{"pipe.xml", "peer.xml", "with space.xml", `q"uote.xml`, ".hidden.xml"} {
		require.NoError(t, os.WriteFile(filepath.Join(dir, f), nil, 0o600))
	}
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "sub", "deep.xml"), nil, 0o600))
	require.NoError(t, os.Symlink(filepath.Join(dir, "sub"), filepath.Join(dir, "link")))
	s := newSession()
	s.sh.Env.Set("pipeVar", "test", 1)
	d := dir + "/"
	tests := []struct {
		before string
		want   []string
		shown  int
	}{
		{"importfile " + d + "pi", []string{"pe.xml "}, 2},
		{"importfile " + d + "p", []string{"eer.xml ", "ipe.xml "}, 1},
		{"validate " + d + "pipe.xml " + d + "pe", []string{"er.xml "}, 2},
		{"exportfile " + d + "w", []string{`ith\ space.xml `}, 1},
		{`exportfile "` + d + "w", []string{`ith space.xml" `}, 1},
		{"exportfile '" + d + "w", []string{"ith space.xml' "}, 1},
		{"importfile " + d + "q", []string{`\"uote.xml `}, 1},
		{`importfile "` + d + "q", []string{`\"uote.xml" `}, 1},
		{"importfile " + d + "s", []string{"ub/"}, 1},
		{"importfile " + d + "l", []string{"ink/"}, 1},
		{"importfile " + d + "sub/", []string{"deep.xml "}, 0},
		{"importfile " + d + ".", []string{"hidden.xml "}, 1},
		{"importfile " + d + "nosuch/", nil, 0},
		{"importfile " + d + "pipe.xml pi", []string{"peVar "}, 2},
	}
	for _, tt := range tests {
		c := s.sh.Complete(tt.before)
		assert.Equal(t, tt.want, c.Suffixes, "%q", tt.before)
		if tt.want != nil {
			assert.Equal(t, tt.shown, c.Shown, "%q", tt.before)
		}
	}
	all := s.sh.Complete("validate " + d)
	assert.Equal(t, []string{"link/", "peer.xml ", "pipe.xml ", `q\"uote.xml `, "sub/", `with\ space.xml `}, all.Suffixes,
		"hidden files only when asked for")
}

// FuzzComplete checks that completion never panics and that a choice that
// ends its word does end it: the line it makes has no word being typed.
func FuzzComplete(f *testing.F) {
	for _, s := range []string{"", "imp", "search -", `cat "my`, "cat 'x", "a = b; c | d -", "x\\", "é\\", "#", "join -d "} {
		f.Add(s)
	}
	s := newSession()
	s.sh.Env.Set("my var", "test", 1)
	s.sh.Env.Set("peer0", "test", 1)
	f.Fuzz(func(t *testing.T, before string) {
		c := s.sh.Complete(before)
		assert.LessOrEqual(t, c.Shown, len([]rune(before)))
		for _, suffix := range c.Suffixes {
			assert.NotEmpty(t, suffix)
			assert.False(t, strings.ContainsAny(suffix, "\n"), suffix)
			if strings.HasSuffix(suffix, " ") {
				assert.Zero(t, s.sh.Complete(before+suffix).Shown, "%q + %q ends the word", before, suffix)
			}
		}
	})
}
