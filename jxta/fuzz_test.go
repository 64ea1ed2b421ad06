package jxta

import (
	"os"
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
)

// FuzzParseID checks that Parse never panics, and that every ID it accepts
// prints as text that parses back to the same ID and prints the same.
// Seeded with every ID of the shared interop documents.
func FuzzParseID(f *testing.F) {
	for _, s := range []string{"urn:jxta:jxta-NetGroup", "urn:jxta:uuid-00030102040501", "urn:jxta:cbid-0004", "urn:jxta:x-y", "URN:JXTA:uuid-abcd03"} {
		f.Add(s)
	}
	if dir := interop.Locate(); dir != "" {
		for _, file := range interop.Files(f, "", ".xml", ".adv") {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			for _, s := range idPattern.FindAllString(string(data), -1) {
				f.Add(s)
			}
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := Parse(s)
		if err != nil {
			return
		}
		out := id.String()
		again, err := Parse(out)
		if err != nil {
			t.Fatalf("%q printed as %q, which does not parse: %v", s, out, err)
		}
		if again != id || again.String() != out {
			t.Fatalf("%q -> %q -> %q: not stable", s, out, again)
		}
		for _, as := range []func(ID) error{
			func(i ID) error { p, err := AsPeerID(i); _ = p.Group(); return err },
			func(i ID) error { g, err := AsGroupID(i); _, _ = g.Parent(); return err },
			func(i ID) error { m, err := AsModuleSpecID(i); _ = m.Class(); return err },
			func(i ID) error { c, err := AsCodatID(i); _ = c.Hash(); return err },
		} {
			_ = as(id)
		}
	})
}
