package pipe

import (
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/libp2p/go-yamux/v5"
)

// Conn is one connection of a bidirectional pipe: a stream of its own on
// the multiplexed connection between two peers. Besides net.Conn it has
// CloseWrite (half-close: the other side reads io.EOF, and can still
// write).
type Conn struct {
	s             *endpoint.Stream
	local, remote Addr

	// A dialed connection starts with the listener's verdict (see
	// writeVerdict); confirmed reads it once.
	confirmOnce sync.Once
	confirmErr  error
	dialed      bool
}

var _ net.Conn = (*Conn)(nil)

// Verdicts a listener sends first on a new connection.
const (
	verdictAccepted byte = 0
	verdictRefused  byte = 1
)

// confirm reads the listener's verdict, once, on a dialed connection.
func (c *Conn) confirm() error {
	if !c.dialed {
		return nil
	}
	c.confirmOnce.Do(func() {
		var b [2]byte
		if _, err := io.ReadFull(c.s, b[:1]); err != nil {
			c.confirmErr = fmt.Errorf("pipe %s on %s: %w: %w", c.remote.Pipe, c.remote.Peer, ErrRefused, err)
			return
		}
		if b[0] == verdictAccepted {
			return
		}
		reason := "refused"
		if _, err := io.ReadFull(c.s, b[1:2]); err == nil {
			msg := make([]byte, b[1])
			if _, err := io.ReadFull(c.s, msg); err == nil {
				reason = string(msg)
			}
		}
		c.confirmErr = fmt.Errorf("pipe %s on %s: %w: %s", c.remote.Pipe, c.remote.Peer, ErrRefused, reason)
	})
	return c.confirmErr
}

// writeVerdict answers a dialer: accepted, or refused with a reason.
func writeVerdict(w io.Writer, refusal string) error {
	if refusal == "" {
		_, err := w.Write([]byte{verdictAccepted})
		return err
	}
	if len(refusal) > 255 {
		refusal = refusal[:255]
	}
	b := append([]byte{verdictRefused, byte(len(refusal))}, refusal...)
	_, err := w.Write(b)
	return err
}

// Read reads data the other side wrote.
func (c *Conn) Read(p []byte) (int, error) {
	if err := c.confirm(); err != nil {
		return 0, err
	}
	n, err := c.s.Read(p)
	return n, streamError(err)
}

// Write writes data for the other side; it blocks while the other side's
// receive window is full (flow control).
func (c *Conn) Write(p []byte) (int, error) {
	n, err := c.s.Write(p)
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

// Close closes both directions.
func (c *Conn) Close() error { return c.s.Close() }

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
func (c *Conn) SetDeadline(t time.Time) error { return c.s.SetDeadline(t) }

// SetReadDeadline sets the read deadline.
func (c *Conn) SetReadDeadline(t time.Time) error { return c.s.SetReadDeadline(t) }

// SetWriteDeadline sets the write deadline.
func (c *Conn) SetWriteDeadline(t time.Time) error { return c.s.SetWriteDeadline(t) }
