package advert

import (
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/identity"
)

// FuzzParse checks that any input gives an advertisement or an error,
// never a panic; that an advertisement written back parses to the same
// type, ID and index fields; and that writing is stable. Validate runs too,
// so flattened documents inside are exercised. Seeded with the shared
// interop documents.
func FuzzParse(f *testing.F) {
	f.Add([]byte(benchPA))
	if id, err := identity.New(); err == nil {
		f.Add(Marshal(Sign(NewPipeAdv(jxta.NetGroupID, PipeUnicast, "signed"), id)))
	}
	interop.AddXMLSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = Validate(data)
		a, err := Parse(data)
		if err != nil {
			return
		}
		out := Marshal(a)
		b, err := Parse(out)
		if err != nil {
			t.Fatalf("written advertisement does not parse: %v\n%q\n%s", err, data, out)
		}
		if a.AdvType() != b.AdvType() || a.ID() != b.ID() {
			t.Fatalf("round trip changed %s %s into %s %s", a.AdvType(), a.ID(), b.AdvType(), b.ID())
		}
		if string(Marshal(b)) != string(out) {
			t.Fatalf("writing is not stable:\n%s\n%s", out, Marshal(b))
		}
		ind := MarshalIndent(a)
		c, err := Parse(ind)
		if err != nil {
			t.Fatalf("indented advertisement does not parse: %v\n%q\n%s", err, data, ind)
		}
		if string(MarshalIndent(c)) != string(ind) {
			t.Fatalf("indented writing is not stable:\n%s\n%s", ind, MarshalIndent(c))
		}
		_ = a.IndexFields()
	})
}
