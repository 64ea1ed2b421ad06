package pipe

import (
	"context"
	"errors"
	"fmt"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
)

// errSelfDial is returned when the only peer that bound a pipe is this
// one.
var errSelfDial = errors.New("the pipe is bound on this peer itself; dialing oneself is not supported")

// Dial connects to the listener of adv (a unicast pipe): it resolves the
// pipe (unless a peer that bound it is already known) and opens a stream
// on the connection to that peer, as DialPeer does. It does not wait for
// the listener to accept: a refusal is the error of the connection's first
// Read (or of a Write or Close after it arrived), and makes this peer
// forget that the refusing peer bound the pipe, so that the next Dial
// resolves it again. Resolution ends with ctx, or after
// Config.ResolveTimeout (default DefaultResolveTimeout) if that comes
// first.
func (s *Service) Dial(ctx context.Context, adv *advert.PipeAdv) (*Conn, error) {
	typ, err := checkType(adv)
	if err != nil {
		return nil, err
	}
	if !isUnicast(typ) {
		return nil, fmt.Errorf("pipe %s: bidirectional pipes need a %s advertisement, not %s", adv.PipeID, advert.PipeUnicast, typ)
	}
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("pipe %s: %w", adv.PipeID, err)
	}
	if s.listener(adv.PipeID) != nil {
		return nil, fmt.Errorf("pipe %s: %w", adv.PipeID, errSelfDial)
	}
	var errs []error
	for range 2 {
		peers, err := s.Resolve(ctx, adv.PipeID, typ)
		if err != nil {
			if adv.Name != "" {
				err = fmt.Errorf("dial %q: %w", adv.Name, err)
			}
			return nil, errors.Join(append(errs, err)...)
		}
		for _, peer := range peers {
			c, err := s.DialPeer(ctx, adv.PipeID, peer)
			if err == nil {
				c.v.refused = func() { s.resolved.forget(adv.PipeID, peer) }
				return c, nil
			}
			s.resolved.forget(adv.PipeID, peer)
			errs = append(errs, err)
			if ctx.Err() != nil {
				return nil, errors.Join(errs...)
			}
		}
	}
	return nil, errors.Join(errs...)
}

// DialPeer connects to the listener of pipe id on peer, without
// resolution: it opens a stream on the connection to peer (connecting
// first if needed, within ctx) and sends the pipe's open line, and returns
// without waiting for the listener's verdict (see Conn). The returned
// Conn is not bound to ctx.
func (s *Service) DialPeer(ctx context.Context, id jxta.PipeID, peer jxta.PeerID) (*Conn, error) {
	if peer == s.ep.ID() {
		return nil, fmt.Errorf("pipe %s: %w", id, errSelfDial)
	}
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("pipe %s: %w", id, err)
	}
	st, err := s.ep.OpenStream(ctx, peer, s.streams, id.String())
	if err != nil {
		return nil, fmt.Errorf("pipe %s: %w", id, err)
	}
	return newConn(st, Addr{Pipe: id, Peer: s.ep.ID()}, Addr{Pipe: id, Peer: peer}, true), nil
}
