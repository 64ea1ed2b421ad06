package pipe

import "errors"

var (
	// ErrClosed is returned by operations on a closed pipe, listener or
	// service.
	ErrClosed = errors.New("pipe closed")
	// ErrNotResolved is returned when no peer that bound a pipe answered
	// before the deadline.
	ErrNotResolved = errors.New("no peer has bound the pipe")
	// ErrRefused is returned by Dial when the peer that bound the pipe
	// refuses the connection (it no longer listens, or its backlog is
	// full).
	ErrRefused = errors.New("pipe connection refused")
	// ErrAlreadyBound is returned when this peer already has an input
	// pipe or listener for the pipe in the group.
	ErrAlreadyBound = errors.New("pipe already bound on this peer")
)
