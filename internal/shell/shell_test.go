package shell_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
	"github.com/gojxta/gojxta/internal/shell"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pipeAdv is a small valid pipe advertisement.
const pipeAdv = `<?xml version="1.0"?>
<!DOCTYPE jxta:PipeAdvertisement>
<jxta:PipeAdvertisement xmlns:jxta="http://jxta.org">
  <Id>urn:jxta:uuid-59616261646162614E50472050325033D1D1D1D1D1D1D1D1D1D1D1D1D1D1D1D104</Id>
  <Type>JxtaUnicast</Type>
  <Name>demo</Name>
</jxta:PipeAdvertisement>
`

const pipeID = "urn:jxta:uuid-59616261646162614E50472050325033D1D1D1D1D1D1D1D1D1D1D1D1D1D1D1D104"

// noIDAdv is well-formed but lacks the required Id; the root is on line 3.
const noIDAdv = `<?xml version="1.0"?>
<!DOCTYPE jxta:PipeAdvertisement>
<jxta:PipeAdvertisement xmlns:jxta="http://jxta.org">
  <Type>JxtaUnicast</Type>
  <Name>demo</Name>
</jxta:PipeAdvertisement>
`

// malformedAdv is not well-formed: the end tag on line 6 does not match.
const malformedAdv = `<?xml version="1.0"?>
<!DOCTYPE jxta:PipeAdvertisement>
<jxta:PipeAdvertisement xmlns:jxta="http://jxta.org">
  <Id>urn:jxta:uuid-59616261646162614E50472050325033D1D1D1D1D1D1D1D1D1D1D1D1D1D1D1D104</Id>
  <Type>JxtaUnicast</Type>
  <Name>demo</Nome>
</jxta:PipeAdvertisement>
`

// brokenEmbeddedQuery is a readable discovery query whose PeerAdv (line 6)
// flattens a pipe advertisement without an Id: importfile reads it,
// validate rejects it.
const brokenEmbeddedQuery = `<?xml version="1.0"?>
<!DOCTYPE jxta:DiscoveryQuery>
<jxta:DiscoveryQuery xmlns:jxta="http://jxta.org">
  <Type>0</Type>
  <Threshold>10</Threshold>
  <PeerAdv>&lt;?xml version="1.0"?&gt;&lt;jxta:PipeAdvertisement xmlns:jxta="http://jxta.org"&gt;&lt;Name&gt;x&lt;/Name&gt;&lt;/jxta:PipeAdvertisement&gt;</PeerAdv>
  <Attr>Name</Attr>
  <Value>x</Value>
</jxta:DiscoveryQuery>
`

// compactPrefix starts every document exportfile and cat write.
const compactPrefix = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE "

// allCommands is the built-in command table, sorted.
var allCommands = []string{
	"cat", "chpgrp", "clear", "close", "dial", "echo", "env", "exit", "exportfile", "flush", "get", "grep",
	"groups", "help", "history", "importfile", "info", "join", "leave", "listen", "man", "mkmsg", "mkpipe",
	"more", "newmoduleclass", "newmodulespec", "newpgrp", "newpipe", "peerinfo", "peers", "ping",
	"publish", "put", "rdvcontrol", "rdvstatus", "recv", "remotepublish", "route", "search", "send",
	"set", "sleep", "stats", "talk", "transports", "unset", "validate", "version", "wc", "whoami", "xfer",
}

// session is a shell writing to buffers.
type session struct {
	sh       *shell.Shell
	out, err *bytes.Buffer
}

func newSession() *session {
	var out, errb bytes.Buffer
	return &session{sh: shell.New(&out, &errb), out: &out, err: &errb}
}

// exec runs one command line and returns its success.
func (s *session) exec(line string) bool { return s.sh.Exec(line) }

// errLines returns the lines written to the error output.
func (s *session) errLines() []string { return lines(s.err.String()) }

