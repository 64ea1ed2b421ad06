package node

import (
	"context"
	"errors"
	"fmt"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/group/rendezvous"
)

// ErrClosed is returned by a closed Node.
var ErrClosed = errors.New("node closed")

// IsRendezvous reports whether this peer is a rendezvous (Config.Rendezvous,
// or SetRendezvous).
func (n *Node) IsRendezvous() bool { return n.rdv.Load() }

// SetRendezvous makes this peer a rendezvous (on) or an edge (off) at run
// time, as Config.Rendezvous does at start: the Net group and every
// joined user group change role, groups joined later take the new one,
// and a rendezvous serves the user groups of its edges. A peer that stops
// being a rendezvous ends its edges' leases (they fail over to another
// rendezvous, or run without one) and stops the groups it served for
// them; it then looks for a rendezvous among its seeds. ctx bounds
// telling the edges.
func (n *Node) SetRendezvous(ctx context.Context, on bool) error {
	role := rendezvous.Edge
	if on {
		role = rendezvous.Rendezvous
	}
	n.roleMu.Lock()
	defer n.roleMu.Unlock()
	n.groupsMu.Lock()
	if n.ctx.Err() != nil {
		n.groupsMu.Unlock()
		return ErrClosed
	}
	n.rdv.Store(on)
	var served []*group.Group
	if !on {
		for _, g := range n.served {
			served = append(served, g)
		}
		clear(n.served)
	}
	joined := make([]*group.Group, 0, len(n.joined))
	for _, g := range n.joined {
		joined = append(joined, g)
	}
	n.groupsMu.Unlock()
	n.serveUnknownGroups(on)

	var errs []error
	for _, g := range append([]*group.Group{n.net}, joined...) {
		if err := g.Rendezvous().SetRole(ctx, role); err != nil && !errors.Is(err, rendezvous.ErrClosed) {
			errs = append(errs, fmt.Errorf("%s: %w", g.Name(), err))
		}
	}
	for _, g := range served {
		// Ad hoc first, which tells the group's edges their leases end;
		// then the group stops.
		if err := g.Rendezvous().SetRole(ctx, rendezvous.AdHoc); err != nil && !errors.Is(err, rendezvous.ErrClosed) {
			errs = append(errs, err)
		}
		errs = append(errs, g.Close())
	}
	n.log.Info("node: rendezvous role changed", "rendezvous", on)
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("node: %w", err)
	}
	return nil
}

// AddSeed connects to the peer at addr (a seed as ParseSeed reads it,
// such as tcp://host:9701, host:port, or either followed by # and the
// peer ID expected there) and keeps a connection to it from then on, as
// with Config.Seeds: every group takes it as a candidate rendezvous. It
// returns the peer found there. Adding a seed again only connects.
func (n *Node) AddSeed(ctx context.Context, addr string) (jxta.PeerID, error) {
	sd, err := ParseSeed(addr)
	if err != nil {
		return jxta.PeerID{}, fmt.Errorf("node: seed: %w", err)
	}
	if n.ctx.Err() != nil {
		return jxta.PeerID{}, ErrClosed
	}
	peer, err := n.ep.ConnectExpecting(ctx, sd.Address, sd.Peer)
	if err != nil {
		return jxta.PeerID{}, fmt.Errorf("node: seed %s: %w", sd, err)
	}
	n.groupsMu.Lock()
	defer n.groupsMu.Unlock()
	if !n.addSeed(sd, peer) {
		return jxta.PeerID{}, ErrClosed
	}
	n.log.Info("node: seed added", "seed", sd.String(), "peer", peer)
	return peer, nil
}
