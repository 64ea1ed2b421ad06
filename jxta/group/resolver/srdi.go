package resolver

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// SRDIHandler receives the index pushes (SRDI) sent to one handler name:
// peer is the peer that sent them and payload the flattened jxta:GenSRDI
// (see protocol.SRDIMessage). It runs on the endpoint's reader and must
// not block.
type SRDIHandler func(peer jxta.PeerID, payload string)

// HandleSRDI registers f for SRDI messages to the handler name; nil
// removes it.
func (s *Service) HandleSRDI(name string, f SRDIHandler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == nil {
		delete(s.srdi, name)
		return
	}
	s.srdi[name] = f
}

// SendSRDI sends an index push for handler to peer: a jxta:ResolverSRDI
// in the message element "<group>Srdi".
func (s *Service) SendSRDI(ctx context.Context, peer jxta.PeerID, handler, payload string) error {
	doc := advert.Marshal(&protocol.ResolverSRDI{HandlerName: handler, Payload: payload})
	return s.send(ctx, peer, s.srdiParam, doc)
}

func (s *Service) serveSRDI(in *endpoint.Incoming) {
	el, ok := in.Message.Get(jxta.NamespaceJXTA, s.srdiParam)
	if !ok {
		s.malformed.Event("peer", in.Peer, "err", "no SRDI element")
		return
	}
	data := el.Data
	if el.MIMEType() == "application/gzip" {
		var err error
		if data, err = gunzip(data, maxSRDISize); err != nil {
			s.malformed.Event("peer", in.Peer, "err", fmt.Errorf("bad compressed SRDI message: %w", err))
			return
		}
	}
	m, err := protocol.ParseAs[*protocol.ResolverSRDI](data)
	if err != nil {
		s.malformed.Event("peer", in.Peer, "err", fmt.Errorf("bad SRDI message: %w", err))
		return
	}
	s.mu.Lock()
	f := s.srdi[m.HandlerName]
	s.mu.Unlock()
	if f == nil {
		s.log.Debug("resolver: no SRDI handler", "handler", m.HandlerName, "peer", in.Peer)
		return
	}
	f(in.Peer, m.Payload)
}

// maxSRDISize bounds an SRDI document after decompression.
const maxSRDISize = 4 << 20

// gunzip decompresses data (JXSE may send SRDI gzipped), refusing more
// than limit bytes of output.
func gunzip(data []byte, limit int64) ([]byte, error) {
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	out, err := io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(out)) > limit {
		return nil, fmt.Errorf("decompresses to more than %d bytes", limit)
	}
	return out, nil
}
