package srdi

import (
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// Shared is what a rendezvous knows of the other rendezvous's edges: the
// index entries each of them shares of its own edges, by edge, and which
// rendezvous each edge is reached through, so that a query goes to the
// rendezvous whose edges can answer it instead of to every one. It is
// safe for concurrent use.
type Shared struct {
	index *Index
	mu    sync.Mutex
	via   map[jxta.PeerID]jxta.PeerID          // edge -> its rendezvous
	edges map[jxta.PeerID]map[jxta.PeerID]bool // rendezvous -> its edges
}

// NewShared returns an empty Shared holding at most maxEntries entries
// (DefaultMaxEntries if maxEntries <= 0); clock is the time source (nil:
// time.Now).
func NewShared(maxEntries int, clock func() time.Time) *Shared {
	return &Shared{index: NewIndex(maxEntries, clock), via: make(map[jxta.PeerID]jxta.PeerID), edges: make(map[jxta.PeerID]map[jxta.PeerID]bool)}
}

// Add records the entries of m, which rendezvous rdv shares for its edge
// m.PeerID: the edge is reached through rdv from now on (an edge that
// moved to another rendezvous is found through the new one). It returns
// how many entries were stored. A push naming no edge, or rdv itself, is
// ignored.
func (s *Shared) Add(rdv jxta.PeerID, m *protocol.SRDIMessage) int {
	edge := m.PeerID
	if edge.IsNull() || rdv.IsNull() || edge == rdv {
		return 0
	}
	s.mu.Lock()
	if old, ok := s.via[edge]; ok && old != rdv {
		s.unlink(old, edge)
	}
	s.via[edge] = rdv
	if s.edges[rdv] == nil {
		s.edges[rdv] = make(map[jxta.PeerID]bool)
	}
	s.edges[rdv][edge] = true
	s.mu.Unlock()
	n := s.index.Add(edge, m)
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.index.hasPeer(edge) && s.via[edge] == rdv {
		// Withdrawn whole: the edge is no longer reached.
		delete(s.via, edge)
		s.unlink(rdv, edge)
	}
	if len(s.via) > 2*s.index.Peers()+1024 {
		// Edges whose entries all expired (and were swept) linger:
		// drop them.
		for e, r := range s.via {
			if !s.index.hasPeer(e) {
				delete(s.via, e)
				s.unlink(r, e)
			}
		}
	}
	return n
}

// unlink drops edge from rdv's edges; the caller holds mu.
func (s *Shared) unlink(rdv, edge jxta.PeerID) {
	delete(s.edges[rdv], edge)
	if len(s.edges[rdv]) == 0 {
		delete(s.edges, rdv)
	}
}

// Lookup returns the rendezvous through which edges with a live entry
// matching pkey, skey and pattern (as Index.Lookup) are reached, at most
// limit of them (all if limit <= 0), sorted.
func (s *Shared) Lookup(pkey, skey, pattern string, limit int) []jxta.PeerID {
	edges := s.index.Lookup(pkey, skey, pattern, 0)
	if len(edges) == 0 {
		return nil
	}
	s.mu.Lock()
	found := make(map[jxta.PeerID]bool)
	for _, e := range edges {
		if rdv, ok := s.via[e]; ok {
			found[rdv] = true
		}
	}
	s.mu.Unlock()
	return sortedPeers(found, limit)
}

// RemoveRendezvous drops everything rdv shared (a rendezvous that left
// the peer view).
func (s *Shared) RemoveRendezvous(rdv jxta.PeerID) {
	s.mu.Lock()
	edges := s.edges[rdv]
	delete(s.edges, rdv)
	for e := range edges {
		delete(s.via, e)
	}
	s.mu.Unlock()
	for e := range edges {
		s.index.RemovePeer(e)
	}
}

// Len returns the number of entries, expired ones included until swept.
func (s *Shared) Len() int { return s.index.Len() }
