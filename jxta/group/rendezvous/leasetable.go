package rendezvous

import (
	"sort"
	"time"

	"github.com/gojxta/gojxta/jxta"
)

// leaseTable is a rendezvous's side of the lease protocol: the edges it
// granted a lease, each until when, at most max of them. It does no I/O
// and reads no clock.
type leaseTable struct {
	max   int
	until map[jxta.PeerID]time.Time
}

func newLeaseTable(max int) leaseTable {
	return leaseTable{max: max, until: make(map[jxta.PeerID]time.Time)}
}

// grant leases peer until now+d, renewing its lease if it holds one. It
// reports whether the lease was granted (not when the table is full and
// peer is new) and whether peer is a new edge.
func (t *leaseTable) grant(peer jxta.PeerID, now time.Time, d time.Duration) (granted, isNew bool) {
	_, known := t.until[peer]
	if !known && len(t.until) >= t.max {
		return false, false
	}
	t.until[peer] = now.Add(d)
	return true, !known
}

// cancel ends peer's lease and reports whether it held one.
func (t *leaseTable) cancel(peer jxta.PeerID) bool {
	_, ok := t.until[peer]
	delete(t.until, peer)
	return ok
}

// clear ends every lease, as a rendezvous that stops does, and returns
// the edges, by peer ID.
func (t *leaseTable) clear() []jxta.PeerID {
	out := make([]jxta.PeerID, 0, len(t.until))
	for _, l := range t.leases() {
		out = append(out, l.Peer)
	}
	clear(t.until)
	return out
}

// expire ends the leases that ran out by now and returns their edges.
func (t *leaseTable) expire(now time.Time) []jxta.PeerID {
	var out []jxta.PeerID
	for p, until := range t.until {
		if !now.Before(until) {
			delete(t.until, p)
			out = append(out, p)
		}
	}
	return out
}

// leases returns the leases, by peer ID.
func (t *leaseTable) leases() []Lease {
	out := make([]Lease, 0, len(t.until))
	for p, until := range t.until {
		out = append(out, Lease{Peer: p, Expires: until})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Peer.String() < out[j].Peer.String() })
	return out
}
