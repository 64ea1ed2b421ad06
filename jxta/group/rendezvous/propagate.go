package rendezvous

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// ErrNoPeers is returned by Propagate when there is nobody to send to.
var ErrNoPeers = errors.New("no rendezvous, edge or connected peer to propagate to")

// relayTimeout bounds passing a propagated message on to one peer.
const relayTimeout = 10 * time.Second

// Propagate sends msg to service/param on the peers of the group: an edge
// sends it to its rendezvous, which pass it on through the group; a
// rendezvous to its edges and its peer view; an ad-hoc peer to the peers
// it is connected to. ttl is clamped to 1..Config.MaxTTL. msg is not
// changed, and is not delivered here. Propagate returns ErrNoPeers if
// there was nobody to send to, or the errors if every send failed.
func (s *Service) Propagate(ctx context.Context, msg *jxta.Message, service, param string, ttl int) error {
	if s.ctx.Err() != nil {
		return ErrClosed
	}
	if service == "" {
		return errors.New("rendezvous: Propagate needs a service name")
	}
	h := newHeader(s.ep.ID(), service, param, ttl, s.maxTTL())
	s.g.seen.add(h.DuplicateKey(), time.Now())
	to := s.targets(h, jxta.PeerID{})
	if len(to) == 0 {
		return ErrNoPeers
	}
	s.sent.Add(uint64(len(to)))
	if sent, err := s.relay(ctx, s.withHeader(msg, h), to); sent == 0 {
		return fmt.Errorf("rendezvous: propagating: %w", err)
	}
	s.propagated.Add(1)
	return nil
}

// targets returns the peers this peer sends a message with header h to,
// from the peer it came from (null if none): an edge its rendezvous, a
// rendezvous its peer view and edges, an ad-hoc peer those it is
// connected to; never a peer on h's path, or from.
func (s *Service) targets(h *protocol.RendezVousPropagateMessage, from jxta.PeerID) []jxta.PeerID {
	var all []jxta.PeerID
	switch s.Role() {
	case Edge:
		all = s.RendezVous()
	case Rendezvous:
		all = s.PeerView()
		for _, l := range s.Edges() {
			all = append(all, l.Peer)
		}
	default:
		for _, c := range s.ep.Connections() {
			all = append(all, c.Peer)
		}
	}
	out := all[:0]
	for _, p := range all {
		if p != from && p != s.ep.ID() && !h.Visited(p) {
			out = append(out, p)
		}
	}
	return out
}

// withHeader returns a copy of msg carrying header h.
func (s *Service) withHeader(msg *jxta.Message, h *protocol.RendezVousPropagateMessage) *jxta.Message {
	out := msg.Clone()
	out.Replace(jxta.Element{Namespace: jxta.NamespaceJXTA, Name: s.g.header, Type: jxta.TypeXML, Data: advert.Marshal(h)})
	return out
}

// relay sends msg to the peers to and returns to how many it sent, and
// the errors of the others. Callers count the copies as sent before (so
// that, at any time, no peer has counted as received a copy not yet
// counted as sent); relay counts those that could not go as failed.
func (s *Service) relay(ctx context.Context, msg *jxta.Message, to []jxta.PeerID) (int, error) {
	var errs []error
	for _, p := range to {
		if err := s.ep.SendTo(ctx, p, PropagateService, s.g.unique, msg); err != nil {
			s.failed.Add(1)
			s.log.Debug("rendezvous: propagating", "to", p, "err", err)
			errs = append(errs, err)
		}
	}
	return len(to) - len(errs), errors.Join(errs...)
}

// servePropagate receives a propagated message: it drops duplicates,
// loops, spent messages and bad headers, delivers the rest to their
// service here and, on a rendezvous, passes them on.
func (s *Service) servePropagate(in *endpoint.Incoming) {
	h, err := parseHeader(in.Message, s.g.header)
	if err == nil {
		err = checkHeader(h, s.ep.ID(), s.maxTTL())
	}
	if err == nil && !s.g.seen.add(h.DuplicateKey(), time.Now()) {
		err = errDuplicate
	}
	if err != nil {
		s.dropped.Add(1)
		if errors.Is(err, errDuplicate) {
			s.log.Debug("rendezvous: propagated message dropped", "peer", in.Peer, "err", err)
		} else {
			s.log.Warn("rendezvous: propagated message dropped", "peer", in.Peer, "err", err)
		}
		return
	}
	if next, ok := nextHeader(h, s.ep.ID(), s.maxTTL()); ok && s.Role() == Rendezvous {
		if to := s.targets(next, in.Peer); len(to) > 0 {
			out := s.withHeader(in.Message, next)
			s.relayed.Add(1)
			s.sent.Add(uint64(len(to)))
			s.spawn(func() {
				ctx, cancel := context.WithTimeout(s.ctx, relayTimeout)
				defer cancel()
				s.relay(ctx, out, to)
			})
		}
	}
	m := in.Message
	m.Remove(jxta.NamespaceJXTA, s.g.header)
	dest := jxta.IDAddress(s.ep.ID().ID)
	dest.Service, dest.Param = h.DestSName, h.DestSParam
	if s.ep.Deliver(&endpoint.Incoming{Message: m, Peer: in.Peer, Source: in.Source, Dest: dest}) {
		s.delivered.Add(1)
	} else {
		s.log.Debug("rendezvous: no handler for a propagated message", "service", h.DestSName, "param", h.DestSParam)
	}
}
