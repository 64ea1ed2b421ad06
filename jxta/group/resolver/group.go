package resolver

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// Rendezvous is what the resolver needs of its group's rendezvous service
// to reach the rest of the group.
type Rendezvous interface {
	// IsRendezvous reports whether this peer is a rendezvous of the group.
	IsRendezvous() bool
	// RendezVous returns the rendezvous this (edge) peer holds a lease
	// with.
	RendezVous() []jxta.PeerID
	// PeerView returns the other rendezvous a rendezvous knows.
	PeerView() []jxta.PeerID
}

// SetRendezvous makes group queries (Query to the null peer) go through
// r. Without it they go to every connected peer.
func (s *Service) SetRendezvous(r Rendezvous) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rdv = r
}

func (s *Service) rendezvous() Rendezvous {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rdv
}

// sendQuery sends q to peer, or to the group for a null peer. A query to
// the group goes, from an edge, to its rendezvous, which answers and
// forwards it (see Forward); a rendezvous runs it itself, as if an edge
// had sent it; a peer without a rendezvous (ad hoc) sends it to every
// peer it is connected to. A query that finds nobody to send to waits for
// somebody within ctx while the prospects expect peers (prospects.go).
func (s *Service) sendQuery(ctx context.Context, peer jxta.PeerID, q *protocol.ResolverQuery) error {
	if !peer.IsNull() {
		return s.send(ctx, peer, s.oRes, advert.Marshal(q))
	}
	if s.IsRendezvous() {
		s.serveLocal(q)
		return nil
	}
	targets, err := s.waitTargets(ctx)
	if err != nil {
		return err
	}
	doc := advert.Marshal(q)
	var errs []error
	for _, p := range targets {
		if err := s.send(ctx, p, s.oRes, doc); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == len(targets) {
		return fmt.Errorf("resolver: sending a group query: %w", errors.Join(errs...))
	}
	return nil
}

// serveLocal runs this peer's handler on its own group query, as a
// rendezvous does for the queries of its edges.
func (s *Service) serveLocal(q *protocol.ResolverQuery) {
	s.mu.Lock()
	h := s.handlers[q.HandlerName]
	s.mu.Unlock()
	if h == nil {
		return
	}
	self := s.ep.ID()
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.answer(h, q, &Query{Handler: q.HandlerName, ID: q.QueryID, Source: self, Body: q.Query, Peer: self, Route: q.SrcPeerRoute})
	}()
}

// Forward sends q on to peers, with its hop count raised, its query ID
// and its querier, so that they answer the querier: directly, or back
// through this peer (see relay.go). The querier, the peer q came from and
// this peer are skipped. It returns how many peers the query was sent to.
// Queries at MaxHopCount are not forwarded.
func (s *Service) Forward(ctx context.Context, q *Query, peers []jxta.PeerID) int {
	if q.HopCount+1 > MaxHopCount {
		return 0
	}
	self := s.ep.ID()
	var targets []jxta.PeerID
	var seen map[jxta.PeerID]bool
	if len(peers) > 1 {
		seen = make(map[jxta.PeerID]bool, len(peers))
	}
	for _, p := range peers {
		if p.IsNull() || p == self || p == q.Source || p == q.Peer || seen[p] {
			continue
		}
		if seen != nil {
			seen[p] = true
		}
		targets = append(targets, p)
	}
	if len(targets) == 0 {
		return 0 // nothing to write
	}
	rq := &protocol.ResolverQuery{
		HandlerName: q.Handler, QueryID: q.ID, HopCount: q.HopCount + 1,
		SrcPeerID: q.Source, SrcPeerRoute: q.Route, Query: q.Body,
	}
	doc := advert.Marshal(rq)
	// Responses may come back this way (relay.go).
	s.paths.add(q.Source, q.ID, q.Peer, time.Now())
	sent := 0
	for _, p := range targets {
		if err := s.send(ctx, p, s.oRes, doc); err != nil {
			s.log.Debug("resolver: forwarding a query", "to", p, "err", err)
			continue
		}
		sent++
	}
	return sent
}

// IsRendezvous reports whether this peer is a rendezvous of the group.
func (s *Service) IsRendezvous() bool {
	r := s.rendezvous()
	return r != nil && r.IsRendezvous()
}

// PeerView returns the other rendezvous of the group this rendezvous
// knows (nil on an edge).
func (s *Service) PeerView() []jxta.PeerID {
	r := s.rendezvous()
	if r == nil || !r.IsRendezvous() {
		return nil
	}
	return r.PeerView()
}

// RendezVous returns the rendezvous this edge holds leases with.
func (s *Service) RendezVous() []jxta.PeerID {
	r := s.rendezvous()
	if r == nil {
		return nil
	}
	return r.RendezVous()
}

// route returns this peer's route: its addresses, for the peers a query
// is forwarded to.
func (s *Service) route() *advert.RouteAdv {
	addrs := s.ep.Addresses()
	if len(addrs) == 0 {
		return nil
	}
	ap := &advert.AccessPointAdv{Addresses: make([]string, len(addrs))}
	for i, a := range addrs {
		ap.Addresses[i] = a.String()
	}
	return &advert.RouteAdv{DstPeerID: s.ep.ID(), Dst: ap}
}

// learnRoute records the querier's addresses from its route, so that the
// answer can reach it: for a peer the endpoint does not know, and for one
// whose known addresses differ (it restarted elsewhere); a live connection
// to the peer is used first whatever the addresses say.
func (s *Service) learnRoute(src jxta.PeerID, r *advert.RouteAdv) {
	if r == nil || r.Dst == nil || len(r.Dst.Addresses) == 0 || src == s.ep.ID() {
		return
	}
	if r.DstPeerID != src && !r.DstPeerID.IsNull() {
		return
	}
	pa := &advert.PeerAdv{PeerID: src, GroupID: jxta.NetGroupID}
	if known, ok := s.ep.Peer(src); ok {
		if slices.Equal(known.EndpointAddresses(), r.Dst.Addresses) {
			return
		}
		cp := *known // keep its name and services; SetEndpointAddresses changes a copy
		cp.Services = slices.Clone(known.Services)
		pa = &cp
	}
	if err := pa.SetEndpointAddresses(r.Dst.Addresses); err != nil {
		s.log.Debug("resolver: unusable querier route", "peer", src, "err", err)
		return
	}
	s.ep.AddPeer(pa)
}

// Self returns this peer's ID.
func (s *Service) Self() jxta.PeerID { return s.ep.ID() }
