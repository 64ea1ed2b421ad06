package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
	"github.com/gojxta/gojxta/internal/shell"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const pipeAdv = `<?xml version="1.0"?>
<!DOCTYPE jxta:PipeAdvertisement>
<jxta:PipeAdvertisement xmlns:jxta="http://jxta.org">
  <Id>urn:jxta:uuid-59616261646162614E50472050325033D1D1D1D1D1D1D1D1D1D1D1D1D1D1D1D104</Id>
  <Type>JxtaUnicast</Type>
  <Name>demo</Name>
</jxta:PipeAdvertisement>
`

const pipeID = "urn:jxta:uuid-59616261646162614E50472050325033D1D1D1D1D1D1D1D1D1D1D1D1D1D1D1D104"

// noIDAdv lacks the required Id; the root is on line 3.
const noIDAdv = `<?xml version="1.0"?>
<!DOCTYPE jxta:PipeAdvertisement>
<jxta:PipeAdvertisement xmlns:jxta="http://jxta.org">
  <Name>demo</Name>
</jxta:PipeAdvertisement>
`

// malformedAdv is not well-formed XML: the end tag on line 4 does not match.
const malformedAdv = `<?xml version="1.0"?>
<jxta:PipeAdvertisement xmlns:jxta="http://jxta.org">
  <Id>urn:jxta:uuid-59616261646162614E50472050325033D1D1D1D1D1D1D1D1D1D1D1D1D1D1D1D104</Id>
  <Name>demo</Nome>
</jxta:PipeAdvertisement>
`

// The incomplete specification examples of ../shared/interop.
var incompleteExamples = []string{
	"discovery/spec_example_DiscoveryQuery.xml",
	"discovery/spec_example_DiscoveryResponse.xml",
	"resolver/spec_example_ResolverQuery.xml",
	"resolver/spec_example_ResolverResponse.xml",
	"resolver/spec_example_ResolverSRDI.xml",
}

// fixtures writes the sample documents into a temporary directory.
type fixtures struct {
	dir, good, noID, malformed string
}

func newFixtures(t *testing.T) fixtures {
	t.Helper()
	dir := t.TempDir()
	f := fixtures{
		dir:       dir,
		good:      filepath.Join(dir, "pipe.xml"),
		noID:      filepath.Join(dir, "noid.xml"),
		malformed: filepath.Join(dir, "malformed.xml"),
	}
	require.NoError(t, os.WriteFile(f.good, []byte(pipeAdv), 0o644))
	require.NoError(t, os.WriteFile(f.noID, []byte(noIDAdv), 0o644))
	require.NoError(t, os.WriteFile(f.malformed, []byte(malformedAdv), 0o644))
	return f
}

func (f fixtures) script(t *testing.T, name, text string) string {
	t.Helper()
	p := filepath.Join(f.dir, name)
	require.NoError(t, os.WriteFile(p, []byte(text), 0o644))
	return p
}

// q quotes a path for a command line.
func q(path string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(path) + `"`
}

