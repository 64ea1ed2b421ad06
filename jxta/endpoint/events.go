package endpoint

import (
	"sync"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
)

// EventKind says what happened to a peer.
type EventKind int

// Event kinds.
const (
	PeerConnected    EventKind = iota + 1 // the first connection to the peer is up
	PeerDisconnected                      // the last connection to the peer closed
)

// String returns the name of the kind.
func (k EventKind) String() string {
	switch k {
	case PeerConnected:
		return "connected"
	case PeerDisconnected:
		return "disconnected"
	}
	return "unknown"
}

// Event reports a peer connecting or disconnecting.
type Event struct {
	Kind EventKind
	Peer jxta.PeerID
	Adv  *advert.PeerAdv // the peer's advertisement as it sent it
}

// Subscription receives events until closed. Events that do not fit in
// its buffer are dropped (and counted) rather than holding up the
// endpoint.
type Subscription struct {
	C       <-chan Event
	c       chan Event
	hub     *eventHub
	mu      sync.Mutex
	dropped int
}

// Dropped returns how many events did not fit in the buffer.
func (s *Subscription) Dropped() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.dropped
}

// Close ends the subscription and closes C.
func (s *Subscription) Close() { s.hub.remove(s) }

type eventHub struct {
	mu   sync.Mutex
	subs map[*Subscription]struct{}

	// watchMu is held for reading while watchers run, so that stopping
	// one waits for a call under way.
	watchMu  sync.RWMutex
	watchers map[*func(Event)]struct{}
}

// watch has f called with every event until the returned function is
// called.
func (h *eventHub) watch(f func(Event)) (stop func()) {
	key := &f
	h.watchMu.Lock()
	if h.watchers == nil {
		h.watchers = make(map[*func(Event)]struct{})
	}
	h.watchers[key] = struct{}{}
	h.watchMu.Unlock()
	return func() {
		h.watchMu.Lock()
		delete(h.watchers, key)
		h.watchMu.Unlock()
	}
}

func (h *eventHub) subscribe(buffer int) *Subscription {
	if buffer <= 0 {
		buffer = 64
	}
	c := make(chan Event, buffer)
	s := &Subscription{C: c, c: c, hub: h}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.subs == nil {
		h.subs = make(map[*Subscription]struct{})
	}
	h.subs[s] = struct{}{}
	return s
}

func (h *eventHub) remove(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.subs[s]; ok {
		delete(h.subs, s)
		close(s.c)
	}
}

func (h *eventHub) publish(ev Event) {
	h.mu.Lock()
	for s := range h.subs {
		select {
		case s.c <- ev:
		default:
			s.mu.Lock()
			s.dropped++
			s.mu.Unlock()
		}
	}
	h.mu.Unlock()
	h.watchMu.RLock()
	defer h.watchMu.RUnlock()
	for f := range h.watchers {
		(*f)(ev)
	}
}

func (h *eventHub) closeAll() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for s := range h.subs {
		delete(h.subs, s)
		close(s.c)
	}
}
