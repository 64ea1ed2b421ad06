package rendezvous

import (
	"context"
	"strconv"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
)

// The lease message elements (namespace jxta), as JXSE and JXTA-C name
// them.
const (
	elementConnect        = "Connect"        // request: the edge's PA
	elementDisconnect     = "Disconnect"     // cancel: the edge's PA
	elementConnectedPeer  = "ConnectedPeer"  // grant: the rendezvous's peer ID
	elementConnectedLease = "ConnectedLease" // grant: the lease in ms
	elementRdvAdvReply    = "RdvAdvReply"    // grant: the rendezvous's PA
)

// minLease bounds the lease a rendezvous offers from below, so that a
// forged tiny lease cannot make an edge spin.
const minLease = 100 * time.Millisecond

// grant is a lease offered by a rendezvous.
type grant struct {
	rdv   jxta.PeerID
	lease time.Duration
}

// sendLease sends a lease request (Connect) or cancel (Disconnect) to rdv.
func (s *Service) sendLease(ctx context.Context, rdv jxta.PeerID, kind string) error {
	m := jxta.NewMessage()
	m.AddXML(jxta.NamespaceJXTA, kind, advert.Marshal(s.self()))
	return s.ep.SendTo(ctx, rdv, jxta.RendezvousClassID.String(), s.unique, m)
}

// serveLease handles lease messages: requests and cancels on a
// rendezvous, grants on an edge.
func (s *Service) serveLease(in *endpoint.Incoming) {
	m := in.Message
	if el, ok := m.Get(jxta.NamespaceJXTA, elementConnectedLease); ok {
		s.acceptGrant(in.Peer, m, el.Data)
		return
	}
	if s.cfg.Role != Rendezvous {
		s.log.Debug("rendezvous: lease request to a peer that is not a rendezvous", "peer", in.Peer)
		return
	}
	if el, ok := m.Get(jxta.NamespaceJXTA, elementConnect); ok {
		s.grantLease(in.Peer, el.Data)
		return
	}
	if _, ok := m.Get(jxta.NamespaceJXTA, elementDisconnect); ok {
		s.dropEdge(in.Peer)
		return
	}
	s.log.Warn("rendezvous: lease message without Connect, Disconnect or a grant dropped", "peer", in.Peer)
}

// grantLease answers an edge's Connect.
func (s *Service) grantLease(peer jxta.PeerID, doc []byte) {
	pa, err := advert.ParseAs[*advert.PeerAdv](doc)
	if err != nil || pa.PeerID != peer {
		s.log.Warn("rendezvous: bad lease request dropped", "peer", peer, "err", err)
		return
	}
	s.mu.Lock()
	_, known := s.edges[peer]
	if !known && len(s.edges) >= s.cfg.MaxEdges {
		s.mu.Unlock()
		s.log.Warn("rendezvous: lease refused, too many edges", "peer", peer, "max", s.cfg.MaxEdges)
		return
	}
	s.edges[peer] = time.Now().Add(s.cfg.Lease)
	s.mu.Unlock()
	s.ep.AddPeer(pa)
	if !known {
		s.notify(EdgeConnected, peer)
	}
	m := jxta.NewMessage()
	m.AddString(jxta.NamespaceJXTA, elementConnectedPeer, s.ep.ID().String())
	m.AddString(jxta.NamespaceJXTA, elementConnectedLease, strconv.FormatInt(s.cfg.Lease.Milliseconds(), 10))
	m.AddXML(jxta.NamespaceJXTA, elementRdvAdvReply, advert.Marshal(s.self()))
	if !s.track() {
		return
	}
	go func() { // the handler must not block on the reply
		defer s.wg.Done()
		ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
		defer cancel()
		if err := s.ep.SendTo(ctx, peer, jxta.RendezvousClassID.String(), s.unique, m); err != nil {
			s.log.Debug("rendezvous: sending a lease", "peer", peer, "err", err)
		}
	}()
}

// dropEdge ends an edge's lease.
func (s *Service) dropEdge(peer jxta.PeerID) {
	s.mu.Lock()
	_, ok := s.edges[peer]
	delete(s.edges, peer)
	s.mu.Unlock()
	if ok {
		s.notify(EdgeDisconnected, peer)
	}
}

