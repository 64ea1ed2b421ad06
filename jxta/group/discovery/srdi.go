package discovery

import (
	"context"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group/resolver"
	"github.com/gojxta/gojxta/jxta/group/srdi"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// maxIndexPush bounds the advertisements per category a full index push
// announces.
const maxIndexPush = 5000

// maxForward bounds the peers a rendezvous forwards one query to by its
// index.
const maxForward = 50

// srdiSendTimeout bounds one index push.
const srdiSendTimeout = 10 * time.Second

// pushDelta tells this edge's rendezvous that a was published (exp > 0)
// or removed (exp 0), in the background.
func (s *Service) pushDelta(a advert.Advertisement, exp time.Duration) {
	pkey, entries := srdi.Entries(a, exp)
	if len(entries) == 0 {
		return
	}
	s.sendIndex(s.res.RendezVous(), &protocol.SRDIMessage{PrimaryKey: pkey, TTL: protocol.SRDIPersistOnly, Entries: entries})
}

// PushIndex sends rdv index entries for every advertisement this peer
// keeps in the group (up to a bound per category), as an edge does when
// it gets a lease with a new rendezvous. It returns once the pushes are
// sent or ctx ends.
func (s *Service) PushIndex(ctx context.Context, rdv jxta.PeerID) error {
	now := s.now()
	for _, cat := range []advert.Category{advert.Peers, advert.Groups, advert.Adv} {
		list, err := s.cache.Search(s.group, cat, "", "", maxIndexPush)
		if err != nil {
			return err
		}
		m := &protocol.SRDIMessage{PeerID: s.res.Self(), PrimaryKey: cat.String()}
		for _, e := range list {
			a, err := e.Advertisement()
			if err != nil {
				continue
			}
			_, entries := srdi.Entries(a, e.RemoteExpiration(now))
			m.Entries = append(m.Entries, entries...)
		}
		if len(m.Entries) == 0 {
			continue
		}
		if err := s.res.SendSRDI(ctx, rdv, HandlerName, protocol.Flatten(m)); err != nil {
			return err
		}
	}
	return nil
}

// sendIndex sends m to each of peers in the background.
func (s *Service) sendIndex(peers []jxta.PeerID, m *protocol.SRDIMessage) {
	if len(peers) == 0 {
		return
	}
	m.PeerID = s.res.Self()
	payload := protocol.Flatten(m)
	if !s.track() {
		return
	}
	go func() {
		defer s.wg.Done()
		ctx, cancel := context.WithTimeout(s.ctx, srdiSendTimeout)
		defer cancel()
		for _, p := range peers {
			if err := s.res.SendSRDI(ctx, p, HandlerName, payload); err != nil {
				s.log.Debug("discovery: index push", "to", p, "err", err)
			}
		}
	}()
}

// acceptIndex is the SRDI handler: a rendezvous keeps what its edges
// push; other peers ignore pushes.
func (s *Service) acceptIndex(peer jxta.PeerID, payload string) {
	if !s.res.IsRendezvous() {
		s.log.Debug("discovery: index push to a peer that is not a rendezvous ignored", "peer", peer)
		return
	}
	m, err := protocol.UnflattenAs[*protocol.SRDIMessage](payload, nil)
	if err != nil {
		s.log.Warn("discovery: bad index push dropped", "peer", peer, "err", err)
		return
	}
	s.index.Add(peer, m)
}

// ForgetPeer drops the index entries of peer, an edge that left.
func (s *Service) ForgetPeer(peer jxta.PeerID) { s.index.RemovePeer(peer) }

// IndexSize returns the number of index entries this rendezvous holds.
func (s *Service) IndexSize() int { return s.index.Len() }

// forward passes a query a rendezvous received on to the edges its index
// names and, when the query comes straight from its querier, to the
// other rendezvous, which look in their own indexes.
func (s *Service) forward(ctx context.Context, q *resolver.Query, dq *protocol.DiscoveryQuery) {
	if !s.res.IsRendezvous() {
		return
	}
	peers := s.index.Lookup(dq.Type.String(), dq.Attr, dq.Value, maxForward)
	s.res.Forward(ctx, q, peers)
	if q.HopCount == 0 {
		s.res.Forward(ctx, q, s.res.PeerView())
	}
}
