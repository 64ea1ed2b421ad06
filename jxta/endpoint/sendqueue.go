package endpoint

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
	"github.com/gojxta/gojxta/jxta/metrics"
	"github.com/libp2p/go-yamux/v5"
)

// sendQueue writes a connection's outgoing messages on its message stream.
//
// A message sent while the connection is quiet is written at once by the
// sender. Messages that come in a burst (within burstWindow of the
// previous one, or while a write is in progress) are appended to a buffer
// that a writer goroutine drains, many messages per stream write: this
// spares the multiplexer a frame per message. The writer is started when
// messages wait and returns when none is left, so that an idle
// connection costs no goroutine. Send returns when the
// message is written or queued; the queue holds at most sendQueueLimit
// bytes, beyond which senders wait. A write that fails or times out (the
// peer stopped reading) fails the connection, and every later send.
//
// closeWrite ends the queue: it refuses new messages, waits until those it
// took are written on the stream, and half-closes the stream, so that the
// peer reads them all and then the end of the stream.
type sendQueue struct {
	c       *conn
	timeout time.Duration

	mu          sync.Mutex
	drained     *sync.Cond // signalled when the queue shrinks or fails
	stream      *yamux.Stream
	pending     []byte // packages waiting for the writer
	pendingMsgs int    // how many messages pending holds
	spare       []byte
	direct      []byte // the buffer of a sender's own write
	writing     bool   // a sender or the writer is writing
	last        time.Time
	err         error
	closing     bool // closeWrite was called: no new messages
	// deadline is the stream's write deadline; it is pushed forward only
	// when less than half the timeout remains, since setting it costs a
	// timer (the way go-yamux extends its own connection deadline).
	deadline time.Time
}

const (
	// burstWindow is how soon after the previous message a message counts
	// as part of a burst and is queued rather than written at once.
	burstWindow = 20 * time.Microsecond
	// sendQueueLimit bounds the bytes queued per connection.
	sendQueueLimit = 1 << 20
	// keepBuffer is the largest buffer kept for reuse after a write.
	keepBuffer = 4 << 20
)

func newSendQueue(c *conn, timeout time.Duration) *sendQueue {
	q := &sendQueue{c: c, timeout: timeout}
	q.drained = sync.NewCond(&q.mu)
	return q
}

// start sets the stream to write on.
func (q *sendQueue) start(s *yamux.Stream) {
	q.mu.Lock()
	q.stream = s
	q.mu.Unlock()
}

// appendPackage appends m as a message package, with the endpoint's
// source and destination address elements, encoding it straight into buf,
// and counts it in svc.
func (q *sendQueue) appendPackage(buf []byte, m *jxta.Message, dst []byte, svc *metrics.Service) []byte {
	buf, start := framing.AppendPackageTo(buf, jxta.TypeMessage)
	bodyStart := len(buf)
	buf = jxta.AppendBinaryWith(buf, m,
		jxta.Element{Namespace: jxta.NamespaceJXTA, Name: SourceAddressElement, Type: jxta.TypeText, Data: q.c.ep.srcAddr},
		jxta.Element{Namespace: jxta.NamespaceJXTA, Name: DestinationAddressElement, Type: jxta.TypeText, Data: dst})
	framing.SetBodyLength(buf[start:], len(buf)-bodyStart)
	svc.Sent(len(buf) - bodyStart)
	return buf
}

