package rendezvous

import (
	"context"
	"errors"
)

// errLoopStopped is returned for work sent to an edge loop that stopped
// meanwhile: the role changed, or the service or endpoint closed.
var errLoopStopped = errors.New("rendezvous: the edge stopped (its role changed, or it closed)")

// roleLoop is the goroutine that does a role's periodic work: an edge's
// lease keeping (edgeLoop), a rendezvous's gossip and expiry
// (rendezvousLoop). SetRole stops one and starts the next; an ad-hoc peer
// runs none. The loop reads endpoint events through a subscription of
// its own, which it closes when it returns.
type roleLoop struct {
	role   Role
	cancel context.CancelFunc
	done   chan struct{}                   // closed when the loop returned
	work   chan func(loop context.Context) // edge: work done between lease checks
}

// startLoop starts the loop of role. Callers hold s.ctl (or are New).
func (s *Service) startLoop(role Role) {
	if role == AdHoc {
		return
	}
	ctx, cancel := context.WithCancel(s.ctx)
	l := &roleLoop{role: role, cancel: cancel, done: make(chan struct{}), work: make(chan func(context.Context))}
	buffer := 64
	if role == Rendezvous {
		buffer = 256
	}
	sub := s.ep.Subscribe(buffer)
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		defer close(l.done)
		defer sub.Close()
		if role == Edge {
			s.edgeLoop(ctx, sub, l.work)
		} else {
			s.rendezvousLoop(ctx, sub)
		}
	}()
	s.loopMu.Lock()
	s.loop = l
	s.loopMu.Unlock()
}

// stopLoop stops the running loop, if any, and waits until it returned.
// Callers hold s.ctl.
func (s *Service) stopLoop() {
	s.loopMu.Lock()
	l := s.loop
	s.loop = nil
	s.loopMu.Unlock()
	if l != nil {
		l.cancel()
		<-l.done
	}
}

// onEdgeLoop runs f on the edge loop, between its lease checks (so that
// only the loop ever asks for leases), with the loop's context, and
// returns f's error. It returns ErrNotEdge unless the peer is an edge.
func (s *Service) onEdgeLoop(ctx context.Context, f func(loop context.Context) error) error {
	s.loopMu.Lock()
	l := s.loop
	s.loopMu.Unlock()
	if l == nil || l.role != Edge {
		return ErrNotEdge
	}
	errc := make(chan error, 1)
	select {
	case l.work <- func(loop context.Context) { errc <- f(loop) }:
	case <-l.done:
		return errLoopStopped
	case <-ctx.Done():
		return ctx.Err()
	}
	select {
	case err := <-errc:
		return err
	case <-l.done:
		select {
		case err := <-errc:
			return err
		default:
			return errLoopStopped
		}
	case <-ctx.Done():
		return ctx.Err()
	}
}

// poke makes the edge loop look for a rendezvous now.
func (s *Service) poke() {
	select {
	case s.wake <- struct{}{}:
	default: // a look is due already
	}
}