func lines(s string) []string {
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// runShell calls run in-process.
func runShell(args []string, stdin string) (status int, stdout, stderr string) {
	var out, errb bytes.Buffer
	status = run(args, strings.NewReader(stdin), &out, &errb)
	return status, out.String(), errb.String()
}

// charDevice opens the null device when it is a character device, which
// run takes for a terminal; it skips t otherwise.
func charDevice(t *testing.T) *os.File {
	t.Helper()
	f, err := os.Open(os.DevNull)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	st, err := f.Stat()
	require.NoError(t, err)
	if st.Mode()&os.ModeCharDevice == 0 {
		t.Skipf("%s is not a character device here", os.DevNull)
	}
	return f
}

func TestRun(t *testing.T) {
	t.Parallel()
	f := newFixtures(t)
	imp := "importfile " + q(f.good)
	okScript := f.script(t, "ok.jsh", "# load and show\n"+imp+"\ncat -p env0\nenv\n")
	failScript := f.script(t, "fail.jsh", imp+" a\nvalidate "+q(f.noID)+"\n"+imp+" b\nenv\n")
	exitScript := f.script(t, "exit.jsh", "man\nexit\nnosuch\n")

	tests := []struct {
		name       string
		args       []string
		stdin      string
		status     int
		outHas     []string
		outHasNot  []string
		errHas     []string
		errIsEmpty bool
	}{
		{
			name: "-e runs commands", args: []string{"-e", imp + "; cat env0; env"},
			outHas:     []string{"env0 = jxta:PipeAdvertisement\n", "<Id>" + pipeID + "</Id>", "[pipe advertisement]"},
			errIsEmpty: true,
		},
		{
			name: "-e validate OK", args: []string{"-e", "validate " + q(f.good)},
			outHas:     []string{"OK jxta:PipeAdvertisement " + pipeID + " " + f.good + "\n"},
			errIsEmpty: true,
		},
		{
			name: "-e validate FAIL", args: []string{"-e", "validate " + q(f.good) + " " + q(f.noID) + " " + q(f.malformed)},
			status: 1,
			outHas: []string{"OK jxta:PipeAdvertisement ", "FAIL " + f.noID + ": ", "line 3", "FAIL " + f.malformed + ": ", "line 4"},
			errHas: []string{"2 of 3 documents failed"},
		},
		{
			name: "-e stops at the first failure", args: []string{"-e", imp + " a; validate " + q(f.noID) + "; " + imp + " b; env"},
			status:    1,
			outHas:    []string{"a = jxta:PipeAdvertisement"},
			outHasNot: []string{"b = ", "[pipe advertisement]"},
		},
		{
			name: "-e unknown command", args: []string{"-e", "frobnicate; man"},
			status:    127,
			outHasNot: []string{"Commands"},
			errHas:    []string{"frobnicate: unknown command"},
		},
		{
			name: "-e usage error", args: []string{"-e", "cat"},
			status: 2,
			errHas: []string{"usage: cat [-p] [var]"},
		},
		{
			name: "-e unterminated quote", args: []string{"-e", `man "cat`},
			status: 2,
			errHas: []string{"unterminated quote"},
		},
		{
			name: "-e exit", args: []string{"-e", "exit; frobnicate"},
			errIsEmpty: true,
		},
		{
			name: "-e man", args: []string{"-e", "man; man cat"},
			outHas:     []string{"Commands", "exportfile", "importfile", "validate", "SYNOPSIS\n    cat [-p] [var]"},
			errIsEmpty: true,
		},
		{
			name: "-f script", args: []string{"-f", okScript},
			outHas:     []string{"env0 = jxta:PipeAdvertisement\n", "\t<Name>demo</Name>\n", "[pipe advertisement]"},
			errIsEmpty: true,
		},
		{
			name: "-f stops at the first failure", args: []string{"-f", failScript},
			status:    1,
			outHas:    []string{"a = jxta:PipeAdvertisement", "FAIL " + f.noID},
			outHasNot: []string{"b = ", "[pipe advertisement]"},
		},
		{
			name: "-f exit", args: []string{"-f", exitScript},
			outHas:     []string{"Commands"},
			errIsEmpty: true,
		},
		{
			name: "-f missing script", args: []string{"-f", filepath.Join(f.dir, "nosuch.jsh")},
			status: 1,
			errHas: []string{"jxtashell: ", "nosuch.jsh"},
		},
		{
			name: "stdin that is not a terminal", stdin: imp + "\nenv\n",
			outHas:     []string{"env0 = jxta:PipeAdvertisement\n", "[pipe advertisement]"},
			outHasNot:  []string{shell.Prompt},
			errIsEmpty: true,
		},
		{
			name: "stdin stops at the first failure", stdin: imp + " a\nnosuch\n" + imp + " b\n",
			status:    127,
			outHas:    []string{"a = "},
			outHasNot: []string{"b = ", shell.Prompt},
		},
		{
			name: "-k goes on after a failure", args: []string{"-k", "-e", "frobnicate; man exit"},
			outHas: []string{"SYNOPSIS\n    exit"},
			errHas: []string{"frobnicate: unknown command"},
		},
		{
			name: "-k with stdin", args: []string{"-k"}, stdin: "frobnicate\nman exit\n",
			outHas: []string{"SYNOPSIS\n    exit"},
			errHas: []string{"frobnicate: unknown command"},
		},
		{
			name: "-e wins over stdin", args: []string{"-e", "man cat"}, stdin: "nosuch\n",
			outHas:     []string{"SYNOPSIS"},
			errIsEmpty: true,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, out, errs := runShell(tt.args, tt.stdin)
			assert.Equal(t, tt.status, status, "stderr: %s", errs)
			for _, w := range tt.outHas {
				assert.Contains(t, out, w)
			}
			for _, w := range tt.outHasNot {
				assert.NotContains(t, out, w)
			}
			for _, w := range tt.errHas {
				assert.Contains(t, errs, w)
			}
			if tt.errIsEmpty {
				assert.Empty(t, errs)
			}
		})
	}
}

