package pipe

import "errors"

var (
	// ErrClosed is returned by operations on a closed pipe, listener or
	// service.
	ErrClosed = errors.New("pipe closed")
	// ErrNotResolved is returned when no peer that bound a pipe answered
	// before the deadline.
	ErrNotResolved = errors.New("no peer has bound the pipe")
	// ErrRefused is wrapped by the error of a dialed connection whose
	// listener refused it (the peer no longer listens on the pipe, or its
	// backlog is full), with the listener's reason: Dial does not wait
	// for the verdict, so the refusal is the error of the connection's
	// first Read, of a Write or Close once it has arrived, and of every
	// call after it.
	ErrRefused = errors.New("pipe connection refused")
	// ErrAlreadyBound is returned when this peer already has an input
	// pipe or listener for the pipe in the group.
	ErrAlreadyBound = errors.New("pipe already bound on this peer")
)
