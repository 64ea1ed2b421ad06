package group

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group/admission"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/group/discovery"
	"github.com/gojxta/gojxta/jxta/group/membership"
	"github.com/gojxta/gojxta/jxta/group/peerinfo"
	"github.com/gojxta/gojxta/jxta/group/rendezvous"
	"github.com/gojxta/gojxta/jxta/group/resolver"
	"github.com/gojxta/gojxta/jxta/pipe"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// Group is a peer group running on this peer.
type Group struct {
	id         jxta.GroupID
	name       string
	adv        *advert.GroupAdv
	parent     *Group
	ep         *endpoint.Endpoint
	resolver   *resolver.Service
	discovery  *discovery.Service
	peerinfo   *peerinfo.Service
	rendezvous *rendezvous.Service
	membership *membership.Service
	gate       *admission.Gate // password groups only
	pipes      *pipe.Service
	log        *slog.Logger

	onRendezvous func(rendezvous.Event) // Config.OnRendezvous

	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// Config describes a group to start.
type Config struct {
	ID   jxta.GroupID
	Name string
	// Adv is the group's advertisement; nil for the World and Net groups,
	// which have none. Its membership service decides who may join.
	Adv *advert.GroupAdv
	// Membership is the group's membership service, joined already (see
	// membership.Service.Join); nil makes one from Adv, not joined. In a
	// password group only a joined peer may use the group's services, and
	// they accept traffic only from peers that prove their membership
	// (package admission).
	Membership *membership.Service
	// Parent is the group this one was created in (nil for World).
	Parent *Group
	// Endpoint and Cache are the peer's, shared by all its groups.
	Endpoint *endpoint.Endpoint
	Cache    *cache.Cache
	Logger   *slog.Logger
	// Rendezvous configures the group's rendezvous service: the role,
	// where to find rendezvous, lease and gossip periods.
	Rendezvous RendezvousConfig
	// Prospects tells the group's resolver whether peers to send group
	// queries to may still come, so that a query waits for them; nil: a
	// group query with nobody to send to fails at once.
	Prospects resolver.Prospects
	// ResolveTimeout bounds a pipe resolution (Dial, an output pipe)
	// whose context has no earlier deadline; default
	// pipe.DefaultResolveTimeout.
	ResolveTimeout time.Duration
	// OnRendezvous, if set, is called with each event of the group's
	// rendezvous service (a lease taken or lost...) after the group has
	// acted on it. It must not block.
	OnRendezvous func(rendezvous.Event)
}

// RendezvousConfig is the part of rendezvous.Config a group passes on.
type RendezvousConfig struct {
	// Role is the peer's role in the group at start; the rendezvous
	// service's SetRole changes it, and the group's services follow (its
	// resolver asks the service's role at each query; the discovery index
	// follows its events).
	Role rendezvous.Role
	// Seeds returns the rendezvous to try (the peer's seed connections,
	// or the Net group's rendezvous for a user group).
	Seeds        func() []jxta.PeerID
	Lease        time.Duration
	GossipPeriod time.Duration
	MaxEdges     int // leases granted at most (rendezvous.Config.MaxEdges)
}

// New starts a group's services.
func New(cfg Config) (*Group, error) {
	if cfg.Endpoint == nil || cfg.Cache == nil {
		return nil, errors.New("group: Config needs Endpoint and Cache")
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	log = log.With("group", cfg.ID.String())
	g := &Group{id: cfg.ID, name: cfg.Name, adv: cfg.Adv, parent: cfg.Parent, ep: cfg.Endpoint, log: log}
	g.ctx, g.cancel = context.WithCancel(context.Background())
	m := cfg.Membership
	var err error
	switch {
	case m != nil:
	case cfg.Adv != nil:
		m, err = membership.FromGroupAdv(cfg.Adv, cfg.Endpoint.ID())
	default:
		m, err = membership.New(cfg.ID, cfg.Endpoint.ID(), membership.None, "")
	}
	if err != nil {
		return nil, fmt.Errorf("group %s: %w", cfg.Name, err)
	}
	g.membership = m
	// gate stays a nil interface for open groups: their services admit
	// everyone.
	var gate endpoint.Gate
	if m.NeedsPassword() {
		g.gate, err = admission.New(admission.Config{Group: cfg.ID, Endpoint: cfg.Endpoint, Membership: m, Logger: log})
		if err != nil {
			return nil, fmt.Errorf("group %s: %w", cfg.Name, err)
		}
		gate = g.gate
	}
	g.resolver = resolver.NewGated(cfg.Endpoint, cfg.ID, gate, log)
	g.resolver.SetProspects(cfg.Prospects)
	g.onRendezvous = cfg.OnRendezvous
	self := func() *advert.PeerAdv {
		pa := cfg.Endpoint.PeerAdv()
		pa.GroupID = cfg.ID
		return pa
	}
	d, err := discovery.New(discovery.Config{Group: cfg.ID, Resolver: g.resolver, Cache: cfg.Cache, Self: self, Signer: cfg.Endpoint.Identity(), Metrics: cfg.Endpoint.Metrics(), Logger: log})
	if err != nil {
		g.resolver.Close()
		g.closeGate()
		return nil, err
	}
	g.discovery = d
	ps, err := pipe.New(pipe.Config{Group: cfg.ID, Endpoint: cfg.Endpoint, Resolver: g.resolver, Propagator: groupPropagator{g}, Self: self, ResolveTimeout: cfg.ResolveTimeout, Logger: log, Gate: gate})
	if err != nil {
		d.Close()
		g.resolver.Close()
		g.closeGate()
		return nil, err
	}
	g.pipes = ps
	rdv, err := rendezvous.New(rendezvous.Config{
		Group: cfg.ID, Endpoint: cfg.Endpoint, Role: cfg.Rendezvous.Role, Seeds: cfg.Rendezvous.Seeds,
		Lease: cfg.Rendezvous.Lease, GossipPeriod: cfg.Rendezvous.GossipPeriod, MaxEdges: cfg.Rendezvous.MaxEdges,
		Notify: g.rendezvousEvent, Logger: log, Gate: gate,
	})
	if err != nil {
		ps.Close()
		d.Close()
		g.resolver.Close()
		g.closeGate()
		return nil, err
	}
	g.rendezvous = rdv
	g.resolver.SetRendezvous(rendezvousView{rdv})
	g.peerinfo = peerinfo.New(cfg.Endpoint, g.resolver, log)
	return g, nil
}

// groupPropagator propagates pipe messages through the group's rendezvous
// service, which starts after the pipe service.
type groupPropagator struct{ g *Group }

// Propagate hands msg to the group's rendezvous service.
func (p groupPropagator) Propagate(ctx context.Context, msg *jxta.Message, service, param string, ttl int) error {
	return p.g.rendezvous.Propagate(ctx, msg, service, param, ttl)
}

// rendezvousView adapts the rendezvous service to what the resolver needs.
type rendezvousView struct{ *rendezvous.Service }

func (v rendezvousView) IsRendezvous() bool { return v.Role() == rendezvous.Rendezvous }

// rendezvousEvent keeps discovery in step with the rendezvous network: an
// edge pushes its index to each new rendezvous; a rendezvous keeps its
// edges' advertisements and forgets the index entries of edges that left,
// shares its edges' index with each rendezvous that joins its view and
// forgets what those that left it shared.
// Then it tells Config.OnRendezvous. It runs on the rendezvous service's goroutines and must not block.
func (g *Group) rendezvousEvent(ev rendezvous.Event) {
	switch ev.Kind {
	case rendezvous.LeaseGranted:
		if !g.background(func(ctx context.Context) {
			if err := g.discovery.PushIndex(ctx, ev.Peer); err != nil && g.ctx.Err() == nil {
				g.log.Debug("group: pushing the index to a new rendezvous", "rdv", ev.Peer, "err", err)
			}
			if err := g.pipes.PushIndex(ctx, ev.Peer); err != nil && g.ctx.Err() == nil {
				g.log.Debug("group: pushing the input pipes to a new rendezvous", "rdv", ev.Peer, "err", err)
			}
		}) {
			return
		}
	case rendezvous.EdgeConnected:
		if sa, ok := g.ep.SignedPeerAdv(ev.Peer); ok {
			if err := g.discovery.Keep(sa, protocol.DefaultExpiration); err != nil {
				g.log.Debug("group: keeping an edge's advertisement", "edge", ev.Peer, "err", err)
			}
		}
	case rendezvous.EdgeDisconnected:
		g.discovery.ForgetPeer(ev.Peer)
		g.pipes.ForgetPeer(ev.Peer)
	case rendezvous.ViewAdded:
		if !g.background(func(ctx context.Context) {
			if err := g.discovery.ShareIndex(ctx, ev.Peer); err != nil && g.ctx.Err() == nil {
				g.log.Debug("group: sharing the index with a new rendezvous", "rdv", ev.Peer, "err", err)
			}
		}) {
			return
		}
	case rendezvous.ViewRemoved:
		g.discovery.ForgetRendezvous(ev.Peer)
	}
	if g.onRendezvous != nil {
		g.onRendezvous(ev)
	}
}

// background runs f on a goroutine of its own, with a context that ends
// with the group or after 30 s, and reports true; once the group is
// closed it runs nothing and reports false.
func (g *Group) background(f func(ctx context.Context)) bool {
	g.mu.Lock()
	if g.closed {
		g.mu.Unlock()
		return false
	}
	g.wg.Add(1)
	g.mu.Unlock()
	go func() {
		defer g.wg.Done()
		ctx, cancel := context.WithTimeout(g.ctx, 30*time.Second)
		defer cancel()
		f(ctx)
	}()
	return true
}

// ID returns the group's ID.
func (g *Group) ID() jxta.GroupID { return g.id }

// Name returns the group's name.
func (g *Group) Name() string { return g.name }

// Adv returns the group's advertisement (nil for World and Net).
func (g *Group) Adv() *advert.GroupAdv { return g.adv }

// Parent returns the group this one was created in (nil for World).
func (g *Group) Parent() *Group { return g.parent }

// Resolver returns the group's resolver.
func (g *Group) Resolver() *resolver.Service { return g.resolver }

// Discovery returns the group's discovery service.
func (g *Group) Discovery() *discovery.Service { return g.discovery }

// PeerInfo returns the group's peer information service.
func (g *Group) PeerInfo() *peerinfo.Service { return g.peerinfo }

// Rendezvous returns the group's rendezvous service.
func (g *Group) Rendezvous() *rendezvous.Service { return g.rendezvous }

// Membership returns the group's membership service.
func (g *Group) Membership() *membership.Service { return g.membership }

// Pipes returns the group's pipe service.
func (g *Group) Pipes() *pipe.Service { return g.pipes }

// Close stops the group's services.
func (g *Group) Close() error {
	g.mu.Lock()
	g.closed = true
	g.mu.Unlock()
	g.cancel()
	err := errors.Join(g.pipes.Close(), g.rendezvous.Close(), g.peerinfo.Close(), g.discovery.Close(), g.resolver.Close(), g.closeGate())
	g.wg.Wait()
	return err
}

// closeGate closes the group's admission gate, if it has one.
func (g *Group) closeGate() error {
	if g.gate == nil {
		return nil
	}
	return g.gate.Close()
}

// Refused returns the peers whose traffic in the group this peer refuses
// because they have not proved their membership (password groups only).
func (g *Group) Refused() []admission.Refusal {
	if g.gate == nil {
		return nil
	}
	return g.gate.Refused()
}

// Admitted reports whether peer may take part in the group: in a password
// group, whether it has proved its membership to this peer (always true
// in an open group).
func (g *Group) Admitted(peer jxta.PeerID) bool {
	return g.gate == nil || g.gate.Admitted(peer)
}
