package pipe

import (
	"context"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// indexKey is the secondary key of input pipe index entries (JXSE's).
const indexKey = "Id"

// indexSendTimeout bounds one index push.
const indexSendTimeout = 10 * time.Second

// pushBinding tells this edge's rendezvous that pipe id of type typ was
// bound here (bound) or unbound, in the background.
func (s *Service) pushBinding(id jxta.PipeID, typ string, bound bool) {
	exp := indexExpiration
	if !bound {
		exp = 0
	}
	m := &protocol.SRDIMessage{
		PeerID: s.ep.ID(), PrimaryKey: typ, TTL: protocol.SRDIPersistOnly,
		Entries: []protocol.SRDIEntry{{SKey: indexKey, Value: id.String(), Expiration: exp}},
	}
	rdvs := s.res.RendezVous()
	if len(rdvs) == 0 || !s.track() {
		return
	}
	payload := protocol.Flatten(m)
	go func() {
		defer s.wg.Done()
		ctx, cancel := context.WithTimeout(s.ctx, indexSendTimeout)
		defer cancel()
		for _, rdv := range rdvs {
			if err := s.res.SendSRDI(ctx, rdv, protocol.PipeResolverHandler, payload); err != nil {
				s.log.Debug("pipe: index push", "to", rdv, "err", err)
			}
		}
	}()
}

// PushIndex sends rdv an index entry for every unicast pipe bound here
// (one message per pipe type, the index's primary key), as an edge does
// when it gets a lease with a new rendezvous.
func (s *Service) PushIndex(ctx context.Context, rdv jxta.PeerID) error {
	s.mu.Lock()
	byType := make(map[string][]protocol.SRDIEntry)
	seen := make(map[jxta.PipeID]bool)
	add := func(id jxta.PipeID, typ string) {
		if !seen[id] {
			seen[id] = true
			byType[typ] = append(byType[typ], protocol.SRDIEntry{SKey: indexKey, Value: id.String(), Expiration: indexExpiration})
		}
	}
	for id, in := range s.inputs {
		if isUnicast(in.typ) {
			add(id, in.typ)
		}
	}
	for id, l := range s.listeners {
		add(id, l.typ)
	}
	s.mu.Unlock()
	for _, typ := range []string{advert.PipeUnicast, advert.PipeUnicastSecure} {
		if len(byType[typ]) == 0 {
			continue
		}
		m := &protocol.SRDIMessage{PeerID: s.ep.ID(), PrimaryKey: typ, TTL: protocol.SRDIPersistOnly, Entries: byType[typ]}
		if err := s.res.SendSRDI(ctx, rdv, protocol.PipeResolverHandler, protocol.Flatten(m)); err != nil {
			return err
		}
	}
	return nil
}

// acceptIndex is the SRDI handler: a rendezvous keeps the input pipes its
// edges push; other peers ignore pushes.
func (s *Service) acceptIndex(peer jxta.PeerID, payload string) {
	if !s.res.IsRendezvous() {
		s.log.Debug("pipe: index push to a peer that is not a rendezvous ignored", "peer", peer)
		return
	}
	m, err := protocol.UnflattenAs[*protocol.SRDIMessage](payload, nil)
	if err != nil {
		s.log.Warn("pipe: bad index push dropped", "peer", peer, "err", err)
		return
	}
	s.index.Add(peer, m)
}

// IndexSize returns the number of input pipe index entries this rendezvous
// holds.
func (s *Service) IndexSize() int { return s.index.Len() }
