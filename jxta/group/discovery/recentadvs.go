package discovery

import (
	"hash/maphash"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
)

// maxRecent bounds the peers a recentAdvs remembers.
const maxRecent = 4096

// recentAdvs remembers, per peer, one peer advertisement handled lately
// (by its hash) and when. Discovery keeps two: the querier advertisements
// it stored, so that a peer asking again and again with the same
// advertisement costs one disk write per refresh period instead of one
// per query; and the peers it sent its own advertisement to, so that its
// queries and answers carry it once per refresh period instead of every
// time (see announce.go).
type recentAdvs struct {
	mu      sync.Mutex
	seed    maphash.Seed
	refresh time.Duration
	kept    map[jxta.PeerID]recentEntry
}

type recentEntry struct {
	sum uint64
	at  time.Time
}

func newRecentAdvs(refresh time.Duration) *recentAdvs {
	return &recentAdvs{seed: maphash.MakeSeed(), refresh: refresh, kept: make(map[jxta.PeerID]recentEntry)}
}

// stale reports whether doc, an advertisement handled for peer, needs
// handling again at now: it differs from the one last recorded for peer,
// or that was recorded more than the refresh period ago. A stale answer
// records doc for peer at now.
func (r *recentAdvs) stale(peer jxta.PeerID, doc string, now time.Time) bool {
	sum := maphash.String(r.seed, doc)
	r.mu.Lock()
	defer r.mu.Unlock()
	if e, ok := r.kept[peer]; ok && e.sum == sum && now.Sub(e.at) < r.refresh {
		return false
	}
	if len(r.kept) >= maxRecent {
		clear(r.kept) // cheaper than tracking age; the cost is one write per querier
	}
	r.kept[peer] = recentEntry{sum: sum, at: now}
	return true
}

// forget drops every memory (for the queriers: after the cache lost
// entries by a flush).
func (r *recentAdvs) forget() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.kept)
}

// forgetPeer drops the memory of peer, so that its next advertisement is
// stale (one recorded but not sent after all).
func (r *recentAdvs) forgetPeer(peer jxta.PeerID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.kept, peer)
}
