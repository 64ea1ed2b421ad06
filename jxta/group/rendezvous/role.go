package rendezvous

import (
	"time"

	"github.com/gojxta/gojxta/jxta"
)

// Role is a peer's part in a group's rendezvous network.
type Role int

// The roles.
const (
	Edge       Role = iota // holds a lease with a rendezvous
	Rendezvous             // grants leases, relays, keeps a peer view
	AdHoc                  // no rendezvous: propagates to connected peers
)

// String returns "edge", "rendezvous" or "ad-hoc".
func (r Role) String() string {
	switch r {
	case Edge:
		return "edge"
	case Rendezvous:
		return "rendezvous"
	case AdHoc:
		return "ad-hoc"
	}
	return "unknown"
}

// EventKind says what changed.
type EventKind int

// The events.
const (
	LeaseGranted     EventKind = iota + 1 // edge: a new lease with Peer
	LeaseLost                             // edge: the lease with Peer ended
	EdgeConnected                         // rendezvous: Peer took a lease
	EdgeDisconnected                      // rendezvous: Peer's lease ended
	ViewAdded                             // rendezvous: Peer joined the view
	ViewRemoved                           // rendezvous: Peer left the view
)

// Event reports a change in the rendezvous network.
type Event struct {
	Kind EventKind
	Peer jxta.PeerID
}

// Lease is a lease held with a rendezvous or granted to an edge.
type Lease struct {
	Peer    jxta.PeerID
	Expires time.Time
}

// Status is a snapshot of the service, for display.
type Status struct {
	Role       Role
	RendezVous []Lease // edge: the lease it holds
	Edges      []Lease // rendezvous: the leases it granted
	PeerView   []jxta.PeerID
	// Propagated counts messages this peer propagated or relayed;
	// Dropped counts propagated messages dropped as duplicates, loops or
	// spent.
	Propagated, Dropped uint64
}
