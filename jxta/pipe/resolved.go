package pipe

import (
	"slices"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
)

// resolvedTTL is how long a resolution is trusted without a failure.
const resolvedTTL = 10 * time.Minute

// maxResolved bounds the pipes whose resolution is remembered.
const maxResolved = 4096

// resolvedPeers remembers, per pipe, the peers found to have bound it, so
// that opening another pipe to a known peer costs no resolution.
type resolvedPeers struct {
	mu    sync.Mutex
	pipes map[jxta.PipeID]resolution
}

type resolution struct {
	typ   string // the pipe type they bound it as
	peers []jxta.PeerID
	at    time.Time
}

func newResolvedPeers() *resolvedPeers {
	return &resolvedPeers{pipes: make(map[jxta.PipeID]resolution)}
}

// get returns the peers known to have bound id as a pipe of type typ, if
// the knowledge is fresh.
func (r *resolvedPeers) get(id jxta.PipeID, typ string, now time.Time) []jxta.PeerID {
	r.mu.Lock()
	defer r.mu.Unlock()
	res, ok := r.pipes[id]
	if !ok || res.typ != typ || now.Sub(res.at) > resolvedTTL {
		return nil
	}
	return slices.Clone(res.peers)
}

// has reports whether peer is known, freshly, to have bound id.
func (r *resolvedPeers) has(id jxta.PipeID, peer jxta.PeerID, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	res, ok := r.pipes[id]
	return ok && now.Sub(res.at) <= resolvedTTL && slices.Contains(res.peers, peer)
}

// add records that peer bound id as a pipe of type typ (forgetting the
// peers of another type).
func (r *resolvedPeers) add(id jxta.PipeID, typ string, peer jxta.PeerID, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res, ok := r.pipes[id]
	if !ok && len(r.pipes) >= maxResolved {
		clear(r.pipes) // rare; resolving again is the only cost
	}
	if res.typ != typ {
		res = resolution{typ: typ}
	}
	if !slices.Contains(res.peers, peer) {
		res.peers = append(res.peers, peer)
	}
	res.at = now
	r.pipes[id] = res
}

// forget drops peer from id's peers, after it refused or failed.
func (r *resolvedPeers) forget(id jxta.PipeID, peer jxta.PeerID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	res, ok := r.pipes[id]
	if !ok {
		return
	}
	res.peers = slices.DeleteFunc(res.peers, func(p jxta.PeerID) bool { return p == peer })
	if len(res.peers) == 0 {
		delete(r.pipes, id)
		return
	}
	r.pipes[id] = res
}

// forgetPeer drops peer from every pipe's peers: it went away.
func (r *resolvedPeers) forgetPeer(peer jxta.PeerID) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for id, res := range r.pipes {
		res.peers = slices.DeleteFunc(res.peers, func(p jxta.PeerID) bool { return p == peer })
		if len(res.peers) == 0 {
			delete(r.pipes, id)
		} else {
			r.pipes[id] = res
		}
	}
}