func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// q quotes a path for a command line.
func q(path string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`)
	return `"` + r.Replace(path) + `"`
}

func writeFile(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	require.NoError(t, os.WriteFile(p, []byte(content), 0o644))
	return p
}

func TestCommandTable(t *testing.T) {
	t.Parallel()
	sh := shell.New(&bytes.Buffer{}, &bytes.Buffer{})
	require.Equal(t, allCommands, sh.CommandNames())
	for _, name := range allCommands {
		c := sh.Command(name)
		require.NotNil(t, c, name)
		assert.Equal(t, name, c.Name)
		assert.True(t, strings.HasPrefix(c.Synopsis, name), "synopsis %q starts with the name", c.Synopsis)
		assert.NotEmpty(t, c.Summary, name)
		assert.Contains(t, c.Details, "Example:", "man %s has an example", name)
		assert.NotNil(t, c.Run, name)
	}
	assert.Nil(t, sh.Command("nosuch"))
}

func TestMan(t *testing.T) {
	t.Parallel()

	t.Run("lists every command", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		require.True(t, s.exec("man"), s.err.String())
		assert.Equal(t, 0, s.sh.Status())
		got := lines(s.out.String())
		require.Len(t, got, 1+len(allCommands)+1, "a title, the commands, the pointer to man syntax")
		assert.Contains(t, got[0], "man <command>")
		assert.Contains(t, got[len(got)-1], "man syntax")
		for i, name := range allCommands {
			fields := strings.Fields(got[i+1])
			require.NotEmpty(t, fields)
			assert.Equal(t, name, fields[0])
			assert.Contains(t, got[i+1], s.sh.Command(name).Summary)
		}
		assert.Empty(t, s.err.String())
	})

	t.Run("man cat shows the synopsis", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		require.True(t, s.exec("man cat"), s.err.String())
		out := s.out.String()
		assert.True(t, strings.HasPrefix(out, "NAME\n    cat - "), out)
		assert.Contains(t, out, "\nSYNOPSIS\n    cat [-p] [var]\n")
		assert.Contains(t, out, "\nDESCRIPTION\n")
		assert.Contains(t, out, "-p")
		assert.Contains(t, out, "Example:")
	})

	for _, name := range allCommands {
		t.Run("man "+name, func(t *testing.T) {
			t.Parallel()
			s := newSession()
			require.True(t, s.exec("man "+name), s.err.String())
			c := s.sh.Command(name)
			assert.Contains(t, s.out.String(), "SYNOPSIS\n    "+c.Synopsis+"\n")
			assert.Contains(t, s.out.String(), name+" - "+c.Summary)
		})
	}

	t.Run("unknown entry", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		assert.False(t, s.exec("man nosuch"))
		assert.Equal(t, 1, s.sh.Status())
		assert.Empty(t, s.out.String())
		require.Len(t, s.errLines(), 1)
		assert.Contains(t, s.err.String(), `"nosuch"`)
	})
}

func TestValidate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := writeFile(t, dir, "pipe.xml", pipeAdv)
	noID := writeFile(t, dir, "noid.xml", noIDAdv)
	malformed := writeFile(t, dir, "malformed.xml", malformedAdv)
	embedded := writeFile(t, dir, "query.xml", brokenEmbeddedQuery)
	empty := writeFile(t, dir, "empty.xml", "")
	missing := filepath.Join(dir, "missing.xml")
	subdir := filepath.Join(dir, "sub")
	require.NoError(t, os.Mkdir(subdir, 0o755))

	tests := []struct {
		name string
		file string
		ok   bool
		want []string // substrings of the FAIL line
	}{
		{"valid pipe advertisement", good, true, nil},
		{"missing Id", noID, false, []string{"line 3", "Id"}},
		{"malformed XML", malformed, false, []string{"line 6", "Nome"}},
		{"broken embedded document", embedded, false, []string{"line 6", "PeerAdv", "embedded document", "Id"}},
		{"empty file", empty, false, []string{"line"}},
		{"missing file", missing, false, nil},
		{"directory", subdir, false, []string{"directory"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSession()
			ok := s.exec("validate " + q(tt.file))
			out := lines(s.out.String())
			require.Len(t, out, 1, "one line per file")
			if tt.ok {
				assert.True(t, ok)
				assert.Equal(t, 0, s.sh.Status())
				assert.Equal(t, "OK jxta:PipeAdvertisement "+pipeID+" "+tt.file, out[0])
				assert.Empty(t, s.err.String())
				return
			}
			assert.False(t, ok)
			assert.NotEqual(t, 0, s.sh.Status())
			prefix := "FAIL " + tt.file + ": "
			require.True(t, strings.HasPrefix(out[0], prefix), "%q starts with %q", out[0], prefix)
			for _, w := range tt.want {
				assert.Contains(t, out[0], w)
			}
			assert.Equal(t, []string{"validate: 1 of 1 documents failed"}, s.errLines())
		})
	}

	t.Run("several files", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		assert.False(t, s.exec(strings.Join([]string{"validate", q(good), q(noID), q(good), q(malformed)}, " ")))
		assert.Equal(t, 1, s.sh.Status())
		out := lines(s.out.String())
		require.Len(t, out, 4, "one line per file, in order")
		assert.True(t, strings.HasPrefix(out[0], "OK "))
		assert.True(t, strings.HasPrefix(out[1], "FAIL "+noID+": "))
		assert.True(t, strings.HasPrefix(out[2], "OK "))
		assert.True(t, strings.HasPrefix(out[3], "FAIL "+malformed+": "))
		assert.Equal(t, []string{"validate: 2 of 4 documents failed"}, s.errLines())
	})

	t.Run("all valid", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		assert.True(t, s.exec("validate "+q(good)+" "+q(good)))
		assert.Equal(t, 0, s.sh.Status())
		assert.Len(t, lines(s.out.String()), 2)
	})

	t.Run("importfile reads what validate rejects", func(t *testing.T) {
		t.Parallel()
		// Parse does not look inside flattened documents; Validate does.
		s := newSession()
		require.True(t, s.exec("importfile "+q(embedded)), s.err.String())
		assert.Equal(t, "env0 = jxta:DiscoveryQuery\n", s.out.String())
	})
}

// TestValidateUnknownTypes checks that validate fails well-formed XML that
// is no JXTA document type gojxta knows, and that -u accepts it unchecked.
func TestValidateUnknownTypes(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	foo := writeFile(t, dir, "foo.xml", "<foo/>")
	bogus := writeFile(t, dir, "bogus.xml", `<jxta:Bogus xmlns:jxta="http://jxta.org"/>`)
	good := writeFile(t, dir, "pipe.xml", pipeAdv)

	s := newSession()
	s.fail(t, "validate "+q(foo)+" "+q(bogus)+" "+q(good), 1)
	assert.Equal(t, []string{
		"FAIL " + foo + ": <foo>: not a JXTA document type that gojxta knows (validate -u accepts it unchecked)",
		"FAIL " + bogus + ": <jxta:Bogus>: not a JXTA document type that gojxta knows (validate -u accepts it unchecked)",
		"OK jxta:PipeAdvertisement " + pipeID + " " + good,
	}, lines(s.out.String()))
	assert.Equal(t, []string{"validate: 2 of 3 documents failed"}, s.errLines())

	for _, opt := range []string{"-u", "--unknown"} {
		s := newSession()
		assert.Equal(t, "OK (unknown type, not checked) foo - "+foo+"\n"+
			"OK (unknown type, not checked) jxta:Bogus - "+bogus+"\n"+
			"OK jxta:PipeAdvertisement "+pipeID+" "+good+"\n",
			s.run(t, "validate "+opt+" "+q(foo)+" "+q(bogus)+" "+q(good)))
	}

	s = newSession()
	s.fail(t, "echo '<foo/>' | validate", 1)
	assert.Equal(t, "FAIL -: <foo>: not a JXTA document type that gojxta knows (validate -u accepts it unchecked)\n", s.out.String())
	s = newSession()
	assert.Equal(t, "OK (unknown type, not checked) foo - -\n", s.run(t, "echo '<foo/>' | validate -u"))
}

// TestValidateVariables checks that validate checks the document a
// variable holds, and prefers the variable to a file of the same name. It
// changes directory, so it does not run in parallel.
func TestValidateVariables(t *testing.T) {
	dir := t.TempDir()
	good := writeFile(t, dir, "pipe.xml", pipeAdv)
	writeFile(t, dir, "p", "<foo/>") // a file named as the variable

	s := newSession()
	s.sh.Env.Set("t", "text", "<jxta:Bogus/>")
	require.True(t, s.exec("importfile "+q(good)+" p"), s.err.String())
	s.out.Reset()
	t.Chdir(dir)
	assert.Equal(t, "OK jxta:PipeAdvertisement "+pipeID+" p\n", s.run(t, "validate p"))
	s.fail(t, "validate ./p", 1)
	assert.Equal(t, "FAIL ./p: <foo>: not a JXTA document type that gojxta knows (validate -u accepts it unchecked)\n",
		s.out.String(), "./p names the file")
	s.fail(t, "validate t", 1)
	assert.Equal(t, "FAIL t: <jxta:Bogus>: not a JXTA document type that gojxta knows (validate -u accepts it unchecked)\n",
		s.out.String(), "text is read as a document")
}

func TestImportFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := writeFile(t, dir, "pipe.xml", pipeAdv)
	noID := writeFile(t, dir, "noid.xml", noIDAdv)
	malformed := writeFile(t, dir, "malformed.xml", malformedAdv)

	t.Run("automatic names", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		for _, line := range []string{
			"importfile " + q(good),
			"importfile " + q(good),
			"named = importfile " + q(good),
			"importfile " + q(good) + " other",
			"importfile " + q(good),
		} {
			require.True(t, s.exec(line), "%s: %s", line, s.err.String())
		}
		assert.Equal(t, "env0 = jxta:PipeAdvertisement\n"+
			"env1 = jxta:PipeAdvertisement\n"+
			"named = jxta:PipeAdvertisement\n"+
			"other = jxta:PipeAdvertisement\n"+
			"env2 = jxta:PipeAdvertisement\n", s.out.String())
		assert.Equal(t, []string{"env0", "env1", "env2", "named", "other"}, s.sh.Env.Names())
		v := s.sh.Env.Get("env0")
		require.NotNil(t, v)
		p, ok := v.Value.(*advert.PipeAdv)
		require.True(t, ok, "env0 holds a %T", v.Value)
		assert.Equal(t, pipeID, p.ID().String())
		assert.Equal(t, "demo", p.Name)
		assert.Equal(t, advert.PipeUnicast, p.Type)
		assert.Contains(t, v.Description, good)
	})

	t.Run("automatic names skip taken names", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		require.True(t, s.exec("importfile "+q(good)+" env0; env1=importfile "+q(good)+"; importfile "+q(good)))
		assert.Equal(t, []string{"env0", "env1", "env2"}, s.sh.Env.Names())
		assert.True(t, strings.HasSuffix(s.out.String(), "env2 = jxta:PipeAdvertisement\n"), s.out.String())
	})

	t.Run("assignment forms", func(t *testing.T) {
		t.Parallel()
		for _, line := range []string{
			"x = importfile " + q(good),
			"x=importfile " + q(good),
			"x= importfile " + q(good),
			"importfile " + q(good) + " x",
		} {
			s := newSession()
			require.True(t, s.exec(line), "%s: %s", line, s.err.String())
			assert.Equal(t, []string{"x"}, s.sh.Env.Names(), line)
			assert.Equal(t, "x = jxta:PipeAdvertisement\n", s.out.String(), line)
		}
	})

	t.Run("replaces a variable", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.sh.Env.Set("x", "a string", "hello")
		require.True(t, s.exec("importfile "+q(good)+" x"))
		_, ok := s.sh.Env.Get("x").Value.(*advert.PipeAdv)
		assert.True(t, ok)
	})

	failures := []struct {
		name   string
		line   string
		status int
		want   []string
	}{
		{"missing file", "importfile " + q(filepath.Join(dir, "missing.xml")), 1, []string{"missing.xml"}},
		{"directory", "importfile " + q(dir), 1, []string{"directory"}},
		{"missing Id", "importfile " + q(noID), 1, []string{noID, "line 3", "Id"}},
		{"malformed XML", "importfile " + q(malformed), 1, []string{malformed, "line 6"}},
		{"named, broken", "x = importfile " + q(malformed), 1, []string{malformed}},
		{"no file", "importfile", 2, []string{"usage: importfile FILE [var]"}},
		{"too many arguments", "importfile " + q(good) + " x y", 2, []string{"usage: importfile FILE [var]"}},
		{"bad variable name", "importfile " + q(good) + " 1x", 2, []string{`"1x"`, "usage: importfile FILE [var]"}},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSession()
			assert.False(t, s.exec(tt.line))
			assert.Equal(t, tt.status, s.sh.Status())
			assert.Empty(t, s.sh.Env.Names(), "nothing stored")
			assert.Empty(t, s.out.String())
			require.NotEmpty(t, s.errLines())
			assert.True(t, strings.HasPrefix(s.err.String(), "importfile: "), s.err.String())
			for _, w := range tt.want {
				assert.Contains(t, s.err.String(), w)
			}
		})
	}
}

func TestExportFileRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := writeFile(t, dir, "pipe.xml", pipeAdv)
	out := filepath.Join(dir, "exported.xml")

	s := newSession()
	require.True(t, s.exec("importfile "+q(in)), s.err.String())
	require.True(t, s.exec("exportfile "+q(out)+" env0"), s.err.String())
	assert.Equal(t, "env0 = jxta:PipeAdvertisement\n", s.out.String(), "exportfile prints nothing")

	data, err := os.ReadFile(out)
	require.NoError(t, err)
	text := string(data)
	assert.True(t, strings.HasPrefix(text, compactPrefix+"jxta:PipeAdvertisement>\n"), text)
	assert.Contains(t, text, "<jxta:PipeAdvertisement ")
	root := text[strings.Index(text, "<jxta:PipeAdvertisement"):]
	root = root[:strings.Index(root, ">")]
	assert.Contains(t, root, `xml:space="preserve"`)
	assert.Contains(t, root, `xmlns:jxta="http://jxta.org"`)
	assert.NotContains(t, text, "\t", "compact form is not indented")
	assert.NotContains(t, text, "  <", "compact form is not indented")

	orig := s.sh.Env.Get("env0").Value.(advert.Advertisement)
	assert.Equal(t, advert.Marshal(orig), data, "exportfile writes advert.Marshal")

	s.out.Reset()
	require.True(t, s.exec("validate "+q(out)), s.out.String()+s.err.String())
	assert.Equal(t, "OK jxta:PipeAdvertisement "+pipeID+" "+out+"\n", s.out.String())

	require.True(t, s.exec("back = importfile "+q(out)), s.err.String())
	back, ok := s.sh.Env.Get("back").Value.(advert.Advertisement)
	require.True(t, ok)
	assert.Equal(t, string(advert.Marshal(orig)), string(advert.Marshal(back)))

	// Exporting again overwrites the file with the same bytes.
	require.True(t, s.exec("exportfile "+q(out)+" back"), s.err.String())
	again, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, data, again)
}

func TestExportFileText(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	tests := []struct {
		name string
		line string
		want string
	}{
		{"a string variable", "exportfile %s str", "hello\n"},
		{"bytes as they are", "exportfile %s raw", "a\x00b"},
		{"the text of a pipe", "cat str | grep ell | exportfile %s", "hello\n"},
		{"a piped string", "echo one two | exportfile %s", "one two\n"},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(dir, fmt.Sprintf("out%d.txt", i))
			s := newSession()
			s.sh.Env.Set("str", "a string", "hello")
			s.sh.Env.Set("raw", "bytes", []byte("a\x00b"))
			assert.Empty(t, s.run(t, fmt.Sprintf(tt.line, q(out))))
			data, err := os.ReadFile(out)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(data))
		})
	}
}

func TestExportFileErrors(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := writeFile(t, dir, "pipe.xml", pipeAdv)
	tests := []struct {
		name   string
		line   string
		status int
		want   string
	}{
		{"no such variable", "exportfile " + q(filepath.Join(dir, "o.xml")) + " nosuch", 1, `"nosuch"`},
		{"not printable", "exportfile " + q(filepath.Join(dir, "o.xml")) + " n", 1, "cannot be printed"},
		{"directory missing", "exportfile " + q(filepath.Join(dir, "no", "dir", "o.xml")) + " env0", 1, "o.xml"},
		{"no variable and no input", "exportfile " + q(filepath.Join(dir, "o.xml")), 2, "usage: exportfile FILE [var]"},
		{"no arguments", "exportfile", 2, "usage: exportfile FILE [var]"},
		{"too many arguments", "exportfile a b c", 2, "usage: exportfile FILE [var]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSession()
			require.True(t, s.exec("importfile "+q(in)), s.err.String())
			s.sh.Env.Set("n", "a number", 42)
			assert.False(t, s.exec(tt.line))
			assert.Equal(t, tt.status, s.sh.Status())
			assert.True(t, strings.HasPrefix(s.err.String(), "exportfile: "), s.err.String())
			assert.Contains(t, s.err.String(), tt.want)
			_, err := os.Stat(filepath.Join(dir, "o.xml"))
			assert.ErrorIs(t, err, os.ErrNotExist, "no file written")
		})
	}
}

// stringer is a value cat prints with its String method.
type stringer struct{}

func (stringer) String() string { return "a stringer" }

func TestCat(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := writeFile(t, dir, "pipe.xml", pipeAdv)
	load := func(t *testing.T) (*session, advert.Advertisement) {
		t.Helper()
		s := newSession()
		require.True(t, s.exec("importfile "+q(in)), s.err.String())
		s.out.Reset()
		a, ok := s.sh.Env.Get("env0").Value.(advert.Advertisement)
		require.True(t, ok)
		return s, a
	}

	t.Run("compact", func(t *testing.T) {
		t.Parallel()
		s, a := load(t)
		require.True(t, s.exec("cat env0"), s.err.String())
		assert.Equal(t, string(advert.Marshal(a)), s.out.String())
		assert.True(t, strings.HasPrefix(s.out.String(), compactPrefix), s.out.String())
		assert.NotContains(t, s.out.String(), "\t")
	})

	t.Run("indented", func(t *testing.T) {
		t.Parallel()
		s, a := load(t)
		require.True(t, s.exec("cat -p env0"), s.err.String())
		out := s.out.String()
		assert.Equal(t, string(advert.MarshalIndent(a)), out)
		assert.NotEqual(t, string(advert.Marshal(a)), out)
		ls := lines(out)
		assert.Contains(t, ls, "\t<Id>"+pipeID+"</Id>")
		assert.Contains(t, ls, "\t<Type>JxtaUnicast</Type>")
		assert.Contains(t, ls, "\t<Name>demo</Name>")
		assert.Equal(t, "</jxta:PipeAdvertisement>", ls[len(ls)-1])
		for _, l := range ls {
			assert.False(t, strings.HasPrefix(l, " "), "indented with tabs, not blanks: %q", l)
		}
		// The indented form reads back as the same advertisement.
		back, err := advert.Parse([]byte(out))
		require.NoError(t, err)
		assert.Equal(t, advert.Marshal(a), advert.Marshal(back))
	})

	t.Run("string", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.sh.Env.Set("s", "", "hello world")
		require.True(t, s.exec("cat s"))
		assert.Equal(t, "hello world\n", s.out.String())
	})

	t.Run("stringer", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		s.sh.Env.Set("s", "", stringer{})
		require.True(t, s.exec("cat s"))
		assert.Equal(t, "a stringer\n", s.out.String())
	})

	failures := []struct {
		name   string
		line   string
		status int
		want   []string
	}{
		{"no such variable", "cat nosuch", 1, []string{`"nosuch"`}},
		{"not printable", "cat n", 1, []string{"n holds a value of an unknown kind, which cannot be printed", "cannot be printed"}},
		{"no variable", "cat", 2, []string{"usage: cat [-p] [var]"}},
		{"only -p", "cat -p", 2, []string{"usage: cat [-p] [var]"}},
		{"two variables", "cat env0 env0", 2, []string{"usage: cat [-p] [var]"}},
		{"bad option", "cat -x env0", 2, []string{"-x", "usage: cat [-p] [var]"}},
		{"help option", "cat -h env0", 2, []string{"-h", "man cat", "usage: cat [-p] [var]"}},
	}
	for _, tt := range failures {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s, _ := load(t)
			s.sh.Env.Set("n", "", 42)
			assert.False(t, s.exec(tt.line))
			assert.Equal(t, tt.status, s.sh.Status())
			assert.Empty(t, s.out.String())
			assert.True(t, strings.HasPrefix(s.err.String(), "cat: "), s.err.String())
			for _, w := range tt.want {
				assert.Contains(t, s.err.String(), w)
			}
		})
	}
}

func TestEnvCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := writeFile(t, dir, "pipe.xml", pipeAdv)

	t.Run("empty", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		require.True(t, s.exec("env"))
		assert.Empty(t, s.out.String())
	})

	t.Run("lists variables with their type", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		require.True(t, s.exec("importfile "+q(in)+"; mine = importfile "+q(in)), s.err.String())
		s.sh.Env.Set("greeting", "a greeting", "hello")
		s.out.Reset()
		require.True(t, s.exec("env"))
		desc := fmt.Sprintf("%q", "jxta:PipeAdvertisement imported from "+in)
		assert.Equal(t, []string{
			"env0 = " + desc + " [pipe advertisement]",
			`greeting = "a greeting" [text]`,
			"mine = " + desc + " [pipe advertisement]",
		}, lines(s.out.String()))
	})

	t.Run("takes no arguments", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		assert.False(t, s.exec("env x"))
		assert.Equal(t, 2, s.sh.Status())
		assert.Equal(t, []string{"env: takes no arguments", "usage: env"}, s.errLines())
	})
}

func TestExit(t *testing.T) {
	t.Parallel()

	t.Run("stops the line", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		assert.False(t, s.sh.Exited())
		assert.True(t, s.exec("exit; man; nosuch"))
		assert.True(t, s.sh.Exited())
		assert.Equal(t, 0, s.sh.Status())
		assert.Empty(t, s.out.String(), "nothing after exit runs")
		assert.Empty(t, s.err.String())
	})

	t.Run("takes no arguments", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		assert.False(t, s.exec("exit now"))
		assert.False(t, s.sh.Exited())
		assert.Equal(t, 2, s.sh.Status())
		assert.Equal(t, []string{"exit: takes no arguments", "usage: exit"}, s.errLines())
	})
}

func TestUnknownCommand(t *testing.T) {
	t.Parallel()
	s := newSession()
	assert.False(t, s.exec("frobnicate x; man"))
	assert.Equal(t, 127, s.sh.Status())
	assert.Empty(t, s.out.String(), "the rest of the line does not run")
	errs := s.errLines()
	require.Len(t, errs, 1, "one-line error")
	assert.True(t, strings.HasPrefix(errs[0], "frobnicate: "), errs[0])
	assert.Contains(t, errs[0], "unknown command")
	assert.Contains(t, errs[0], "man", "points to the command list")
}

// TestUsageErrors checks that bad arguments and options print a one-line
// error and the synopsis, with status 2.
func TestUsageErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		line     string
		synopsis string
	}{
		{"validate", "validate [-u | --unknown] [FILE | var]..."},
		{"importfile", "importfile FILE [var]"},
		{"importfile a b c", "importfile FILE [var]"},
		{"importfile a.xml 9", "importfile FILE [var]"},
		{"exportfile a.xml", "exportfile FILE [var]"},
		{"cat", "cat [-p] [var]"},
		{"cat -x v", "cat [-p] [var]"},
		{"cat --pretty v", "cat [-p] [var]"},
		{"cat -h v", "cat [-p] [var]"},
		{"env -x", "env"},
		{"man a b", "man [command | syntax]"},
		{"exit 1", "exit"},
	}
	for _, tt := range tests {
		t.Run(tt.line, func(t *testing.T) {
			t.Parallel()
			s := newSession()
			assert.False(t, s.exec(tt.line+"; man"))
			assert.Equal(t, 2, s.sh.Status())
			assert.Empty(t, s.out.String(), "the rest of the line does not run")
			errs := s.errLines()
			require.Len(t, errs, 2, "an error line and the synopsis")
			name := strings.Fields(tt.line)[0]
			assert.True(t, strings.HasPrefix(errs[0], name+": "), errs[0])
			assert.Equal(t, "usage: "+tt.synopsis, errs[1])
		})
	}
}

func TestExecParseError(t *testing.T) {
	t.Parallel()
	s := newSession()
	assert.False(t, s.exec(`man; man "cat`))
	assert.Equal(t, 2, s.sh.Status())
	assert.Empty(t, s.out.String(), "nothing runs from a line that does not parse")
	errs := s.errLines()
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0], "unterminated quote")
}

