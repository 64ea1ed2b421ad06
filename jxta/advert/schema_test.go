package advert

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
	"github.com/gojxta/gojxta/internal/xsdtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// schemaExceptions are interop documents that do not validate, with the
// reason (also listed in spec/README.md).
var schemaExceptions = map[string]string{
	"platformconfig_jxtac_tutorial_with_comments.xml": "its PID holds only a comment: an unfilled JXTA-C configuration template",
}

// TestWrittenDocumentsValidateAgainstSchema writes every advertisement type
// in both forms, and every interop document as this package rewrites it,
// and validates them all against spec/jxta.xsd.
func TestWrittenDocumentsValidateAgainstSchema(t *testing.T) {
	t.Parallel()
	xsdtest.Xmllint(t)
	dir := t.TempDir()
	var files []string
	write := func(name string, data []byte) {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, data, 0o644))
		files = append(files, p)
	}
	for i, a := range sampleAdvertisements(t) {
		write(fmt.Sprintf("sample%02d-compact.xml", i), Marshal(a))
		write(fmt.Sprintf("sample%02d-indented.xml", i), MarshalIndent(a))
	}
	if interop.Locate() != "" {
		for _, f := range interop.XMLFiles(t) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			a, err := Parse(data)
			if err != nil || !declaresJXTA(data) {
				continue
			}
			if _, generic := a.(*Generic); generic {
				continue // written back as read; checked below
			}
			write("rewritten-"+filepath.Base(f), Marshal(a))
			write("rewritten-indented-"+filepath.Base(f), MarshalIndent(a))
		}
	}
	require.NotEmpty(t, files)
	for f, msg := range xsdtest.Validate(t, files) {
		data, _ := os.ReadFile(f)
		t.Errorf("%s does not validate:\n%s\n%s", filepath.Base(f), msg, data)
	}
}

// TestInteropDocumentsValidateAgainstSchema validates every interop
// document whose root declares xmlns:jxta, as it is.
func TestInteropDocumentsValidateAgainstSchema(t *testing.T) {
	t.Parallel()
	xsdtest.Xmllint(t)
	var files []string
	for _, f := range interop.XMLFiles(t) {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		if declaresJXTA(data) {
			files = append(files, f)
		}
	}
	require.NotEmpty(t, files)
	failed := xsdtest.Validate(t, files)
	for _, f := range files {
		reason, excepted := schemaExceptions[filepath.Base(f)]
		msg, bad := failed[f]
		switch {
		case excepted:
			assert.True(t, bad, "%s is listed as an exception (%s) but validates", f, reason)
		case bad:
			t.Errorf("%s does not validate:\n%s", f, msg)
		}
	}
}

// declaresJXTA reports whether the root start tag declares xmlns:jxta.
func declaresJXTA(data []byte) bool {
	s := string(data)
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 || i+1 >= len(s) {
			return false
		}
		s = s[i+1:]
		if s[0] == '?' || s[0] == '!' {
			continue
		}
		end := strings.IndexByte(s, '>')
		if end < 0 {
			return false
		}
		return strings.Contains(s[:end], "xmlns:jxta")
	}
}
