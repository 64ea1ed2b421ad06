package pipe

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// propagate sends m to every peer of the group that bound pipe id: a
// copy with a JxtaWireHeader goes through the propagator, and this peer's
// own input pipe gets it directly.
func (s *Service) propagate(ctx context.Context, id jxta.PipeID, m *jxta.Message) error {
	h := &protocol.WireHeader{SrcPeer: s.ep.ID(), PipeID: id, MsgID: rand.Text(), TTL: DefaultTTL}
	out := m.Clone()
	out.Replace(jxta.Element{Namespace: jxta.NamespaceJXTA, Name: protocol.WireHeaderElement, Type: jxta.TypeXML, Data: advert.Marshal(h)})
	here := false
	if in := s.input(id); in != nil && in.typ == advert.PipePropagate {
		s.seen.add(h.MsgID)
		self := s.ep.ID()
		in.deliver(&Received{Message: m.Clone(), Peer: self, Source: self})
		here = true
	}
	if s.prop == nil {
		if here {
			return nil
		}
		return fmt.Errorf("pipe %s: no propagation in this group and no input pipe here", id)
	}
	err := s.prop.Propagate(ctx, out, WireService, s.wireParam, h.TTL)
	if err != nil && !here {
		return fmt.Errorf("pipe %s: %w", id, err)
	}
	return nil
}

// serveWire receives a propagate pipe message: it drops those with a bad
// header and repeated message IDs, and queues the rest on the pipe's
// input pipe, if this peer bound one.
func (s *Service) serveWire(in *endpoint.Incoming) {
	el, ok := in.Message.Get(jxta.NamespaceJXTA, protocol.WireHeaderElement)
	if !ok {
		s.log.Warn("pipe: propagated message without a wire header dropped", "peer", in.Peer)
		return
	}
	h, err := protocol.ParseAs[*protocol.WireHeader](el.Data)
	if err != nil {
		s.log.Warn("pipe: propagated message with a bad wire header dropped", "peer", in.Peer, "err", err)
		return
	}
	if len(h.MsgID) > maxMsgID {
		s.log.Warn("pipe: propagated message with an oversized message ID dropped", "peer", in.Peer)
		return
	}
	if !s.seen.add(h.MsgID) {
		s.log.Debug("pipe: duplicate propagated message dropped", "pipe", h.PipeID, "peer", in.Peer)
		return
	}
	input := s.input(h.PipeID)
	if input == nil || input.typ != advert.PipePropagate {
		return // not bound here: most peers of the group
	}
	m := in.Message.Clone()
	m.Remove(jxta.NamespaceJXTA, protocol.WireHeaderElement)
	src := h.SrcPeer
	if src.IsNull() {
		src = in.Peer
	}
	input.deliver(&Received{Message: m, Peer: in.Peer, Source: src})
}

// maxMsgID bounds the wire header message IDs remembered.
const maxMsgID = 128
