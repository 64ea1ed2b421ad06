package endpoint

import (
	"net"
	"net/netip"
	"sync"
)

// handshakeSlots bounds the incoming connections in their handshake: at
// most max at once, and at most perSource from one source, so that one
// address holding connections open without speaking cannot lock
// newcomers out. A source is an IPv4 address, or an IPv6 /64 (what one
// host is usually given); addresses that are not IP (the in-memory
// transport's, where every dialer looks alike) count only against max.
type handshakeSlots struct {
	max, perSource int

	mu      sync.Mutex
	total   int
	sources map[string]int
}

func newHandshakeSlots(max, perSource int) *handshakeSlots {
	return &handshakeSlots{max: max, perSource: perSource, sources: make(map[string]int)}
}

// Refusal reasons of acquire.
const (
	slotsFull   = "too many connections in handshake"
	sourceFull  = "too many connections in handshake from one source"
	slotsFreely = ""
)

// acquire takes a slot for a connection from remote. It returns the
// function that gives the slot back, or a refusal reason.
func (h *handshakeSlots) acquire(remote net.Addr) (release func(), refusal string) {
	src := sourceOf(remote)
	h.mu.Lock()
	defer h.mu.Unlock()
	switch {
	case src != "" && h.sources[src] >= h.perSource:
		return nil, sourceFull
	case h.total >= h.max:
		return nil, slotsFull
	}
	h.total++
	if src != "" {
		h.sources[src]++
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.total--
			if src == "" {
				return
			}
			if h.sources[src]--; h.sources[src] <= 0 {
				delete(h.sources, src)
			}
		})
	}, slotsFreely
}

// sourceOf returns the source a remote address counts against, or "" for
// an address that is not IP.
func sourceOf(remote net.Addr) string {
	if remote == nil {
		return ""
	}
	ap, err := netip.ParseAddrPort(remote.String())
	if err != nil {
		return ""
	}
	ip := ap.Addr().Unmap()
	if ip.Is6() {
		p, _ := ip.Prefix(64)
		return p.String()
	}
	return ip.String()
}
