package main

import (
	"fmt"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadmeTour runs the README's quick tour as a person pasting it
// would: each "$ go run ./cmd/jxtashell ..." line starts the shell (the
// built binary, with /tmp paths moved to a temporary directory and port
// 9710 to a free one), each "JXTA> command   # who" line is typed into the
// shell named who (the last started if there is no comment), and the
// lines after it (with the same paths and port moved) must appear in that shell's output, in order, where
// "..." stands for anything and the number of peerN, groupN and advN may
// differ. Read-only commands are typed again until their output shows; a
// "Password for" line is answered with a password.
func TestReadmeTour(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs jxtashell processes")
	}
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	steps := tourSteps(t, string(readme))
	require.NotEmpty(t, steps)

	bin := buildShell(t)
	tmp := t.TempDir()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
	l.Close()
	local := strings.NewReplacer("/tmp/", tmp+"/", "9710", port)

	shells := map[string]*shellProcess{}
	last := ""
	for _, st := range steps {
		for i, w := range st.want {
			st.want[i] = local.Replace(w)
		}
		switch {
		case st.isStart:
			args := splitArgs(t, local.Replace(st.start))
			if oneShot(args) {
				cmd := exec.Command(bin, args...)
				cmd.Dir = "../.."
				out, _ := cmd.CombinedOutput()
				matchLines(t, st, string(out))
				continue
			}
			name := argAfter(args, "--name", "shell")
			// -k: like an interactive session, go on after a failure.
			shells[name], last = startShellIn(t, "../..", bin, append([]string{"-k"}, args...)...), name
		default:
			who := st.who
			if who == "" {
				who = last
			}
			p := shells[who]
			require.NotNil(t, p, "README line %d: no shell %q", st.lineNo, who)
			runStep(t, p, st, local.Replace(st.command))
		}
	}
}

// tourStep is a line of the tour and the output expected after it.
type tourStep struct {
	lineNo  int
	isStart bool   // a "$ go run ./cmd/jxtashell" line
	start   string // its arguments
	command string // a "JXTA>" line, without its comment
	who     string // the shell a command is for
	want    []string
}

// tourSteps reads the console blocks of the README's quick tour.
func tourSteps(t *testing.T, readme string) []tourStep {
	start := strings.Index(readme, "## Quick tour")
	require.GreaterOrEqual(t, start, 0, "no quick tour in the README")
	end := strings.Index(readme[start+1:], "\n## ")
	tour := readme[start : start+1+end]
	lineNo := strings.Count(readme[:start], "\n") + 1
	var steps []tourStep
	inBlock := false
	for _, line := range strings.Split(tour, "\n") {
		lineNo++
		switch {
		case strings.HasPrefix(line, "```console"):
			inBlock = true
		case strings.HasPrefix(line, "```"):
			inBlock = false
		case !inBlock:
		case strings.HasPrefix(line, "$ go run ./cmd/jxtashell"):
			steps = append(steps, tourStep{lineNo: lineNo, isStart: true, start: strings.TrimPrefix(line, "$ go run ./cmd/jxtashell")})
		case strings.HasPrefix(line, "JXTA> "):
			cmd, who, _ := strings.Cut(strings.TrimPrefix(line, "JXTA> "), "#")
			steps = append(steps, tourStep{lineNo: lineNo, command: strings.TrimSpace(cmd), who: strings.TrimSpace(who)})
		case len(steps) > 0:
			steps[len(steps)-1].want = append(steps[len(steps)-1].want, line)
		}
	}
	return steps
}

// readOnly are the commands typed again until their output shows.
var readOnly = regexp.MustCompile(`^(rdvstatus|peers|groups|search|whoami|transports|env|cat)\b`)

func runStep(t *testing.T, p *shellProcess, st tourStep, line string) {
	t.Helper()
	mark := len(p.output())
	p.run(t, line)
	want := st.want
	if len(want) > 0 && strings.HasPrefix(want[0], "Password for") {
		// Read as the next line when the shell does not read a terminal.
		p.run(t, "open sesame")
		want = want[1:]
	}
	deadline := time.Now().Add(60 * time.Second)
	again := time.Now().Add(4 * time.Second) // longer than a remote query waits
	for {
		out := p.output()[mark:]
		missing := unmatched(want, out)
		if missing == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("README line %d (%s): no %q in the output:\n%s", st.lineNo, line, missing, out)
		}
		time.Sleep(100 * time.Millisecond)
		if readOnly.MatchString(line) && time.Now().After(again) {
			p.run(t, line)
			again = time.Now().Add(4 * time.Second)
		}
	}
}

