package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/endpoint/mcast"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/group/cache"
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
	// start gets a new peer ID.
	Home string
	// Listen lists the addresses to listen on, such as tcp://0.0.0.0:9701,
	// tcp://127.0.0.1:0 or mem://alice. Nil means DefaultListen (or a fresh
	// mem address with Network); an empty non-nil slice means no listening.
	Listen []string
	// Seeds are the transport addresses of peers to stay connected to
	// (rendezvous peers).
	Seeds []string
	// Network, if set, replaces TCP with this in-memory network.
	Network *endpoint.MemNetwork
	// Logger receives the node's log; default discards it.
	Logger *slog.Logger
	// Endpoint tunes the endpoint; its PeerID, Name, Listen, Transports,
	// Logger and Metrics are set by the node.
	Endpoint endpoint.Config
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
	// Multicast turns on LAN discovery by IP multicast: the peer
	// announces itself to, and learns of, the peers on its LAN. It is
	// ignored with Network; where multicast does not work, a warning is
	// logged and the peer runs without it.
	Multicast bool
	// MulticastGroup is the multicast address (default JXSE's
	// 224.0.1.85:1234).
	MulticastGroup string
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
	seeds  []jxta.Address
	lan    *mcast.Beacon
	log    *slog.Logger

	metrics    *metrics.Set   // this peer's, in a registry of its own
	metricsSrv *metricsServer // serves Config.Metrics, or nil

	rdv    atomic.Bool // this peer is a rendezvous (Config.Rendezvous, SetRendezvous)
	roleMu sync.Mutex  // serializes SetRendezvous

	groupsMu sync.Mutex
	joined   map[jxta.GroupID]*group.Group // user groups joined
	served   map[jxta.GroupID]*group.Group // groups a rendezvous serves for its edges
	joining  map[jxta.GroupID]bool         // groups being joined
	closing  bool
	seedIDs  map[jxta.Address]jxta.PeerID // the peers at the seed addresses (seeds is guarded too)

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
}

// Start starts a peer. ctx bounds the start-up only.
func Start(ctx context.Context, cfg Config) (*Node, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	log := cfg.Logger
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	n := &Node{cfg: cfg, log: log, metrics: metrics.New(),
		joined: make(map[jxta.GroupID]*group.Group), served: make(map[jxta.GroupID]*group.Group),
		joining: make(map[jxta.GroupID]bool),
		seedIDs: make(map[jxta.Address]jxta.PeerID)}
	n.rdv.Store(cfg.Rendezvous)
	var id identity
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
		id.peerID = jxta.NewPeerID(jxta.NetGroupID)
		id.name = cfg.Name
		if id.name == "" {
			id.name = defaultName(id.peerID)
		}
	}
	n.name = id.name

	epc := cfg.Endpoint
	epc.PeerID, epc.Name, epc.Logger, epc.Metrics = id.peerID, id.name, log, n.metrics
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
	for _, s := range cfg.Seeds {
		a, err := parseTransportAddress(s)
		if err != nil {
			n.unlock()
			return nil, fmt.Errorf("node: seed: %w", err)
		}
		n.seeds = append(n.seeds, a)
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
	if err := n.startGroups(cfg.Home, log); err != nil {
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
		if err := n.startLAN(); err != nil {
			log.Warn("node: LAN discovery (IP multicast) is off", "err", err)
		}
	}
	for _, s := range n.seeds {
		n.wg.Add(1)
		go n.keepSeed(s, jxta.PeerID{})
	}
	if err := n.startMetrics(cfg.Metrics); err != nil {
		n.Close()
		return nil, fmt.Errorf("node: %w", err)
	}
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
	c, err := cache.Open(filepath.Join(dir, "cm.db"), cache.Options{Logger: log})
	if err != nil {
		return err
	}
	n.cache = c
	world, err := n.startGroup(jxta.WorldGroupID, "World PeerGroup", nil, nil, nil)
	if err != nil {
		c.Close()
		return err
	}
	net, err := n.startGroup(jxta.NetGroupID, "NetPeerGroup", nil, world, n.seedPeers)
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

// parseTransportAddress parses an address to listen on or dial; a bare
// host:port means TCP.
func parseTransportAddress(s string) (jxta.Address, error) {
	a, err := jxta.ParseAddress(s)
	if err != nil {
		if a2 := jxta.TCPAddress(s); a2.Host != "" {
			if _, _, err2 := a2.HostPort(); err2 == nil {
				return a2, nil
			}
		}
		return jxta.Address{}, err
	}
	return a.Base(), nil
}

// keepSeed keeps a connection to the peer at a seed address (peer, if
// known already), retrying with back-off while it cannot be reached.
func (n *Node) keepSeed(addr jxta.Address, peer jxta.PeerID) {
	defer n.wg.Done()
	const (
		minWait = 500 * time.Millisecond
		maxWait = 30 * time.Second
		check   = 5 * time.Second
	)
	wait := time.Duration(0)
	for {
		select {
		case <-n.ctx.Done():
			return
		case <-time.After(wait):
		}
		if !peer.IsNull() && n.ep.Connected(peer) {
			wait = check
			continue
		}
		ctx, cancel := context.WithTimeout(n.ctx, 10*time.Second)
		p, err := n.ep.Connect(ctx, addr)
		cancel()
		if err != nil {
			if n.ctx.Err() == nil {
				n.log.Warn("node: seed unreachable", "seed", addr.String(), "err", err)
			}
			wait = min(max(2*wait, minWait), maxWait)
			continue
		}
		peer, wait = p, check
		n.groupsMu.Lock()
		n.seedIDs[addr] = p
		n.groupsMu.Unlock()
		n.log.Info("node: connected to seed", "seed", addr.String(), "peer", p)
	}
}

// seedPeers returns the peers at the seed addresses reached so far: the
// rendezvous an edge leases with, or a rendezvous's first gossip partners.
func (n *Node) seedPeers() []jxta.PeerID {
	n.groupsMu.Lock()
	defer n.groupsMu.Unlock()
	out := make([]jxta.PeerID, 0, len(n.seedIDs))
	for _, a := range n.seeds {
		if p, ok := n.seedIDs[a]; ok {
			out = append(out, p)
		}
	}
	return out
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
	return append([]jxta.Address(nil), n.seeds...)
}

// Endpoint returns the peer's endpoint service.
func (n *Node) Endpoint() *endpoint.Endpoint { return n.ep }

// Handle registers h for messages sent to service/param on this peer.
func (n *Node) Handle(service, param string, h endpoint.Handler) { n.ep.Handle(service, param, h) }

// Send sends msg to service/param on peer, connecting if needed.
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
		n.groupsMu.Lock() // AddSeed starts no keepSeed after this
		n.cancel()
		n.groupsMu.Unlock()
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
		errs = append(errs, n.ep.Close(), n.cache.Close())
		err = errors.Join(errs...)
		if n.tmpDir != "" {
			os.RemoveAll(n.tmpDir)
		}
		n.unlock()
	})
	return err
}

func (n *Node) unlock() {
	if n.lock != nil {
		n.lock.Close()
		n.lock = nil
	}
}
