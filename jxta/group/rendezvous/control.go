package rendezvous

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/gojxta/gojxta/jxta"
)

// Errors of the run-time controls.
var (
	// ErrNotEdge is returned by Connect on a peer that is no edge.
	ErrNotEdge = errors.New("this peer is no edge of the group")
	// ErrNoLease is returned by Connect when the rendezvous grants no
	// lease in time.
	ErrNoLease = errors.New("no lease granted")
	// ErrNotLeased is returned by Disconnect for a peer this peer holds
	// no lease with.
	ErrNotLeased = errors.New("no lease with that peer")
)

// maxTelling bounds the Disconnect messages SetRole sends at once.
const maxTelling = 16

// SetRole changes this peer's role in the group at run time. An edge
// that stops being one leaves its rendezvous (Disconnect); a rendezvous
// that stops being one ends its edges' leases and tells each edge
// (Disconnect: they fail over at once, or, with no other rendezvous, run
// ad hoc), and forgets its peer view. Then the new role's work starts: an
// edge looks for a rendezvous, a rendezvous grants leases and gossips
// with its seeds. ctx bounds telling the peers.
func (s *Service) SetRole(ctx context.Context, to Role) error {
	if to < Edge || to > AdHoc {
		return fmt.Errorf("rendezvous: unknown role %d", to)
	}
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.closeMu.Lock()
	closed := s.closed
	s.closeMu.Unlock()
	if closed {
		return ErrClosed
	}
	from := s.Role()
	if from == to {
		return nil
	}
	s.stopLoop()
	var rdv jxta.PeerID
	var edges, view []jxta.PeerID
	s.g.mu.Lock()
	s.role.Store(int32(to))
	switch from {
	case Edge:
		rdv = s.g.edge.leave()
	case Rendezvous:
		edges = s.g.edges.clear()
	}
	s.g.mu.Unlock()
	if from == Rendezvous {
		view = s.g.view.clear()
	}
	s.log.Info("rendezvous: role changed", "from", from, "to", to)
	if !rdv.IsNull() {
		s.notify(LeaseLost, rdv)
	}
	for _, p := range edges {
		s.notify(EdgeDisconnected, p)
	}
	for _, p := range view {
		s.notify(ViewRemoved, p)
	}
	if !rdv.IsNull() {
		edges = append(edges, rdv)
	}
	s.tellLeaving(ctx, edges)
	s.startLoop(to)
	return nil
}

// tellLeaving sends each peer a Disconnect with this peer's
// advertisement, a few at a time, and waits until all went or ctx ended.
func (s *Service) tellLeaving(ctx context.Context, peers []jxta.PeerID) {
	ctx, cancel := context.WithTimeout(ctx, replyTimeout)
	defer cancel()
	m := leaseRequest(elementDisconnect, s.self)
	slots := make(chan struct{}, maxTelling)
	var wg sync.WaitGroup
	for _, p := range peers {
		slots <- struct{}{}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-slots }()
			if err := s.ep.SendTo(ctx, p, leaseService, s.g.unique, m); err != nil {
				s.log.Debug("rendezvous: telling a peer the lease ends", "peer", p, "err", err)
			}
		}()
	}
	wg.Wait()
}

// AddSeed adds peer, which the endpoint must know how to reach, to the
// candidate rendezvous beside Config.Seeds: an edge asks it for a lease
// when it needs one (at once if it has none), a rendezvous gossips with
// it. It lifts a Disconnect's ban on peer.
func (s *Service) AddSeed(peer jxta.PeerID) {
	if peer.IsNull() || peer == s.ep.ID() {
		return
	}
	s.seedMu.Lock()
	if !slices.Contains(s.added, peer) {
		s.added = append(s.added, peer)
		if len(s.added) > maxAddedSeeds {
			s.added = slices.Delete(s.added, 0, len(s.added)-maxAddedSeeds)
		}
	}
	s.seedMu.Unlock()
	s.g.mu.Lock()
	s.g.edge.allow(peer)
	leased := !s.g.edge.rdv.IsNull()
	s.g.mu.Unlock()
	if !leased {
		s.poke()
	}
}

// seeds returns the candidate rendezvous: Config.Seeds, then AddSeed's.
func (s *Service) seeds() []jxta.PeerID {
	out := slices.Clip(s.cfg.Seeds())
	s.seedMu.Lock()
	defer s.seedMu.Unlock()
	return append(out, s.added...)
}

// Connect makes this edge ask rdv for a lease now and, if it grants one,
// hold its lease with rdv (leaving the rendezvous it held one with). rdv
// becomes a seed (AddSeed). It returns ErrNotEdge on other roles and
// ErrNoLease when rdv grants none in time.
func (s *Service) Connect(ctx context.Context, rdv jxta.PeerID) error {
	if s.Role() != Edge {
		return ErrNotEdge
	}
	s.AddSeed(rdv)
	return s.onEdgeLoop(ctx, func(loop context.Context) error {
		g, ok := s.askLease(loop, rdv)
		if !ok {
			return fmt.Errorf("rendezvous: %w by %s", ErrNoLease, rdv)
		}
		s.leased(g)
		return nil
	})
}

// Disconnect ends the lease between this peer and peer, and tells peer
// (Disconnect). An edge leaves its rendezvous and asks it no more until
// AddSeed or Connect names it again; it looks for another at once. A
// rendezvous ends its edge's lease. It returns ErrNotLeased if there was
// no such lease.
func (s *Service) Disconnect(ctx context.Context, peer jxta.PeerID) error {
	switch s.Role() {
	case Edge:
		return s.onEdgeLoop(ctx, func(loop context.Context) error {
			s.g.mu.Lock()
			left := s.g.edge.shun(peer)
			s.g.mu.Unlock()
			if !left {
				return fmt.Errorf("rendezvous: %w: %s", ErrNotLeased, peer)
			}
			s.log.Info("rendezvous: lease left", "rdv", peer)
			s.notify(LeaseLost, peer)
			s.tellLeaving(loop, []jxta.PeerID{peer})
			return nil
		})
	case Rendezvous:
		s.g.mu.Lock()
		held := s.g.edges.cancel(peer)
		s.g.mu.Unlock()
		if !held {
			return fmt.Errorf("rendezvous: %w: %s", ErrNotLeased, peer)
		}
		s.log.Info("rendezvous: edge lease ended", "edge", peer)
		s.notify(EdgeDisconnected, peer)
		s.tellLeaving(ctx, []jxta.PeerID{peer})
		return nil
	}
	return fmt.Errorf("rendezvous: %w: %s (ad hoc)", ErrNotLeased, peer)
}

// maxTTL returns the TTL limit of the current role: Config.MaxTTL if set,
// else DefaultMaxTTL, or DefaultAdHocMaxTTL while ad hoc.
func (s *Service) maxTTL() int {
	switch {
	case s.cfg.MaxTTL > 0:
		return s.cfg.MaxTTL
	case s.Role() == AdHoc:
		return DefaultAdHocMaxTTL
	}
	return DefaultMaxTTL
}
