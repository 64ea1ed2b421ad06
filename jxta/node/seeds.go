package node

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"strings"
	"syscall"
	"time"

	"github.com/gojxta/gojxta/internal/serial"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
)

// How a node keeps its seed connections.
const (
	seedMinWait = 500 * time.Millisecond // first pause after a failed attempt
	seedMaxWait = 30 * time.Second       // longest pause between attempts
	seedCheck   = 5 * time.Second        // how often a connected seed is checked
	seedDial    = 10 * time.Second       // bound on one attempt
)

// SeedStatus is what a node knows of one of its seeds.
type SeedStatus struct {
	Address jxta.Address
	// Peer is the peer found at Address when it was last reached; null
	// if it never was.
	Peer jxta.PeerID
	// Connected reports that the node is connected to Peer.
	Connected bool
	// Since is when the seed was connected, or when the node began
	// retrying it (at start, or when its connection was lost).
	Since time.Time
	// Err is why the latest attempt failed, when not connected.
	Err error
	// Attempts counts the failed attempts since Since.
	Attempts int
}

// seed is a seed and what the node knows of it; state is guarded by
// Node.groupsMu. Its checks (keepSeed) run one at a time on q, fired by
// timer: a seed costs no goroutine between checks.
type seed struct {
	addr   jxta.Address
	expect jxta.PeerID // the peer wanted there, or null
	state  SeedStatus

	q     serial.Queue
	timer *time.Timer // fires the next check; set under groupsMu
	// wait and reported belong to the checks (q).
	wait     time.Duration // before the next attempt while not connected
	reported bool          // the current outage was reported
}

func newSeed(sd Seed, now time.Time) *seed {
	return &seed{addr: sd.Address, expect: sd.Peer, state: SeedStatus{Address: sd.Address, Since: now}}
}

// wake checks the seed now. The caller holds groupsMu.
func (s *seed) wake() {
	if s.timer != nil {
		s.timer.Reset(0)
	}
}

// stop ends the checks and waits for one under way, which the node's
// context (cancelled first) cuts short.
func (s *seed) stop() {
	s.q.Close()
	if s.timer != nil {
		s.timer.Stop()
	}
}

// Seed is a seed as Config.Seeds gives it: a transport address, and the
// peer expected there, if named.
type Seed struct {
	Address jxta.Address
	// Peer, when not null, is the only peer accepted at Address: one that
	// cannot prove it holds Peer's key is refused.
	Peer jxta.PeerID
}

// String returns the seed as ParseSeed reads it.
func (s Seed) String() string {
	if s.Peer.IsNull() {
		return s.Address.String()
	}
	return s.Address.String() + "#" + s.Peer.String()
}

// ParseSeed reads a seed as Config.Seeds takes it: tcp://host:port,
// host:port or mem://name (a TCP seed names its port), optionally followed
// by # and the peer ID expected there, as in
// tcp://rdv.example:9701#urn:jxta:uuid-…03.
func ParseSeed(s string) (Seed, error) {
	text, peerText, named := strings.Cut(s, "#")
	a, err := parseTransportAddress(text)
	if err != nil {
		return Seed{}, err
	}
	if a.Protocol == "tcp" {
		if _, port, _ := a.HostPort(); port == "" {
			return Seed{}, fmt.Errorf("%q: a seed needs a port, as in tcp://%s:9701", s, a.Host)
		}
	}
	sd := Seed{Address: a}
	if named {
		var err error
		if sd.Peer, err = jxta.ParsePeerID(peerText); err != nil {
			return Seed{}, fmt.Errorf("%q: after #, want the peer ID expected at the seed: %w", s, err)
		}
	}
	return sd, nil
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
		return jxta.Address{}, fmt.Errorf("%q is not a transport address (want tcp://host:port, host:port or mem://name)", s)
	}
	a = a.Base()
	if a.Protocol == "tcp" {
		if _, _, err := a.HostPort(); err != nil {
			return jxta.Address{}, fmt.Errorf("%q: %w", s, err)
		}
	}
	return a, nil
}

// addSeed starts keeping a connection to sd, unless its address is a seed
// already; peer is the peer found there, if known. It returns false when
// the node is closed. The caller holds groupsMu.
func (n *Node) addSeed(sd Seed, peer jxta.PeerID) bool {
	if n.ctx.Err() != nil {
		return false
	}
	for _, s := range n.seeds {
		if s.addr == sd.Address {
			if !peer.IsNull() {
				s.connected(peer, time.Now())
			}
			return true
		}
	}
	s := newSeed(sd, time.Now())
	if !peer.IsNull() {
		s.connected(peer, time.Now())
	}
	n.seeds = append(n.seeds, s)
	s.timer = s.q.AfterFunc(0, func() { n.keepSeed(s) })
	return true
}

// connected records that s was reached at peer. The caller holds
// groupsMu.
func (s *seed) connected(peer jxta.PeerID, now time.Time) {
	s.state = SeedStatus{Address: s.addr, Peer: peer, Connected: true, Since: now}
}

