package rendezvous

import (
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
)

// replyTimeout bounds sending an answer (a lease grant, a gossip answer)
// to a peer that just sent us a message, over its live connection.
const replyTimeout = 10 * time.Second

// serveLease handles lease messages: requests and cancels on a
// rendezvous; grants, and a rendezvous's notice that it ends the lease,
// on an edge.
func (s *Service) serveLease(in *endpoint.Incoming) {
	if isGrant(in.Message) {
		s.takeGrant(in)
		return
	}
	kind, pa, err := parseLeaseRequest(in.Message, in.Peer)
	if err != nil {
		s.refused.Add(1)
		s.log.Warn("rendezvous: lease request dropped", "peer", in.Peer, "err", err)
		return
	}
	switch {
	case kind == elementConnect:
		s.grantLease(in.Peer, pa)
	case s.Role() == Edge:
		s.rendezvousLeft(in.Peer)
	default:
		s.endLease(in.Peer)
	}
}

// grantLease grants (or renews) the lease edge asked for with its
// advertisement pa, if this peer is a rendezvous with room for it.
func (s *Service) grantLease(edge jxta.PeerID, pa *advert.PeerAdv) {
	now := time.Now()
	s.g.mu.Lock()
	if s.Role() != Rendezvous {
		s.g.mu.Unlock()
		s.log.Debug("rendezvous: lease request to a peer that is no rendezvous dropped", "peer", edge)
		return
	}
	granted, isNew := s.g.edges.grant(pa.PeerID, now, s.cfg.Lease)
	s.g.mu.Unlock()
	if !granted {
		s.refused.Add(1)
		s.log.Warn("rendezvous: lease refused, too many edges", "peer", edge, "max", s.cfg.MaxEdges)
		return
	}
	s.ep.AddPeer(pa)
	if isNew {
		s.log.Info("rendezvous: edge connected", "edge", edge, "lease", s.cfg.Lease)
		s.notify(EdgeConnected, edge)
	}
	m := grantMessage(s.ep.ID(), s.cfg.Lease, s.self, s.g.view.referrals(maxReferrals, edge))
	s.spawn(func() {
		if err := s.send(edge, leaseService, m, replyTimeout); err != nil {
			s.log.Debug("rendezvous: sending a lease", "edge", edge, "err", err)
		}
	})
}

// rendezvousLeft takes in a rendezvous's Disconnect, as JXSE's edges do:
// if it is this edge's rendezvous, the lease ends and the edge looks for
// another at once.
func (s *Service) rendezvousLeft(rdv jxta.PeerID) {
	s.g.mu.Lock()
	current := s.g.edge.rdv == rdv
	s.g.mu.Unlock()
	if !current {
		s.log.Debug("rendezvous: Disconnect from a rendezvous this edge holds no lease with", "peer", rdv)
		return
	}
	s.loseLease(rdv)
	s.poke()
}

// endLease ends an edge's lease, if it holds one.
func (s *Service) endLease(peer jxta.PeerID) {
	s.g.mu.Lock()
	held := s.g.edges.cancel(peer)
	s.g.mu.Unlock()
	if held {
		s.log.Info("rendezvous: edge disconnected", "edge", peer)
		s.notify(EdgeDisconnected, peer)
	}
}

// expireLeases ends the leases that ran out.
func (s *Service) expireLeases(now time.Time) {
	s.g.mu.Lock()
	gone := s.g.edges.expire(now)
	s.g.mu.Unlock()
	for _, p := range gone {
		s.log.Info("rendezvous: edge lease expired", "edge", p)
		s.notify(EdgeDisconnected, p)
	}
}

// takeGrant hands a rendezvous's grant to the edge loop, which is asking
// for it, and records the advertisements it carries.
func (s *Service) takeGrant(in *endpoint.Incoming) {
	if s.Role() != Edge {
		s.log.Debug("rendezvous: lease grant to a peer that is no edge dropped", "peer", in.Peer)
		return
	}
	g, err := parseGrant(in.Message, in.Peer)
	if err != nil {
		s.log.Warn("rendezvous: lease grant dropped", "peer", in.Peer, "err", err)
		return
	}
	if g.adv != nil {
		s.ep.AddPeer(g.adv)
	}
	for _, pa := range g.referrals {
		if _, known := s.ep.Peer(pa.PeerID); !known {
			s.ep.AddPeer(pa)
		}
	}
	select {
	case s.grants <- g:
	default: // nobody asks that fast: a stale or unasked grant
	}
}