func TestRunScript(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	in := writeFile(t, dir, "pipe.xml", pipeAdv)
	bad := writeFile(t, dir, "noid.xml", noIDAdv)
	imp := "importfile " + q(in)

	tests := []struct {
		name   string
		script string
		status int
		exited bool
		vars   []string // variables set when the script ends
	}{
		{"empty", "", 0, false, []string{}},
		{"comments and blank lines", "# a script\n\n   \n" + imp + " # load\n", 0, false, []string{"env0"}},
		{"several lines", imp + "\n" + imp + " b\nc = " + imp + "\n", 0, false, []string{"b", "c", "env0"}},
		{"no final newline", imp + "\n" + imp, 0, false, []string{"env0", "env1"}},
		{"CRLF lines", imp + " a\r\n" + imp + " b\r\n", 0, false, []string{"a", "b"}},
		{"semicolons", imp + " a; " + imp + " b\n", 0, false, []string{"a", "b"}},
		{"exit stops the script", imp + " a\nexit\n" + imp + " b\n", 0, true, []string{"a"}},
		{"exit stops the line", imp + " a; exit; " + imp + " b\n", 0, true, []string{"a"}},
		{"unknown command stops", imp + " a\nnosuch\n" + imp + " b\n", 127, false, []string{"a"}},
		{"failure stops the line", imp + " a; validate " + q(bad) + "; " + imp + " b\n" + imp + " c\n", 1, false, []string{"a"}},
		{"failed import stops", "importfile " + q(bad) + " a\n" + imp + " b\n", 1, false, []string{}},
		{"usage error stops", "cat\n" + imp + " b\n", 2, false, []string{}},
		{"parse error stops", imp + " a\ncat \"a\n" + imp + " b\n", 2, false, []string{"a"}},
		{"exit after failure never runs", "nosuch\nexit\n", 127, false, []string{}},
		{"a failing condition goes on", "echo a | grep z && " + imp + " x\n" + imp + " a\n", 0, false, []string{"a"}},
		{"a failing condition before || goes on", "echo a | grep z || " + imp + " a\n", 0, false, []string{"a"}},
		{"the last of a list stops", "echo && nosuch\n" + imp + " a\n", 127, false, []string{}},
		{"the last of a list after || stops", "nosuch || cat\n" + imp + " a\n", 2, false, []string{}},
		{"skipped last of a list leaves the status", "nosuch && echo\n", 127, false, []string{}},
		{"a semicolon after a failed condition", "echo a | grep z && echo; " + imp + " a\n", 0, false, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newSession()
			status := s.sh.RunScript(strings.NewReader(tt.script))
			assert.Equal(t, tt.status, status, "stderr: %s", s.err.String())
			assert.Equal(t, tt.exited, s.sh.Exited())
			assert.Equal(t, tt.vars, s.sh.Env.Names())
			assert.NotContains(t, s.out.String(), shell.Prompt, "no prompt in scripts")
			if tt.status == 0 {
				assert.Empty(t, s.err.String())
			} else {
				assert.NotEmpty(t, s.err.String())
			}
		})
	}

	t.Run("line too long", func(t *testing.T) {
		t.Parallel()
		s := newSession()
		status := s.sh.RunScript(strings.NewReader(imp + "\n# " + strings.Repeat("x", 2<<20) + "\n" + imp + " b\n"))
		assert.NotEqual(t, 0, status)
		assert.Equal(t, []string{"env0"}, s.sh.Env.Names())
		assert.Contains(t, s.err.String(), "reading commands")
	})
}

