package xfer

import (
	"errors"
	"fmt"
)

var (
	// ErrBadName is returned for an offered name that is not a plain
	// file name (it would leave the directory, or holds characters no
	// file name should).
	ErrBadName = errors.New("not a plain file name")
	// ErrTooLarge is returned for an offer above the receiver's limit.
	ErrTooLarge = errors.New("file too large")
	// ErrHashMismatch is returned when the received file's SHA-256 is not
	// the one offered: it was corrupted on the way or changed while it
	// was sent.
	ErrHashMismatch = errors.New("SHA-256 mismatch")
	// ErrBusy is returned when the same file is already being received
	// from another connection.
	ErrBusy = errors.New("the same file is being received on another connection")
	// ErrIdle is returned when the peer sent or took nothing for the
	// idle timeout.
	ErrIdle = errors.New("the peer went quiet")
	// ErrFileChanged is returned by Send when the file is shorter than
	// offered.
	ErrFileChanged = errors.New("the file changed while it was sent")
)

// ProtocolError is a malformed offer or answer: what was wrong, the
// offending line if it is not quoted in What, and the error behind it (such
// as ErrBadName), if any.
type ProtocolError struct {
	What string
	Line string
	Err  error
}

// Error describes the fault.
func (e *ProtocolError) Error() string {
	if e.Line == "" {
		return "xfer protocol: " + e.What
	}
	return fmt.Sprintf("xfer protocol: %s: %q", e.What, e.Line)
}

// Unwrap returns the error behind the fault.
func (e *ProtocolError) Unwrap() error { return e.Err }

// RemoteError is the receiver's refusal of an offer, or its failure to
// take the file, with the reason it gave.
type RemoteError struct {
	Refused bool // the offer was refused before any data was sent
	Reason  string
}

// Error describes the answer.
func (e *RemoteError) Error() string {
	if e.Refused {
		return "the receiver refused the file: " + e.Reason
	}
	return "the receiver failed to take the file: " + e.Reason
}
