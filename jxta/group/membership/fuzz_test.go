package membership

import (
	"os"
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
)

// FuzzParseVerifier checks that any string gives a verifier or an error,
// never a panic; that an accepted verifier is within the bounds that keep
// checking it cheap; and that it has one spelling (written back, it is the
// input). It never hashes, so it runs fast.
func FuzzParseVerifier(f *testing.F) {
	f.Add(newVerifier("seed", cheap).String())
	f.Add("$argon2id$v=19$m=19456,t=2,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")
	f.Add("$argon2id$v=19$m=4294967295,t=10,p=16$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA")
	f.Add("$argon2i$v=19$m=65536,t=3,p=4$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG")
	f.Add("Hakim:EWCTY:")
	f.Fuzz(func(t *testing.T, s string) {
		v, err := parseVerifier(s)
		if err != nil {
			return
		}
		if v.memory > maxMemory || v.time < 1 || v.time > maxTime || v.threads < 1 || v.threads > maxThreads ||
			uint64(v.memory)*uint64(v.time) > maxWork || v.memory < 8*uint32(v.threads) {
			t.Fatalf("accepted out-of-bounds costs %+v from %q", v.params, s)
		}
		if len(v.salt) < minSaltLen || len(v.salt) > maxSaltLen || len(v.hash) < minHashLen || len(v.hash) > maxHashLen {
			t.Fatalf("accepted salt of %d and hash of %d bytes from %q", len(v.salt), len(v.hash), s)
		}
		if v.String() != s {
			t.Fatalf("%q written back as %q", s, v.String())
		}
	})
}

// FuzzMembershipOf checks that any document read as a group advertisement
// gives a membership kind or an error, never a panic, and that a Password
// group's verifier is one ServiceEntry accepts. Seeded with the shared
// interop group advertisements.
func FuzzMembershipOf(f *testing.F) {
	entry, err := ServiceEntry(newVerifier("seed", cheap).String())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(advert.Marshal(&advert.GroupAdv{GroupID: jxta.NewGroupID(), SpecID: jxta.StdGroupSpecID, Name: "seed", Services: []advert.Service{entry}}))
	if interop.Locate() != "" {
		for _, file := range interop.Files(f, "peergroup", ".xml") {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		pga, err := advert.ParseAs[*advert.GroupAdv](data)
		if err != nil {
			return
		}
		kind, v, err := MembershipOf(pga)
		switch {
		case err != nil:
			return
		case kind == Password:
			if _, err := ServiceEntry(v); err != nil {
				t.Fatalf("MembershipOf gave a verifier ServiceEntry refuses: %v", err)
			}
		case kind != None || v != "":
			t.Fatalf("MembershipOf gave kind %q and verifier %q", kind, v)
		}
	})
}
