package membership

import (
	"crypto/subtle"
	"testing"

	"github.com/gojxta/gojxta/internal/benchratio"
	"golang.org/x/crypto/argon2"
)

// BenchmarkCheckVerifier checks a password against a default-cost
// verifier, and reports how its time compares with a bare argon2id run of
// the same costs and a constant-time compare, measured in the same run
// ("x-bare-argon2id", baseline time / ours: 1 means parsing and checking
// add nothing measurable).
func BenchmarkCheckVerifier(b *testing.B) {
	v := newVerifier("benchmark password", defaultParams)
	s := v.String()
	b.ReportAllocs()
	benchratio.Compare(b, "x-bare-argon2id", func() {
		if err := CheckVerifier(s, "benchmark password"); err != nil {
			b.Fatal(err)
		}
	}, func() {
		key := argon2.IDKey([]byte("benchmark password"), v.salt, v.time, v.memory, v.threads, hashLen)
		if subtle.ConstantTimeCompare(key, v.hash) != 1 {
			b.Fatal("mismatch")
		}
	})
}
