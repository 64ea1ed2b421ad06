package rendezvous

import (
	"context"
	"errors"
)

// errLoopStopped is returned for work sent to an edge loop that stopped
// meanwhile: the role changed, or the service or endpoint closed.
var errLoopStopped = errors.New("rendezvous: the edge stopped (its role changed, or it closed)")

// roleLoop does a role's periodic work: an edge's lease keeping
// (edgeLoop, on timers, with no goroutine between its steps), a
// rendezvous's gossip and expiry (rendezvousLoop, a goroutine reading
// endpoint events through a subscription of its own, which it closes
// when it returns). SetRole stops one and starts the next; an ad-hoc peer
// runs none.
type roleLoop struct {
	role   Role
	cancel context.CancelFunc
	done   <-chan struct{} // closed when the loop stopped
	edge   *edgeLoop       // an edge's
}

// startLoop starts the loop of role. Callers hold s.ctl (or are New).
func (s *Service) startLoop(role Role) {
	if role == AdHoc {
		return
	}
	ctx, cancel := context.WithCancel(s.ctx)
	l := &roleLoop{role: role, cancel: cancel}
	if role == Edge {
		l.edge = s.startEdgeLoop(ctx)
		l.done = l.edge.stopped
	} else {
		done := make(chan struct{})
		l.done = done
		sub := s.ep.Subscribe(256)
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer close(done)
			defer sub.Close()
			s.rendezvousLoop(ctx, sub)
		}()
	}
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
		if l.edge != nil {
			l.edge.stop()
		}
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
	if !l.edge.do(func(loop context.Context) { errc <- f(loop) }) {
		return errLoopStopped
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
	s.loopMu.Lock()
	l := s.loop
	s.loopMu.Unlock()
	if l != nil && l.edge != nil {
		l.edge.poke()
	}
}
