package rendezvous

import (
	"context"
	"time"

	"github.com/gojxta/gojxta/internal/serial"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
)

// askTimeout is how long an edge waits for a grant before it asks the
// next candidate: a quarter of the lease (so that a silent rendezvous
// costs little of it), within 100 ms..5 s.
func (s *Service) askTimeout() time.Duration {
	return min(max(s.cfg.Lease/4, 100*time.Millisecond), 5*time.Second)
}

// connectSettle is how long an edge without a lease waits after a peer
// connects before it looks for a rendezvous: seeds dialed together
// connect within it, and the first of them gets asked first.
const connectSettle = 50 * time.Millisecond

// retryWait is how long an edge without a lease waits before it asks
// the candidates again (unless a peer connects first).
func (s *Service) retryWait() time.Duration {
	return min(max(s.cfg.Lease/10, 200*time.Millisecond), 5*time.Second)
}

// edgeLoop keeps the edge's lease: it asks for one when it has none,
// renews it at half its length, and fails over to another candidate at
// once when its rendezvous disconnects, leaves or stops granting. It runs
// the work of Connect and Disconnect between its lease checks.
//
// Its steps (a lease check when its timer fires, an endpoint event, a
// piece of work) run one at a time on a serial.Queue, which has a
// goroutine only while a step runs: an edge waiting out its lease costs
// a timer, not a goroutine. Only the queue touches timer and next.
type edgeLoop struct {
	s         *Service
	ctx       context.Context // the loop's: ends when the role does
	q         serial.Queue
	timer     *time.Timer // fires the next lease check
	next      time.Time   // when timer fires
	stopWatch func()
	stopped   chan struct{} // closed once stop returns
}

// startEdgeLoop starts the loop with a lease check at once; it stops
// when stop is called (after ctx is cancelled) or the endpoint closes.
func (s *Service) startEdgeLoop(ctx context.Context) *edgeLoop {
	l := &edgeLoop{s: s, ctx: ctx, stopped: make(chan struct{})}
	l.q.Post(func() { l.next, l.timer = time.Now(), l.q.AfterFunc(0, l.check) })
	l.stopWatch = s.ep.Watch(func(ev endpoint.Event) { l.q.Post(func() { l.event(ev) }) })
	return l
}

// check renews or finds a lease if it is due, and sets the timer for the
// next check.
func (l *edgeLoop) check() {
	if l.done() {
		return
	}
	wait := l.s.keepLease(l.ctx)
	if l.done() {
		return
	}
	l.next = time.Now().Add(wait)
	l.timer.Reset(wait)
}

// done reports whether the loop should stop: its role ended, or the
// endpoint closed.
func (l *edgeLoop) done() bool {
	select {
	case <-l.ctx.Done():
		return true
	case <-l.s.ep.Done():
		return true
	default:
		return false
	}
}

// soon brings the next check forward to within wait.
func (l *edgeLoop) soon(wait time.Duration) {
	if l.timer != nil && time.Now().Add(wait).Before(l.next) {
		l.next = time.Now().Add(wait)
		l.timer.Reset(wait)
	}
}

// event takes in an endpoint event.
func (l *edgeLoop) event(ev endpoint.Event) {
	if wait, ok := l.s.leaseEvent(ev); ok {
		l.soon(wait)
	}
}

// do runs f on the loop with the loop's context, then checks the lease
// at once (f may have changed it). It reports false if the loop stopped.
func (l *edgeLoop) do(f func(loop context.Context)) bool {
	return l.q.Post(func() {
		f(l.ctx)
		l.soon(0)
	})
}

// poke makes the loop look for a rendezvous now.
func (l *edgeLoop) poke() { l.q.Post(func() { l.soon(0) }) }

// stop stops the loop and waits until no step runs. The caller has
// cancelled the loop's context, which ends a lease request under way.
func (l *edgeLoop) stop() {
	l.stopWatch()
	l.q.Close()
	if l.timer != nil {
		l.timer.Stop()
	}
	close(l.stopped)
}

// leaseEvent takes in an endpoint event and reports whether the edge
// should look for a rendezvous soon, and in how long: at once when its
// rendezvous disconnected, shortly when a peer connected while it has
// none.
func (s *Service) leaseEvent(ev endpoint.Event) (time.Duration, bool) {
	s.g.mu.Lock()
	rdv := s.g.edge.rdv
	s.g.mu.Unlock()
	switch {
	case ev.Kind == endpoint.PeerDisconnected && ev.Peer == rdv:
		s.loseLease(rdv)
		return 0, true
	case ev.Kind == endpoint.PeerConnected && rdv.IsNull():
		return connectSettle, true
	}
	return 0, false
}

