package rendezvous

import (
	"errors"
	"fmt"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// Reasons a propagated message is dropped (see checkHeader).
var (
	errNoHeader     = errors.New("propagated message without a propagation header")
	errBadHeader    = errors.New("bad propagation header")
	errLoop         = errors.New("propagation loop: this peer is on the path")
	errSpent        = errors.New("propagated message with a spent TTL")
	errPathTooLong  = errors.New("propagation path longer than the TTL limit")
	errDuplicate    = errors.New("duplicate propagated message")
	errHeaderTooBig = fmt.Errorf("%w: larger than %d bytes", errBadHeader, maxHeaderSize)
)

// newHeader returns the header of a message this peer (self) propagates
// to service/param, with a new message ID and ttl clamped to 1..maxTTL.
func newHeader(self jxta.PeerID, service, param string, ttl, maxTTL int) *protocol.RendezVousPropagateMessage {
	return &protocol.RendezVousPropagateMessage{
		MessageID: protocol.NewMessageID(), DestSName: service, DestSParam: param,
		TTL: min(max(ttl, 1), maxTTL), Path: []jxta.PeerID{self},
	}
}

// parseHeader reads the propagation header element name of m.
func parseHeader(m *jxta.Message, name string) (*protocol.RendezVousPropagateMessage, error) {
	el, ok := m.Get(jxta.NamespaceJXTA, name)
	if !ok {
		return nil, errNoHeader
	}
	if len(el.Data) > maxHeaderSize {
		return nil, errHeaderTooBig
	}
	h, err := protocol.ParseAs[*protocol.RendezVousPropagateMessage](el.Data)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errBadHeader, err)
	}
	return h, nil
}

// checkHeader applies the receiving rules to a header that reached self:
// the message is dropped if its TTL is spent, its path is longer than
// maxTTL (no honest peer lets it grow so long), or self is on it.
// Duplicates are the caller's to find (they need memory).
func checkHeader(h *protocol.RendezVousPropagateMessage, self jxta.PeerID, maxTTL int) error {
	switch {
	case h.TTL <= 0:
		return errSpent
	case len(h.Path) > maxTTL:
		return errPathTooLong
	case h.Visited(self):
		return errLoop
	}
	return nil
}

// nextHeader returns the header with which self passes on a message that
// arrived with h: the TTL clamped to maxTTL (so that a forged TTL goes no
// further than ours) and one less, self appended to the path. It reports
// false when the TTL is spent and the message goes no further.
func nextHeader(h *protocol.RendezVousPropagateMessage, self jxta.PeerID, maxTTL int) (*protocol.RendezVousPropagateMessage, bool) {
	ttl := min(h.TTL, maxTTL) - 1
	if ttl <= 0 {
		return nil, false
	}
	next := *h
	next.TTL = ttl
	next.Path = append(append(make([]jxta.PeerID, 0, len(h.Path)+1), h.Path...), self)
	return &next, true
}
