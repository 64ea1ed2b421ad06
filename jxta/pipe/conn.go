package pipe

import (
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/libp2p/go-yamux/v5"
)

// Conn is one connection of a bidirectional pipe: a stream of its own on
// the multiplexed connection between two peers. Besides net.Conn it has
// CloseWrite (half-close: the other side reads io.EOF, and can still
// write).
//
// A dialed Conn is usable before the listener has accepted it (see Dial):
// if the listener refuses, the first Read, or the first Write after the
// refusal arrived, returns an error wrapping ErrRefused, as does every
// call after it.
type Conn struct {
	s             *endpoint.Stream
	local, remote Addr
	v             verdict // the listener's verdict; see verdict.go
}

var _ net.Conn = (*Conn)(nil)

// newConn returns the Conn of stream st: a dialed one waits for the
// listener's verdict.
func newConn(st *endpoint.Stream, local, remote Addr, dialed bool) *Conn {
	c := &Conn{s: st, local: local, remote: remote}
	if !dialed {
		c.v.state.Store(uint32(stateAccepted))
	}
	return c
}

// Read reads data the other side wrote. On a dialed connection the first
// Read waits for the listener's verdict.
func (c *Conn) Read(p []byte) (int, error) {
	if verdictState(c.v.state.Load()) != stateAccepted {
		if err := c.awaitVerdict(time.Time{}, true); err != nil {
			return 0, err
		}
	}
	n, err := c.s.Read(p)
	return n, streamError(err)
}

// Write writes data for the other side; it blocks while the other side's
// receive window is full (flow control). On a dialed connection it does
// not wait for the listener's verdict, unless more than 256 KiB would be
// written before it.
func (c *Conn) Write(p []byte) (int, error) {
	if verdictState(c.v.state.Load()) != stateAccepted {
		if err := c.beforeWrite(len(p)); err != nil {
			return 0, err
		}
	}
	n, err := c.s.Write(p)
	if err != nil && verdictState(c.v.state.Load()) == statePending {
		// A listener that ends the stream without a verdict refuses.
		if rerr := c.pollVerdict(); rerr != nil {
			return n, rerr
		}
	}
	return n, streamError(err)
}

// streamError makes a stream's deadline error wrap os.ErrDeadlineExceeded,
// as net.Conn promises.
func streamError(err error) error {
	if errors.Is(err, yamux.ErrTimeout) {
		return fmt.Errorf("pipe: %w", os.ErrDeadlineExceeded)
	}
	return err
}

// Close closes both directions. On a dialed connection written to before
// the listener's verdict arrived, it first waits for the verdict (until the
// write deadline, or at most 10 s) and returns the refusal, if that is what
// came: what was written went nowhere.
func (c *Conn) Close() error {
	var refusal error
	if verdictState(c.v.state.Load()) != stateAccepted {
		refusal = c.beforeClose()
	}
	c.v.closed.Store(true) // before a Read waiting for the verdict fails
	err := c.s.Close()
	if refusal != nil {
		return refusal
	}
	return err
}

// CloseWrite closes the writing direction: the other side reads io.EOF
// once it has read everything written before.
func (c *Conn) CloseWrite() error { return c.s.CloseWrite() }

// LocalAddr returns this end's pipe and peer.
func (c *Conn) LocalAddr() net.Addr { return c.local }

// RemoteAddr returns the other end's pipe and peer.
func (c *Conn) RemoteAddr() net.Addr { return c.remote }

// Peer returns the peer at the other end. It is verified: the pipe runs
// on the peer's connection, on which it proved that it holds the key of
// that peer ID.
func (c *Conn) Peer() jxta.PeerID { return c.remote.Peer }

// SetDeadline sets the read and write deadlines.
func (c *Conn) SetDeadline(t time.Time) error {
	c.v.dlMu.Lock()
	defer c.v.dlMu.Unlock()
	c.v.rdl, c.v.wdl = t, t
	return c.s.SetDeadline(t)
}

// SetReadDeadline sets the read deadline.
func (c *Conn) SetReadDeadline(t time.Time) error {
	c.v.dlMu.Lock()
	defer c.v.dlMu.Unlock()
	c.v.rdl = t
	return c.s.SetReadDeadline(t)
}

// SetWriteDeadline sets the write deadline.
func (c *Conn) SetWriteDeadline(t time.Time) error {
	c.v.dlMu.Lock()
	defer c.v.dlMu.Unlock()
	c.v.wdl = t
	return c.s.SetWriteDeadline(t)
}