// loseLease forgets the lease with rdv, if it is still the current one.
func (s *Service) loseLease(rdv jxta.PeerID) {
	s.g.mu.Lock()
	lost := s.g.edge.rdv == rdv && !rdv.IsNull()
	if lost {
		s.g.edge.lose()
	}
	s.g.mu.Unlock()
	if lost {
		s.log.Info("rendezvous: lease lost", "rdv", rdv)
		s.notify(LeaseLost, rdv)
	}
}

// keepLease renews or finds a lease if it is time to, and returns how
// long to wait before it looks again.
func (s *Service) keepLease(ctx context.Context) time.Duration {
	now := time.Now()
	s.g.mu.Lock()
	due, wait := s.g.edge.due(now)
	expired, rdv := s.g.edge.expired(now), s.g.edge.rdv
	s.g.mu.Unlock()
	if !due {
		return wait
	}
	if expired {
		s.loseLease(rdv)
	}
	s.g.mu.Lock()
	candidates := s.g.edge.candidates(s.seeds(), s.ep.ID())
	s.g.mu.Unlock()
	for _, c := range candidates {
		g, ok := s.askLease(ctx, c)
		if ctx.Err() != nil {
			return time.Hour // stopping
		}
		if ok {
			s.leased(g)
			return g.lease / 2
		}
	}
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	if e := s.g.edge; !e.rdv.IsNull() {
		return min(s.retryWait(), max(time.Until(e.expires), 0))
	}
	return s.retryWait()
}

// leased records a grant: a renewal, or a new lease that replaces the
// one the edge held, if any (that rendezvous is told the edge leaves).
func (s *Service) leased(g leaseGrant) {
	s.g.mu.Lock()
	isNew := s.g.edge.rdv != g.rdv
	for _, r := range g.referrals {
		if r.PeerID != s.ep.ID() {
			s.g.edge.learn(r.PeerID)
		}
	}
	replaced := s.g.edge.granted(g.rdv, g.lease, time.Now()) // learns g.rdv first
	s.g.mu.Unlock()
	if !isNew {
		return
	}
	if !replaced.IsNull() {
		s.log.Info("rendezvous: lease moved", "from", replaced, "to", g.rdv)
		s.notify(LeaseLost, replaced)
		m := leaseRequest(elementDisconnect, s.self)
		s.spawn(func() {
			if err := s.send(replaced, leaseService, m, s.askTimeout()); err != nil {
				s.log.Debug("rendezvous: telling the former rendezvous we leave", "rdv", replaced, "err", err)
			}
		})
	}
	s.log.Info("rendezvous: lease granted", "rdv", g.rdv, "lease", g.lease)
	s.notify(LeaseGranted, g.rdv)
}

// askLease asks rdv for a lease and waits up to askTimeout for its
// grant. Only the edge loop asks (ctx is the loop's), so that grants
// meet the request they answer.
func (s *Service) askLease(ctx context.Context, rdv jxta.PeerID) (leaseGrant, bool) {
	ctx, cancel := context.WithTimeout(ctx, s.askTimeout())
	defer cancel()
	for drained := false; !drained; { // forget grants nobody waited for
		select {
		case <-s.grants:
		default:
			drained = true
		}
	}
	if gate := s.cfg.Gate; gate != nil {
		if err := gate.Ready(); err != nil {
			s.log.Debug("rendezvous: not asking for a lease", "rdv", rdv, "err", err)
			return leaseGrant{}, false
		}
	}
	if err := s.ep.SendTo(ctx, rdv, leaseService, s.g.unique, leaseRequest(elementConnect, s.self)); err != nil {
		s.log.Debug("rendezvous: asking for a lease", "rdv", rdv, "err", err)
		return leaseGrant{}, false
	}
	for {
		select {
		case g := <-s.grants:
			if g.rdv == rdv {
				return g, true
			}
		case <-ctx.Done():
			s.log.Debug("rendezvous: no lease granted in time", "rdv", rdv)
			return leaseGrant{}, false
		}
	}
}
