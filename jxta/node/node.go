package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gojxta/gojxta/internal/logsum"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/endpoint/mcast"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/group/admission"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/identity"
	"github.com/gojxta/gojxta/jxta/metrics"
	"github.com/gojxta/gojxta/jxta/pipe"
)

// DefaultListen is where a node listens when Config.Listen is nil: every
// interface, on JXSE's TCP port (falling back through 9702-9799).
const DefaultListen = "tcp://0.0.0.0:9701"

// Config configures a Node. The zero value starts a peer with a fresh ID
// listening on DefaultListen.
type Config struct {
	// Name is the peer's name. Empty means the name stored in Home, or one
	// made from the host name.
	Name string
	// Home is the directory that keeps the peer's ID and name across
	// restarts (created if missing). Empty means nothing is kept: each
	// start gets a new peer ID, and the advertisement cache lives in a
	// temporary directory removed on Close, so publishing does not wait
	// for the disk (cache.Options.Volatile).
	Home string
	// Listen lists the addresses to listen on, such as tcp://0.0.0.0:9701,
	// tcp://127.0.0.1:0 or mem://alice. Nil means DefaultListen (or a fresh
	// mem address with Network); an empty non-nil slice means no listening.
	Listen []string
	// Seeds are the transport addresses of peers to stay connected to
	// (rendezvous peers), each optionally naming the peer expected there
	// (see ParseSeed): tcp://host:9701#urn:jxta:uuid-….
	Seeds []string
	// Network, if set, replaces TCP with this in-memory network.
	Network *endpoint.MemNetwork
	// Logger receives the node's log; default discards it.
	Logger *slog.Logger
	// Legacy also talks to JXTA peers that speak JXTA 1.1's framing (JXSE
	// 2.6, JXTA-C): unauthenticated, in the clear, and marked unverified
	// (see endpoint.Config.Legacy). Off by default: such a peer is refused
	// with one log line.
	Legacy bool
	// Endpoint tunes the endpoint; its PeerID, Name, Listen, Transports,
	// Logger and Metrics are set by the node.
	Endpoint endpoint.Config
	// Cache tunes the advertisement cache (room, quota per remote
	// publisher); its Logger is set by the node.
	Cache cache.Options
	// Metrics is a TCP address such as 127.0.0.1:9100 where the node
	// serves its Prometheus metrics over HTTP, at /metrics, until Close;
	// port 0 picks a free port (see MetricsAddr). Empty means no server:
	// the metrics are still kept, for Node.Metrics (a program with its own
	// HTTP server serves that) and Node.Stats. An address that cannot be
	// listened on fails Start. The names are listed in jxta/metrics.
	Metrics string

	// Rendezvous makes this peer a rendezvous: it grants leases to edges,
	// relays their group queries and propagated messages, and keeps a
	// peer view of the other rendezvous (its seeds). Otherwise the peer is
	// an edge that leases with one of its seeds. SetRendezvous changes it
	// at run time.
	Rendezvous bool
	// Lease is the rendezvous lease length (default 5 minutes); an edge
	// whose rendezvous dies finds another within two leases.
	Lease time.Duration
	// GossipPeriod is how often rendezvous exchange their peer views
	// (default 2 s).
	GossipPeriod time.Duration
	// MaxEdges bounds the leases this peer grants as a rendezvous, per
	// group (default 500); edges beyond it are refused and look for
	// another rendezvous.
	MaxEdges int
	// Multicast turns on LAN discovery by IP multicast: the peer
	// announces itself to, and learns of, the peers on its LAN. It is
	// ignored with Network; where multicast does not work, a warning is
	// logged and the peer runs without it.
	Multicast bool
	// MulticastGroup is the multicast address (default JXSE's
	// 224.0.1.85:1234).
	MulticastGroup string
	// MulticastInterface is the network interface LAN discovery joins the
	// group on and sends through: its name (lo, eth0) or one of its
	// addresses (127.0.0.1, as JXSE's MulticastInterface). Default: the
	// system's choice (the interface of its route to the group). Start
	// fails if it names no interface of this host, or one that is down.
	MulticastInterface string
	// ResolveTimeout bounds finding a pipe's listener (Dial, output
	// pipes) when the context has no earlier deadline; default
	// pipe.DefaultResolveTimeout.
	ResolveTimeout time.Duration
	// OnEvent, if set, is told when a seed becomes unreachable or is
	// reached, and when a lease with a rendezvous is taken or lost. It
	// runs on the node's goroutines and must not block.
	OnEvent func(Event)
}

