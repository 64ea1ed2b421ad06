package rendezvous

import (
	"errors"
	"log/slog"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
)

// Service names beside the rendezvous class ID's (which carries leases).
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

// Config configures a Service. Zero fields take the documented defaults.
type Config struct {
	// Group is the group served (required); its unique value is the
	// parameter of every message of the service.
	Group jxta.GroupID
	// Endpoint carries the messages (required); it may be shared by the
	// services of several groups.
	Endpoint *endpoint.Endpoint
	// Role is this peer's role in the group when the service starts
	// (default Edge); SetRole changes it.
	Role Role
	// Seeds returns candidate rendezvous peers, already known to the
	// endpoint (connected seed peers, say). It is called whenever the
	// service looks for a rendezvous (edge) or a gossip partner
	// (rendezvous), so it must be quick. AddSeed adds others.
	Seeds func() []jxta.PeerID
	// Lease is the lease a rendezvous grants and an edge asks for
	// (default 5 minutes).
	Lease time.Duration
	// GossipPeriod is how often a rendezvous gossips with another
	// (default 2 s).
	GossipPeriod time.Duration
	// MaxEdges bounds the leases a rendezvous grants (default 500).
	MaxEdges int
	// MaxTTL clamps propagation TTLs (default 200; 2 while ad hoc).
	MaxTTL int
	// Notify, if set, is told of leases (edge), edges (rendezvous) and
	// peer view changes. It runs on the service's goroutines and must not
	// block.
	Notify func(Event)
	// Logger receives dropped input (warnings), lease and view changes;
	// default discards.
	Logger *slog.Logger
	// Gate admits the peers whose lease, propagation and peer view
	// messages the service reads (a password group's members); nil admits
	// everyone.
	Gate endpoint.Gate
}

// withDefaults checks c and fills in its defaults.
func (c Config) withDefaults() (Config, error) {
	if c.Endpoint == nil {
		return c, errors.New("rendezvous: Config needs an Endpoint")
	}
	if c.Group.IsNull() {
		return c, errors.New("rendezvous: Config needs a Group")
	}
	if c.Role < Edge || c.Role > AdHoc {
		return c, errors.New("rendezvous: unknown role")
	}
	if c.Lease <= 0 {
		c.Lease = DefaultLease
	}
	c.Lease = max(c.Lease, minLease)
	if c.GossipPeriod <= 0 {
		c.GossipPeriod = DefaultGossipPeriod
	}
	if c.MaxEdges <= 0 {
		c.MaxEdges = DefaultMaxEdges
	}
	if c.Seeds == nil {
		c.Seeds = func() []jxta.PeerID { return nil }
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c, nil
}
