package xfer

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"
)

// DefaultIdleTimeout is how long a transfer waits for the peer to send or
// take data before giving up.
const DefaultIdleTimeout = 60 * time.Second

// guard is a connection as one transfer uses it: the end of ctx
// interrupts a read or write at once, and a read that waits longer than
// readIdle, or a write longer than writeIdle, fails with ErrIdle (0: no
// limit).
type guard struct {
	conn                net.Conn
	ctx                 context.Context
	readIdle, writeIdle time.Duration
	stop                func() bool
}

// newGuard guards conn for ctx; release it with done.
func newGuard(ctx context.Context, conn net.Conn, readIdle, writeIdle time.Duration) *guard {
	g := &guard{conn: conn, ctx: ctx, readIdle: readIdle, writeIdle: writeIdle}
	g.stop = context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	return g
}

// done stops watching the context.
func (g *guard) done() { g.stop() }

// Read reads from the connection.
func (g *guard) Read(p []byte) (int, error) {
	if g.readIdle > 0 {
		_ = g.conn.SetReadDeadline(time.Now().Add(g.readIdle))
	}
	if err := g.ctx.Err(); err != nil { // checked after the deadline is set: see newGuard
		return 0, err
	}
	n, err := g.conn.Read(p)
	return n, g.explain(err, g.readIdle)
}

// Write writes to the connection.
func (g *guard) Write(p []byte) (int, error) {
	if g.writeIdle > 0 {
		_ = g.conn.SetWriteDeadline(time.Now().Add(g.writeIdle))
	}
	if err := g.ctx.Err(); err != nil {
		return 0, err
	}
	n, err := g.conn.Write(p)
	return n, g.explain(err, g.writeIdle)
}

// explain turns a deadline error into the context's error or ErrIdle.
func (g *guard) explain(err error, idle time.Duration) error {
	switch {
	case err == nil:
		return nil
	case g.ctx.Err() != nil:
		return g.ctx.Err()
	case errors.Is(err, os.ErrDeadlineExceeded):
		return fmt.Errorf("%w for %v", ErrIdle, idle)
	}
	return err
}
