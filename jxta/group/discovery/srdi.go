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
// or removed (exp 0). It returns once the push is handed to the
// connection (sends are queued, not acknowledged), or after
// srdiSendTimeout; failures are logged, and the next full push
// (PushIndex) repairs them.
func (s *Service) pushDelta(a advert.Advertisement, exp time.Duration) {
	pkey, entries := srdi.Entries(a, exp)
	peers := s.res.RendezVous()
	if len(entries) == 0 || len(peers) == 0 {
		return
	}
	m := &protocol.SRDIMessage{PeerID: s.res.Self(), PrimaryKey: pkey, TTL: protocol.SRDIPersistOnly, Entries: entries}
	payload := protocol.Flatten(m)
	ctx, cancel := context.WithTimeout(s.ctx, srdiSendTimeout)
	defer cancel()
	for _, p := range peers {
		if err := s.res.SendSRDI(ctx, p, HandlerName, payload); err != nil {
			s.log.Debug("discovery: index push", "to", p, "err", err)
		}
	}
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

// acceptIndex is the SRDI handler: a rendezvous keeps what its edges
// push, and shares it with the other rendezvous, and keeps what they
// share (share.go); other peers ignore pushes.
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
	if s.sharedBy(peer, m) {
		s.shared.Add(peer, m)
		return
	}
	s.index.Add(peer, m)
	if queries := s.waiting.matched(peer, m, s.now()); len(queries) > 0 && s.track() {
		go func() { // this handler must not block
			defer s.wg.Done()
			for _, q := range queries {
				s.res.Forward(s.ctx, q, []jxta.PeerID{peer})
			}
		}()
	}
	if m.PeerID.IsNull() || m.PeerID == peer {
		s.share(peer, m)
	}
}

// ForgetPeer drops the index entries of peer, an edge that left, and
// withdraws them from the other rendezvous it shared them with.
func (s *Service) ForgetPeer(peer jxta.PeerID) {
	pushes := s.index.Pushes(peer)
	s.index.RemovePeer(peer)
	for _, m := range pushes {
		for i := range m.Entries {
			m.Entries[i].Expiration = 0
		}
		s.share(peer, m)
	}
}

// IndexSize returns the number of index entries this rendezvous holds.
func (s *Service) IndexSize() int { return s.index.Len() }

// forward passes a query a rendezvous received on to the edges its index
// names (or, when it names none, to those whose index pushes match it in
// the next moment: see waitingQueries) and, when the query comes straight
// from its querier, to the other rendezvous: those whose edges can answer
// it, as they shared their entries (share.go), or, when none is known to,
// all of its peer view, which look in their own indexes.
func (s *Service) forward(ctx context.Context, q *resolver.Query, dq *protocol.DiscoveryQuery) {
	if !s.res.IsRendezvous() {
		return
	}
	pkey := dq.Type.String()
	peers := s.index.Lookup(pkey, dq.Attr, dq.Value, maxForward)
	var rdvs []jxta.PeerID
	if q.HopCount == 0 {
		rdvs = s.shared.Lookup(pkey, dq.Attr, dq.Value, maxForward)
	}
	if len(peers) == 0 && len(rdvs) == 0 {
		s.waiting.add(q, pkey, dq.Attr, dq.Value, s.now())
	}
	s.res.Forward(ctx, q, peers)
	if q.HopCount == 0 {
		view := s.res.PeerView()
		if len(peers) > 0 || len(rdvs) > 0 {
			// Those known to hold it, and the legacy rendezvous (JXSE),
			// which share nothing.
			for _, p := range view {
				if s.res.IsLegacy(p) {
					rdvs = append(rdvs, p)
				}
			}
			view = rdvs
		}
		s.res.Forward(ctx, q, view)
		// Legacy edges (JXSE) publish before their lease and push no
		// index this rendezvous reads: they get the query itself.
		legacy := s.res.LegacyPeers()
		s.res.Forward(ctx, q, legacy[:min(len(legacy), maxForward)])
	}
}
