package node

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/group/membership"
	"github.com/gojxta/gojxta/jxta/group/rendezvous"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// MaxServedGroups bounds the groups a rendezvous serves for its edges
// without having joined them.
const MaxServedGroups = 256

// ErrNotJoined is returned for a group this peer has not joined.
var ErrNotJoined = errors.New("group not joined")

// startGroup starts a group's services on this peer: as a rendezvous of
// the group if this peer is one, else as an edge looking for the
// rendezvous that seeds returns.
func (n *Node) startGroup(id jxta.GroupID, name string, adv *advert.GroupAdv, m *membership.Service, parent *group.Group, seeds func() []jxta.PeerID) (*group.Group, error) {
	role := rendezvous.Edge
	if n.rdv.Load() {
		role = rendezvous.Rendezvous
	}
	if id == jxta.WorldGroupID {
		role = rendezvous.AdHoc
	}
	return group.New(group.Config{
		ID: id, Name: name, Adv: adv, Membership: m, Parent: parent,
		Endpoint: n.ep, Cache: n.cache, Logger: n.log,
		Rendezvous: group.RendezvousConfig{Role: role, Seeds: seeds, Lease: n.cfg.Lease, GossipPeriod: n.cfg.GossipPeriod, MaxEdges: n.cfg.MaxEdges},
		Prospects:  n.prospects, OnRendezvous: n.rendezvousWatcher(id, name), ResolveTimeout: n.cfg.ResolveTimeout,
	})
}

// userGroupSeeds are the candidate rendezvous of a user group: the Net
// group's rendezvous, which serve the groups of their edges (its peer
// view, when this peer is one of them; else the one it leases with),
// then the seeds. An edge of the group asks them for a lease, a
// rendezvous of the group gossips with them.
func (n *Node) userGroupSeeds() []jxta.PeerID {
	r := n.net.Rendezvous()
	return append(append(r.PeerView(), r.RendezVous()...), n.seedPeers()...)
}

// WorldGroup returns the World peer group, the root of the group tree.
func (n *Node) WorldGroup() *group.Group { return n.world }

// NetGroup returns the Net peer group, the default group every peer runs.
func (n *Node) NetGroup() *group.Group { return n.net }

// Group returns a group this peer has joined (World and Net included).
func (n *Node) Group(id jxta.GroupID) (*group.Group, bool) {
	switch id {
	case jxta.WorldGroupID:
		return n.world, true
	case jxta.NetGroupID:
		return n.net, true
	}
	n.groupsMu.Lock()
	defer n.groupsMu.Unlock()
	g, ok := n.joined[id]
	return g, ok
}

// Groups returns the groups this peer has joined: World, Net, then the
// others by name.
func (n *Node) Groups() []*group.Group {
	n.groupsMu.Lock()
	out := make([]*group.Group, 0, len(n.joined))
	for _, g := range n.joined {
		out = append(out, g)
	}
	n.groupsMu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Name() != out[j].Name() {
			return out[i].Name() < out[j].Name()
		}
		return out[i].ID().String() < out[j].ID().String()
	})
	return append([]*group.Group{n.world, n.net}, out...)
}

// CreateGroup makes the advertisements of a new group in parent (the Net
// group if nil) and publishes them there, with JXSE's group lifetimes, so
// that other peers find it. It does not join the group.
func (n *Node) CreateGroup(parent *group.Group, opts group.GroupOptions) (*advert.GroupAdv, error) {
	if parent == nil {
		parent = n.net
	}
	opts.Parent = parent.ID()
	advs, err := group.NewGroupAdv(opts)
	if err != nil {
		return nil, fmt.Errorf("node: %w", err)
	}
	for _, a := range advs.All() {
		if err := parent.Discovery().Publish(a, protocol.DefaultLifetime, protocol.GroupExpiration); err != nil {
			return nil, fmt.Errorf("node: publishing the group: %w", err)
		}
	}
	return advs.PGA, nil
}

