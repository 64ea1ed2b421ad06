package rendezvous

import "time"

// Bounds on what the service accepts and keeps, so that no peer can make
// it use unbounded memory or time.
const (
	// maxAdvSize bounds an advertisement element (a peer advertisement in
	// a lease or gossip message); larger ones are dropped unread.
	maxAdvSize = 64 << 10
	// maxHeaderSize bounds a propagation header; a path of MaxTTL peer IDs
	// fits easily.
	maxHeaderSize = 64 << 10
	// maxShortText bounds short text elements: a lease duration, a peer
	// ID, a sample's ID and age.
	maxShortText = 256

	// minLease bounds leases from below, so that a forged tiny lease
	// cannot make an edge spin; maxLease from above.
	minLease = 100 * time.Millisecond
	maxLease = 24 * time.Hour

	// maxLearned bounds the rendezvous an edge remembers to fail over to.
	maxLearned = 16
	// maxShunned bounds the rendezvous an edge was told to leave and
	// keeps away from; maxAddedSeeds the seeds added at run time.
	maxShunned    = 64
	maxAddedSeeds = 64
	// maxReferrals is how many other rendezvous a grant names.
	maxReferrals = 4

	// maxView bounds the peer view.
	maxView = 1000
	// maxSample bounds the view entries one gossip message carries.
	maxSample = 32

	// maxSeen and seenWindow bound the memory of propagated message IDs.
	maxSeen    = 20_000
	seenWindow = 10 * time.Minute

	// maxInFlight bounds the goroutines sending replies, gossip and
	// relayed messages; beyond it, handlers send themselves.
	maxInFlight = 64
)
