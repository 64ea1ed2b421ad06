package pipe

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/group/resolver"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// Resolution is re-sent with growing pauses until the caller's context
// ends, so that a pipe bound after the first query is still found.
const (
	firstRetry = 250 * time.Millisecond
	maxRetry   = 2 * time.Second
)

// DefaultResolveTimeout bounds a resolution (and so Dial and an output
// pipe's Connect) whose context has no earlier deadline, unless
// Config.ResolveTimeout says otherwise.
const DefaultResolveTimeout = 30 * time.Second

// maxForward bounds the peers a rendezvous forwards one query to by its
// index.
const maxForward = 50

// Resolve returns the peers that bound the pipe id with type typ (at
// least one), from what this peer already knows or by asking the group
// with the Pipe Binding Protocol until one answers, ctx ends or
// Config.ResolveTimeout (DefaultResolveTimeout) has passed. This peer itself is never returned.
// The error of a pipe nobody bound (ErrNotResolved) says whom this peer
// asked and for how long.
func (s *Service) Resolve(ctx context.Context, id jxta.PipeID, typ string) ([]jxta.PeerID, error) {
	if peers := s.resolved.get(id, typ, time.Now()); len(peers) > 0 {
		return peers, nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.resolveIn)
	defer cancel()
	return s.query(ctx, id, typ)
}

// query asks the group where id is bound, again and again until an
// answer names peers or ctx ends, and returns the answer's peers.
func (s *Service) query(ctx context.Context, id jxta.PipeID, typ string) ([]jxta.PeerID, error) {
	body := protocol.Flatten(&protocol.PipeResolver{MsgType: protocol.PipeQuery, PipeID: id, Type: typ})
	start := time.Now()
	wait := firstRetry
	var lastErr error
	var asked []jxta.PeerID
	for {
		for _, p := range s.res.GroupTargets() {
			if !slices.Contains(asked, p) {
				asked = append(asked, p)
			}
		}
		peers, done, err := s.queryOnce(ctx, body, wait, id, typ)
		if len(peers) > 0 {
			return peers, nil
		}
		if err != nil {
			lastErr = err
		}
		if done {
			break
		}
		wait = min(2*wait, maxRetry)
	}
	if err := context.Cause(ctx); !errors.Is(err, context.DeadlineExceeded) {
		return nil, fmt.Errorf("pipe %s: %w", id, err)
	}
	waited := roundWait(time.Since(start))
	switch {
	case s.res.IsRendezvous():
		return nil, fmt.Errorf("pipe %s: %w: this rendezvous's index and peer view had no binding for %v", id, ErrNotResolved, waited)
	case len(asked) > 0:
		return nil, fmt.Errorf("pipe %s: %w: asked %s for %v", id, ErrNotResolved, peerList(asked), waited)
	}
	var np *resolver.NoPeersError
	if errors.As(lastErr, &np) && np.Why != nil {
		return nil, fmt.Errorf("pipe %s: %w: no rendezvous or connected peer to ask within %v: %v", id, ErrNotResolved, waited, np.Why)
	}
	return nil, fmt.Errorf("pipe %s: %w: no rendezvous or connected peer to ask within %v", id, ErrNotResolved, waited)
}

// peerList names the peers asked, for an error: "peer urn:…" or "3 peers
// (urn:…, urn:…, urn:…)".
func peerList(peers []jxta.PeerID) string {
	if len(peers) == 1 {
		return "peer " + peers[0].String()
	}
	names := make([]string, 0, min(len(peers), 3))
	for _, p := range peers[:min(len(peers), 3)] {
		names = append(names, p.String())
	}
	list := strings.Join(names, ", ")
	if len(peers) > 3 {
		list += ", …"
	}
	return fmt.Sprintf("%d peers (%s)", len(peers), list)
}

// roundWait rounds a wait for messages: 29.998s reads as 30s.
func roundWait(d time.Duration) time.Duration {
	if d >= time.Second {
		return d.Round(100 * time.Millisecond)
	}
	return d.Round(10 * time.Millisecond)
}

// queryOnce sends one query and waits up to wait for an answer naming
// peers; done reports that ctx ended. A group with nobody to ask yet
// (resolver.ErrNoPeers) is waited out like a query without answers.
func (s *Service) queryOnce(ctx context.Context, body string, wait time.Duration, id jxta.PipeID, typ string) (peers []jxta.PeerID, done bool, err error) {
	qctx, cancel := context.WithTimeout(ctx, wait)
	defer cancel()
	responses, err := s.res.Query(qctx, jxta.PeerID{}, protocol.PipeResolverHandler, body)
	if err != nil && !errors.Is(err, resolver.ErrNoPeers) {
		return nil, true, err
	}
	for {
		select {
		case <-qctx.Done():
			return nil, ctx.Err() != nil, err
		case r, ok := <-responses:
			if !ok {
				responses = nil // the query ended: wait out the pause
				continue
			}
			if peers := s.acceptAnswer(r, id, typ); len(peers) > 0 {
				return peers, false, nil
			}
		}
	}
}

// acceptAnswer reads a PBP answer and records the peers it names.
func (s *Service) acceptAnswer(r resolver.Response, id jxta.PipeID, typ string) []jxta.PeerID {
	a, err := protocol.UnflattenAs[*protocol.PipeResolver](r.Body, nil)
	if err != nil {
		s.log.Warn("pipe: bad binding answer dropped", "peer", r.Peer, "err", err)
		return nil
	}
	if a.MsgType != protocol.PipeAnswer || !a.Found || a.PipeID != id || a.Type != typ {
		return nil
	}
	if a.PeerAdv != nil && slices.Contains(a.Peers, a.PeerAdv.PeerID) {
		s.ep.AddPeer(a.PeerAdv)
	}
	now := time.Now()
	var peers []jxta.PeerID
	for _, p := range a.Peers {
		if p.IsNull() || p == s.ep.ID() {
			continue
		}
		s.resolved.add(id, typ, p, now)
		peers = append(peers, p)
	}
	return peers
}

// answer is the PBP query handler: it answers when this peer bound the
// pipe and, on a rendezvous, forwards the query to the edges that did.
func (s *Service) answer(ctx context.Context, q *resolver.Query) (string, bool) {
	pq, err := protocol.UnflattenAs[*protocol.PipeResolver](q.Body, nil)
	if err != nil {
		s.log.Warn("pipe: bad binding query dropped", "peer", q.Peer, "err", err)
		return "", false
	}
	if pq.MsgType != protocol.PipeQuery {
		s.log.Warn("pipe: binding answer sent as a query dropped", "peer", q.Peer)
		return "", false
	}
	if s.res.IsRendezvous() {
		s.res.Forward(ctx, q, s.index.Lookup(pq.Type, indexKey, pq.PipeID.String(), maxForward))
		if q.HopCount == 0 {
			s.res.Forward(ctx, q, s.res.PeerView())
		}
	}
	self := s.ep.ID()
	if len(pq.Peers) > 0 && !slices.Contains(pq.Peers, self) {
		return "", false
	}
	if !s.boundHere(pq.PipeID, pq.Type) {
		return "", false
	}
	a := &protocol.PipeResolver{
		MsgType: protocol.PipeAnswer, PipeID: pq.PipeID, Type: pq.Type,
		Peers: []jxta.PeerID{self}, Found: true, PeerAdv: s.self(),
	}
	return protocol.Flatten(a), true
}
