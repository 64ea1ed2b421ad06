package pipe

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-yamux/v5"
)

// The listener's verdict on a dialed connection.
//
// A listener writes its verdict before anything else on a connection it
// is dialed on: verdictAccepted, or verdictRefused, a length byte and the
// reason, after which it closes the stream. The dialer does not wait for
// it: Dial returns once the stream is open and its protocol line sent, and
// the verdict is read when the dialer first needs it:
//
//   - Read reads it first, waiting for it (under the read deadline).
//   - Write does not wait: it takes a verdict that has already arrived
//     (polling the stream without blocking) and otherwise writes at once.
//     A refusing listener discards what was written (its application
//     never sees the connection). Only when more than maxUnverdicted
//     bytes would be written before the verdict does Write wait for it,
//     so that a refused stream never fills its send window.
//   - Close waits for it (see closeVerdictWait) if anything was written
//     before it, so that written data is never lost without an error.
//
// A refusal, once read, is the error of every later Read, Write and
// Close. The states of a dialed connection, which only move forward:
//
//	pending --verdictAccepted--> accepted
//	pending --verdictRefused, or the stream ended first--> refused
//
// A connection a listener accepted starts accepted.
type verdictState uint32

const (
	statePending verdictState = iota
	stateAccepted
	stateRefused
)

// Verdict bytes a listener sends first on a new connection.
const (
	verdictAccepted byte = 0
	verdictRefused  byte = 1
)

// maxUnverdicted bounds the bytes Write sends before the verdict: go-yamux's
// default initial stream window, a quarter of the endpoint's, so a
// refusing listener's window (which never opens again) is never the
// reason a Write blocks.
const maxUnverdicted = 256 << 10

// closeVerdictWait bounds how long Close waits for the verdict of a
// connection written to, when no write deadline is set.
const closeVerdictWait = verdictTimeout

// acceptedVerdict is the verdict of every accepted connection; it is only
// ever read.
var acceptedVerdict = []byte{verdictAccepted}

// past is a read deadline that has already passed: a Read with it takes
// what the stream holds and does not wait.
var past = time.Unix(1, 0)

// verdict is a dialed connection's view of the listener's verdict, and the
// deadlines it must restore after reading the verdict under another one.
type verdict struct {
	state atomic.Uint32 // a verdictState
	err   error         // why refused; set before state becomes stateRefused
	// written counts the bytes written before the verdict.
	written atomic.Int64
	// closed is set when Close began: a read that fails then is not a
	// refusal.
	closed atomic.Bool
	// refused is called once if the listener refuses (Dial forgets the
	// binding); nil for none.
	refused func()

	// mu is held while the verdict is read.
	mu sync.Mutex
	// dlMu guards the user's deadlines, rdl and wdl, and the stream's read
	// deadline while the verdict is read under another.
	dlMu     sync.Mutex
	rdl, wdl time.Time
}

// known returns whether the verdict is known, and the refusal if it is one.
func (c *Conn) known() (bool, error) {
	switch verdictState(c.v.state.Load()) {
	case stateAccepted:
		return true, nil
	case stateRefused:
		return true, c.v.err
	}
	return false, nil
}

// pollVerdict takes the verdict if it has arrived, without waiting, and
// returns the refusal, if that is what arrived. When another call is
// reading the verdict, it returns at once.
func (c *Conn) pollVerdict() error {
	if done, err := c.known(); done {
		return err
	}
	if !c.v.mu.TryLock() {
		return nil
	}
	defer c.v.mu.Unlock()
	if done, err := c.known(); done {
		return err
	}
	var b [1]byte
	c.v.dlMu.Lock()
	_ = c.s.SetReadDeadline(past)
	n, err := c.s.Read(b[:])
	_ = c.s.SetReadDeadline(c.v.rdl)
	c.v.dlMu.Unlock()
	if n == 0 && errors.Is(err, yamux.ErrTimeout) {
		return nil // not yet
	}
	return c.settle(b[0], n, err)
}

