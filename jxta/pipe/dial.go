package pipe

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
)

// errSelfDial is returned when the only peer that bound a pipe is this
// one.
var errSelfDial = errors.New("the pipe is bound on this peer itself; dialing oneself is not supported")

// Dial connects to the listener of adv (a unicast pipe): it resolves the
// pipe (unless a peer that bound it is already known), opens a stream on
// the connection to that peer and waits for the listener to accept it.
// A peer that refuses is forgotten and the pipe resolved once more.
// Resolution ends with ctx, or after Config.ResolveTimeout (default
// DefaultResolveTimeout) if that comes first.
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
// resolution, and waits for it to accept.
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
	c := &Conn{s: st, local: Addr{Pipe: id, Peer: s.ep.ID()}, remote: Addr{Pipe: id, Peer: peer}, dialed: true}
	if dl, ok := ctx.Deadline(); ok {
		_ = st.SetReadDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { st.Reset() })
	err = c.confirm()
	if !stop() {
		st.Reset()
		return nil, fmt.Errorf("pipe %s on %s: %w", id, peer, ctx.Err())
	}
	_ = st.SetReadDeadline(time.Time{})
	if err != nil {
		st.Close()
		return nil, err
	}
	return c, nil
}
