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

// exactKey is what a query for one exact value seeks.
type exactKey struct {
	pkey, skey, value string
}

// exact reports whether q seeks one exact value, and which.
func (q *waitingQuery) exact() (exactKey, bool) {
	p := strings.TrimSpace(q.pattern)
	if q.skey == "" || p == "" || strings.Contains(p, "*") {
		return exactKey{}, false
	}
	return exactKey{q.pkey, q.skey, p}, true
}

// waitingQueries holds the queries waiting for index entries, those that
// seek one exact value by that value. It is safe for concurrent use.
type waitingQueries struct {
	mu    sync.Mutex
	order []*waitingQuery // oldest first
	exact map[exactKey][]*waitingQuery
	other []*waitingQuery // patterns and queries for every entry
}

// add makes query wait until now+waitFor for entries under pkey whose
// secondary key is skey ("" for any) and whose value matches pattern.
func (w *waitingQueries) add(query *resolver.Query, pkey, skey, pattern string, now time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.expire(now)
	if len(w.order) >= maxWaiting {
		w.drop(len(w.order) - maxWaiting + 1)
	}
	q := &waitingQuery{query: query, pkey: pkey, skey: skey, pattern: pattern, until: now.Add(waitFor)}
	w.order = append(w.order, q)
	if k, ok := q.exact(); ok {
		if w.exact == nil {
			w.exact = make(map[exactKey][]*waitingQuery)
		}
		w.exact[k] = append(w.exact[k], q)
	} else {
		w.other = append(w.other, q)
	}
}

// matched returns the waiting queries that an index push m from peer
// matches and that were not forwarded to peer yet, and notes them as
// forwarded to it.
func (w *waitingQueries) matched(peer jxta.PeerID, m *protocol.SRDIMessage, now time.Time) []*resolver.Query {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.expire(now)
	if len(w.order) == 0 {
		return nil
	}
	var out []*resolver.Query
	take := func(q *waitingQuery) {
		if !slices.Contains(q.sentTo, peer) {
			q.sentTo = append(q.sentTo, peer)
			out = append(out, q.query)
		}
	}
	for _, e := range m.Entries {
		if e.Expiration > 0 {
			for _, q := range w.exact[exactKey{m.PrimaryKey, e.SKey, strings.TrimSpace(e.Value)}] {
				take(q)
			}
		}
	}
	for _, q := range w.other {
		if q.pkey == m.PrimaryKey && q.matches(m.Entries) {
			take(q)
		}
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
	n := 0
	for n < len(w.order) && !now.Before(w.order[n].until) {
		n++
	}
	w.drop(n)
}

// drop drops the n oldest queries.
func (w *waitingQueries) drop(n int) {
	for _, q := range w.order[:n] {
		if k, ok := q.exact(); ok {
			list := slices.DeleteFunc(w.exact[k], func(o *waitingQuery) bool { return o == q })
			if len(list) == 0 {
				delete(w.exact, k)
			} else {
				w.exact[k] = list
			}
		} else {
			w.other = slices.DeleteFunc(w.other, func(o *waitingQuery) bool { return o == q })
		}
	}
	w.order = slices.Delete(w.order, 0, n)
}

// len returns the number of waiting queries.
func (w *waitingQueries) len() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return len(w.order)
}
