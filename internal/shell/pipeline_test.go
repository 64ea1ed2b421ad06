package shell_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/internal/shell"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPipelineText(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line string
		want string
	}{
		{"echo a b | grep a", "a b\n"},
		{"echo hello | cat", "hello\n"},
		{"cat text | grep beta | cat", "beta 2\n"},
		{"man | grep -c 'man syntax'", "1\n"},
		{"echo one | cat | cat | cat | grep one", "one\n"},
		{"cat text | grep alpha | grep -v 3 | wc -l", "1\n"},
		{"grep -n a text | grep -v gamma", "1:alpha 1\n2:beta 2\n3:alpha 3\n"},
		{"echo x | wc", "1 1 2\n"},
		{"echo a; echo b | grep b; echo c", "a\nb\nc\n"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			s := newSession()
			s.sh.Env.Set("text", "lines", "alpha 1\nbeta 2\nalpha 3\ngamma\n")
			assert.Equal(t, tt.want, s.run(t, tt.line))
			assert.Empty(t, s.err.String())
		})
	}

	t.Run("a stage's text goes only to the next", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		out := s.run(t, "man | grep -c echo")
		assert.NotContains(t, out, "Commands", "man's text went to grep, not to the output")
		assert.NotEqual(t, "0\n", out)
	})
}

func TestPipelineObjects(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := writeFile(t, dir, "pipe.xml", pipeAdv)
	load := func(t *testing.T) (*session, advert.Advertisement) {
		t.Helper()
		s := newSession()
		s.run(t, "importfile "+q(in)+" doc")
		a, ok := s.sh.Env.Get("doc").Value.(advert.Advertisement)
		require.True(t, ok)
		return s, a
	}

	t.Run("importfile | validate", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		assert.Equal(t, "OK jxta:PipeAdvertisement "+pipeID+" -\n", s.run(t, "importfile "+q(in)+" | validate"))
		assert.Equal(t, []string{"env0"}, s.sh.Env.Names(), "importfile still names its result")
	})

	t.Run("importfile | cat -p", func(t *testing.T) {
		t.Parallel()
		s, a := load(t)
		assert.Equal(t, string(advert.MarshalIndent(a)), s.run(t, "importfile "+q(in)+" | cat -p"))
	})

	t.Run("the object passes through cat and validate", func(t *testing.T) {
		t.Parallel()
		s, a := load(t)
		out := filepath.Join(t.TempDir(), "out.xml")
		got := s.run(t, "cat doc | validate | cat | exportfile "+q(out))
		assert.Empty(t, got, "the last stage, exportfile, prints nothing")
		data, err := os.ReadFile(out)
		require.NoError(t, err)
		assert.Equal(t, advert.Marshal(a), data)
	})

	t.Run("var = pipeline stores the last result", func(t *testing.T) {
		t.Parallel()
		s, a := load(t)
		s.run(t, "x = cat doc | validate")
		v := s.sh.Env.Get("x")
		require.NotNil(t, v)
		assert.Same(t, a, v.Value)
		assert.Equal(t, s.sh.Env.Get("doc").Description, v.Description)

		s.run(t, "y = echo hi there | cat")
		require.NotNil(t, s.sh.Env.Get("y"))
		assert.Equal(t, "hi there", s.sh.Env.Get("y").Value)
	})

	t.Run("a last stage that returns nothing stores nothing", func(t *testing.T) {
		t.Parallel()
		s, _ := load(t)
		s.run(t, "x = cat doc | grep Name")
		assert.Nil(t, s.sh.Env.Get("x"))
	})

	t.Run("text into validate", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.sh.Env.Set("good", "text", pipeAdv)
		s.sh.Env.Set("bad", "text", noIDAdv)
		assert.Equal(t, "OK jxta:PipeAdvertisement "+pipeID+" -\n", s.run(t, "cat good | validate"))
		s.fail(t, "cat bad | validate", 1)
		assert.True(t, strings.HasPrefix(s.out.String(), "FAIL -: "), s.out.String())
		assert.Equal(t, []string{"validate: 1 of 1 documents failed"}, s.errLines())
	})

	t.Run("a list of one result stands for its advertisement", func(t *testing.T) {
		t.Parallel()
		s, a := load(t)
		s.sh.Env.Set("one", "1 found", shell.Found{{Var: "doc", Adv: a}})
		assert.Equal(t, string(advert.MarshalIndent(a)), s.run(t, "cat one | cat -p"))
		assert.Equal(t, "OK jxta:PipeAdvertisement "+pipeID+" -\n", s.run(t, "cat one | validate"))
	})
}