func TestEnv(t *testing.T) {
	t.Parallel()
	s := newSession()
	e := s.sh.Env
	assert.Nil(t, e.Get("x"))
	assert.Empty(t, e.Names())

	v := e.Set("x", "first", 1)
	require.NotNil(t, v)
	assert.Equal(t, &shell.Var{Name: "x", Description: "first", Value: 1}, v)
	assert.Same(t, v, e.Get("x"))
	e.Set("x", "second", "two")
	assert.Equal(t, "second", e.Get("x").Description)
	assert.Equal(t, "two", e.Get("x").Value)

	e.Set("b", "", nil)
	e.Set("a", "", nil)
	assert.Equal(t, []string{"a", "b", "x"}, e.Names())

	assert.True(t, e.Unset("b"))
	assert.False(t, e.Unset("b"))
	assert.Nil(t, e.Get("b"))
	assert.Equal(t, []string{"a", "x"}, e.Names())

	// Automatic names count per prefix and skip names in use.
	assert.Equal(t, "env0", e.NextName("env"))
	e.Set("env2", "", nil)
	assert.Equal(t, "env1", e.NextName("env"))
	assert.Equal(t, "env3", e.NextName("env"))
	assert.Equal(t, "peer0", e.NextName("peer"))
	assert.Equal(t, "adv0", e.NextName("adv"))
	assert.Equal(t, "peer1", e.NextName("peer"))
}

