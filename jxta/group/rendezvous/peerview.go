package rendezvous

import (
	"bytes"
	"math/bits"
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
)

// How long view entries last, in gossip periods.
const (
	// expiryPerBit and minExpiry: an entry nobody heard from for
	// expiryPerBit periods per bit of the view's size (at least
	// minExpiry periods) leaves the view. Ages spread through digests
	// like a rumour, so a live peer's age stays near log2(size) periods
	// (a simulation of 580 rendezvous saw at most 7; they expire entries
	// after 20).
	expiryPerBit = 2
	minExpiry    = 10
	// suspectPeriods: when the connection to a view member drops within
	// this many periods of a message from it, the member is re-dialed and
	// leaves the view if that fails. (A connection that closes after a
	// long silence closed for idleness; expiry deals with those peers.)
	suspectPeriods = 10
	// seedEvery: a rendezvous probes the seeds that are not in its view
	// one round in seedEvery (the first among them), so that seeds are not
	// swamped by rendezvous that wait for their answer, and a seed that is
	// no rendezvous costs little. One answer is enough to join.
	seedEvery = 4
	// staleMargin: a peer that left the view comes back only with news
	// of it more than staleMargin periods newer than when it left (the
	// last news of it when it expired, the time when it could not be
	// re-dialed), so that copies of old news still going round, their
	// ages a little off for the time they spent in transit, do not bring
	// it back.
	staleMargin = 3
)

// viewEntry is a rendezvous in the peer view.
type viewEntry struct {
	key    uint64    // its peerKey
	text   string    // its peer ID as text, for sorting
	doc    []byte    // its peer advertisement, as received
	heard  time.Time // the latest time anyone heard from it, as far as we know
	direct time.Time // when it last sent us a message; zero if never
}

// peerView is a rendezvous's view of the other rendezvous of its group,
// and the push-pull gossip that keeps it: a probe carries the sender's
// digest; the answer carries the responder's digest and the entries the
// prober lacks; a last message pushes the entries the responder lacks.
// It does no I/O and reads no clock; it is safe for concurrent use.
type peerView struct {
	self   jxta.PeerID
	period time.Duration

	mu      sync.Mutex
	rng     *rand.Rand
	entries map[jxta.PeerID]*viewEntry
	gone    map[jxta.PeerID]time.Time // peers that left the view: news of them older than this is stale
}

func newPeerView(self jxta.PeerID, period time.Duration, rng *rand.Rand) *peerView {
	return &peerView{self: self, period: period, rng: rng,
		entries: make(map[jxta.PeerID]*viewEntry), gone: make(map[jxta.PeerID]time.Time)}
}

// expiry returns how long an entry lasts without news of its peer.
func (v *peerView) expiry() time.Duration {
	return v.period * time.Duration(max(minExpiry, expiryPerBit*bits.Len(uint(len(v.entries)+1))))
}

// ids returns the peers in the view, sorted.
func (v *peerView) ids() []jxta.PeerID {
	members := v.members()
	out := make([]jxta.PeerID, len(members))
	for i, m := range members {
		out[i] = m.Peer
	}
	return out
}

// members returns the view's entries, sorted by peer ID, each with the
// latest news of its peer.
func (v *peerView) members() []ViewEntry {
	type named struct {
		ViewEntry
		text string
	}
	v.mu.Lock()
	all := make([]named, 0, len(v.entries))
	for id, e := range v.entries {
		all = append(all, named{ViewEntry{Peer: id, Heard: e.heard}, e.text})
	}
	v.mu.Unlock()
	sort.Slice(all, func(i, j int) bool { return all[i].text < all[j].text })
	out := make([]ViewEntry, len(all))
	for i, n := range all {
		out[i] = n.ViewEntry
	}
	return out
}

// clear empties the view, as a rendezvous that stops does, and returns
// the peers that were in it, sorted. The peers that left it are
// forgotten too: a later view starts afresh.
func (v *peerView) clear() []jxta.PeerID {
	v.mu.Lock()
	out := make([]jxta.PeerID, 0, len(v.entries))
	for id := range v.entries {
		out = append(out, id)
	}
	clear(v.entries)
	clear(v.gone)
	v.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	return out
}