func TestRunBadArguments(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		args  []string
		first string // the one-line error
	}{
		{"unknown option", []string{"-z"}, "flag provided but not defined: -z"},
		{"missing value", []string{"-e"}, "flag needs an argument: -e"},
		{"unexpected argument", []string{"script.jsh"}, `jxtashell: unexpected argument "script.jsh"`},
		{"argument after -e", []string{"-e", "man", "extra"}, `jxtashell: unexpected argument "extra"`},
		{"seed without a port", []string{"--seed", "nonsense", "-e", "man"}, `jxtashell: --seed: "nonsense": a seed needs a port, as in tcp://nonsense:9701`},
		{"seed that is no address", []string{"--seed", "tcp://a b:1", "-e", "man"}, `jxtashell: --seed: "tcp://a b:1" is not a transport address`},
		{"zero keep-alive", []string{"--keepalive", "0s", "-e", "man"}, "jxtashell: --keepalive, --keepalive-timeout, --max-pending and --handshakes-per-source must be positive"},
		{"negative budget", []string{"--max-pending", "-1", "-e", "man"}, "jxtashell: --keepalive, --keepalive-timeout, --max-pending and --handshakes-per-source must be positive"},
		{"unknown multicast interface", []string{"--multicast-if", "nosuchif0", "-e", "man"}, `jxtashell: --multicast-if: mcast: interface "nosuchif0": no such network interface`},
		{"no interface with that address", []string{"--multicast-if", "198.51.100.254", "-e", "man"}, "jxtashell: --multicast-if: mcast: no interface has address 198.51.100.254: no such network interface"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, out, errs := runShell(tt.args, "man\n")
			assert.Equal(t, 2, status)
			assert.Empty(t, out, "no command runs")
			l := lines(errs)
			require.GreaterOrEqual(t, len(l), 2)
			assert.True(t, strings.HasPrefix(l[0], tt.first), "%q does not begin with %q", l[0], tt.first)
			assert.Equal(t, `usage: jxtashell [flags] [-e "cmd; cmd" | -f script]`, l[1])
		})
	}

	t.Run("help", func(t *testing.T) {
		t.Parallel()
		status, out, errs := runShell([]string{"-h"}, "man\n")
		assert.NotEqual(t, 0, status)
		assert.Empty(t, out)
		assert.True(t, strings.HasPrefix(errs, "usage: jxtashell "), errs)
		assert.Contains(t, errs, "-f")
	})
}

