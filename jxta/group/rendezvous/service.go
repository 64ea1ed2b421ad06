package rendezvous

import (
	"context"
	"errors"
	"log/slog"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// ErrClosed is returned by a closed Service.
var ErrClosed = errors.New("rendezvous service closed")

// Service is one group's rendezvous service on one peer.
type Service struct {
	cfg  Config
	ep   *endpoint.Endpoint
	log  *slog.Logger
	g    *groupState
	self []byte // this peer's advertisement in the group, serialized

	role atomic.Int32 // the Role; changed under g.mu (see SetRole)

	propagated, relayed, sent, failed, delivered, dropped, refused atomic.Uint64

	grants chan leaseGrant // edge: grants, for the lease being asked
	slots  chan struct{}   // bounds the goroutines of spawn
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	ctl     sync.Mutex // serializes SetRole and Close
	loopMu  sync.Mutex
	loop    *roleLoop // the running role's loop; nil for ad hoc
	seedMu  sync.Mutex
	added   []jxta.PeerID // seeds of AddSeed, oldest first
	closeMu sync.Mutex
	closed  bool
}

// groupState is the rendezvous protocol state of one group on this peer.
// A Service runs one group; a rendezvous serving the groups of its edges
// without running them would keep one groupState per group.
type groupState struct {
	unique string // the group's unique value: the parameter of every message
	header string // the propagation header's element name
	seen   *seenIDs
	view   *peerView // rendezvous: the other rendezvous

	mu    sync.Mutex
	edge  edgeLease  // edge: its lease
	edges leaseTable // rendezvous: the leases it granted
}

func newGroupState(id jxta.GroupID, self jxta.PeerID, cfg Config) *groupState {
	return &groupState{
		unique: id.Unique(), header: protocol.PropagateElementPrefix + id.Unique(),
		seen:  newSeenIDs(maxSeen, seenWindow),
		view:  newPeerView(self, cfg.GossipPeriod, rand.New(rand.NewPCG(rand.Uint64(), rand.Uint64()))),
		edges: newLeaseTable(cfg.MaxEdges),
	}
}

// New starts the rendezvous service of cfg.Group in cfg.Role on
// cfg.Endpoint: it registers its handlers and, for an edge, starts
// looking for a rendezvous, for a rendezvous, starts gossiping.
func New(cfg Config) (*Service, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	s := &Service{
		cfg: cfg, ep: cfg.Endpoint, log: cfg.Logger,
		g:      newGroupState(cfg.Group, cfg.Endpoint.ID(), cfg),
		self:   selfAdv(cfg.Endpoint, cfg.Group),
		grants: make(chan leaseGrant, 4),
		slots:  make(chan struct{}, maxInFlight),
	}
	s.role.Store(int32(cfg.Role))
	s.ctx, s.cancel = context.WithCancel(context.Background())
	// Every role's handlers are registered: each checks the role, which
	// SetRole may change.
	s.ep.HandleFunc(PropagateService, s.g.unique, endpoint.Gated(cfg.Gate, s.servePropagate))
	s.ep.HandleFunc(leaseService, s.g.unique, endpoint.Gated(cfg.Gate, s.serveLease))
	s.ep.HandleFunc(PeerViewService, s.g.unique, endpoint.Gated(cfg.Gate, s.serveGossip))
	s.startLoop(cfg.Role)
	return s, nil
}

// selfAdv returns the advertisement of ep's peer in group, serialized.
// (The endpoint's addresses are set when it starts.)
func selfAdv(ep *endpoint.Endpoint, group jxta.GroupID) []byte {
	pa := ep.PeerAdv()
	pa.GroupID = group
	return advert.Marshal(pa)
}

// leaseService is the service lease messages go to: the rendezvous
// class ID.
var leaseService = jxta.RendezvousClassID.String()

// Role returns the peer's role in the group.
func (s *Service) Role() Role { return Role(s.role.Load()) }

// RendezVous returns the rendezvous this edge holds a lease with (none
// on other roles, or while it looks for one).
func (s *Service) RendezVous() []jxta.PeerID {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	if s.g.edge.rdv.IsNull() {
		return nil
	}
	return []jxta.PeerID{s.g.edge.rdv}
}

// Edges returns the leases this rendezvous granted, by peer ID.
func (s *Service) Edges() []Lease {
	s.g.mu.Lock()
	defer s.g.mu.Unlock()
	return s.g.edges.leases()
}

// PeerView returns the other rendezvous this rendezvous knows, sorted.
func (s *Service) PeerView() []jxta.PeerID { return s.g.view.ids() }

// Status returns a snapshot of the service.
func (s *Service) Status() Status {
	st := Status{Role: s.Role(), PeerView: s.g.view.members(), Seeds: s.seeds(), Counters: Counters{
		Propagated: s.propagated.Load(), Relayed: s.relayed.Load(), Sent: s.sent.Load(), Failed: s.failed.Load(), Delivered: s.delivered.Load(),
		Dropped: s.dropped.Load(), Refused: s.refused.Load(),
	}}
	s.g.mu.Lock()
	st.Edges = s.g.edges.leases()
	if e := s.g.edge; !e.rdv.IsNull() {
		st.RendezVous = []Lease{{Peer: e.rdv, Expires: e.expires}}
	}
	s.g.mu.Unlock()
	return st
}

// Close stops the service: an edge tells its rendezvous it leaves; the
// handlers go and every goroutine of the service ends.
func (s *Service) Close() error {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return nil
	}
	s.closed = true
	s.closeMu.Unlock()
	if rdv := s.RendezVous(); len(rdv) > 0 {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		if err := s.ep.SendTo(ctx, rdv[0], leaseService, s.g.unique, leaseRequest(elementDisconnect, s.self)); err != nil {
			s.log.Debug("rendezvous: telling the rendezvous we leave", "rdv", rdv[0], "err", err)
		}
		cancel()
	}
	for _, svc := range []string{leaseService, PropagateService, PeerViewService} {
		s.ep.Handle(svc, s.g.unique, nil)
	}
	s.cancel()
	s.wg.Wait()
	return nil
}

// notify tells Config.Notify of an event.
func (s *Service) notify(kind EventKind, peer jxta.PeerID) {
	if s.cfg.Notify != nil {
		s.cfg.Notify(Event{Kind: kind, Peer: peer})
	}
}

// spawn runs f on a goroutine of its own, unless the service is closed,
// or maxInFlight such goroutines run already: then the caller runs f
// itself, which holds it back (a handler, its connection) as it should.
func (s *Service) spawn(f func()) {
	s.closeMu.Lock()
	if s.closed {
		s.closeMu.Unlock()
		return
	}
	select {
	case s.slots <- struct{}{}:
		s.wg.Add(1)
		s.closeMu.Unlock()
		go func() {
			defer s.wg.Done()
			defer func() { <-s.slots }()
			f()
		}()
	default:
		s.closeMu.Unlock()
		f()
	}
}

// send sends m to service on peer, with the group's parameter, bounded
// by timeout and the service's life.
func (s *Service) send(peer jxta.PeerID, service string, m *jxta.Message, timeout time.Duration) error {
	ctx, cancel := context.WithTimeout(s.ctx, timeout)
	defer cancel()
	return s.ep.SendTo(ctx, peer, service, s.g.unique, m)
}
