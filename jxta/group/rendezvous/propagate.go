package rendezvous

import (
	"context"
	"errors"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// ErrNoPeers is returned by Propagate when there is nobody to send to.
var ErrNoPeers = errors.New("no rendezvous, edge or connected peer to propagate to")

// headerName is the element that carries the propagation header.
func (s *Service) headerName() string { return protocol.PropagateElementPrefix + s.unique }

// Propagate sends msg to service/param on the peers of the group: an edge
// sends it to its rendezvous, which relays it through the group; a
// rendezvous to its edges and peer view; an ad-hoc peer to the peers it is
// connected to. ttl is clamped to Config.MaxTTL. msg is not changed.
func (s *Service) Propagate(ctx context.Context, msg *jxta.Message, service, param string, ttl int) error {
	h := &protocol.RendezVousPropagateMessage{
		MessageID: protocol.NewMessageID(), DestSName: service, DestSParam: param,
		TTL: min(max(ttl, 1), s.cfg.MaxTTL), Path: []jxta.PeerID{s.ep.ID()},
	}
	s.seen.add(h.DuplicateKey(), time.Now())
	if n := s.relay(ctx, msg, h, jxta.PeerID{}); n == 0 {
		return ErrNoPeers
	}
	return nil
}

// targets returns the peers this peer propagates to.
func (s *Service) targets() []jxta.PeerID {
	switch s.cfg.Role {
	case Edge:
		return s.RendezVous()
	case Rendezvous:
		out := s.PeerView()
		for _, l := range s.Edges() {
			out = append(out, l.Peer)
		}
		return out
	default:
		var out []jxta.PeerID
		for _, c := range s.ep.Connections() {
			out = append(out, c.Peer)
		}
		return out
	}
}

// relay sends msg with header h to this peer's targets, except the peers
// on h's path and from, and returns how many it sent to.
func (s *Service) relay(ctx context.Context, msg *jxta.Message, h *protocol.RendezVousPropagateMessage, from jxta.PeerID) int {
	out := msg.Clone()
	out.Remove(jxta.NamespaceJXTA, s.headerName())
	out.AddXML(jxta.NamespaceJXTA, s.headerName(), advert.Marshal(h))
	sent := 0
	for _, p := range s.targets() {
		if p == from || p == s.ep.ID() || h.Visited(p) {
			continue
		}
		if err := s.ep.SendTo(ctx, p, PropagateService, s.unique, out); err != nil {
			s.log.Debug("rendezvous: propagating", "to", p, "err", err)
			continue
		}
		sent++
	}
	if sent > 0 {
		s.propagated.Add(1)
	}
	return sent
}

// servePropagate receives a propagated message: it drops duplicates,
// loops and spent messages, delivers the rest here and, on a rendezvous,
// passes them on.
func (s *Service) servePropagate(in *endpoint.Incoming) {
	el, ok := in.Message.Get(jxta.NamespaceJXTA, s.headerName())
	if !ok {
		s.drop("propagated message without a header", in.Peer)
		return
	}
	h, err := protocol.ParseAs[*protocol.RendezVousPropagateMessage](el.Data)
	switch {
	case err != nil:
		s.drop("bad propagation header: "+err.Error(), in.Peer)
		return
	case h.DestSName == "":
		s.drop("propagated message without a destination", in.Peer)
		return
	case h.Visited(s.ep.ID()):
		s.drop("propagation loop", in.Peer)
		return
	case len(h.Path) > s.cfg.MaxTTL || h.TTL > s.cfg.MaxTTL+len(h.Path) || h.TTL <= 0:
		s.drop("propagated message with a spent or forged TTL or path", in.Peer)
		return
	case !s.seen.add(h.DuplicateKey(), time.Now()):
		s.dropped.Add(1)
		s.log.Debug("rendezvous: duplicate propagated message dropped", "peer", in.Peer, "id", h.MessageID)
		return
	}
	if s.cfg.Role == Rendezvous && h.TTL-1 > 0 {
		next := *h
		next.TTL = h.TTL - 1
		next.Path = append(append([]jxta.PeerID(nil), h.Path...), s.ep.ID())
		ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
		s.relay(ctx, in.Message, &next, in.Peer)
		cancel()
	}
	m := in.Message
	m.Remove(jxta.NamespaceJXTA, s.headerName())
	s.ep.Deliver(&endpoint.Incoming{Message: m, Peer: in.Peer, Source: in.Source,
		Dest: jxta.Address{Service: h.DestSName, Param: h.DestSParam}})
}

func (s *Service) drop(why string, peer jxta.PeerID) {
	s.dropped.Add(1)
	s.log.Warn("rendezvous: "+why+"; dropped", "peer", peer)
}
