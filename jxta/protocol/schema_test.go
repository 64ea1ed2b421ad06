package protocol_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
	"github.com/gojxta/gojxta/internal/xsdtest"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/require"
)

// schemaFiles collects documents to validate in a temporary directory.
type schemaFiles struct {
	t     *testing.T
	dir   string
	files []string
}

func (s *schemaFiles) add(name string, data []byte) {
	p := filepath.Join(s.dir, fmt.Sprintf("%03d-%s", len(s.files), name))
	require.NoError(s.t, os.WriteFile(p, data, 0o644))
	s.files = append(s.files, p)
}

// addWritten adds a as this package writes it, in both forms, and the
// readable documents flattened into it, as this package rewrites them.
func (s *schemaFiles) addWritten(name string, a advert.Advertisement) {
	s.add(name+"-compact.xml", advert.Marshal(a))
	s.add(name+"-indented.xml", advert.MarshalIndent(a))
	for i, text := range flattenedTexts(a, false) {
		if inner, err := protocol.Unflatten(text, nil); err == nil {
			s.addWritten(fmt.Sprintf("%s-flat%d", name, i), inner)
		}
	}
}

// addJXSE adds a document as JXSE wrote it, and the documents flattened
// into it, also as JXSE wrote them.
func (s *schemaFiles) addJXSE(name string, data []byte) {
	s.add(name+"-jxse.xml", data)
	a, err := protocol.Parse(data)
	require.NoError(s.t, err)
	for i, text := range flattenedTexts(a, true) {
		s.addJXSE(fmt.Sprintf("%s-flat%d", name, i), []byte(text))
	}
}

// flattenedTexts returns the documents flattened into a (one level): the
// advertisements of a discovery response as received when raw is true, as
// this package writes them otherwise.
func flattenedTexts(a advert.Advertisement, raw bool) []string {
	switch v := a.(type) {
	case *protocol.ResolverQuery:
		return []string{v.Query}
	case *protocol.ResolverResponse:
		return []string{v.Response}
	case *protocol.ResolverSRDI:
		return []string{v.Payload}
	case *protocol.DiscoveryResponse:
		var out []string
		for _, r := range v.Responses {
			if r.Adv != nil && !raw {
				out = append(out, protocol.Flatten(r.Adv))
			} else {
				out = append(out, r.Raw)
			}
		}
		return out
	}
	return nil
}

// TestWrittenDocumentsValidateAgainstSchema writes every protocol type in
// both forms, every interop protocol document and every document of the
// captured JXSE traffic as this package rewrites it, and validates them
// all against spec/jxta.xsd. The captured documents are also validated as
// JXSE wrote them, flattened documents included.
func TestWrittenDocumentsValidateAgainstSchema(t *testing.T) {
	t.Parallel()
	xsdtest.Xmllint(t)
	s := &schemaFiles{t: t, dir: t.TempDir()}
	for i, a := range samples(t) {
		s.addWritten(fmt.Sprintf("sample%02d", i), a)
	}
	if interop.Locate() != "" {
		for _, f := range interopFiles(t) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			a, err := protocol.Parse(data)
			require.NoError(t, err)
			s.addWritten("rewritten-"+strings.TrimSuffix(filepath.Base(f), filepath.Ext(f)), a)
		}
		for _, stream := range []string{"edge_to_rdv.stream", "rdv_to_edge.stream"} {
			for i, e := range captureElements(t, stream) {
				if !bytes.HasPrefix(e.data, []byte("<?xml")) {
					continue
				}
				name := fmt.Sprintf("%s-%d-%s", strings.TrimSuffix(stream, ".stream"), i, e.name)
				s.addJXSE(name, e.data)
				a, err := protocol.Parse(e.data)
				require.NoError(t, err)
				s.addWritten(name, a)
			}
		}
	}
	require.NotEmpty(t, s.files)
	t.Logf("validating %d documents", len(s.files))
	for f, msg := range xsdtest.Validate(t, s.files) {
		data, _ := os.ReadFile(f)
		t.Errorf("%s does not validate:\n%s\n%s", filepath.Base(f), msg, data)
	}
}
