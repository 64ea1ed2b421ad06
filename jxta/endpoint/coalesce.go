package endpoint

import (
	"net"
	"sync"
	"time"
)

// coalescingConn sits between the multiplexer and the transport
// connection and gathers small writes into large ones.
//
// go-yamux writes every frame with its own system call (its write
// coalescing is disabled), so a stream of small messages costs one system
// call each. Here a write that follows the previous one closely (within
// coalesceWindow: the connection is busy) is copied into a buffer, and a
// flusher goroutine writes whatever has gathered while its previous system
// call ran, so that under load many frames leave in one call. The flusher
// is started when the buffer fills from empty and returns when it is
// empty again: a quiet connection costs no goroutine. A write on a
// quiet connection, and a write of coalesceBypass bytes or more, goes
// straight to the connection when nothing is buffered: a lone message pays
// no hand-off to the flusher and a large one no extra copy.
//
// Write errors are sticky: once the connection fails, every later Write
// returns the error, which ends the multiplexer's session.
type coalescingConn struct {
	net.Conn
	writeTimeout time.Duration

	mu       sync.Mutex
	drained  *sync.Cond // signalled when the buffer empties
	buf      []byte     // waiting to be written
	spare    []byte
	flushing bool      // the flusher is writing or about to
	direct   bool      // a bypassing write is in progress
	last     time.Time // when the previous Write came
	deadline time.Time // the connection's write deadline, extended lazily
	err      error
	closed   bool
	flushers sync.WaitGroup
}

const (
	// coalesceBypass is the size from which a write skips the buffer when
	// it is empty.
	coalesceBypass = 32 << 10
	// coalesceWindow is how soon after the previous write a write counts
	// as part of a burst, and is buffered.
	coalesceWindow = 20 * time.Microsecond
	// coalesceLimit bounds the buffer; writers wait beyond it. It is
	// small for the same reason as notSentLowat: what waits here is ahead
	// of every stream's next frame.
	coalesceLimit = 128 << 10
)

func newCoalescingConn(c net.Conn, writeTimeout time.Duration) *coalescingConn {
	cc := &coalescingConn{Conn: c, writeTimeout: writeTimeout}
	cc.drained = sync.NewCond(&cc.mu)
	return cc
}

func (c *coalescingConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	for c.err == nil && (len(c.buf) >= coalesceLimit || c.direct) {
		c.drained.Wait()
	}
	if c.err != nil {
		err := c.err
		c.mu.Unlock()
		return 0, err
	}
	now := time.Now()
	burst := now.Sub(c.last) < coalesceWindow
	c.last = now
	if (len(p) >= coalesceBypass || !burst) && len(c.buf) == 0 && !c.flushing {
		c.direct = true
		c.mu.Unlock()
		err := c.write(p)
		c.mu.Lock()
		c.direct = false
		if err != nil && c.err == nil {
			c.err = err
		}
		c.drained.Broadcast()
		c.mu.Unlock()
		if err != nil {
			return 0, err
		}
		return len(p), nil
	}
	c.buf = append(c.buf, p...)
	if !c.flushing {
		c.flushing = true
		c.flushers.Add(1) // c.err is nil: Close has not begun waiting
		go c.flusher()
	}
	c.mu.Unlock()
	return len(p), nil
}

// write writes p within the write timeout. Only one goroutine writes at a
// time (the direct writer or the flusher).
func (c *coalescingConn) write(p []byte) error {
	if now := time.Now(); c.writeTimeout > 0 && c.deadline.Sub(now) < c.writeTimeout/2 {
		c.deadline = now.Add(c.writeTimeout)
		_ = c.Conn.SetWriteDeadline(c.deadline)
	}
	_, err := c.Conn.Write(p)
	return err
}

// flusher writes the buffer out, one system call per batch, until it is
// empty or the connection failed.
func (c *coalescingConn) flusher() {
	defer c.flushers.Done()
	for {
		c.mu.Lock()
		for c.direct {
			c.drained.Wait()
		}
		if len(c.buf) == 0 || c.err != nil {
			c.flushing = false
			c.drained.Broadcast()
			c.mu.Unlock()
			return
		}
		batch := c.buf
		c.buf = c.spare[:0]
		c.mu.Unlock()

		err := c.write(batch)

		c.mu.Lock()
		if err != nil && c.err == nil {
			c.err = err
		}
		if cap(batch) <= 4*coalesceLimit {
			c.spare = batch[:0]
		}
		c.drained.Broadcast()
		c.mu.Unlock()
	}
}

// Close closes the connection and waits for the flusher, if one runs. Data still buffered
// is dropped: the session is ending. When the connection closes after
// conn.finish, both peers have read every message first, so what is
// dropped is at most multiplexer bookkeeping (window updates, pings).
func (c *coalescingConn) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	if c.err == nil {
		c.err = net.ErrClosed
	}
	c.buf = nil
	c.drained.Broadcast()
	c.mu.Unlock()
	err := c.Conn.Close()
	c.flushers.Wait()
	return err
}