// Node is a running JXTA peer.
type Node struct {
	cfg    Config
	ep     *endpoint.Endpoint
	name   string
	lock   *os.File
	cache  *cache.Cache
	tmpDir string // holds the cache of a node without a home directory
	world  *group.Group
	net    *group.Group
	seeds  []*seed // guarded by groupsMu
	lan    *mcast.Beacon
	log    *slog.Logger
	quiet  *logsum.Handler // log's handler when Config.Logger is set
	// unjoined answers the membership challenges of password groups this
	// peer has not joined.
	unjoined *admission.Unjoined

	metrics    *metrics.Set   // this peer's, in a registry of its own
	metricsSrv *metricsServer // serves Config.Metrics, or nil

	rdv    atomic.Bool // this peer is a rendezvous (Config.Rendezvous, SetRendezvous)
	roleMu sync.Mutex  // serializes SetRendezvous

	groupsMu sync.Mutex
	joined   map[jxta.GroupID]*group.Group // user groups joined
	served   map[jxta.GroupID]*group.Group // groups a rendezvous serves for its edges
	joining  map[jxta.GroupID]bool         // groups being joined
	closing  bool

	eventsMu  sync.Mutex
	lastLease map[jxta.GroupID]Event // the latest rendezvous event of each group

	ctx       context.Context
	cancel    context.CancelFunc
	stopWatch func() // ends watchSeeds
	wg        sync.WaitGroup
	once      sync.Once
}

// Start starts a peer. ctx bounds the start-up only.
//
// The node's log (Config.Logger) passes at most five lines of each kind
// per 10 s; the rest of a flood is summarised in one line with a count
// and an example (see internal/logsum), while the metrics count every
// event.
func Start(ctx context.Context, cfg Config) (*Node, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	log := slog.New(slog.DiscardHandler)
	var quiet *logsum.Handler
	if cfg.Logger != nil {
		quiet = logsum.NewHandler(cfg.Logger.Handler(), 0, 0)
		log = slog.New(quiet)
	}
	n, err := startNode(ctx, cfg, log)
	if err != nil {
		if quiet != nil {
			quiet.Stop()
		}
		return nil, err
	}
	n.quiet = quiet
	return n, nil
}

