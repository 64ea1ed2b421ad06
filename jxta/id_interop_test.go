package jxta

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
	"github.com/stretchr/testify/assert"
)

// idPattern finds ID URNs in documents, stopping at characters that end
// them in text, attributes, escaped documents and endpoint addresses.
var idPattern = regexp.MustCompile(`(?i)urn:jxta:[a-z0-9]+-[^\s<>"'&?#/]+`)

// TestInteropIDsReencode checks that every ID found in the shared JXTA
// documents parses and prints back as the same text, unless the text is one
// of the non-canonical forms the reference lists (lower-case hex, upper-case
// "URN:JXTA:", jxta-netGroup, uuid forms of the World and Net groups, and
// untruncated trailing zeros), which must parse to the same ID as their
// canonical text.
func TestInteropIDsReencode(t *testing.T) {
	t.Parallel()
	// Text documents only: in binary messages and captures IDs run into the
	// bytes that follow them (the message tests cover those).
	files := append(interop.Files(t, "", ".xml", ".adv"), interop.Files(t, "ids", ".txt")...)
	files = append(files, interop.Files(t, "transport", ".txt")...)
	seen := 0
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range idPattern.FindAllString(string(data), -1) {
			if rdvServiceName(s) {
				continue
			}
			seen++
			id, err := Parse(s)
			if !assert.NoError(t, err, "%s: %s", f, s) {
				continue
			}
			out := id.String()
			if out == s {
				continue
			}
			again, err := Parse(out)
			assert.NoError(t, err)
			assert.Equal(t, id, again, "%s: %s", f, s)
			assert.True(t, nonCanonical(s, out), "%s: %q re-encodes as %q", f, s, out)
		}
	}
	t.Logf("%d IDs in %d files", seen, len(files))
	assert.Greater(t, seen, 100)
}

// rdvServiceName reports whether s is a JXSE PeerView service name: a
// rendezvous class ID with a group's unique value appended (reference b.7),
// which is an opaque string, not an ID.
func rdvServiceName(s string) bool {
	return strings.HasSuffix(s, "jxta-NetGroup") && strings.HasPrefix(strings.ToLower(s), "urn:jxta:uuid-") ||
		strings.Contains(strings.ToLower(s[9:]), "uuid-") && strings.Count(strings.ToLower(s), "uuid-") > 1
}

func nonCanonical(in, out string) bool {
	if strings.EqualFold(in, out) {
		return true // case of prefix, hex digits or well-known name
	}
	u := strings.ToUpper(in)
	switch {
	case strings.HasPrefix(out, "urn:jxta:jxta-"):
		return strings.Contains(u, "59616261646162614E50472050325033") || strings.Contains(u, "59616261646162614A78746150325033")
	case strings.HasPrefix(u, strings.ToUpper(out[:len(out)-2])):
		// trailing zero bytes were dropped
		rest := u[len(out)-2 : len(u)-2]
		return strings.Trim(rest, "0") == ""
	}
	return false
}