// keepSeed is one check of a seed: it keeps a connection to the peer at
// the seed's address, retrying with back-off while it cannot be reached,
// tells Config.OnEvent when the seed becomes unreachable and when it is
// reached again, and sets the timer for the next check.
func (n *Node) keepSeed(s *seed) {
	if n.ctx.Err() != nil {
		return
	}
	next := n.checkSeed(s)
	n.groupsMu.Lock()
	if n.ctx.Err() == nil {
		s.timer.Reset(next)
	}
	n.groupsMu.Unlock()
}

// checkSeed does the work of keepSeed and returns when to check next.
func (n *Node) checkSeed(s *seed) time.Duration {
	n.groupsMu.Lock()
	st := s.state
	n.groupsMu.Unlock()
	if st.Connected && n.ep.Connected(st.Peer) {
		return seedCheck
	}
	if st.Connected { // the connection was lost: a new outage
		n.groupsMu.Lock()
		s.state = SeedStatus{Address: s.addr, Peer: st.Peer, Since: time.Now()}
		n.groupsMu.Unlock()
		s.reported, s.wait = false, 0 // back-off starts again
	}
	ctx, cancel := context.WithTimeout(n.ctx, seedDial)
	p, err := n.ep.ConnectExpecting(ctx, s.addr, s.expect)
	cancel()
	if n.ctx.Err() != nil {
		return seedCheck
	}
	if err != nil {
		n.groupsMu.Lock()
		s.state.Err = errors.New(seedReason(err))
		s.state.Attempts++
		st = s.state
		n.groupsMu.Unlock()
		if !s.reported {
			s.reported = true
			n.emit(Event{Kind: SeedUnreachable, Seed: s.addr, Peer: st.Peer, Err: st.Err})
		}
		n.log.Debug("node: seed unreachable", "seed", s.addr.String(), "err", err)
		s.wait = min(max(2*s.wait, seedMinWait), seedMaxWait)
		return s.wait
	}
	n.groupsMu.Lock()
	s.connected(p, time.Now())
	n.groupsMu.Unlock()
	s.wait, s.reported = seedCheck, false
	n.emit(Event{Kind: SeedConnected, Seed: s.addr, Peer: p})
	n.log.Info("node: connected to seed", "seed", s.addr.String(), "peer", p)
	return seedCheck
}

// watchSeeds wakes a seed's loop when the connection to its peer is lost,
// so that it reconnects at once rather than at its next check.
func (n *Node) watchSeeds(ev endpoint.Event) {
	if ev.Kind != endpoint.PeerDisconnected {
		return
	}
	n.groupsMu.Lock()
	defer n.groupsMu.Unlock()
	for _, s := range n.seeds {
		if s.state.Connected && s.state.Peer == ev.Peer {
			s.wake()
		}
	}
}

// seedPeers returns the peers at the seed addresses reached so far: the
// rendezvous an edge leases with, or a rendezvous's first gossip partners.
func (n *Node) seedPeers() []jxta.PeerID {
	n.groupsMu.Lock()
	defer n.groupsMu.Unlock()
	out := make([]jxta.PeerID, 0, len(n.seeds))
	for _, s := range n.seeds {
		if !s.state.Peer.IsNull() {
			out = append(out, s.state.Peer)
		}
	}
	return out
}

// SeedStatus returns the state of each seed, in the order they were
// given: Config.Seeds, then those of AddSeed.
func (n *Node) SeedStatus() []SeedStatus {
	n.groupsMu.Lock()
	defer n.groupsMu.Unlock()
	out := make([]SeedStatus, len(n.seeds))
	for i, s := range n.seeds {
		out[i] = s.state
	}
	return out
}

// prospects tells the groups' resolvers whether peers may still come to
// send group queries to: while a seed is not connected, or LAN discovery
// runs. why names each seed that could not be reached and its reason.
func (n *Node) prospects() (expected bool, why error) {
	var reasons []string
	for _, st := range n.SeedStatus() {
		expected = true
		switch {
		case st.Connected:
		case st.Err != nil:
			reasons = append(reasons, st.Address.String()+": "+st.Err.Error())
		default:
			reasons = append(reasons, st.Address.String()+": still connecting")
		}
	}
	if n.lan != nil {
		expected = true
		if len(reasons) == 0 {
			reasons = append(reasons, "no peer found on the LAN by multicast")
		}
	}
	if !expected {
		reasons = append(reasons, "no seed given and LAN discovery off")
	}
	if len(reasons) == 0 {
		return expected, nil
	}
	return expected, errors.New(strings.Join(reasons, "; "))
}

// seedReason says in a few words why connecting to a seed failed:
// "connection refused", "no such host", rather than the chain of
// wrappers of a dial error.
func seedReason(err error) string {
	var dns *net.DNSError
	var errno syscall.Errno
	switch {
	case errors.As(err, &dns):
		if dns.IsNotFound {
			return "no such host " + dns.Name
		}
		return "cannot resolve " + dns.Name + ": " + dns.Err
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return "no answer within " + seedDial.String()
	case errors.As(err, &errno):
		return errno.Error()
	}
	return err.Error()
}