// startNode is Start with the node's logger made.
func startNode(ctx context.Context, cfg Config, log *slog.Logger) (*Node, error) {
	n := &Node{cfg: cfg, log: log, metrics: metrics.New(),
		joined: make(map[jxta.GroupID]*group.Group), served: make(map[jxta.GroupID]*group.Group),
		joining: make(map[jxta.GroupID]bool), lastLease: make(map[jxta.GroupID]Event)}
	n.rdv.Store(cfg.Rendezvous)
	lanIf, err := mcast.InterfaceFor(cfg.MulticastInterface)
	if err != nil {
		return nil, fmt.Errorf("node: multicast interface: %w", err)
	}
	var id homeIdentity
	if cfg.Home != "" {
		if err := os.MkdirAll(cfg.Home, 0o700); err != nil {
			return nil, fmt.Errorf("node: home directory: %w", err)
		}
		lock, err := lockHome(cfg.Home)
		if err != nil {
			return nil, fmt.Errorf("node: %w", err)
		}
		n.lock = lock
		if id, err = loadIdentity(cfg.Home, cfg.Name); err != nil {
			lock.Close()
			return nil, fmt.Errorf("node: %w", err)
		}
	} else {
		key, err := identity.New()
		if err != nil {
			return nil, fmt.Errorf("node: %w", err)
		}
		id.key, id.peerID, id.name = key, key.PeerID(), cfg.Name
		if id.name == "" {
			id.name = defaultName(id.peerID)
		}
	}
	n.name = id.name
	if !id.previous.IsNull() {
		log.Warn("node: new peer ID, derived from a key", "was", id.previous, "now", id.peerID)
		n.emit(Event{Kind: PeerIDChanged, Peer: id.peerID, Previous: id.previous})
	}

	epc := cfg.Endpoint
	epc.Legacy = epc.Legacy || cfg.Legacy
	epc.Identity, epc.Name, epc.Logger, epc.Metrics = id.key, id.name, log, n.metrics
	listen := cfg.Listen
	if listen == nil {
		listen = []string{DefaultListen}
		if cfg.Network != nil {
			listen = []string{"mem://" + id.peerID.Unique()}
		}
	}
	epc.Listen = nil
	for _, s := range listen {
		a, err := parseTransportAddress(s)
		if err != nil {
			n.unlock()
			return nil, fmt.Errorf("node: listen: %w", err)
		}
		epc.Listen = append(epc.Listen, a)
	}
	var seeds []Seed
	for _, s := range cfg.Seeds {
		sd, err := ParseSeed(s)
		if err != nil {
			n.unlock()
			return nil, fmt.Errorf("node: seed: %w", err)
		}
		seeds = append(seeds, sd)
	}
	if cfg.Network != nil {
		epc.Transports = []endpoint.Transport{cfg.Network}
	} else {
		epc.Transports = []endpoint.Transport{&endpoint.TCPTransport{}}
	}
	ep, err := endpoint.New(epc)
	if err != nil {
		n.unlock()
		return nil, fmt.Errorf("node: %w", err)
	}
	n.ep = ep
	ep.Handle(pipe.UnicastService, "", pipe.UnboundHandler(ep))
	n.unjoined = admission.NewUnjoined(ep)
	if err := n.startGroups(cfg.Home, log); err != nil {
		n.unjoined.Close()
		ep.Close()
		n.unlock()
		return nil, fmt.Errorf("node: %w", err)
	}
	n.ctx, n.cancel = context.WithCancel(context.Background())
	if cfg.Rendezvous {
		n.serveUnknownGroups(true)
	}
	if cfg.Multicast && cfg.Network == nil {
		// LAN discovery is a convenience: a host without multicast still
		// runs a peer.
		if err := n.startLAN(lanIf); err != nil {
			log.Warn("node: LAN discovery (IP multicast) is off", "err", err)
		}
	}
	if err := n.startMetrics(cfg.Metrics); err != nil {
		n.Close()
		return nil, fmt.Errorf("node: %w", err)
	}
	n.stopWatch = ep.Watch(n.watchSeeds)
	n.groupsMu.Lock()
	for _, sd := range seeds {
		n.addSeed(sd, jxta.PeerID{})
	}
	n.groupsMu.Unlock()
	return n, nil
}

