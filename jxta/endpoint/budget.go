package endpoint

import (
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
	"github.com/libp2p/go-yamux/v5"
)

// ErrOverBudget reports a message whose body would take the peer's
// partly received messages past Config.MaxPendingBytes: its connection is
// dropped.
var ErrOverBudget = errors.New("partly received messages over the peer's memory budget")

// bodyBudget holds the memory of all the message bodies a peer is
// receiving within one bound. Each connection receives one message at a
// time (at most Config.MaxMessageSize); bodies up to 256 KiB are not
// counted, so that small messages never wait on large ones; the memory
// of a larger body counts from its first byte beyond 256 KiB until it is
// complete.
type bodyBudget struct {
	max int64

	mu   sync.Mutex
	used int64
}

// take reserves n bytes, or fails with ErrOverBudget.
func (b *bodyBudget) take(n int) error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.used+int64(n) > b.max {
		return fmt.Errorf("%w (%d MiB)", ErrOverBudget, b.max>>20)
	}
	b.used += int64(n)
	return nil
}

// give returns n bytes.
func (b *bodyBudget) give(n int) {
	b.mu.Lock()
	b.used -= int64(n)
	b.mu.Unlock()
}

// inUse returns the bytes reserved.
func (b *bodyBudget) inUse() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// pacedReader is what a connection's messages are read from. While a
// body is being read it requires each paceQuantum of it to arrive within
// the pace window (Config.BodyStallTimeout): a body that stops arriving,
// or trickles, ends the connection instead of holding its memory.
type pacedReader struct {
	r      io.Reader
	d      interface{ SetReadDeadline(time.Time) error } // the deadline of what r reads
	window time.Duration
	armed  bool
	since  int // bytes read since the deadline was last set
}

// paceQuantum is how much of a body must arrive within each pace window:
// 64 KiB per 5 s by default, about 13 KB/s.
const paceQuantum = 64 << 10

// Read reads, and moves the deadline on each paceQuantum read while
// armed.
func (p *pacedReader) Read(b []byte) (int, error) {
	n, err := p.r.Read(b)
	if p.armed {
		if p.since += n; p.since >= paceQuantum {
			p.since = 0
			_ = p.d.SetReadDeadline(time.Now().Add(p.window))
		}
	}
	return n, err
}

// arm starts pacing: the body's first paceQuantum must arrive within the
// window.
func (p *pacedReader) arm() {
	p.armed, p.since = true, 0
	_ = p.d.SetReadDeadline(time.Now().Add(p.window))
}

// disarm stops pacing: waiting for the next message takes as long as it
// takes.
func (p *pacedReader) disarm() {
	p.armed = false
	_ = p.d.SetReadDeadline(time.Time{})
}

// messageReader reads the message packages of a connection within the
// peer's budget and pace (bodyBudget, pacedReader), and decodes them.
type messageReader struct {
	ep       *Endpoint
	r        *framing.Reader
	pace     *pacedReader
	reserved int // of the budget, for the body being read
	lim      jxta.MessageLimits
}

// newMessageReader reads the packages of pace.
func (e *Endpoint) newMessageReader(pace *pacedReader) *messageReader {
	m := &messageReader{ep: e, r: framing.NewReader(pace, e.cfg.MaxMessageSize), pace: pace,
		lim: jxta.MessageLimits{MaxSize: e.cfg.MaxMessageSize}}
	m.r.SetGrow(func(n int) error {
		if err := e.budget.take(n); err != nil {
			return err
		}
		m.reserved += n
		return nil
	})
	return m
}

// next reads and decodes the next message; size is its encoded size. It
// returns io.EOF as it is when the stream ends before a package begins,
// and otherwise says what failed: the package, a body that stops
// arriving, a content type other than a message's, a message that does
// not decode.
func (m *messageReader) next() (msg *jxta.Message, size int, err error) {
	ct, n, err := m.r.ReadHeader()
	if errors.Is(err, io.EOF) {
		return nil, 0, err
	}
	if err != nil {
		return nil, 0, fmt.Errorf("reading message: %w", err)
	}
	// A body that has arrived whole (a small message, mostly) is read
	// without waiting: no pace to keep, and no deadline to set and clear.
	paced := n > m.r.Buffered()
	if paced {
		m.pace.arm()
	}
	body, err := m.r.ReadBody(n, nil)
	if paced {
		m.pace.disarm()
	}
	m.ep.budget.give(m.reserved)
	m.reserved = 0
	if err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) || errors.Is(err, yamux.ErrTimeout) {
			err = fmt.Errorf("a message body of %d bytes stopped arriving (less than 64 KiB in %v): %w", n, m.ep.cfg.BodyStallTimeout, err)
		}
		return nil, 0, fmt.Errorf("reading message: %w", err)
	}
	if ct != jxta.TypeMessage {
		return nil, 0, fmt.Errorf("unknown message content type %q", ct)
	}
	msg, err = jxta.DecodeBinary(body, m.lim)
	if err != nil {
		return nil, 0, fmt.Errorf("bad message: %w", err)
	}
	return msg, len(body), nil
}
