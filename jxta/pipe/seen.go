package pipe

import "sync"

// seenGeneration is how many message IDs one generation of seenMsgIDs
// holds: an ID is remembered for at least that many later messages.
const seenGeneration = 4096

// seenMsgIDs remembers the wire message IDs of recent propagated messages,
// to drop duplicates, in two generations of bounded size: when the current
// one fills, it becomes the previous one and the oldest is forgotten.
type seenMsgIDs struct {
	mu        sync.Mutex
	cur, prev map[string]struct{}
}

func newSeenMsgIDs() *seenMsgIDs {
	return &seenMsgIDs{cur: make(map[string]struct{})}
}

// add records id and reports whether it is new.
func (s *seenMsgIDs) add(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.cur[id]; ok {
		return false
	}
	if _, ok := s.prev[id]; ok {
		return false
	}
	if len(s.cur) >= seenGeneration {
		s.prev, s.cur = s.cur, make(map[string]struct{}, seenGeneration)
	}
	s.cur[id] = struct{}{}
	return true
}
