package node

import (
	"fmt"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/group/rendezvous"
)

// EventKind says what happened to a node's links with the network.
type EventKind int

// The events of Config.OnEvent.
const (
	// SeedUnreachable: a seed could not be reached, at start or after
	// its connection was lost; Err says why. It is told once an outage:
	// the node keeps retrying with back-off.
	SeedUnreachable EventKind = iota + 1
	// SeedConnected: the node connected to the seed, Peer.
	SeedConnected
	// RendezvousLeased: in Group, this edge took a lease with the
	// rendezvous Peer.
	RendezvousLeased
	// RendezvousLost: in Group, the lease with the rendezvous Peer ended
	// (it left, stopped answering, or the connection was lost); the edge
	// looks for a rendezvous again among its seeds and the rendezvous it
	// knows.
	RendezvousLost
	// PeerIDChanged: at start, the home's PlatformConfig held another
	// peer ID (Previous) than the key's (Peer): a home from before peer
	// IDs were derived from keys, which got a key and the new ID, or a
	// PlatformConfig copied from another peer without its key.
	PeerIDChanged
)

// String names the kind, as in "seed-unreachable".
func (k EventKind) String() string {
	switch k {
	case SeedUnreachable:
		return "seed-unreachable"
	case SeedConnected:
		return "seed-connected"
	case RendezvousLeased:
		return "rendezvous-leased"
	case RendezvousLost:
		return "rendezvous-lost"
	case PeerIDChanged:
		return "peer-id-changed"
	}
	return "unknown"
}

// Event reports a change in a node's links with the network.
type Event struct {
	Kind EventKind
	Time time.Time
	// Seed is the seed address of seed events.
	Seed jxta.Address
	// Peer is the peer at the seed, or the rendezvous; null for a seed
	// never reached.
	Peer jxta.PeerID
	// PeerName is Peer's name, when its advertisement is known.
	PeerName string
	// Group and GroupName are the group of rendezvous events.
	Group     jxta.GroupID
	GroupName string
	// Err is why a seed could not be reached.
	Err error
	// Previous is the former peer ID of PeerIDChanged.
	Previous jxta.PeerID
}

// String describes the event in one line for a user, as in "seed
// tcp://10.0.0.1:9701 unreachable: connection refused (retrying)".
func (e Event) String() string {
	switch e.Kind {
	case SeedUnreachable:
		return fmt.Sprintf("seed %s unreachable: %v (retrying)", e.Seed, e.Err)
	case SeedConnected:
		return fmt.Sprintf("connected to seed %s: %s", e.Seed, e.peer())
	case RendezvousLeased:
		return fmt.Sprintf("%s: lease taken with rendezvous %s", e.GroupName, e.peer())
	case RendezvousLost:
		return fmt.Sprintf("%s: rendezvous %s lost; looking for another", e.GroupName, e.peer())
	case PeerIDChanged:
		return fmt.Sprintf("the peer ID is now %s, derived from the peer's key (it was %s, which no key proves)", e.Peer, e.Previous)
	}
	return e.Kind.String()
}

// peer names the event's peer: "rdv (urn:jxta:…)", or the ID alone.
func (e Event) peer() string {
	if e.PeerName == "" {
		return e.Peer.String()
	}
	return e.PeerName + " (" + e.Peer.String() + ")"
}

// emit records ev and tells Config.OnEvent.
func (n *Node) emit(ev Event) {
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	if n.ep != nil && ev.PeerName == "" && !ev.Peer.IsNull() {
		if pa, ok := n.ep.Peer(ev.Peer); ok {
			ev.PeerName = pa.Name
		}
	}
	if ev.Kind == RendezvousLeased || ev.Kind == RendezvousLost {
		n.eventsMu.Lock()
		n.lastLease[ev.Group] = ev
		n.eventsMu.Unlock()
	}
	if n.cfg.OnEvent != nil {
		n.cfg.OnEvent(ev)
	}
}

// LastRendezvousEvent returns the latest lease taken or lost in group,
// and false if there was none.
func (n *Node) LastRendezvousEvent(group jxta.GroupID) (Event, bool) {
	n.eventsMu.Lock()
	defer n.eventsMu.Unlock()
	ev, ok := n.lastLease[group]
	return ev, ok
}

// rendezvousWatcher turns the rendezvous events of the group called name
// into node events.
func (n *Node) rendezvousWatcher(id jxta.GroupID, name string) func(rendezvous.Event) {
	return func(ev rendezvous.Event) {
		switch ev.Kind {
		case rendezvous.LeaseGranted:
			n.emit(Event{Kind: RendezvousLeased, Peer: ev.Peer, Group: id, GroupName: name})
		case rendezvous.LeaseLost:
			n.emit(Event{Kind: RendezvousLost, Peer: ev.Peer, Group: id, GroupName: name})
		}
	}
}
