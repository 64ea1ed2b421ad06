package pipe

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
)

// OutputPipe is the sending end of a unicast or propagate pipe.
type OutputPipe struct {
	svc *Service
	adv *advert.PipeAdv
	typ string

	mu     sync.Mutex
	peer   jxta.PeerID // where a unicast pipe is bound; null before resolution
	closed bool
}

// Connect returns an output pipe for adv. A unicast pipe is resolved
// first: Connect returns once a peer that bound it is known, or an error
// wrapping ErrNotResolved when ctx ends first. A propagate pipe needs no
// resolution.
func (s *Service) Connect(ctx context.Context, adv *advert.PipeAdv) (*OutputPipe, error) {
	typ, err := checkType(adv)
	if err != nil {
		return nil, err
	}
	out := &OutputPipe{svc: s, adv: adv, typ: typ}
	if isUnicast(typ) {
		if _, err := out.target(ctx); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// Adv returns the pipe's advertisement.
func (o *OutputPipe) Adv() *advert.PipeAdv { return o.adv }

// Peer returns the peer a unicast pipe is bound on, as last resolved
// (the Null ID for a propagate pipe).
func (o *OutputPipe) Peer() jxta.PeerID {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.peer
}

// Send sends m through the pipe. A unicast message goes to the peer that
// bound the pipe; if that fails (the peer went away), the pipe is
// resolved again within ctx and the message sent once more. A propagate
// message goes to every peer of the group that bound the pipe, this one
// included. m is not changed.
func (o *OutputPipe) Send(ctx context.Context, m *jxta.Message) error {
	o.mu.Lock()
	closed := o.closed
	o.mu.Unlock()
	if closed {
		return ErrClosed
	}
	if o.typ == advert.PipePropagate {
		return o.svc.propagate(ctx, o.adv.PipeID, m)
	}
	peer, err := o.target(ctx)
	if err != nil {
		return err
	}
	if peer == o.svc.ep.ID() {
		return o.sendHere(m)
	}
	if err := o.svc.checkSecure(o.typ, peer); err != nil {
		return fmt.Errorf("pipe %s: %w", o.adv.PipeID, err)
	}
	err = o.svc.ep.SendTo(ctx, peer, UnicastService, o.svc.unicastParamFor(peer, o.adv.PipeID), m)
	if err == nil {
		return nil
	}
	o.svc.log.Debug("pipe: send failed; resolving again", "pipe", o.adv.PipeID, "peer", peer, "err", err)
	o.svc.resolved.forget(o.adv.PipeID, peer)
	o.mu.Lock()
	if o.peer == peer {
		o.peer = jxta.PeerID{}
	}
	o.mu.Unlock()
	next, rerr := o.target(ctx)
	if rerr != nil {
		return fmt.Errorf("pipe %s: sending to %s: %w; %w", o.adv.PipeID, peer, err, rerr)
	}
	if next == o.svc.ep.ID() {
		return o.sendHere(m)
	}
	if err := o.svc.checkSecure(o.typ, next); err != nil {
		return fmt.Errorf("pipe %s: %w", o.adv.PipeID, err)
	}
	if err := o.svc.ep.SendTo(ctx, next, UnicastService, o.svc.unicastParamFor(next, o.adv.PipeID), m); err != nil {
		return fmt.Errorf("pipe %s: sending to %s: %w", o.adv.PipeID, next, err)
	}
	return nil
}

// target returns the peer a unicast pipe is bound on: this peer if it
// bound the pipe itself, else the peer last resolved while it is still
// known, else a newly resolved one.
func (o *OutputPipe) target(ctx context.Context) (jxta.PeerID, error) {
	if o.svc.boundHere(o.adv.PipeID, o.typ) && o.svc.input(o.adv.PipeID) != nil {
		self := o.svc.ep.ID()
		o.mu.Lock()
		o.peer = self
		o.mu.Unlock()
		return self, nil
	}
	o.mu.Lock()
	peer := o.peer
	o.mu.Unlock()
	if !peer.IsNull() && o.svc.resolved.has(o.adv.PipeID, peer, time.Now()) {
		return peer, nil
	}
	peers, err := o.svc.Resolve(ctx, o.adv.PipeID, o.typ)
	if err != nil {
		return jxta.PeerID{}, err
	}
	o.mu.Lock()
	o.peer = peers[0]
	o.mu.Unlock()
	return peers[0], nil
}

// sendHere delivers m to this peer's own input pipe.
func (o *OutputPipe) sendHere(m *jxta.Message) error {
	in := o.svc.input(o.adv.PipeID)
	if in == nil {
		return fmt.Errorf("pipe %s: %w", o.adv.PipeID, ErrNotResolved)
	}
	self := o.svc.ep.ID()
	in.deliver(&Received{Message: m.Clone(), Peer: self, Source: self})
	return nil
}

// Close closes the output pipe; later sends fail with ErrClosed.
func (o *OutputPipe) Close() error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.closed = true
	return nil
}

// String describes the pipe.
func (o *OutputPipe) String() string {
	if peer := o.Peer(); !peer.IsNull() {
		return fmt.Sprintf("output pipe %q (%s, %s) to %s", o.adv.Name, o.typ, o.adv.PipeID, peer)
	}
	return fmt.Sprintf("output pipe %q (%s, %s)", o.adv.Name, o.typ, o.adv.PipeID)
}
