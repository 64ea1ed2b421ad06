package advert

import (
	"errors"
	"fmt"
)

// Errors wrapped by Error.
var (
	// ErrMissing reports a required element that is absent.
	ErrMissing = errors.New("missing required element")
	// ErrInvalid reports an element whose value cannot be used.
	ErrInvalid = errors.New("invalid value")
)

// Error reports an advertisement that could not be read: the document
// type, the element at fault and the line it starts on.
type Error struct {
	DocType string // for example "jxta:PA"
	Element string // the element at fault, for example "PID"
	Line    int    // 1-based, 0 if unknown
	Err     error  // what is wrong
}

// Error returns the message.
func (e *Error) Error() string {
	s := e.DocType
	if e.Line > 0 {
		s += fmt.Sprintf(" line %d", e.Line)
	}
	if e.Element != "" {
		s += fmt.Sprintf(": <%s>", e.Element)
	}
	return s + ": " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *Error) Unwrap() error { return e.Err }
