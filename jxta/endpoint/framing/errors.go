package framing

import "errors"

// Errors reported, wrapped in an *Error, by the readers.
var (
	// ErrBadWelcome: the peer's first line is not a JXTA welcome line.
	ErrBadWelcome = errors.New("bad welcome line")
	// ErrBadHeader: a message package header block is malformed.
	ErrBadHeader = errors.New("bad message package header")
	// ErrTooLarge: a welcome line, header block or package body exceeds
	// its limit.
	ErrTooLarge = errors.New("too large")
)

// Error describes a framing violation; Err is ErrBadWelcome, ErrBadHeader
// or ErrTooLarge.
type Error struct {
	Msg string
	Err error
}

// Error returns the message.
func (e *Error) Error() string { return "framing: " + e.Msg }

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }
