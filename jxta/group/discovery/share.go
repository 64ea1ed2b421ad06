package discovery

import (
	"context"
	"slices"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// The rendezvous of a peer view share their edges' index entries. A
// rendezvous passes each index push of an edge on to the other
// rendezvous of its view (not to legacy ones), naming the edge in the
// push's PeerID where an edge names itself; and, when a rendezvous joins
// its view, everything its edges pushed. The others keep it in a second
// index (srdi.Shared), by edge and by the rendezvous the edge is reached
// through. So a rendezvous that gets a query from its querier forwards it
// to the rendezvous whose edges can answer it, which forward it to those
// edges, instead of to every rendezvous of its view: a query costs the
// same few messages whatever the number of rendezvous, and a push one
// per rendezvous. Only when no rendezvous is known to hold what a query
// seeks (nothing matches, or what matches was pushed a moment ago and is
// still on its way) does the query go to the whole view, as before.
//
// A push is taken as shared only from a rendezvous of this peer's view
// naming another peer: an edge's push names the edge, and one from a peer
// not (yet) in the view is indexed as that peer's own, which forwards the
// queries for it to that peer, and is not passed on.

// sharedBy reports whether m, pushed by peer, is a rendezvous of the peer
// view sharing an edge's entries.
func (s *Service) sharedBy(peer jxta.PeerID, m *protocol.SRDIMessage) bool {
	return !m.PeerID.IsNull() && m.PeerID != peer && slices.Contains(s.res.PeerView(), peer)
}

// share passes m, pushed by this rendezvous's edge, on to the other
// rendezvous of the peer view, in the background: the push handler must
// not block.
func (s *Service) share(edge jxta.PeerID, m *protocol.SRDIMessage) {
	view := slices.DeleteFunc(slices.Clone(s.res.PeerView()), s.res.IsLegacy)
	if len(view) == 0 || len(m.Entries) == 0 || !s.track() {
		return
	}
	shared := *m
	shared.PeerID = edge
	shared.TTL = protocol.SRDIPersistOnly
	payload := protocol.Flatten(&shared)
	go func() {
		defer s.wg.Done()
		ctx, cancel := context.WithTimeout(s.ctx, srdiSendTimeout)
		defer cancel()
		for _, p := range view {
			if err := s.res.SendSRDI(ctx, p, HandlerName, payload); err != nil {
				s.log.Debug("discovery: sharing an index push", "to", p, "err", err)
			}
		}
	}()
}

// ShareIndex sends rdv, a rendezvous that joined this rendezvous's peer
// view, the index entries of every edge of this one. It returns once the
// pushes are sent or ctx ends.
func (s *Service) ShareIndex(ctx context.Context, rdv jxta.PeerID) error {
	if !s.res.IsRendezvous() || s.res.IsLegacy(rdv) {
		return nil
	}
	for _, edge := range s.index.PeerList() {
		for _, m := range s.index.Pushes(edge) {
			if err := s.res.SendSRDI(ctx, rdv, HandlerName, protocol.Flatten(m)); err != nil {
				return err
			}
		}
	}
	return nil
}

// ForgetRendezvous drops what rdv, a rendezvous that left the peer view,
// shared.
func (s *Service) ForgetRendezvous(rdv jxta.PeerID) { s.shared.RemoveRendezvous(rdv) }

// SharedSize returns the number of index entries the other rendezvous
// shared with this one.
func (s *Service) SharedSize() int { return s.shared.Len() }
