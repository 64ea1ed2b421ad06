package rendezvous

import (
	"context"
	"time"

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
// the work of Connect and Disconnect between its lease checks, and
// returns when ctx ends or the endpoint closes.
func (s *Service) edgeLoop(ctx context.Context, sub *endpoint.Subscription, work <-chan func(context.Context)) {
	timer := time.NewTimer(0)
	defer timer.Stop()
	next := time.Now() // when the timer fires
	soon := func(wait time.Duration) {
		if time.Now().Add(wait).Before(next) {
			next = time.Now().Add(wait)
			timer.Reset(wait)
		}
	}
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-sub.C:
			if !ok {
				s.log.Debug("rendezvous: the endpoint closed")
				return
			}
			if wait, ok := s.leaseEvent(ev); ok {
				soon(wait)
			}
		case f := <-work:
			f(ctx)
			soon(0) // the lease may have changed: check it
		case <-s.wake:
			soon(0)
		case <-timer.C:
			wait := s.keepLease(ctx)
			next = time.Now().Add(wait)
			timer.Reset(wait)
		}
	}
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