// acceptGrant hands a rendezvous's lease to the edge loop.
func (s *Service) acceptGrant(peer jxta.PeerID, m *jxta.Message, leaseText []byte) {
	if s.cfg.Role != Edge {
		return
	}
	ms, err := strconv.ParseInt(string(leaseText), 10, 64)
	if err != nil || ms <= 0 {
		s.log.Warn("rendezvous: bad lease grant dropped", "peer", peer, "lease", string(leaseText))
		return
	}
	if el, ok := m.Get(jxta.NamespaceJXTA, elementRdvAdvReply); ok {
		if pa, err := advert.ParseAs[*advert.PeerAdv](el.Data); err == nil && pa.PeerID == peer {
			s.ep.AddPeer(pa)
		}
	}
	lease := max(time.Duration(min(ms, int64(24*time.Hour/time.Millisecond)))*time.Millisecond, minLease)
	select {
	case s.grants <- grant{rdv: peer, lease: lease}:
	default:
	}
}

// edgeLoop keeps a lease: it renews at half the lease, and looks for
// another rendezvous at once when its own disconnects or stops granting.
func (s *Service) edgeLoop() {
	defer s.wg.Done()
	wait := time.Duration(0)
	for {
		select {
		case <-s.ctx.Done():
			return
		case ev := <-s.sub.C:
			s.mu.Lock()
			lost := ev.Kind == endpoint.PeerDisconnected && ev.Peer == s.rdv
			s.mu.Unlock()
			if !lost {
				continue
			}
			s.loseLease()
			wait = 0
		case <-time.After(wait):
		}
		wait = s.keepLease()
	}
}

// loseLease forgets the current lease.
func (s *Service) loseLease() {
	s.mu.Lock()
	rdv := s.rdv
	s.rdv = jxta.PeerID{}
	s.mu.Unlock()
	if !rdv.IsNull() {
		s.log.Info("rendezvous: lease lost", "rdv", rdv)
		s.notify(LeaseLost, rdv)
	}
}

// keepLease renews or finds a lease and returns how long to wait before
// looking again.
func (s *Service) keepLease() time.Duration {
	now := time.Now()
	s.mu.Lock()
	rdv, renewAt, expires := s.rdv, s.renewAt, s.expires
	s.mu.Unlock()
	if !rdv.IsNull() && now.Before(renewAt) {
		return renewAt.Sub(now)
	}
	if !rdv.IsNull() && !now.Before(expires) {
		s.loseLease()
		rdv = jxta.PeerID{}
	}
	candidates := s.cfg.Seeds()
	if !rdv.IsNull() {
		candidates = append([]jxta.PeerID{rdv}, candidates...)
	}
	tried := make(map[jxta.PeerID]bool)
	for _, c := range candidates {
		if tried[c] || c == s.ep.ID() || c.IsNull() {
			continue
		}
		tried[c] = true
		if g, ok := s.askLease(c); ok {
			s.mu.Lock()
			if s.closed {
				s.mu.Unlock()
				return time.Hour
			}
			prev := s.rdv
			s.rdv, s.expires, s.renewAt = g.rdv, time.Now().Add(g.lease), time.Now().Add(g.lease/2)
			s.mu.Unlock()
			if prev != g.rdv {
				if !prev.IsNull() {
					s.notify(LeaseLost, prev)
				}
				s.log.Info("rendezvous: lease granted", "rdv", g.rdv, "lease", g.lease)
				s.notify(LeaseGranted, g.rdv)
			}
			return g.lease / 2
		}
		if s.ctx.Err() != nil {
			return time.Hour
		}
	}
	return min(max(s.cfg.Lease/10, 200*time.Millisecond), 5*time.Second)
}

// askLease asks rdv for a lease and waits a while for the grant.
func (s *Service) askLease(rdv jxta.PeerID) (grant, bool) {
	timeout := min(max(s.cfg.Lease/4, time.Second), 5*time.Second)
	ctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	for { // drop stale grants
		select {
		case <-s.grants:
			continue
		default:
		}
		break
	}
	if err := s.sendLease(ctx, rdv, elementConnect); err != nil {
		s.log.Debug("rendezvous: asking for a lease", "rdv", rdv, "err", err)
		return grant{}, false
	}
	for {
		select {
		case g := <-s.grants:
			if g.rdv == rdv {
				return g, true
			}
		case <-ctx.Done():
			return grant{}, false
		}
	}
}
