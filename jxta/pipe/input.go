package pipe

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
)

// InputPipe is the receiving end of a unicast or propagate pipe, bound on
// this peer.
type InputPipe struct {
	svc   *Service
	adv   *advert.PipeAdv
	typ   string
	queue chan *Received

	dropped   atomic.Uint64
	closeOnce sync.Once
	done      chan struct{}
}

// Received is a message that arrived on an input pipe.
type Received struct {
	Message *jxta.Message
	// Peer is the peer the message came from: the sender of a unicast
	// message, the last hop (often a rendezvous) of a propagated one.
	Peer jxta.PeerID
	// Source is the sending peer named in a propagated message's wire
	// header (the Null ID if the sender left it out), or Peer.
	Source jxta.PeerID
}

// Bind binds an input pipe for adv on this peer: messages sent to the
// pipe by output pipes of the group arrive at it. A peer binds one input
// pipe per pipe ID.
func (s *Service) Bind(adv *advert.PipeAdv) (*InputPipe, error) {
	typ, err := checkType(adv)
	if err != nil {
		return nil, err
	}
	if err := s.ready(); err != nil {
		return nil, fmt.Errorf("pipe %s: %w", adv.PipeID, err)
	}
	in := &InputPipe{svc: s, adv: adv, typ: typ, queue: make(chan *Received, s.queueSize), done: make(chan struct{})}
	if err := s.bind(adv.PipeID, in, nil); err != nil {
		return nil, err
	}
	if isUnicast(typ) {
		h := endpoint.HandlerFunc(endpoint.Gated(s.gate, in.serveUnicast))
		s.ep.Handle(UnicastService, s.unicastParam(adv.PipeID), h)
		// JXSE addresses an input pipe by its pipe ID alone.
		s.ep.Handle(UnicastService, legacyUnicastParam(adv.PipeID), h)
		s.pushBinding(adv.PipeID, typ, true)
	}
	return in, nil
}

// Adv returns the pipe's advertisement.
func (in *InputPipe) Adv() *advert.PipeAdv { return in.adv }

// Dropped returns how many messages arrived while the queue was full and
// were dropped.
func (in *InputPipe) Dropped() uint64 { return in.dropped.Load() }

// Recv returns the next message, waiting until one arrives, ctx ends, or
// the pipe is closed (ErrClosed). Messages that arrived before Close can
// still be read.
func (in *InputPipe) Recv(ctx context.Context) (*Received, error) {
	select {
	case r := <-in.queue:
		return r, nil
	default:
	}
	select {
	case r := <-in.queue:
		return r, nil
	case <-ctx.Done():
		return nil, fmt.Errorf("pipe %s: %w", in.adv.PipeID, ctx.Err())
	case <-in.done:
		select {
		case r := <-in.queue:
			return r, nil
		default:
			return nil, ErrClosed
		}
	}
}

// Close unbinds the pipe: later messages are dropped and Recv returns
// ErrClosed once the queue is empty.
func (in *InputPipe) Close() error {
	in.closeOnce.Do(func() {
		close(in.done)
		s := in.svc
		if isUnicast(in.typ) {
			s.ep.Handle(UnicastService, s.unicastParam(in.adv.PipeID), nil)
			s.ep.Handle(UnicastService, legacyUnicastParam(in.adv.PipeID), nil)
			s.pushBinding(in.adv.PipeID, in.typ, false)
		}
		s.unbindInput(in.adv.PipeID, in)
	})
	return nil
}

// deliver queues r without blocking the connection it arrived on.
func (in *InputPipe) deliver(r *Received) {
	select {
	case <-in.done:
		return
	default:
	}
	select {
	case in.queue <- r:
	default:
		in.dropped.Add(1)
		in.svc.log.Warn("pipe: input pipe full; message dropped", "pipe", in.adv.PipeID, "peer", r.Peer)
	}
}

func (in *InputPipe) serveUnicast(m *endpoint.Incoming) {
	if err := in.svc.checkSecure(in.typ, m.Peer); err != nil {
		in.svc.log.Debug("pipe: message dropped", "pipe", in.adv.PipeID, "peer", m.Peer, "err", err)
		return
	}
	in.deliver(&Received{Message: m.Message, Peer: m.Peer, Source: m.Peer})
}

// String describes the pipe.
func (in *InputPipe) String() string {
	return fmt.Sprintf("input pipe %q (%s, %s), %d waiting", in.adv.Name, in.typ, in.adv.PipeID, len(in.queue))
}
