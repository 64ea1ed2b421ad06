package group

import (
	"errors"
	"log/slog"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/group/discovery"
	"github.com/gojxta/gojxta/jxta/group/peerinfo"
	"github.com/gojxta/gojxta/jxta/group/resolver"
)

// Group is a peer group running on this peer.
type Group struct {
	id        jxta.GroupID
	name      string
	resolver  *resolver.Service
	discovery *discovery.Service
	peerinfo  *peerinfo.Service
}

// Config describes a group to start.
type Config struct {
	ID   jxta.GroupID
	Name string
	// Endpoint and Cache are the peer's, shared by all its groups.
	Endpoint *endpoint.Endpoint
	Cache    *cache.Cache
	Logger   *slog.Logger
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
	g := &Group{id: cfg.ID, name: cfg.Name}
	g.resolver = resolver.New(cfg.Endpoint, cfg.ID, log)
	self := func() *advert.PeerAdv {
		pa := cfg.Endpoint.PeerAdv()
		pa.GroupID = cfg.ID
		return pa
	}
	d, err := discovery.New(discovery.Config{Group: cfg.ID, Resolver: g.resolver, Cache: cfg.Cache, Self: self, Logger: log})
	if err != nil {
		g.resolver.Close()
		return nil, err
	}
	g.discovery = d
	g.peerinfo = peerinfo.New(cfg.Endpoint, g.resolver, log)
	return g, nil
}

// ID returns the group's ID.
func (g *Group) ID() jxta.GroupID { return g.id }

// Name returns the group's name.
func (g *Group) Name() string { return g.name }

// Resolver returns the group's resolver.
func (g *Group) Resolver() *resolver.Service { return g.resolver }

// Discovery returns the group's discovery service.
func (g *Group) Discovery() *discovery.Service { return g.discovery }

// PeerInfo returns the group's peer information service.
func (g *Group) PeerInfo() *peerinfo.Service { return g.peerinfo }

// Close stops the group's services.
func (g *Group) Close() error {
	return errors.Join(g.peerinfo.Close(), g.discovery.Close(), g.resolver.Close())
}
