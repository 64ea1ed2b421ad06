package xmldoc

import (
	"os"
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
)

// FuzzParse checks that any input gives a document or an error, never a
// panic, within the limits; and that a parsed tree written out parses
// again. Seeded with the shared interop documents.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`<jxta:PA><PID>urn:jxta:uuid-0003</PID></jxta:PA>`))
	f.Add([]byte(`<!DOCTYPE r [<!ENTITY a "x">]><r>&a;</r>`))
	if interop.Locate() != "" {
		for _, file := range interop.XMLFiles(f) {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	lim := Limits{MaxBytes: 1 << 20, MaxDepth: 32}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse(data, lim)
		if err != nil {
			return
		}
		for _, style := range []Style{Compact, Indented} {
			w := NewWriter(style, true)
			w.Element(doc.Root)
			if _, err := Parse(w.Bytes(), Limits{MaxBytes: 4 << 20, MaxDepth: 32}); err != nil {
				t.Fatalf("written tree does not parse: %v\n%q\n%q", err, data, w.Bytes())
			}
		}
	})
}