// JoinGroup authenticates with the group's membership service (password
// is ignored by groups without one) and starts the group on this peer.
// Joining a group already joined returns it.
func (n *Node) JoinGroup(ctx context.Context, adv *advert.GroupAdv, identity, password string) (*group.Group, error) {
	if adv == nil || adv.GroupID.IsNull() {
		return nil, errors.New("node: join: no group advertisement")
	}
	if g, ok := n.Group(adv.GroupID); ok {
		return g, nil
	}
	parent := n.net
	if pid, ok := adv.GroupID.Parent(); ok {
		if p, ok := n.Group(pid); ok {
			parent = p
		}
	}
	// A group this rendezvous served for its edges is replaced by the
	// joined one: the two would register the same handlers.
	n.groupsMu.Lock()
	served := n.served[adv.GroupID]
	delete(n.served, adv.GroupID)
	n.joining[adv.GroupID] = true
	n.groupsMu.Unlock()
	defer func() {
		n.groupsMu.Lock()
		delete(n.joining, adv.GroupID)
		n.groupsMu.Unlock()
	}()
	// Joined first, so that the group's services prove this peer's
	// membership from their first message.
	m, err := membership.FromGroupAdv(adv, n.ep.ID())
	if err != nil {
		return nil, fmt.Errorf("node: join %s: %w", adv.Name, err)
	}
	if _, err := m.Join(ctx, identity, password); err != nil {
		return nil, fmt.Errorf("node: join %s: %w", adv.Name, err)
	}
	if served != nil {
		served.Close()
	}
	g, err := n.startGroup(adv.GroupID, adv.Name, adv, m, parent, n.userGroupSeeds)
	if err != nil {
		return nil, fmt.Errorf("node: join %s: %w", adv.Name, err)
	}
	n.groupsMu.Lock()
	if other, ok := n.joined[adv.GroupID]; ok {
		n.groupsMu.Unlock()
		g.Close()
		return other, nil
	}
	n.joined[adv.GroupID] = g
	n.groupsMu.Unlock()
	return g, nil
}

// LeaveGroup resigns from a group and stops it on this peer. The World
// and Net groups cannot be left.
func (n *Node) LeaveGroup(id jxta.GroupID) error {
	if id == jxta.WorldGroupID || id == jxta.NetGroupID {
		return errors.New("node: the World and Net groups cannot be left")
	}
	n.groupsMu.Lock()
	g, ok := n.joined[id]
	delete(n.joined, id)
	n.groupsMu.Unlock()
	if !ok {
		return fmt.Errorf("node: leave %s: %w", id, ErrNotJoined)
	}
	return errors.Join(g.Membership().Leave(), g.Close())
}

// serveUnknownGroups makes a rendezvous serve the groups of its edges
// that it has not joined (on), or stop (off): the first rendezvous, peer
// view, propagation or resolver message for such a group starts the
// group's services here (no membership: a rendezvous relays, it does not
// join), up to MaxServedGroups, and is then delivered to them.
func (n *Node) serveUnknownGroups(on bool) {
	var h endpoint.Handler
	if on {
		h = endpoint.HandlerFunc(n.serveUnknownGroup)
	}
	for _, svc := range []string{jxta.RendezvousClassID.String(), rendezvous.PeerViewService, rendezvous.PropagateService, jxta.ResolverClassID.String()} {
		n.ep.Handle(svc, "", h)
	}
}

func (n *Node) serveUnknownGroup(in *endpoint.Incoming) {
	unique := in.Dest.Param
	if in.Dest.Service == jxta.ResolverClassID.String() {
		for _, suffix := range []string{"ORes", "IRes", "Srdi"} {
			unique = strings.TrimSuffix(unique, suffix)
		}
	}
	id, err := jxta.ParseUnique(unique)
	if err != nil || id.Kind() != jxta.KindGroup {
		n.log.Debug("node: message for no group dropped", "service", in.Dest.Service, "param", in.Dest.Param, "peer", in.Peer)
		return
	}
	gid := jxta.GroupID{ID: id}
	if _, ok := n.Group(gid); ok {
		return // a handler of a joined group went away: closing
	}
	n.groupsMu.Lock()
	g, ok := n.served[gid]
	if !ok {
		if n.joining[gid] {
			n.groupsMu.Unlock()
			return // being joined: its own services take over
		}
		if !n.rdv.Load() {
			n.groupsMu.Unlock()
			return // no longer a rendezvous
		}
		if n.closing || len(n.served) >= MaxServedGroups {
			n.groupsMu.Unlock()
			n.log.Warn("node: not serving another group", "group", gid, "peer", in.Peer)
			return
		}
		g, err = n.startGroup(gid, "", nil, nil, n.net, n.net.Rendezvous().PeerView)
		if err != nil {
			n.groupsMu.Unlock()
			n.log.Warn("node: serving a group", "group", gid, "err", err)
			return
		}
		n.served[gid] = g
		n.log.Info("node: serving a group for its edges", "group", gid, "peer", in.Peer)
	}
	n.groupsMu.Unlock()
	if in.Dest.Service == jxta.RendezvousClassID.String() || !ok {
		n.ep.Deliver(in)
	}
}

// ServedGroups returns the groups this rendezvous serves for its edges
// without having joined them.
func (n *Node) ServedGroups() []jxta.GroupID {
	n.groupsMu.Lock()
	defer n.groupsMu.Unlock()
	out := make([]jxta.GroupID, 0, len(n.served))
	for id := range n.served {
		out = append(out, id)
	}
	return out
}