func TestRegister(t *testing.T) {
	t.Parallel()
	s := newSession()
	var got []string
	s.sh.Register(&shell.Command{
		Name:     "mk",
		Synopsis: "mk [-n N] word",
		Summary:  "store a word",
		Details:  "Stores word.\n\nExample:\n    mk hello",
		Run: func(c *shell.Call) error {
			fs := c.Flags()
			n := fs.Int("n", 1, "repeat")
			args, err := c.Parse(fs)
			if err != nil {
				return err
			}
			if len(args) != 1 {
				return shell.Usagef("want one word, got %d", len(args))
			}
			got = append(got, c.Assign)
			name := c.Result("adv", "a word", strings.Repeat(args[0], *n))
			fmt.Fprintln(c.Out, name)
			return nil
		},
	})
	assert.Contains(t, s.sh.CommandNames(), "mk")
	assert.Len(t, s.sh.CommandNames(), len(allCommands)+1)

	require.True(t, s.exec("mk a; mk -n 2 b; w = mk c; cat adv1"), s.err.String())
	assert.Equal(t, []string{"", "", "w"}, got)
	assert.Equal(t, "adv0\nadv1\nw\nbb\n", s.out.String())

	s.out.Reset()
	require.True(t, s.exec("man mk"))
	assert.Contains(t, s.out.String(), "SYNOPSIS\n    mk [-n N] word\n")

	assert.False(t, s.exec("mk -n x a"))
	assert.Equal(t, 2, s.sh.Status())
	assert.Contains(t, s.err.String(), "usage: mk [-n N] word")

	s.err.Reset()
	assert.False(t, s.exec("mk"))
	assert.Equal(t, []string{"mk: want one word, got 0", "usage: mk [-n N] word"}, s.errLines())

	// Registering a command again replaces it.
	s.sh.Register(&shell.Command{Name: "mk", Synopsis: "mk", Run: func(*shell.Call) error { return fmt.Errorf("broken") }})
	s.err.Reset()
	assert.False(t, s.exec("mk a"))
	assert.Equal(t, 1, s.sh.Status())
	assert.Equal(t, []string{"mk: broken"}, s.errLines())
}