// partner chooses whom to gossip with in a round: one round in seedEvery,
// a seed that is not in the view; else a random member. It reports false
// if there is nobody.
func (v *peerView) partner(seeds []jxta.PeerID, round uint64) (jxta.PeerID, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	var fresh []jxta.PeerID
	for _, p := range seeds {
		_, in := v.entries[p]
		_, dead := v.gone[p]
		if !p.IsNull() && p != v.self && !in && !dead {
			fresh = append(fresh, p)
		}
	}
	if len(fresh) > 0 && round%seedEvery == 0 {
		return fresh[v.rng.IntN(len(fresh))], true
	}
	if len(v.entries) == 0 {
		return jxta.PeerID{}, false
	}
	i := v.rng.IntN(len(v.entries))
	for p := range v.entries {
		if i == 0 {
			return p, true
		}
		i--
	}
	return jxta.PeerID{}, false // not reached: i < len(v.entries)
}

// probe returns a probe: self (this peer's advertisement) and the digest.
func (v *peerView) probe(self []byte, now time.Time) *jxta.Message {
	v.mu.Lock()
	defer v.mu.Unlock()
	return gossipMessage(elementProbe, self, v.digest(now), nil)
}

// receive takes in a peer view message g that arrived at now: its sender
// and samples join the view, its digest refreshes the ages of the
// entries both hold. It returns the answer to send back (nil if none):
// to a probe, this peer's digest and the entries the prober lacks; to an
// answer with a digest, the entries the answerer lacks. It also returns
// the peers that joined the view. It reads only the advertisements it
// needs: the sender's if new or changed, those of samples new to it.
func (v *peerView) receive(g *gossipMsg, self []byte, now time.Time) (reply *jxta.Message, added []*advert.PeerAdv, err error) {
	v.mu.Lock()
	e, known := v.entries[g.from]
	known = known && bytes.Equal(e.doc, g.senderDoc)
	v.mu.Unlock()
	var sender *advert.PeerAdv
	senderDoc := g.senderDoc
	if !known {
		if sender, senderDoc, err = g.readSender(); err != nil {
			return nil, nil, err
		}
	}

	v.mu.Lock()
	if v.heard(g.from, senderDoc, now, now, true) {
		if sender == nil { // it left the view meanwhile
			sender, _ = parsePeerAdv(senderDoc)
		}
		if sender != nil {
			added = append(added, sender)
		}
	}
	if g.digest != nil {
		v.refresh(g.digest, now)
	}
	var unknown []sample
	for _, s := range g.samples {
		if v.wants(s.id, now.Add(-s.age), now) {
			unknown = append(unknown, s)
		}
	}
	v.mu.Unlock()

	pas := make([]*advert.PeerAdv, len(unknown))
	for i, s := range unknown {
		if pa, err := parsePeerAdv(s.doc); err == nil && pa.PeerID == s.id {
			pas[i] = pa
		}
	}

	v.mu.Lock()
	defer v.mu.Unlock()
	for i, s := range unknown {
		if pas[i] != nil && v.heard(s.id, s.doc, now.Add(-s.age), now, false) {
			added = append(added, pas[i])
		}
	}
	switch {
	case g.probe:
		reply = gossipMessage(elementResponse, self, v.digest(now), v.missing(g.digest, g.from, now))
	case g.digest != nil:
		if missing := v.missing(g.digest, g.from, now); len(missing) > 0 {
			reply = gossipMessage(elementResponse, self, nil, missing)
		}
	}
	return reply, added, nil
}

// wants reports whether a peer heard from at heard, not in the view,
// may join it: it is not this peer, the news is not too old, the view
// has room, and the news is newer than the peer's leaving the view.
func (v *peerView) wants(id jxta.PeerID, heard, now time.Time) bool {
	if _, ok := v.entries[id]; ok || id == v.self || len(v.entries) >= maxView || now.Sub(heard) >= v.expiry() {
		return false
	}
	left, ok := v.gone[id]
	return !ok || heard.After(left.Add(staleMargin*v.period))
}

