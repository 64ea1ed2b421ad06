package rendezvous

import (
	"slices"
	"time"

	"github.com/gojxta/gojxta/jxta"
)

// edgeLease is an edge's side of the lease protocol: the rendezvous it
// holds a lease with, when to renew it and when it ends, and the
// rendezvous it learned of (from grants) to fail over to. It does no I/O
// and reads no clock.
type edgeLease struct {
	rdv     jxta.PeerID // null while the edge has no lease
	expires time.Time
	renewAt time.Time
	learned []jxta.PeerID // most recent first, at most maxLearned
	lost    jxta.PeerID   // the rendezvous last lost: asked last
	shunned []jxta.PeerID // rendezvous the edge left on purpose: never asked (see shun)
}

// granted records a lease of d from rdv at now, to be renewed at half
// its length. It returns the rendezvous the edge held a lease with
// before, if another.
func (e *edgeLease) granted(rdv jxta.PeerID, d time.Duration, now time.Time) (replaced jxta.PeerID) {
	if e.rdv != rdv {
		replaced = e.rdv
	}
	e.rdv, e.expires, e.renewAt = rdv, now.Add(d), now.Add(d/2)
	if e.lost == rdv {
		e.lost = jxta.PeerID{}
	}
	e.learn(rdv)
	return replaced
}

// lose forgets the lease and returns the rendezvous it was with (null if
// none).
func (e *edgeLease) lose() jxta.PeerID {
	rdv := e.rdv
	if !rdv.IsNull() {
		e.lost = rdv
	}
	e.rdv = jxta.PeerID{}
	return rdv
}

// leave forgets the lease as the edge's own choice (it stops being an
// edge), so the rendezvous does not count as lost, and returns it (null
// if none).
func (e *edgeLease) leave() jxta.PeerID {
	rdv := e.rdv
	e.rdv = jxta.PeerID{}
	return rdv
}

// shun keeps peer out of the candidates until allow names it again; if
// the edge holds its lease with peer, it leaves it. It reports whether it
// did.
func (e *edgeLease) shun(peer jxta.PeerID) (left bool) {
	if peer.IsNull() {
		return false
	}
	left = e.rdv == peer
	if left {
		e.rdv = jxta.PeerID{}
	}
	if e.lost == peer {
		e.lost = jxta.PeerID{}
	}
	e.allow(peer)
	e.shunned = slices.Insert(e.shunned, 0, peer)
	if len(e.shunned) > maxShunned {
		e.shunned = e.shunned[:maxShunned]
	}
	return left
}

// allow makes peer a candidate again after shun.
func (e *edgeLease) allow(peer jxta.PeerID) {
	e.shunned = slices.DeleteFunc(e.shunned, func(p jxta.PeerID) bool { return p == peer })
}

// learn remembers rdv as a rendezvous to fail over to.
func (e *edgeLease) learn(rdv jxta.PeerID) {
	if rdv.IsNull() {
		return
	}
	e.learned = slices.DeleteFunc(e.learned, func(p jxta.PeerID) bool { return p == rdv })
	e.learned = slices.Insert(e.learned, 0, rdv)
	if len(e.learned) > maxLearned {
		e.learned = e.learned[:maxLearned]
	}
}

// due reports whether the edge must ask for a lease at now (it has none,
// or it is time to renew) and, if not, how long until it must.
func (e *edgeLease) due(now time.Time) (bool, time.Duration) {
	if e.rdv.IsNull() || !now.Before(e.renewAt) {
		return true, 0
	}
	return false, e.renewAt.Sub(now)
}

// expired reports whether the lease ran out by now.
func (e *edgeLease) expired(now time.Time) bool {
	return !e.rdv.IsNull() && !now.Before(e.expires)
}

// candidates returns the rendezvous to ask, in order: the current one
// (a renewal), the seeds, the rendezvous learned from grants, and last
// the one just lost; each once, never self or a shunned one.
func (e *edgeLease) candidates(seeds []jxta.PeerID, self jxta.PeerID) []jxta.PeerID {
	out := make([]jxta.PeerID, 0, 1+len(seeds)+len(e.learned)+1)
	listed := map[jxta.PeerID]bool{{}: true, self: true, e.lost: true}
	for _, p := range e.shunned {
		listed[p] = true
	}
	add := func(p jxta.PeerID) {
		if !listed[p] {
			listed[p] = true
			out = append(out, p)
		}
	}
	add(e.rdv)
	for _, p := range seeds {
		add(p)
	}
	for _, p := range e.learned {
		add(p)
	}
	if e.lost != self && !e.lost.IsNull() {
		out = append(out, e.lost)
	}
	return out
}
