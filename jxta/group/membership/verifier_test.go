package membership

import (
	"encoding/base64"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cheap are low costs for tests that hash many times.
var cheap = params{memory: 64, time: 1, threads: 1}

func TestNewVerifierIsPHCStringWithDefaultCostsAndFreshSalt(t *testing.T) {
	t.Parallel()
	a, err := NewVerifier("correct horse")
	require.NoError(t, err)
	b, err := NewVerifier("correct horse")
	require.NoError(t, err)
	phc := regexp.MustCompile(`^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$`)
	assert.Regexp(t, phc, a)
	assert.NotEqual(t, a, b, "two verifiers of one password must differ by their salts")
	assert.NotContains(t, a, "correct horse")

	_, err = NewVerifier("")
	assert.Error(t, err)
}

func TestCheckVerifier(t *testing.T) {
	t.Parallel()
	v, err := NewVerifier("s3cret-Ω")
	require.NoError(t, err)
	assert.NoError(t, CheckVerifier(v, "s3cret-Ω"))
	assert.ErrorIs(t, CheckVerifier(v, "s3cret-ω"), ErrWrongPassword)
	assert.ErrorIs(t, CheckVerifier(v, ""), ErrWrongPassword)
	assert.ErrorIs(t, CheckVerifier("plain:text", "s3cret-Ω"), ErrBadVerifier)
}

func TestVerifierCostsTravelInTheString(t *testing.T) {
	t.Parallel()
	raised := params{memory: 32 * 1024, time: 3, threads: 2}
	v := newVerifier("pw", raised).String()
	assert.Contains(t, v, "$m=32768,t=3,p=2$")
	assert.NoError(t, CheckVerifier(v, "pw"), "a verifier with other costs than the default still checks")
	assert.ErrorIs(t, CheckVerifier(v, "pW"), ErrWrongPassword)
}

// phc writes a verifier string from its parts, valid or not.
func phc(version, costs string, salt, hash []byte) string {
	e := base64.RawStdEncoding
	return "$argon2id$" + version + "$" + costs + "$" + e.EncodeToString(salt) + "$" + e.EncodeToString(hash)
}

func TestParseVerifierBounds(t *testing.T) {
	t.Parallel()
	salt, hash := make([]byte, 16), make([]byte, 32)
	good := phc("v=19", "m=19456,t=2,p=1", salt, hash)
	tests := []struct {
		name, verifier string
		ok             bool
	}{
		{"default", good, true},
		{"largest memory", phc("v=19", "m=262144,t=4,p=16", salt, hash), true},
		{"most passes", phc("v=19", "m=65536,t=10,p=1", salt, hash), true},
		{"smallest memory", phc("v=19", "m=8,t=1,p=1", salt, hash), true},
		{"short salt and hash", phc("v=19", "m=64,t=1,p=1", make([]byte, 8), make([]byte, 16)), true},
		{"memory above 256 MiB", phc("v=19", "m=262145,t=1,p=1", salt, hash), false},
		{"absurd memory", phc("v=19", "m=4294967295,t=1,p=1", salt, hash), false},
		{"overflowing memory", phc("v=19", "m=99999999999999999999,t=1,p=1", salt, hash), false},
		{"passes above 10", phc("v=19", "m=64,t=11,p=1", salt, hash), false},
		{"work above 1 GiB·pass", phc("v=19", "m=262144,t=5,p=1", salt, hash), false},
		{"lanes above 16", phc("v=19", "m=1024,t=1,p=17", salt, hash), false},
		{"zero passes", phc("v=19", "m=64,t=0,p=1", salt, hash), false},
		{"zero lanes", phc("v=19", "m=64,t=1,p=0", salt, hash), false},
		{"memory below 8 KiB per lane", phc("v=19", "m=31,t=1,p=4", salt, hash), false},
		{"leading zero", phc("v=19", "m=019456,t=2,p=1", salt, hash), false},
		{"plus sign", phc("v=19", "m=+19456,t=2,p=1", salt, hash), false},
		{"negative", phc("v=19", "m=-1,t=2,p=1", salt, hash), false},
		{"parameters reordered", phc("v=19", "t=2,m=19456,p=1", salt, hash), false},
		{"extra parameter", phc("v=19", "m=19456,t=2,p=1,keyid=x", salt, hash), false},
		{"old version", phc("v=16", "m=19456,t=2,p=1", salt, hash), false},
		{"no version", strings.Replace(good, "$v=19", "", 1), false},
		{"argon2i", strings.Replace(good, "argon2id", "argon2i", 1), false},
		{"salt too short", phc("v=19", "m=64,t=1,p=1", make([]byte, 7), hash), false},
		{"salt too long", phc("v=19", "m=64,t=1,p=1", make([]byte, 65), hash), false},
		{"hash too short", phc("v=19", "m=64,t=1,p=1", salt, make([]byte, 15)), false},
		{"hash too long", phc("v=19", "m=64,t=1,p=1", salt, make([]byte, 65)), false},
		{"padded base64", good + "=", false},
		{"base64 with a newline", strings.Replace(good, "$AAAA", "$AA\nAA", 1), false},
		{"non-canonical trailing bits", good[:len(good)-1] + "B", false},
		{"base64 with + and /", phc("v=19", "m=64,t=1,p=1", salt, []byte(strings.Repeat("\xfb", 32))), true},
		{"trailing field", good + "$x", false},
		{"empty", "", false},
		{"too long", phc("v=19", "m=64,t=1,p=1", salt, make([]byte, 200)), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := parseVerifier(tt.verifier)
			if !tt.ok {
				assert.ErrorIs(t, err, ErrBadVerifier)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tt.verifier, v.String(), "a verifier has one spelling")
		})
	}
}

// TestForgedVerifierIsRefusedWithoutHashing checks that a verifier asking
// for absurd costs is refused before argon2id runs: checking it allocates
// next to nothing, where running it would take 4 TiB. (Not parallel, so
// that the allocation count is this test's.)
func TestForgedVerifierIsRefusedWithoutHashing(t *testing.T) {
	forged := phc("v=19", "m=4294967295,t=4294967295,p=255", make([]byte, 16), make([]byte, 32))
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := CheckVerifier(forged, "anything")
	runtime.ReadMemStats(&after)
	assert.ErrorIs(t, err, ErrBadVerifier)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(1<<20), "refusing a forged verifier must not allocate its memory cost")
}
