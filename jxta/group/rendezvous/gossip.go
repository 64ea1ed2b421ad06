package rendezvous

import (
	"context"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
)

// gossipTimeout bounds a probe, dial included: a partner that takes
// longer is taken for dead. At least 4 s, however short the period: a
// dial is a TLS handshake, which a loaded machine can take a second or
// more over, and a partner merely slow must not leave the view (one
// that is hung is dropped by the connection's keep-alive meanwhile).
func (s *Service) gossipTimeout() time.Duration {
	return min(max(4*s.cfg.GossipPeriod, 4*time.Second), 10*time.Second)
}

// rendezvousLoop gossips every period, expires leases and view entries,
// and ends the leases of edges that disconnect and the view entries of
// rendezvous that disconnect and cannot be re-dialed. It returns when ctx
// ends or the endpoint closes.
func (s *Service) rendezvousLoop(ctx context.Context, sub *endpoint.Subscription) {
	t := time.NewTicker(s.cfg.GossipPeriod)
	defer t.Stop()
	var round uint64
	s.gossip(round)
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-sub.C:
			if !ok {
				s.log.Debug("rendezvous: the endpoint closed")
				return
			}
			switch ev.Kind {
			case endpoint.PeerDisconnected:
				s.endLease(ev.Peer)
				if s.g.view.suspect(ev.Peer, time.Now()) {
					s.spawn(func() { s.redial(ev.Peer) })
				}
			case endpoint.PeerConnected:
				// A rendezvous that left the view (a partition, a link
				// down) is reachable again: gossip with it, as a seed.
				if s.g.view.reachable(ev.Peer) {
					s.log.Debug("rendezvous: a peer that left the view is connected again", "peer", ev.Peer)
				}
			}
		case now := <-t.C:
			round++
			s.expireLeases(now)
			for _, p := range s.g.view.expire(now) {
				s.log.Info("rendezvous: peer view entry expired", "rdv", p)
				s.notify(ViewRemoved, p)
			}
			s.gossip(round)
		}
	}
}

// gossip probes this round's partner.
func (s *Service) gossip(round uint64) {
	to, ok := s.g.view.partner(s.seeds(), round)
	if !ok {
		return
	}
	m := s.g.view.probe(s.self, time.Now())
	s.spawn(func() {
		if err := s.send(to, PeerViewService, m, s.gossipTimeout()); err != nil && s.ctx.Err() == nil {
			s.viewLost(to, err)
		}
	})
}

// redial dials a view member whose connection dropped; if that fails, it
// leaves the view.
func (s *Service) redial(peer jxta.PeerID) {
	ctx, cancel := context.WithTimeout(s.ctx, s.gossipTimeout())
	defer cancel()
	if err := s.ep.ConnectPeer(ctx, peer); err != nil && s.ctx.Err() == nil {
		s.viewLost(peer, err)
	}
}

// viewLost takes peer, which could not be reached, out of the view.
func (s *Service) viewLost(peer jxta.PeerID, err error) {
	if s.g.view.remove(peer, time.Now()) {
		s.log.Info("rendezvous: peer view entry unreachable", "rdv", peer, "err", err)
		s.notify(ViewRemoved, peer)
		return
	}
	s.log.Debug("rendezvous: gossip partner unreachable", "peer", peer, "err", err)
}

// serveGossip takes in a peer view message and answers it.
func (s *Service) serveGossip(in *endpoint.Incoming) {
	if s.Role() != Rendezvous {
		s.log.Debug("rendezvous: peer view message to a peer that is no rendezvous dropped", "peer", in.Peer)
		return
	}
	g, err := parseGossip(in.Message, in.Peer)
	var reply *jxta.Message
	var added []*advert.PeerAdv
	if err == nil {
		reply, added, err = s.g.view.receive(g, s.self, time.Now())
	}
	if err != nil {
		s.log.Warn("rendezvous: peer view message dropped", "peer", in.Peer, "err", err)
		return
	}
	for _, pa := range added {
		if _, known := s.ep.Peer(pa.PeerID); !known || pa.PeerID == in.Peer {
			s.ep.AddPeer(pa)
		}
		s.log.Debug("rendezvous: peer view entry added", "rdv", pa.PeerID)
		s.notify(ViewAdded, pa.PeerID)
	}
	if reply != nil {
		s.spawn(func() {
			if err := s.send(in.Peer, PeerViewService, reply, replyTimeout); err != nil {
				s.log.Debug("rendezvous: answering gossip", "peer", in.Peer, "err", err)
			}
		})
	}
}
