package rendezvous

import (
	"context"
	"errors"
	"log/slog"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
)

// Service names beside the rendezvous class ID's.
const (
	PropagateService = "JxtaPropagate" // propagated messages
	PeerViewService  = "PeerView"      // peer view gossip
)

// Defaults of Config.
const (
	DefaultLease        = 5 * time.Minute
	DefaultGossipPeriod = 2 * time.Second
	DefaultMaxEdges     = 500
	DefaultMaxTTL       = 200
	DefaultAdHocMaxTTL  = 2
)

// Config configures a Service.
type Config struct {
	Group    jxta.GroupID
	Endpoint *endpoint.Endpoint
	Role     Role
	// Seeds returns candidate rendezvous peers, known to the endpoint:
	// an edge leases with the first that grants, a rendezvous gossips
	// with them until its view fills.
	Seeds func() []jxta.PeerID
	// Lease is the lease a rendezvous grants (default 5 minutes).
	Lease time.Duration
	// GossipPeriod is how often a rendezvous gossips (default 2 s).
	GossipPeriod time.Duration
	// MaxEdges bounds the leases a rendezvous grants (default 500).
	MaxEdges int
	// MaxTTL clamps propagation TTLs (default 200, ad hoc 2).
	MaxTTL int
	// Notify, if set, is told of leases, edges and view changes. It must
	// not block.
	Notify func(Event)
	Logger *slog.Logger
}

// Service is one group's rendezvous service on one peer.
type Service struct {
	cfg    Config
	ep     *endpoint.Endpoint
	unique string // the group's unique value: every parameter
	log    *slog.Logger

	mu      sync.Mutex
	rdv     jxta.PeerID // edge: the rendezvous leased with
	expires time.Time   // edge: when that lease ends
	renewAt time.Time
	grants  chan grant
	edges   map[jxta.PeerID]time.Time
	view    map[jxta.PeerID]*viewEntry
	seen    *seenIDs
	closed  bool

	propagated, dropped atomic.Uint64

	poke   chan struct{}
	sub    *endpoint.Subscription
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// ErrClosed is returned by a closed Service.
var ErrClosed = errors.New("rendezvous service closed")

// New starts the rendezvous service of cfg.Group in cfg.Role.
func New(cfg Config) (*Service, error) {
	if cfg.Endpoint == nil {
		return nil, errors.New("rendezvous: Config needs Endpoint")
	}
	if cfg.Lease <= 0 {
		cfg.Lease = DefaultLease
	}
	if cfg.GossipPeriod <= 0 {
		cfg.GossipPeriod = DefaultGossipPeriod
	}
	if cfg.MaxEdges <= 0 {
		cfg.MaxEdges = DefaultMaxEdges
	}
	if cfg.MaxTTL <= 0 {
		cfg.MaxTTL = DefaultMaxTTL
		if cfg.Role == AdHoc {
			cfg.MaxTTL = DefaultAdHocMaxTTL
		}
	}
	if cfg.Seeds == nil {
		cfg.Seeds = func() []jxta.PeerID { return nil }
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{
		cfg: cfg, ep: cfg.Endpoint, unique: cfg.Group.Unique(), log: cfg.Logger,
		grants: make(chan grant, 4),
		edges:  make(map[jxta.PeerID]time.Time),
		view:   make(map[jxta.PeerID]*viewEntry),
		seen:   newSeenIDs(maxSeen, seenWindow),
		poke:   make(chan struct{}, 1),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.ep.HandleFunc(jxta.RendezvousClassID.String(), s.unique, s.serveLease)
	s.ep.HandleFunc(PropagateService, s.unique, s.servePropagate)
	switch cfg.Role {
	case Edge:
		s.sub = s.ep.Subscribe(64)
		s.wg.Add(1)
		go s.edgeLoop()
	case Rendezvous:
		s.ep.HandleFunc(PeerViewService, s.unique, s.serveGossip)
		s.sub = s.ep.Subscribe(256)
		s.wg.Add(1)
		go s.rendezvousLoop()
	}
	return s, nil
}

// Role returns the peer's role in the group.
func (s *Service) Role() Role { return s.cfg.Role }

// RendezVous returns the rendezvous this edge holds a lease with (none
// on other roles, or while it looks for one).
func (s *Service) RendezVous() []jxta.PeerID {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.rdv.IsNull() {
		return nil
	}
	return []jxta.PeerID{s.rdv}
}

// Edges returns the leases this rendezvous granted, by peer ID.
func (s *Service) Edges() []Lease {
	s.mu.Lock()
	out := make([]Lease, 0, len(s.edges))
	for p, exp := range s.edges {
		out = append(out, Lease{Peer: p, Expires: exp})
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Peer.String() < out[j].Peer.String() })
	return out
}

// PeerView returns the other rendezvous this rendezvous knows, sorted.
func (s *Service) PeerView() []jxta.PeerID {
	s.mu.Lock()
	out := make([]jxta.PeerID, 0, len(s.view))
	for p := range s.view {
		out = append(out, p)
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// Status returns a snapshot of the service.
func (s *Service) Status() Status {
	st := Status{Role: s.cfg.Role, Edges: s.Edges(), PeerView: s.PeerView(),
		Propagated: s.propagated.Load(), Dropped: s.dropped.Load()}
	s.mu.Lock()
	if !s.rdv.IsNull() {
		st.RendezVous = []Lease{{Peer: s.rdv, Expires: s.expires}}
	}
	s.mu.Unlock()
	return st
}

func (s *Service) notify(kind EventKind, peer jxta.PeerID) {
	if s.cfg.Notify != nil {
		s.cfg.Notify(Event{Kind: kind, Peer: peer})
	}
}

// self returns this peer's advertisement in the group.
func (s *Service) self() *advert.PeerAdv {
	pa := s.ep.PeerAdv()
	pa.GroupID = s.cfg.Group
	return pa
}

// Close stops the service; an edge tells its rendezvous it leaves.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	rdv := s.rdv
	s.mu.Unlock()
	if s.cfg.Role == Edge && !rdv.IsNull() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		s.sendLease(ctx, rdv, elementDisconnect)
		cancel()
	}
	s.ep.Handle(jxta.RendezvousClassID.String(), s.unique, nil)
	s.ep.Handle(PropagateService, s.unique, nil)
	s.ep.Handle(PeerViewService, s.unique, nil)
	s.cancel()
	if s.sub != nil {
		s.sub.Close()
	}
	s.wg.Wait()
	return nil
}

// track counts a goroutine about to start in s.wg, unless s is closed.
func (s *Service) track() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	return true
}