// startGroups opens the advertisement cache (in the home directory, or a
// temporary one) and starts the Net group, with its own advertisement and
// this peer's published in it.
func (n *Node) startGroups(home string, log *slog.Logger) error {
	dir := home
	if dir == "" {
		tmp, err := os.MkdirTemp("", "gojxta-cache-")
		if err != nil {
			return err
		}
		n.tmpDir, dir = tmp, tmp
	}
	opts := n.cfg.Cache
	opts.Logger = log
	// A temporary cache goes with the process: publishing need not wait
	// for the disk.
	opts.Volatile = opts.Volatile || home == ""
	c, err := cache.Open(filepath.Join(dir, "cm.db"), opts)
	if err != nil {
		return err
	}
	n.cache = c
	world, err := n.startGroup(jxta.WorldGroupID, "World PeerGroup", nil, nil, nil, nil)
	if err != nil {
		c.Close()
		return err
	}
	net, err := n.startGroup(jxta.NetGroupID, "NetPeerGroup", nil, nil, world, n.seedPeers)
	if err != nil {
		world.Close()
		c.Close()
		return err
	}
	n.world, n.net = world, net
	// As JXSE, the Net group's advertisement is in its own cache, so that
	// groups lists it.
	if err := net.Discovery().Publish(group.StandardAdv(net.ID(), net.Name()), 0, 0); err != nil {
		return err
	}
	return net.Discovery().Publish(n.ep.PeerAdv(), 0, 0)
}

// ID returns the peer's ID.
func (n *Node) ID() jxta.PeerID { return n.ep.ID() }

// Name returns the peer's name.
func (n *Node) Name() string { return n.name }

// Addresses returns the transport addresses the peer listens on.
func (n *Node) Addresses() []jxta.Address { return n.ep.Addresses() }

// Seeds returns the seed addresses: Config.Seeds, then those of AddSeed.
func (n *Node) Seeds() []jxta.Address {
	n.groupsMu.Lock()
	defer n.groupsMu.Unlock()
	out := make([]jxta.Address, len(n.seeds))
	for i, s := range n.seeds {
		out[i] = s.addr
	}
	return out
}

// Endpoint returns the peer's endpoint service.
func (n *Node) Endpoint() *endpoint.Endpoint { return n.ep }

// Handle registers h for messages sent to service/param on this peer.
func (n *Node) Handle(service, param string, h endpoint.Handler) { n.ep.Handle(service, param, h) }

// Send sends msg to service/param on peer, connecting if needed. A nil
// error means what it means for endpoint.Endpoint.Send: the message was
// accepted for delivery, and Close delivers it before returning unless the
// connection fails or the peer does not read it within the endpoint's
// close timeout; it does not mean the peer processed it.
func (n *Node) Send(ctx context.Context, peer jxta.PeerID, service, param string, msg *jxta.Message) error {
	return n.ep.SendTo(ctx, peer, service, param, msg)
}

// Peers returns the peers this peer knows.
func (n *Node) Peers() []endpoint.PeerInfo { return n.ep.Peers() }

// Close stops the peer: its seed connections, endpoint and connections,
// and releases its home directory.
func (n *Node) Close() error {
	var err error
	n.once.Do(func() {
		n.groupsMu.Lock() // AddSeed adds no seed after this
		n.cancel()
		seeds := slices.Clone(n.seeds)
		n.groupsMu.Unlock()
		if n.stopWatch != nil {
			n.stopWatch()
		}
		for _, s := range seeds {
			s.stop()
		}
		n.wg.Wait()
		errs := []error{n.stopMetrics()}
		if n.lan != nil {
			errs = append(errs, n.lan.Close())
		}
		n.groupsMu.Lock()
		n.closing = true
		groups := make([]*group.Group, 0, len(n.joined)+len(n.served))
		for _, g := range n.joined {
			groups = append(groups, g)
		}
		for _, g := range n.served {
			groups = append(groups, g)
		}
		n.joined, n.served = nil, nil
		n.groupsMu.Unlock()
		for _, g := range groups {
			errs = append(errs, g.Close())
		}
		if n.net != nil {
			errs = append(errs, n.net.Close(), n.world.Close())
		}
		errs = append(errs, n.unjoined.Close(), n.ep.Close(), n.cache.Close())
		err = errors.Join(errs...)
		if n.tmpDir != "" {
			os.RemoveAll(n.tmpDir)
		}
		n.unlock()
		if n.quiet != nil {
			n.quiet.Stop()
		}
	})
	return err
}

func (n *Node) unlock() {
	if n.lock != nil {
		n.lock.Close()
		n.lock = nil
	}
}
