package discovery

import (
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/group/resolver"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// A rendezvous forwards a query to the edges its index names. An edge
// pushes its index entries as it publishes, but the push and a query for
// what it published travel on different connections: a query sent just
// after the push may overtake it. So a rendezvous keeps, for a short
// while, the queries its index named no edge for, and forwards one to an
// edge whose push matches it when the push arrives.
const (
	// waitFor is how long a query waits for a matching push.
	waitFor = time.Second
	// maxWaiting bounds the waiting queries; the oldest go first.
	maxWaiting = 256
)

// waitingQuery is a query waiting for index entries.
type waitingQuery struct {
	query *resolver.Query
	// The index entries sought: primary key, secondary key ("" for any)
	// and a value pattern (discovery matching rules).
	pkey, skey, pattern string
	until               time.Time
	sentTo              []jxta.PeerID
}

// waitingQueries holds the queries waiting for index entries. It is safe
// for concurrent use.
type waitingQueries struct {
	mu   sync.Mutex
	list []*waitingQuery // oldest first
}

// add makes query wait until now+waitFor for entries under pkey whose
// secondary key is skey ("" for any) and whose value matches pattern.
func (w *waitingQueries) add(query *resolver.Query, pkey, skey, pattern string, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.expire(now)
	if len(w.list) >= maxWaiting {
		w.list = slices.Delete(w.list, 0, len(w.list)-maxWaiting+1)
	}
	w.list = append(w.list, &waitingQuery{query: query, pkey: pkey, skey: skey, pattern: pattern, until: now.Add(waitFor)})
}

// matched returns the waiting queries that an index push m from peer
// matches and that were not forwarded to peer yet, and notes them as
// forwarded to it.
func (w *waitingQueries) matched(peer jxta.PeerID, m *protocol.SRDIMessage, now time.Time) []*resolver.Query {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.expire(now)
	var out []*resolver.Query
	for _, q := range w.list {
		if q.pkey != m.PrimaryKey || slices.Contains(q.sentTo, peer) || !q.matches(m.Entries) {
			continue
		}
		q.sentTo = append(q.sentTo, peer)
		out = append(out, q.query)
	}
	return out
}

// matches reports whether a live entry among entries is one q seeks.
func (q *waitingQuery) matches(entries []protocol.SRDIEntry) bool {
	for _, e := range entries {
		if e.Expiration <= 0 {
			continue // a removal
		}
		if q.skey == "" || q.skey == e.SKey && cache.Matches(q.pattern, strings.TrimSpace(e.Value)) {
			return true
		}
	}
	return false
}

// expire drops the queries whose wait is over.
func (w *waitingQueries) expire(now time.Time) {
	i := 0
	for i < len(w.list) && !now.Before(w.list[i].until) {
		i++
	}
	w.list = slices.Delete(w.list, 0, i)
}

// len returns the number of waiting queries.
func (w *waitingQueries) len() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.list)
}
