package pipe

import (
	"context"
	"fmt"
	"net"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
)

// Listener accepts the connections other peers dial to a pipe bound on
// this peer. It implements net.Listener.
type Listener struct {
	svc   *Service
	adv   *advert.PipeAdv
	typ   string // JxtaUnicast or JxtaUnicastSecure
	queue chan *Conn

	mu       sync.Mutex
	reserved int // queue places promised to connections being accepted
	closed   bool
	done     chan struct{}
}

var _ net.Listener = (*Listener)(nil)

// Listen binds adv (a unicast pipe) on this peer for bidirectional
// connections and returns its listener. Other peers find it with the Pipe
// Binding Protocol, as they find an input pipe. ctx bounds nothing yet
// (binding is local); it is there for symmetry with Dial.
func (s *Service) Listen(ctx context.Context, adv *advert.PipeAdv) (*Listener, error) {
	typ, err := checkType(adv)
	if err != nil {
		return nil, err
	}
	if !isUnicast(typ) {
		return nil, fmt.Errorf("pipe %s: bidirectional pipes need a %s advertisement, not %s", adv.PipeID, advert.PipeUnicast, typ)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("pipe %s: %w", adv.PipeID, err)
	}
	l := &Listener{svc: s, adv: adv, typ: typ, queue: make(chan *Conn, s.backlog), done: make(chan struct{})}
	if err := s.bind(adv.PipeID, nil, l); err != nil {
		return nil, err
	}
	if s.input(adv.PipeID) == nil {
		s.pushBinding(adv.PipeID, typ, true)
	}
	return l, nil
}

// Adv returns the pipe's advertisement.
func (l *Listener) Adv() *advert.PipeAdv { return l.adv }

// Accept waits for the next connection.
func (l *Listener) Accept() (net.Conn, error) { return l.AcceptPipe(context.Background()) }

// AcceptPipe waits for the next connection until ctx ends or the listener
// closes.
func (l *Listener) AcceptPipe(ctx context.Context) (*Conn, error) {
	select {
	case c := <-l.queue:
		return c, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	case <-l.done:
		return nil, fmt.Errorf("pipe %s: %w", l.adv.PipeID, net.ErrClosed)
	}
}

// Addr returns the pipe on this peer.
func (l *Listener) Addr() net.Addr { return Addr{Pipe: l.adv.PipeID, Peer: l.svc.ep.ID()} }

// Close stops listening: the pipe is unbound (unless an input pipe holds
// it) and connections not yet accepted are closed.
func (l *Listener) Close() error {
	l.mu.Lock()
	if l.closed {
		l.mu.Unlock()
		return nil
	}
	l.closed = true
	close(l.done)
	l.mu.Unlock()
	s := l.svc
	s.unbindListener(l.adv.PipeID, l)
	if s.input(l.adv.PipeID) == nil {
		s.pushBinding(l.adv.PipeID, l.typ, false)
	}
	for {
		select {
		case c := <-l.queue:
			c.s.Reset()
		default:
			return nil
		}
	}
}

// reserve promises a place in the queue to a connection being accepted.
func (l *Listener) reserve() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed || l.reserved+len(l.queue) >= cap(l.queue) {
		return false
	}
	l.reserved++
	return true
}

// enqueue fills a reserved place; a listener closed meanwhile refuses.
func (l *Listener) enqueue(c *Conn) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reserved--
	if l.closed {
		return false
	}
	l.queue <- c // never blocks: the place was reserved
	return true
}

// release gives back a reserved place.
func (l *Listener) release() {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.reserved--
}

// verdictTimeout bounds writing the verdict to a dialer.
const verdictTimeout = 10 * time.Second

// serveStream receives a dialed connection: it queues it on the pipe's
// listener, after telling the dialer, or refuses it.
func (s *Service) serveStream(st *endpoint.Stream) {
	id, err := jxta.ParsePipeID(st.Arg)
	if err != nil {
		s.log.Warn("pipe: connection for a bad pipe ID refused", "peer", st.Peer, "err", err)
		refuse(st, "bad pipe ID")
		return
	}
	if s.gate != nil {
		ctx, cancel := context.WithTimeout(s.ctx, verdictTimeout)
		err := s.gate.AdmitStream(ctx, st.Peer)
		cancel()
		if err != nil {
			s.log.Debug("pipe: connection refused", "peer", st.Peer, "err", err)
			refuse(st, "not a proven member of the group")
			return
		}
	}
	l := s.listener(id)
	if l == nil {
		refuse(st, "no listener for the pipe on this peer")
		return
	}
	if !l.reserve() {
		refuse(st, "the listener's backlog is full or it is closing")
		return
	}
	c := newConn(st, Addr{Pipe: id, Peer: s.ep.ID()}, Addr{Pipe: id, Peer: st.Peer}, false)
	// One byte on a new stream fits its window: the write waits only for
	// the session, whose writes the connection's keep-alive bounds, so it
	// needs no deadline (nor the timer one costs).
	if err := writeVerdict(st, ""); err != nil {
		l.release()
		st.Reset()
		return
	}
	if !l.enqueue(c) {
		st.Reset()
	}
}

// refuse tells a dialer why its connection is refused, and closes it.
func refuse(st *endpoint.Stream, reason string) {
	_ = st.SetWriteDeadline(time.Now().Add(verdictTimeout))
	_ = writeVerdict(st, reason)
	st.Close()
}

// String describes the listener.
func (l *Listener) String() string {
	return fmt.Sprintf("listener on pipe %q (%s)", l.adv.Name, l.adv.PipeID)
}
