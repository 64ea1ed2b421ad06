package rendezvous

import (
	"time"

	"github.com/gojxta/gojxta/jxta"
)

// Lease is a lease held with a rendezvous or granted to an edge.
type Lease struct {
	Peer    jxta.PeerID
	Expires time.Time
}

// ViewEntry is a rendezvous in the peer view.
type ViewEntry struct {
	Peer  jxta.PeerID
	Heard time.Time // the latest time anyone heard from it, as far as this peer knows
}

// Status is a snapshot of the service, for display.
type Status struct {
	Role       Role
	RendezVous []Lease       // edge: the lease it holds
	Edges      []Lease       // rendezvous: the leases it granted
	PeerView   []ViewEntry   // rendezvous: the other rendezvous it knows, sorted
	Seeds      []jxta.PeerID // the candidate rendezvous: Config.Seeds, then those of AddSeed
	Counters   Counters
}

// Counters count what the service did since it started.
type Counters struct {
	Propagated uint64 // messages this peer propagated (Propagate calls that reached a peer)
	Relayed    uint64 // propagated messages this rendezvous passed on
	Sent       uint64 // copies of propagated and relayed messages sent, one per peer
	Failed     uint64 // copies that could not be sent
	Delivered  uint64 // propagated messages delivered to a handler here
	Dropped    uint64 // propagated messages dropped: duplicates, loops, spent, malformed
	Refused    uint64 // lease requests refused (too many edges) or malformed
}
