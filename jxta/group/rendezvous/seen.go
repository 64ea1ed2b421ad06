package rendezvous

import (
	"sync"
	"time"
)

// seenIDs remembers propagated message IDs, to drop duplicates: each for
// a window of time, at most max of them, the oldest forgotten first. It
// is safe for concurrent use.
type seenIDs struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	at     map[string]time.Time
	order  []string // insertion order, a ring once full
	head   int      // the oldest entry of the full ring
}

func newSeenIDs(max int, window time.Duration) *seenIDs {
	return &seenIDs{max: max, window: window, at: make(map[string]time.Time)}
}

// add records id at now and reports whether it is new: not seen within
// the window.
func (s *seenIDs) add(id string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.at[id]; ok {
		if now.Sub(t) < s.window {
			return false
		}
		s.at[id] = now // seen long ago: keeps its place in the ring
		return true
	}
	if len(s.order) < s.max {
		s.order = append(s.order, id)
	} else {
		delete(s.at, s.order[s.head])
		s.order[s.head] = id
		s.head = (s.head + 1) % s.max
	}
	s.at[id] = now
	return true
}