// awaitVerdict waits for the verdict and returns the refusal, if that is
// what came. With a zero dl, the read deadline bounds the wait; otherwise
// dl does. A wait that ends at the deadline leaves the verdict pending and
// returns an error wrapping os.ErrDeadlineExceeded. Unless queue is set,
// it returns nil at once when another call is reading the verdict.
func (c *Conn) awaitVerdict(dl time.Time, queue bool) error {
	if done, err := c.known(); done {
		return err
	}
	if queue {
		c.v.mu.Lock()
	} else if !c.v.mu.TryLock() {
		return nil
	}
	defer c.v.mu.Unlock()
	if done, err := c.known(); done {
		return err
	}
	if !dl.IsZero() {
		c.v.dlMu.Lock()
		_ = c.s.SetReadDeadline(dl)
		c.v.dlMu.Unlock()
	}
	var b [1]byte
	n, err := io.ReadFull(c.s, b[:])
	if !dl.IsZero() {
		// Before the verdict is published, so that no Read runs under
		// dl.
		c.v.dlMu.Lock()
		_ = c.s.SetReadDeadline(c.v.rdl)
		c.v.dlMu.Unlock()
	}
	return c.settle(b[0], n, err)
}

// settle records the verdict whose first byte b was read (n is 1), or the
// error of reading it, and returns the refusal, if it is one. It runs
// with c.v.mu held.
func (c *Conn) settle(b byte, n int, err error) error {
	switch {
	case n == 0 && (err == nil || errors.Is(err, yamux.ErrTimeout)):
		return streamError(err) // still pending
	case n == 0 && c.v.closed.Load():
		return fmt.Errorf("pipe %s on %s: %w", c.remote.Pipe, c.remote.Peer, ErrClosed)
	case n == 0:
		// The listener's peer ended the stream without a verdict (it has
		// no handler for pipes of this group), or the connection failed.
		return c.refuse(fmt.Errorf("pipe %s on %s: %w: %w", c.remote.Pipe, c.remote.Peer, ErrRefused, err))
	case b == verdictAccepted:
		c.v.state.Store(uint32(stateAccepted))
		return nil
	}
	// The reason came in the same write as the verdict, and the listener
	// closes the stream after it: these reads do not wait.
	reason := "refused"
	var l [1]byte
	if _, err := io.ReadFull(c.s, l[:]); err == nil {
		msg := make([]byte, l[0])
		if _, err := io.ReadFull(c.s, msg); err == nil {
			reason = string(msg)
		}
	}
	return c.refuse(fmt.Errorf("pipe %s on %s: %w: %s", c.remote.Pipe, c.remote.Peer, ErrRefused, reason))
}

// refuse records the refusal err and returns it.
func (c *Conn) refuse(err error) error {
	c.v.err = err
	c.v.state.Store(uint32(stateRefused))
	if c.v.refused != nil {
		c.v.refused()
	}
	return err
}

// beforeWrite returns the refusal if it has arrived, and waits for the
// verdict if writing n more bytes before it would send more than
// maxUnverdicted.
func (c *Conn) beforeWrite(n int) error {
	if err := c.pollVerdict(); err != nil {
		return err
	}
	if done, _ := c.known(); done || c.v.written.Add(int64(n)) <= maxUnverdicted {
		return nil
	}
	c.v.dlMu.Lock()
	dl := earliest(c.v.rdl, c.v.wdl)
	c.v.dlMu.Unlock()
	return c.awaitVerdict(dl, true)
}

// beforeClose waits for the verdict of a connection written to before it
// (at most until the write deadline, or closeVerdictWait), and returns the
// refusal, if that is what came.
func (c *Conn) beforeClose() error {
	if done, err := c.known(); done || c.v.written.Load() == 0 {
		return err
	}
	c.v.dlMu.Lock()
	dl := c.v.wdl
	c.v.dlMu.Unlock()
	if dl.IsZero() {
		dl = time.Now().Add(closeVerdictWait)
	}
	// A call reading the verdict already is left to the stream's closing.
	if err := c.awaitVerdict(dl, false); errors.Is(err, ErrRefused) {
		return err
	}
	return nil
}

// earliest returns the earlier of two deadlines, zero meaning none.
func earliest(a, b time.Time) time.Time {
	if a.IsZero() || (!b.IsZero() && b.Before(a)) {
		return b
	}
	return a
}

// writeVerdict answers a dialer: accepted, or refused with a reason.
func writeVerdict(w io.Writer, refusal string) error {
	if refusal == "" {
		_, err := w.Write(acceptedVerdict)
		return err
	}
	if len(refusal) > 255 {
		refusal = refusal[:255]
	}
	b := append([]byte{verdictRefused, byte(len(refusal))}, refusal...)
	_, err := w.Write(b)
	return err
}