// heard records news of id heard from at heard (direct: in a message
// from id itself) with its advertisement doc, and reports whether id
// joined the view. Callers hold v.mu.
func (v *peerView) heard(id jxta.PeerID, doc []byte, heard, now time.Time, direct bool) bool {
	if e, ok := v.entries[id]; ok {
		if heard.After(e.heard) {
			e.heard = heard
			e.doc = append(e.doc[:0:0], doc...)
		}
		if direct {
			e.direct = now
		}
		return false
	}
	if direct {
		delete(v.gone, id) // it is back
	}
	if !v.wants(id, heard, now) {
		return false
	}
	e := &viewEntry{key: peerKey(id), text: id.String(), doc: append([]byte(nil), doc...), heard: heard}
	if direct {
		e.direct = now
	}
	v.entries[id] = e
	return true
}

// refresh takes the fresher ages of a partner's digest. Callers hold
// v.mu.
func (v *peerView) refresh(d digest, now time.Time) {
	for _, e := range v.entries {
		if age, ok := d[e.key]; ok {
			if heard := now.Add(-age); heard.After(e.heard) {
				e.heard = heard
			}
		}
	}
}

// digest returns the view's digest. Callers hold v.mu.
func (v *peerView) digest(now time.Time) []byte {
	b := make([]byte, 0, len(v.entries)*12)
	for _, e := range v.entries {
		b = appendDigestEntry(b, e.key, now.Sub(e.heard))
	}
	return b
}

// missing returns up to maxSample random entries that digest d (of peer
// to) lacks, to itself excepted. Callers hold v.mu.
func (v *peerView) missing(d digest, to jxta.PeerID, now time.Time) []sample {
	var out []sample
	for id, e := range v.entries {
		if id == to {
			continue
		}
		if _, ok := d[e.key]; ok {
			continue
		}
		out = append(out, sample{id: id, age: now.Sub(e.heard), doc: e.doc})
	}
	v.rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out[:min(len(out), maxSample)]
}

// referrals returns the advertisements of up to n random members other
// than not, for a lease grant.
func (v *peerView) referrals(n int, not jxta.PeerID) [][]byte {
	v.mu.Lock()
	defer v.mu.Unlock()
	var out [][]byte
	for id, e := range v.entries { // map order is random enough here
		if len(out) == n {
			break
		}
		if id != not {
			out = append(out, e.doc)
		}
	}
	return out
}

// expire drops the entries nobody heard from within the expiry, and
// forgets the peers that left long enough ago that news as old as their
// leaving is too old anyway. It returns the peers dropped.
func (v *peerView) expire(now time.Time) []jxta.PeerID {
	v.mu.Lock()
	defer v.mu.Unlock()
	limit := v.expiry()
	var out []jxta.PeerID
	for id, e := range v.entries {
		if now.Sub(e.heard) >= limit {
			v.leave(id, e.heard)
			out = append(out, id)
		}
	}
	for id, left := range v.gone {
		if now.Sub(left) >= 2*limit {
			delete(v.gone, id)
		}
	}
	return out
}

// leave takes id out of the view, as of news heard at last. Callers hold
// v.mu.
func (v *peerView) leave(id jxta.PeerID, last time.Time) {
	delete(v.entries, id)
	if _, ok := v.gone[id]; ok || len(v.gone) < maxView {
		v.gone[id] = last
	}
}

// reachable records that this peer is connected to id again, which ends
// id's leaving the view: a seed that left is probed again in the next
// seed round (until then a seed found dead is left alone, until its
// leaving is forgotten), and news of id counts again. It reports whether
// id had left the view.
func (v *peerView) reachable(id jxta.PeerID) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	_, ok := v.gone[id]
	delete(v.gone, id)
	return ok
}

// suspect reports whether the loss of the connection to id calls for a
// re-dial: id is in the view and sent a message lately.
func (v *peerView) suspect(id jxta.PeerID, now time.Time) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	e, ok := v.entries[id]
	return ok && !e.direct.IsZero() && now.Sub(e.direct) < suspectPeriods*v.period
}

// remove drops id, found unreachable at now, and keeps it out of the
// view until news of it newer than that arrives. It reports whether id
// was in the view.
func (v *peerView) remove(id jxta.PeerID, now time.Time) bool {
	v.mu.Lock()
	defer v.mu.Unlock()
	_, ok := v.entries[id]
	v.leave(id, now)
	return ok
}
