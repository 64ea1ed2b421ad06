package rendezvous

import (
	"sync"
	"time"
)

// Bounds of the memory of propagated message IDs.
const (
	maxSeen    = 20_000
	seenWindow = 10 * time.Minute
)

// seenIDs remembers message IDs for a while, to drop duplicates: at most
// max of them, each for window, oldest forgotten first.
type seenIDs struct {
	mu     sync.Mutex
	max    int
	window time.Duration
	at     map[string]time.Time
	order  []string // insertion order, a ring
	head   int
}

func newSeenIDs(max int, window time.Duration) *seenIDs {
	return &seenIDs{max: max, window: window, at: make(map[string]time.Time, 64)}
}

// add records id and reports whether it is new (not seen within the
// window).
func (s *seenIDs) add(id string, now time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t, ok := s.at[id]; ok && now.Sub(t) < s.window {
		return false
	}
	if _, ok := s.at[id]; !ok {
		if len(s.order) < s.max {
			s.order = append(s.order, id)
		} else {
			delete(s.at, s.order[s.head])
			s.order[s.head] = id
			s.head = (s.head + 1) % s.max
		}
	}
	s.at[id] = now
	return true
}
