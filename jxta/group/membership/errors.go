package membership

import "errors"

// Errors returned by this package.
var (
	// ErrWrongPassword reports a join to a password group with a wrong or
	// missing password.
	ErrWrongPassword = errors.New("membership: wrong password")
	// ErrBadVerifier reports a password verifier that is malformed or whose
	// parameters are out of bounds.
	ErrBadVerifier = errors.New("membership: bad password verifier")
	// ErrUnsupported reports a group whose membership service parameters
	// this package does not implement (JXSE's Passwd login list, PSE).
	ErrUnsupported = errors.New("membership: unsupported membership service")
	// ErrBadIdentity reports an identity that is too long or holds control
	// characters or invalid UTF-8.
	ErrBadIdentity = errors.New("membership: bad identity")
	// ErrNotJoined reports a Leave while not joined.
	ErrNotJoined = errors.New("membership: not joined")
)
