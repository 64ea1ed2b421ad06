package shell_test

import (
	"bytes"
	"regexp"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/internal/shell"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// synopsisOption finds the options of a synopsis: -x, +x, --name.
var synopsisOption = regexp.MustCompile(`(?:^|[\s\[|(])((?:--|-|\+)[a-zA-Z][a-zA-Z0-9-]*)`)

// options returns the options a synopsis lists, once each.
func options(synopsis string) []string {
	var out []string
	seen := make(map[string]bool)
	for _, m := range synopsisOption.FindAllStringSubmatch(synopsis, -1) {
		if !seen[m[1]] {
			seen[m[1]] = true
			out = append(out, m[1])
		}
	}
	return out
}

func TestSynopsisOptions(t *testing.T) {
	t.Parallel()
	assert.Equal(t, []string{"-c", "-i"}, options("grep [-c] [-i] pattern [var]"))
	assert.Equal(t, []string{"-k", "+k", "-x"}, options("set [-k | +k] [-x] | set to from"))
	assert.Equal(t, []string{"-n", "--password"}, options("newpgrp -n name [--password]"))
	assert.Empty(t, options("set to from-x FILE..."))
}

// TestManualPages walks the whole command table: every manual page has an
// example and describes each option of its synopsis.
func TestManualPages(t *testing.T) {
	t.Parallel()
	sh := shell.New(&bytes.Buffer{}, &bytes.Buffer{})
	for _, name := range sh.CommandNames() {
		c := sh.Command(name)
		_, example, found := strings.Cut(c.Details, "Example:")
		if assert.True(t, found, "man %s has an example", name) {
			assert.Contains(t, example, name, "man %s: the example uses the command", name)
		}
		for _, opt := range options(c.Synopsis) {
			described := regexp.MustCompile(`(^|[^\w-])` + regexp.QuoteMeta(opt) + `\b`)
			assert.Regexp(t, described, c.Details, "man %s describes %s", name, opt)
		}
	}
}

// TestBadOption walks the command table: a command with options answers
// an unknown one with a one-line error and its synopsis.
func TestBadOption(t *testing.T) {
	t.Parallel()
	for _, name := range newSession().sh.CommandNames() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			s := newSession()
			c := s.sh.Command(name)
			if len(options(c.Synopsis)) == 0 {
				t.Skipf("%s has no options", c.Synopsis)
			}
			s.fail(t, name+" -Z", 2)
			errs := s.errLines()
			require.Len(t, errs, 2, "an error line and the synopsis")
			assert.True(t, strings.HasPrefix(errs[0], name+": "), errs[0])
			assert.Contains(t, errs[0], "-Z")
			assert.Equal(t, "usage: "+c.Synopsis, errs[1])
			assert.Empty(t, s.out.String())
		})
	}
}
