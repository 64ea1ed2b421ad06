package resolver

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
)

// ErrNoPeers is returned (wrapped in a *NoPeersError) by a group query
// when this peer has no rendezvous and no connection to send it to.
var ErrNoPeers = errors.New("no rendezvous or connected peer to send the query to")

// Prospects tells a group's resolver, when it has nobody to send a group
// query to, whether somebody may still come (a seed that is still being
// connected to, LAN discovery) and why nobody has yet (the seeds' last
// errors), or nil. It is called from the querier's goroutine.
type Prospects func() (expected bool, why error)

// SetProspects has group queries that find nobody to send to wait, within
// their context, while p says peers are expected. Without it such a query
// fails at once.
func (s *Service) SetProspects(p Prospects) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.prospects = p
}

// NoPeersError is the error of a group query that had nobody to send to.
// errors.Is(err, ErrNoPeers) holds for it.
type NoPeersError struct {
	// Waited is how long the query waited for a peer; zero when none was
	// expected.
	Waited time.Duration
	// Why is why none was reached (the seeds' errors), or nil.
	Why error
}

func (e *NoPeersError) Error() string {
	msg := ErrNoPeers.Error()
	if e.Waited > 0 {
		msg = fmt.Sprintf("no rendezvous or connected peer reached within %s", roundWait(e.Waited))
	}
	if e.Why != nil {
		msg += ": " + e.Why.Error()
	}
	return msg
}

// Is makes errors.Is(err, ErrNoPeers) hold.
func (e *NoPeersError) Is(target error) bool { return target == ErrNoPeers }

// Unwrap returns Why.
func (e *NoPeersError) Unwrap() error { return e.Why }

// roundWait rounds a wait for messages: 4.998s reads as 5s.
func roundWait(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(10 * time.Millisecond)
}

// prospectsCheck is how often a waiting group query looks for a new
// rendezvous lease or connection besides the endpoint's connection events.
const prospectsCheck = 100 * time.Millisecond

// GroupTargets returns the peers a group query goes to now: from an edge,
// the rendezvous it holds a lease with; else every connected peer. It is
// empty on a rendezvous, which serves its own group queries.
func (s *Service) GroupTargets() []jxta.PeerID {
	r := s.rendezvous()
	if r != nil && r.IsRendezvous() {
		return nil
	}
	var targets []jxta.PeerID
	if r != nil {
		targets = r.RendezVous()
	}
	if len(targets) == 0 {
		for _, c := range s.ep.Connections() {
			targets = append(targets, c.Peer)
		}
	}
	return targets
}

// waitTargets returns GroupTargets, waiting for some while the prospects
// say peers are expected and ctx lasts.
func (s *Service) waitTargets(ctx context.Context) ([]jxta.PeerID, error) {
	if t := s.GroupTargets(); len(t) > 0 {
		return t, nil
	}
	s.mu.Lock()
	p := s.prospects
	s.mu.Unlock()
	if p == nil {
		return nil, &NoPeersError{}
	}
	expected, why := p()
	if !expected {
		return nil, &NoPeersError{Why: why}
	}
	start := time.Now()
	changed := make(chan struct{}, 1)
	stop := s.ep.Watch(func(ev endpoint.Event) {
		if ev.Kind == endpoint.PeerConnected {
			select {
			case changed <- struct{}{}:
			default:
			}
		}
	})
	defer stop()
	tick := time.NewTicker(prospectsCheck)
	defer tick.Stop()
	for {
		if t := s.GroupTargets(); len(t) > 0 {
			return t, nil
		}
		select {
		case <-ctx.Done():
			_, why := p()
			if why == nil && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
				why = ctx.Err()
			}
			return nil, &NoPeersError{Waited: time.Since(start), Why: why}
		case <-s.ctx.Done():
			return nil, ErrClosed
		case <-changed:
		case <-tick.C:
		}
	}
}
