package membership

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// The costs of new verifiers: OWASP's minimum for argon2id (19 MiB, two
// passes, one lane), with a 16-byte salt and a 32-byte hash.
var defaultParams = params{memory: 19 * 1024, time: 2, threads: 1}

const (
	saltLen = 16
	hashLen = 32
)

// The bounds on a verifier read from an advertisement, so that a forged one
// cannot make a joiner spend unbounded memory or time.
const (
	maxMemory      = 256 * 1024  // KiB
	maxTime        = 10          // passes
	maxThreads     = 16          // lanes
	maxWork        = 1024 * 1024 // memory × passes, in KiB·passes (1 GiB·pass)
	minSaltLen     = 8
	maxSaltLen     = 64
	minHashLen     = 16
	maxHashLen     = 64
	maxVerifierLen = 256
)

// b64 is the PHC string format's base64: standard alphabet, no padding.
var b64 = base64.RawStdEncoding

// params are argon2id's cost parameters.
type params struct {
	memory  uint32 // KiB
	time    uint32 // passes
	threads uint8  // lanes
}

// verifier is a parsed password verifier: costs, salt and hash.
type verifier struct {
	params
	salt, hash []byte
}

// NewVerifier returns a verifier of password to put in a group
// advertisement: an argon2id PHC string with a fresh random salt and the
// default costs. The password cannot be empty.
func NewVerifier(password string) (string, error) {
	if password == "" {
		return "", errors.New("membership: a group password cannot be empty")
	}
	return newVerifier(password, defaultParams).String(), nil
}

// CheckVerifier checks password against verifier. It returns
// ErrBadVerifier (wrapped) for a malformed or out-of-bounds verifier,
// without hashing, and ErrWrongPassword when the password does not match.
// The hashes are compared in constant time.
func CheckVerifier(verifier, password string) error {
	v, err := parseVerifier(verifier)
	if err != nil {
		return err
	}
	return v.check(password)
}

func newVerifier(password string, p params) verifier {
	salt := make([]byte, saltLen)
	rand.Read(salt) // never fails: crypto/rand aborts the program instead
	return verifier{params: p, salt: salt, hash: p.key(password, salt, hashLen)}
}

func (p params) key(password string, salt []byte, n int) []byte {
	return argon2.IDKey([]byte(password), salt, p.time, p.memory, p.threads, uint32(n))
}

func (v verifier) check(password string) error {
	if subtle.ConstantTimeCompare(v.key(password, v.salt, len(v.hash)), v.hash) != 1 {
		return ErrWrongPassword
	}
	return nil
}

// String returns the PHC string of v.
func (v verifier) String() string {
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version,
		v.memory, v.time, v.threads, b64.EncodeToString(v.salt), b64.EncodeToString(v.hash))
}

// parseVerifier reads a PHC string written by String, and only such
// strings: one canonical spelling per verifier, parameters in bounds.
func parseVerifier(s string) (verifier, error) {
	if len(s) > maxVerifierLen {
		return verifier{}, badVerifier("longer than %d bytes", maxVerifierLen)
	}
	f := strings.Split(s, "$")
	if len(f) != 6 || f[0] != "" || f[1] != "argon2id" {
		return verifier{}, badVerifier("not an argon2id PHC string")
	}
	if f[2] != fmt.Sprintf("v=%d", argon2.Version) {
		return verifier{}, badVerifier("version %q, want v=%d", f[2], argon2.Version)
	}
	p, err := parseParams(f[3])
	if err != nil {
		return verifier{}, err
	}
	salt, err := decodeBytes("salt", f[4], minSaltLen, maxSaltLen)
	if err != nil {
		return verifier{}, err
	}
	hash, err := decodeBytes("hash", f[5], minHashLen, maxHashLen)
	if err != nil {
		return verifier{}, err
	}
	return verifier{params: p, salt: salt, hash: hash}, nil
}

// parseParams reads "m=<KiB>,t=<passes>,p=<lanes>" and checks the bounds.
func parseParams(s string) (params, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 3 {
		return params{}, badVerifier("parameters %q, want m=,t=,p=", s)
	}
	m, okM := decimal(parts[0], "m=", maxMemory)
	t, okT := decimal(parts[1], "t=", maxTime)
	p, okP := decimal(parts[2], "p=", maxThreads)
	switch {
	case !okM || !okT || !okP:
		return params{}, badVerifier("parameters %q out of bounds (m<=%d, t<=%d, p<=%d)", s, maxMemory, maxTime, maxThreads)
	case t < 1 || p < 1:
		return params{}, badVerifier("parameters %q: t and p must be at least 1", s)
	case m < 8*p:
		return params{}, badVerifier("parameters %q: m must be at least 8 KiB per lane", s)
	case m*t > maxWork:
		return params{}, badVerifier("parameters %q: m×t above %d", s, maxWork)
	}
	return params{memory: uint32(m), time: uint32(t), threads: uint8(p)}, nil
}

// decimal reads prefix followed by a canonical decimal number (digits, no
// leading zero) of at most limit.
func decimal(s, prefix string, limit uint64) (uint64, bool) {
	digits, ok := strings.CutPrefix(s, prefix)
	if !ok || digits == "" || len(digits) > 10 || (len(digits) > 1 && digits[0] == '0') {
		return 0, false
	}
	var n uint64
	for _, c := range []byte(digits) {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + uint64(c-'0')
	}
	return n, n <= limit
}

// decodeBytes decodes a canonical base64 field of min to max bytes.
func decodeBytes(name, s string, minLen, maxLen int) ([]byte, error) {
	b, err := b64.DecodeString(s)
	switch {
	case err != nil || b64.EncodeToString(b) != s:
		return nil, badVerifier("%s is not canonical unpadded base64", name)
	case len(b) < minLen || len(b) > maxLen:
		return nil, badVerifier("%s of %d bytes, want %d to %d", name, len(b), minLen, maxLen)
	}
	return b, nil
}

func badVerifier(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadVerifier, fmt.Sprintf(format, args...))
}