// TestPipelineFromSearch runs the brief's example, search -n 1 | cat -p,
// over a peer's cache.
func TestPipelineFromSearch(t *testing.T) {
	t.Parallel()
	for _, tn := range networks() {
		t.Run(tn.name, func(t *testing.T) {
			t.Parallel()
			s, _ := peerSession(t, tn.config("alice"))
			s.run(t, "p = newpipe -n chat; publish -d p")
			a := s.varAdv(t, "p")
			assert.Equal(t, string(advert.MarshalIndent(a)), s.run(t, "search -n 1 | cat -p"))
			assert.Equal(t, "1\n", s.run(t, "search | grep -c chat"))
			s.run(t, "x = search -a Name -v chat | cat")
			f := s.found(t, "x")
			require.Len(t, f, 1)
			assert.Equal(t, advert.Marshal(a), advert.Marshal(f[0].Adv))
		})
	}
}

func TestPipelineFailures(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	bad := writeFile(t, dir, "noid.xml", noIDAdv)

	t.Run("a failing stage stops the pipeline and shows its text", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.fail(t, "validate "+q(bad)+" | grep -c OK; echo after", 1)
		assert.True(t, strings.HasPrefix(s.out.String(), "FAIL "+bad+": "), "validate's line is shown: %q", s.out.String())
		assert.Len(t, lines(s.out.String()), 1, "grep and echo did not run")
		assert.Equal(t, []string{"validate: 1 of 1 documents failed"}, s.errLines())
	})

	t.Run("an unknown command runs nothing", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.fail(t, "echo a | nosuch | cat", 127)
		assert.Empty(t, s.out.String())
		assert.Equal(t, []string{"nosuch: unknown command (man lists the commands)"}, s.errLines())
	})

	t.Run("a usage error in a later stage", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.fail(t, "echo a | wc -z", 2)
		assert.Empty(t, s.out.String(), "echo's text went into the pipe")
		assert.Equal(t, []string{"wc: flag provided but not defined: -z", "usage: wc [-c] [-l] [-w] [var]"}, s.errLines())
	})

	t.Run("a stage writing too much fails", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.sh.Register(&shell.Command{Name: "flood", Synopsis: "flood", Run: func(c *shell.Call) error {
			chunk := make([]byte, 1<<20)
			for range 65 {
				c.Out.Write(chunk) // errors ignored, as most commands do
			}
			return nil
		}})
		s.fail(t, "flood | wc -c", 1)
		assert.Empty(t, s.out.String(), "wc did not run, and the overflowing text is not shown")
		assert.Equal(t, []string{"flood: wrote more than 67108864 bytes into the pipe"}, s.errLines())
	})

	t.Run("grep matching nothing fails quietly", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.fail(t, "echo a | grep b | wc -l", 1)
		assert.Empty(t, s.out.String())
		assert.Empty(t, s.err.String())
	})

	t.Run("syntax errors run nothing", func(t *testing.T) {
		t.Parallel()
		for _, line := range []string{"echo a |", "| echo a", "echo a | | echo b", "echo a && || echo b", "echo a | x = cat"} {
			s := newSession()
			s.fail(t, "echo before; "+line, 2)
			assert.Empty(t, s.out.String(), line)
			require.Len(t, s.errLines(), 1, line)
			assert.True(t, strings.HasPrefix(s.errLines()[0], "jxtashell: "), s.errLines()[0])
		}
	})
}

