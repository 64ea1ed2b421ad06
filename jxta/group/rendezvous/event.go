package rendezvous

import "github.com/gojxta/gojxta/jxta"

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

// String names the kind, as in "lease-granted".
func (k EventKind) String() string {
	switch k {
	case LeaseGranted:
		return "lease-granted"
	case LeaseLost:
		return "lease-lost"
	case EdgeConnected:
		return "edge-connected"
	case EdgeDisconnected:
		return "edge-disconnected"
	case ViewAdded:
		return "view-added"
	case ViewRemoved:
		return "view-removed"
	}
	return "unknown"
}

// Event reports a change in the rendezvous network.
type Event struct {
	Kind EventKind
	Peer jxta.PeerID
}