// incompleteExamples are the specification examples of ../shared/interop
// whose text stands in for omitted parts: they are not valid documents.
var incompleteExamples = []string{
	"discovery/spec_example_DiscoveryQuery.xml",
	"discovery/spec_example_DiscoveryResponse.xml",
	"resolver/spec_example_ResolverQuery.xml",
	"resolver/spec_example_ResolverResponse.xml",
	"resolver/spec_example_ResolverSRDI.xml",
}

// unknownInterop are the documents of ../shared/interop whose type gojxta
// does not know: validate fails them, and validate -u passes them
// unchecked.
var unknownInterop = map[string]string{
	"config/relayadv_jxtac_whitespace_heavy.xml":          "jxta:RelayAdvertisement",
	"custom/advertisementrecurso_cache_embedded_pipe.xml": "AdvertisementRecurso",
	"custom/contentadv_cache_no_xmlns.xml":                "jxta:ContentAdvertisement",
	"fragments/svc_element_tcp_transport_fragment.xml":    "Svc",
	"messages/spec_example_xml_message_format.xml":        "Message",
}

// TestValidateInterop validates every XML document of ../shared/interop:
// all pass but the incomplete specification examples, which fail with a
// reason that gives the line, and the documents of unknown types, which
// pass unchecked with -u and fail without.
func TestValidateInterop(t *testing.T) {
	t.Parallel()
	files := interop.XMLFiles(t)
	root := interop.Dir(t)
	require.NotEmpty(t, files)

	var incomplete []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		if interop.Incomplete(data) {
			rel, err := filepath.Rel(root, f)
			require.NoError(t, err)
			incomplete = append(incomplete, filepath.ToSlash(rel))
		}
	}
	require.Equal(t, incompleteExamples, incomplete, "the documents marked incomplete")

	isIncomplete := make(map[string]bool)
	for _, rel := range incompleteExamples {
		isIncomplete[filepath.Join(root, filepath.FromSlash(rel))] = true
	}
	for _, f := range files {
		rel, _ := filepath.Rel(root, f)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			t.Parallel()
			s := newSession()
			if typ, unknown := unknownInterop[filepath.ToSlash(rel)]; unknown {
				require.True(t, s.exec("validate -u "+q(f)), s.err.String())
				assert.Equal(t, "OK (unknown type, not checked) "+typ+" - "+f+"\n", s.out.String())
				s.out.Reset()
				require.False(t, s.exec("validate "+q(f)))
				assert.Equal(t, "FAIL "+f+": <"+typ+">: not a JXTA document type that gojxta knows (validate -u accepts it unchecked)\n", s.out.String())
				return
			}
			ok := s.exec("validate " + q(f))
			out := lines(s.out.String())
			require.Len(t, out, 1)
			if isIncomplete[f] {
				assert.False(t, ok)
				assert.Equal(t, 1, s.sh.Status())
				assert.True(t, strings.HasPrefix(out[0], "FAIL "+f+": "), out[0])
				assert.Contains(t, out[0], "line ")
				return
			}
			require.True(t, ok, "%s\n%s", out[0], s.err.String())
			fields := strings.Fields(out[0])
			require.Len(t, fields, 4, out[0])
			assert.Equal(t, "OK", fields[0])
			assert.Equal(t, f, fields[3])
			assert.True(t, fields[2] == "-" || strings.HasPrefix(fields[2], "urn:jxta:"), "primary ID %q", fields[2])
		})
	}
}