func TestExitStatusVariable(t *testing.T) {
	t.Parallel()
	s := newSession()
	assert.Equal(t, "0\n", s.run(t, "echo $?"), "nothing ran yet")
	s.fail(t, "nosuch", 127)
	assert.Equal(t, "127\n", s.run(t, "echo $?"))
	assert.Equal(t, "0\n", s.run(t, "echo $?"), "the echo before succeeded")
	s.fail(t, "cat", 2)
	assert.Equal(t, "status=2 2\n", s.run(t, `echo "status=$?" $?`))
	s.fail(t, "unset nosuch", 1)
	assert.Equal(t, "$? $? 1\n", s.run(t, `echo '$?' \$? $? | grep $?`), "quoted and escaped: no expansion; every stage sees the status before the pipeline")
	assert.Equal(t, "0\n0\n", s.run(t, "echo $?; echo $?"))

	s.sh.KeepGoing = true
	s.out.Reset()
	assert.False(t, s.exec("nosuch; echo $?"))
	assert.Equal(t, "127\n", s.out.String(), "with -k the line goes on and sees the failure")
}

func TestKeepGoing(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := writeFile(t, dir, "pipe.xml", pipeAdv)
	imp := "importfile " + q(in)

	tests := []struct {
		name      string
		keepGoing bool
		script    string
		status    int
		vars      []string
	}{
		{"stops by default", false, "nosuch\n" + imp + " a\n", 127, []string{}},
		{"keeps going", true, "nosuch\n" + imp + " a\n", 0, []string{"a"}},
		{"status of the last command", true, imp + " a\ncat\n", 2, []string{"a"}},
		{"keeps going within a line", true, "nosuch; " + imp + " a; cat; " + imp + " b\n", 0, []string{"a", "b"}},
		{"set -k in the script", false, "set -k\nnosuch\n" + imp + " a\n", 0, []string{"a"}},
		{"set +k in the script", true, "nosuch\nset +k\nnosuch\n" + imp + " a\n", 127, []string{}},
		{"exit keeps the failed status", true, "nosuch\nexit\n" + imp + " a\n", 127, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSession()
			s.sh.KeepGoing = tt.keepGoing
			assert.Equal(t, tt.status, s.sh.RunScript(strings.NewReader(tt.script)), s.err.String())
			assert.Equal(t, tt.vars, s.sh.Env.Names())
		})
	}
}

func TestEcho(t *testing.T) {
	t.Parallel()

	t.Run("set -x echoes each command", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.run(t, "set -x")
		assert.Equal(t, "JXTA> echo hi\nhi\n", s.run(t, "echo hi"))
		out := s.run(t, `x = echo "a b" 'c|d' | cat; echo $?`)
		assert.Equal(t, "JXTA> x = echo \"a b\" \"c|d\" | cat\na b c|d\nJXTA> echo 0\n0\n", out)
		s.fail(t, "nosuch arg", 127)
		assert.Equal(t, "JXTA> nosuch arg\n", s.out.String(), "an unknown command is echoed too")
		s.run(t, "set +x")
		assert.Equal(t, "hi\n", s.run(t, "echo hi"))
	})

	t.Run("any variable named echo", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		assert.Equal(t, "on\n", s.run(t, "echo = echo on"))
		assert.Equal(t, "JXTA> env\necho = \"text\" [text]\n", s.run(t, "env"))
		s.run(t, "unset echo")
		assert.Equal(t, "x\n", s.run(t, "echo x"))
	})

	t.Run("echoed words read back", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.run(t, "set -x")
		line := `echo "a \"b\"" 'x;y' "\$?" #z`
		out := lines(s.run(t, line))
		require.Len(t, out, 2)
		echoed := strings.TrimPrefix(out[0], shell.Prompt)
		s.run(t, "set +x")
		assert.Equal(t, s.run(t, line), s.run(t, echoed), "the echoed line %s runs as the line", echoed)
	})
}