// send writes or queues m. A context that has ended stops the send; one
// ending while the sender waits for room in the queue does not stop the
// wait, which the send timeout bounds.
func (q *sendQueue) send(ctx context.Context, m *jxta.Message, dst []byte, svc *metrics.Service) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	q.mu.Lock()
	for q.err == nil && !q.closing && len(q.pending) >= sendQueueLimit {
		q.drained.Wait()
	}
	if q.err != nil {
		err := q.err
		q.mu.Unlock()
		return err
	}
	if q.closing {
		q.mu.Unlock()
		return fmt.Errorf("connection to %s is closing: %w", q.c.peer, ErrClosed)
	}
	if q.stream == nil {
		q.mu.Unlock()
		return fmt.Errorf("connection to %s is not ready", q.c.peer)
	}
	now := time.Now()
	burst := now.Sub(q.last) < burstWindow
	q.last = now
	if q.writing || burst || len(q.pending) > 0 {
		q.pending = q.appendPackage(q.pending, m, dst, svc)
		q.pendingMsgs++
		if !q.writing {
			q.writing = true
			q.startWriter()
		}
		q.mu.Unlock()
		return nil
	}
	q.writing = true
	buf := q.appendPackage(q.direct[:0], m, dst, svc)
	q.direct = nil
	q.mu.Unlock()

	err := q.write(buf, 1)

	q.mu.Lock()
	if cap(buf) <= keepBuffer {
		q.direct = buf[:0]
	}
	if len(q.pending) > 0 && q.err == nil {
		q.startWriter() // stays writing: the writer takes over
	} else {
		q.writing = false
	}
	q.drained.Broadcast()
	q.mu.Unlock()
	return err
}

// closeWrite refuses new messages, waits until every message taken is
// written on the stream (into the multiplexer, which sends its frames in
// order), then half-closes the stream. It returns the stream, or an error
// if the connection failed first; closing the connection ends the wait.
func (q *sendQueue) closeWrite() (*yamux.Stream, error) {
	q.mu.Lock()
	q.closing = true
	q.drained.Broadcast() // senders waiting for room give up
	for q.err == nil && (q.writing || len(q.pending) > 0) {
		q.drained.Wait()
	}
	s, err := q.stream, q.err
	q.mu.Unlock()
	if err != nil {
		return nil, err
	}
	if s == nil {
		return nil, fmt.Errorf("connection to %s is not ready", q.c.peer)
	}
	if err := s.CloseWrite(); err != nil {
		return nil, err
	}
	return s, nil
}

// startWriter starts the writer. The caller holds q.mu, has set
// q.writing, and saw no error: the connection has not closed (conn.close
// fails the queue first), so the endpoint's Close is not yet waiting for
// its goroutines.
func (q *sendQueue) startWriter() {
	q.c.ep.wg.Add(1)
	go q.writer()
}

// write writes buf on the stream within the send timeout; on failure it
// fails the queue and the connection. Only one goroutine writes at a time
// (the one that set q.writing).
func (q *sendQueue) write(buf []byte, msgs int) error {
	if now := time.Now(); q.deadline.Sub(now) < q.timeout/2 {
		q.deadline = now.Add(q.timeout)
		_ = q.stream.SetWriteDeadline(q.deadline)
	}
	if _, err := q.stream.Write(buf); err != nil {
		if errors.Is(err, yamux.ErrTimeout) {
			err = fmt.Errorf("peer %s stopped reading: %w", q.c.peer, err)
		}
		q.fail(err)
		go q.c.close(err) // not here: close waits for nothing, but takes the endpoint's lock
		return err
	}
	q.c.touch()
	q.c.traffic.sent(msgs, len(buf), time.Now())
	return nil
}

func (q *sendQueue) fail(err error) {
	q.mu.Lock()
	if q.err == nil {
		q.err = err
	}
	q.drained.Broadcast()
	q.mu.Unlock()
}

// writer drains the queue, many messages per write, and returns when it
// is empty or the connection failed.
func (q *sendQueue) writer() {
	defer q.c.ep.wg.Done()
	for {
		q.mu.Lock()
		if len(q.pending) == 0 || q.err != nil {
			q.writing = false
			q.drained.Broadcast()
			q.mu.Unlock()
			return
		}
		batch, msgs := q.pending, q.pendingMsgs
		q.pending, q.pendingMsgs = q.spare[:0], 0
		q.spare = nil
		q.drained.Broadcast()
		q.mu.Unlock()

		err := q.write(batch, msgs)

		q.mu.Lock()
		if cap(batch) <= keepBuffer {
			q.spare = batch[:0]
		}
		q.mu.Unlock()
		if err != nil {
			q.mu.Lock()
			q.writing = false
			q.drained.Broadcast()
			q.mu.Unlock()
			return
		}
	}
}