// matchLines checks a one-shot run's output.
func matchLines(t *testing.T, st tourStep, out string) {
	t.Helper()
	if missing := unmatched(st.want, out); missing != "" {
		t.Fatalf("README line %d: no %q in the output:\n%s", st.lineNo, missing, out)
	}
}

// unmatched returns the first expected line not found in out after the
// previous one, or "". Consecutive results of a discovery command (peerN:,
// groupN:, advN: lines) may come in any order, as the answers arrive.
func unmatched(want []string, out string) string {
	at := 0
	for i := 0; i < len(want); i++ {
		if strings.TrimSpace(want[i]) == "" {
			continue
		}
		run := []string{want[i]}
		for i+1 < len(want) && foundLine.MatchString(want[i]) && foundLine.MatchString(want[i+1]) {
			i++
			run = append(run, want[i])
		}
		end := at
		for _, w := range run {
			loc := lineRegexp(w).FindStringIndex(out[at:])
			if loc == nil {
				return w
			}
			end = max(end, at+loc[1])
		}
		at = end
	}
	return ""
}

// foundLine is a line of a discovery command's results.
var foundLine = regexp.MustCompile(`^(peer|group|adv)\d+: `)

var numberedVar = regexp.MustCompile(`\b(peer|group|adv)\d+`)

// lineRegexp makes an expected line a pattern: "..." matches anything and
// peerN, groupN and advN any number.
func lineRegexp(w string) *regexp.Regexp {
	parts := strings.Split(w, "...")
	for i, part := range parts {
		parts[i] = numberedVar.ReplaceAllString(regexp.QuoteMeta(part), `$1\d+`)
	}
	return regexp.MustCompile(`(?m)^` + strings.Join(parts, ".*") + `$`)
}

// oneShot reports whether args run commands and exit (-e, -f).
func oneShot(args []string) bool {
	for _, a := range args {
		if a == "-e" || a == "-f" {
			return true
		}
	}
	return false
}

func argAfter(args []string, flag, def string) string {
	for i, a := range args {
		if a == flag && i+1 < len(args) {
			return args[i+1]
		}
	}
	return def
}

// splitArgs splits a shell command line with single quotes.
func splitArgs(t *testing.T, s string) []string {
	var args []string
	var cur strings.Builder
	inWord, quoted := false, false
	for _, c := range s {
		switch {
		case c == '\'':
			quoted, inWord = !quoted, true
		case c == ' ' && !quoted:
			if inWord {
				args = append(args, cur.String())
				cur.Reset()
				inWord = false
			}
		default:
			cur.WriteRune(c)
			inWord = true
		}
	}
	require.False(t, quoted, "unbalanced quote in %q", s)
	if inWord {
		args = append(args, cur.String())
	}
	return args
}

// TestReadmeFuzzTargets checks the README's fuzzing list against the
// code: every fuzz target of the module is listed once with its package,
// and each name is anchored, so that -fuzz matches that target alone.
func TestReadmeFuzzTargets(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	require.NoError(t, err)
	listed := map[string]int{} // "FuzzX ./pkg"
	line := regexp.MustCompile(`(?m)^go test -run '\^\$' -fuzz (\S+)\s.* (\./\S+)$`)
	for _, m := range line.FindAllStringSubmatch(string(readme), -1) {
		name, ok := strings.CutPrefix(m[1], "'^")
		if name, ok = strings.CutSuffix(name, "$'"); !ok || !strings.HasPrefix(m[1], "'^") {
			t.Errorf("README: -fuzz %s is not anchored ('^Name$'): it may match more than one target", m[1])
			continue
		}
		listed[name+" "+m[2]]++
	}
	found := map[string]bool{}
	target := regexp.MustCompile(`(?m)^func (Fuzz\w+)\(`)
	err = filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		pkg := "./" + filepath.ToSlash(filepath.Dir(strings.TrimPrefix(path, "../../")))
		for _, m := range target.FindAllStringSubmatch(string(src), -1) {
			found[m[1]+" "+pkg] = true
		}
		return nil
	})
	require.NoError(t, err)
	require.NotEmpty(t, found)
	for k := range found {
		assert.Equal(t, 1, listed[k], "README's fuzzing list: %s", k)
	}
	for k := range listed {
		assert.True(t, found[k], "README lists %s, which is no fuzz target", k)
	}
}