// TestRoundTripInterop imports, exports and re-imports every complete
// document of ../shared/interop.
func TestRoundTripInterop(t *testing.T) {
	t.Parallel()
	files := interop.XMLFiles(t)
	root := interop.Dir(t)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		if interop.Incomplete(data) {
			continue
		}
		rel, _ := filepath.Rel(root, f)
		t.Run(filepath.ToSlash(rel), func(t *testing.T) {
			t.Parallel()
			out := filepath.Join(t.TempDir(), "exported.xml")
			s := newSession()
			require.True(t, s.exec("a = importfile "+q(f)+"; exportfile "+q(out)+" a; b = importfile "+q(out)), s.err.String())
			a := s.sh.Env.Get("a").Value.(advert.Advertisement)
			b := s.sh.Env.Get("b").Value.(advert.Advertisement)
			assert.Equal(t, string(advert.Marshal(a)), string(advert.Marshal(b)))
			assert.Equal(t, a.AdvType(), b.AdvType())

			exported, err := os.ReadFile(out)
			require.NoError(t, err)
			// Declaration, DOCTYPE naming the root, then the root.
			text := string(exported)
			require.True(t, strings.HasPrefix(text, compactPrefix), "%.80s", text)
			decl, rest, _ := strings.Cut(text[len(compactPrefix):], "\n")
			rootName, found := strings.CutSuffix(decl, ">")
			require.True(t, found, decl)
			require.True(t, strings.HasPrefix(rest, "<"+rootName), "root %.80s is a %s", rest, rootName)
			tag := rest[:strings.Index(rest, ">")]
			if _, generic := a.(*advert.Generic); !generic {
				// JXSE puts xml:space="preserve" on the root of the
				// advertisements it writes.
				assert.Contains(t, tag, `xml:space="preserve"`)
			}

			s.out.Reset()
			require.True(t, s.exec("validate -u "+q(out)), s.out.String())
			if _, unknown := unknownInterop[filepath.ToSlash(rel)]; unknown {
				assert.True(t, strings.HasPrefix(s.out.String(), "OK (unknown type, not checked) "+a.AdvType()+" "), s.out.String())
			} else {
				assert.True(t, strings.HasPrefix(s.out.String(), "OK "+a.AdvType()+" "), s.out.String())
			}
		})
	}
}
