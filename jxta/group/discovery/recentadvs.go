package discovery

import (
	"hash/maphash"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
)

// maxRecent bounds the querier advertisements remembered as stored.
const maxRecent = 4096

// recentQueriers remembers which querier advertisements were stored and
// when, so that a peer asking again and again with the same advertisement
// costs one disk write per refresh period instead of one per query.
type recentQueriers struct {
	mu      sync.Mutex
	seed    maphash.Seed
	refresh time.Duration
	kept    map[jxta.PeerID]recentEntry
}

type recentEntry struct {
	sum uint64
	at  time.Time
}

func newRecentQueriers(refresh time.Duration) *recentQueriers {
	return &recentQueriers{seed: maphash.MakeSeed(), refresh: refresh, kept: make(map[jxta.PeerID]recentEntry)}
}

// stale reports whether doc, peer's advertisement, needs storing at now:
// it differs from the one last stored or was stored more than the refresh
// period ago. A stale answer records doc as stored at now.
func (r *recentQueriers) stale(peer jxta.PeerID, doc string, now time.Time) bool {
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

// forget drops every memory, after the cache lost entries by a flush.
func (r *recentQueriers) forget() {
	r.mu.Lock()
	defer r.mu.Unlock()
	clear(r.kept)
}