func TestRunStdinFile(t *testing.T) {
	t.Parallel()
	f := newFixtures(t)
	// A regular file on standard input is not a terminal: its commands run
	// as a script, without prompt, stopping at the first failure.
	in, err := os.Open(f.script(t, "in.jsh", "importfile "+q(f.good)+" a\ncat\nimportfile "+q(f.good)+" b\n"))
	require.NoError(t, err)
	defer in.Close()
	var out, errb bytes.Buffer
	status := run(nil, in, &out, &errb)
	assert.Equal(t, 2, status)
	assert.Equal(t, "a = jxta:PipeAdvertisement\n", out.String())
	assert.Contains(t, errb.String(), "usage: cat [-p] [var]")
}

func TestRunNullDevice(t *testing.T) {
	t.Parallel()
	// The null device is a character device but no terminal: it is read
	// as an empty script, without prompt.
	null := charDevice(t)
	var out, errb bytes.Buffer
	status := run([]string{"--home", t.TempDir(), "--listen", "tcp://127.0.0.1:0", "--no-multicast"}, null, &out, &errb)
	assert.Equal(t, 0, status)
	assert.Empty(t, out.String())
	assert.Empty(t, errb.String())
}

func TestInterop(t *testing.T) {
	t.Parallel()
	files := interop.XMLFiles(t)
	root := interop.Dir(t)
	require.NotEmpty(t, files)
	status, out, errs := runShell([]string{"-e", "validate -u " + quoteAll(files)}, "")
	checkInteropOutput(t, root, files, status, out, errs)
}

func quoteAll(files []string) string {
	qs := make([]string, len(files))
	for i, f := range files {
		qs[i] = q(f)
	}
	return strings.Join(qs, " ")
}

// checkInteropOutput checks the output of validate -u over every interop
// document: OK for all but the incomplete examples, which FAIL with a line;
// documents of types gojxta does not know are OK unchecked.
func checkInteropOutput(t *testing.T, root string, files []string, status int, out, errs string) {
	t.Helper()
	bad := make(map[string]bool)
	for _, rel := range incompleteExamples {
		p := filepath.Join(root, filepath.FromSlash(rel))
		data, err := os.ReadFile(p)
		require.NoError(t, err, "incomplete example %s", rel)
		require.True(t, interop.Incomplete(data), rel)
		bad[p] = true
	}
	assert.Equal(t, 1, status)
	assert.Contains(t, errs, "5 of ")
	got := lines(out)
	require.Len(t, got, len(files), "one line per file")
	for i, f := range files {
		if bad[f] {
			assert.True(t, strings.HasPrefix(got[i], "FAIL "+f+": "), got[i])
			assert.Contains(t, got[i], "line ", got[i])
			continue
		}
		assert.True(t, strings.HasPrefix(got[i], "OK "), got[i])
		assert.True(t, strings.HasSuffix(got[i], " "+f), got[i])
		if rest, unknown := strings.CutPrefix(got[i], "OK (unknown type, not checked) "); unknown {
			assert.Len(t, strings.Fields(rest), 3, got[i])
			continue
		}
		assert.Len(t, strings.Fields(got[i]), 4, got[i])
	}
}

// TestBinary builds jxtashell and runs it as a process.
func TestBinary(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	t.Parallel()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go command not found")
	}
	bin := filepath.Join(t.TempDir(), "jxtashell")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	build := exec.Command(gobin, "build", "-o", bin, ".")
	msg, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", msg)

	f := newFixtures(t)
	imp := "importfile " + q(f.good)

	// start runs the binary; a nil stdin leaves the null device.
	start := func(t *testing.T, stdin *string, args ...string) (status int, stdout, stderr string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		// A peer started lazily keeps its identity in a temporary home,
		// never in the user's ~/.jxta.
		cmd.Env = append(os.Environ(), "JXTA_HOME="+t.TempDir())
		if stdin != nil {
			cmd.Stdin = strings.NewReader(*stdin)
		}
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		var ee *exec.ExitError
		switch {
		case err == nil:
		case errors.As(err, &ee):
			status = ee.ExitCode()
		default:
			require.NoError(t, err)
		}
		return status, out.String(), errb.String()
	}
	str := func(s string) *string { return &s }

	tests := []struct {
		name   string
		args   []string
		stdin  *string
		status int
		outHas string
	}{
		{"-e ok", []string{"-e", imp + "; cat env0"}, str(""), 0, "<Name>demo</Name>"},
		{"-e failure", []string{"-e", "validate " + q(f.noID)}, str(""), 1, "FAIL " + f.noID},
		{"-e unknown command", []string{"-e", "frobnicate"}, str(""), 127, ""},
		{"-e usage error", []string{"-e", "exportfile"}, str(""), 2, ""},
		{"-e exit", []string{"-e", "exit; frobnicate"}, str(""), 0, ""},
		{"-f ok", []string{"-f", f.script(t, "ok.jsh", imp+"\nvalidate "+q(f.good)+"\n")}, str(""), 0, "OK jxta:PipeAdvertisement " + pipeID},
		{"-f failure", []string{"-f", f.script(t, "bad.jsh", "validate "+q(f.malformed)+"\nman\n")}, str(""), 1, "line 4"},
		{"-f missing", []string{"-f", filepath.Join(f.dir, "nosuch.jsh")}, str(""), 1, ""},
		{"stdin piped", nil, str(imp + "\nenv\n"), 0, "[pipe advertisement]"},
		{"stdin piped failure", nil, str(imp + "\nvalidate " + q(f.noID) + "\nenv\n"), 1, "FAIL"},
		{"stdin piped unknown command", nil, str("frobnicate\nman\n"), 127, ""},
		{"bad option", []string{"-z"}, str(""), 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			status, out, errs := start(t, tt.stdin, tt.args...)
			assert.Equal(t, tt.status, status, "stderr: %s", errs)
			assert.Contains(t, out, tt.outHas)
			assert.NotContains(t, out, shell.Prompt, "no prompt without a terminal")
			if tt.status == 0 {
				assert.Empty(t, errs)
			} else {
				assert.NotEmpty(t, errs)
			}
		})
	}

	t.Run("stdin piped stops at the first failure", func(t *testing.T) {
		t.Parallel()
		status, out, _ := start(t, str(imp+" a\nfrobnicate\n"+imp+" b\n"))
		assert.Equal(t, 127, status)
		assert.Equal(t, "a = jxta:PipeAdvertisement\n", out)
	})

	t.Run("export round trip", func(t *testing.T) {
		t.Parallel()
		exported := filepath.Join(t.TempDir(), "out.xml")
		status, _, errs := start(t, str(""), "-e", imp+"; exportfile "+q(exported)+" env0")
		require.Equal(t, 0, status, errs)
		data, err := os.ReadFile(exported)
		require.NoError(t, err)
		assert.True(t, strings.HasPrefix(string(data), "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE jxta:PipeAdvertisement>\n<jxta:PipeAdvertisement "), string(data))
		assert.Contains(t, string(data), `xml:space="preserve"`)
		status, out, errs := start(t, str(""), "-e", "validate "+q(exported))
		assert.Equal(t, 0, status, errs)
		assert.Equal(t, "OK jxta:PipeAdvertisement "+pipeID+" "+exported+"\n", out)
	})

	t.Run("the null device is no terminal", func(t *testing.T) {
		t.Parallel()
		// With no stdin the process reads the null device: an empty
		// script, no prompt.
		charDevice(t)
		status, out, errs := start(t, nil, "--home", t.TempDir(), "--listen", "tcp://127.0.0.1:0", "--no-multicast")
		assert.Equal(t, 0, status, errs)
		assert.Empty(t, out)
	})

	t.Run("interop documents", func(t *testing.T) {
		t.Parallel()
		files := interop.XMLFiles(t)
		root := interop.Dir(t)
		status, out, errs := start(t, str(""), "-e", "validate -u "+quoteAll(files))
		checkInteropOutput(t, root, files, status, out, errs)
	})
}
