package srdi

import (
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// DefaultMaxEntries bounds an Index made with a non-positive size.
const DefaultMaxEntries = 200_000

// MaxValueLength bounds an entry's value; longer entries are refused.
const MaxValueLength = 1024

// Index maps index entries to the peers that published them. It is safe
// for concurrent use.
type Index struct {
	max int
	now func() time.Time

	mu sync.Mutex
	// values maps "<pkey>\x00<skey>" to value to peer to expiry.
	values map[string]map[string]map[jxta.PeerID]time.Time
	// byPeer maps a peer to its entries, for RemovePeer.
	byPeer map[jxta.PeerID]map[entryKey]struct{}
	n      int
}

type entryKey struct{ keys, value string }

// NewIndex returns an empty index holding at most maxEntries entries
// (DefaultMaxEntries if maxEntries <= 0). clock is the time source; nil
// means time.Now.
func NewIndex(maxEntries int, clock func() time.Time) *Index {
	if maxEntries <= 0 {
		maxEntries = DefaultMaxEntries
	}
	if clock == nil {
		clock = time.Now
	}
	return &Index{
		max: maxEntries, now: clock,
		values: make(map[string]map[string]map[jxta.PeerID]time.Time),
		byPeer: make(map[jxta.PeerID]map[entryKey]struct{}),
	}
}

func keysOf(pkey, skey string) string {
	if skey == "" {
		skey = protocol.SRDIDefaultKey
	}
	return pkey + "\x00" + skey
}

// Add records the entries of m for peer (the peer the push came from,
// whatever m.PeerID says: a peer indexes only itself). Entries with an
// expiration <= 0 are removed. It returns how many entries were stored;
// entries that do not fit (the index is full of live entries) or are
// malformed are skipped.
func (x *Index) Add(peer jxta.PeerID, m *protocol.SRDIMessage) int {
	if peer.IsNull() || m.PrimaryKey == "" || strings.IndexByte(m.PrimaryKey, 0) >= 0 {
		return 0
	}
	now := x.now()
	x.mu.Lock()
	defer x.mu.Unlock()
	stored := 0
	for _, e := range m.Entries {
		v := strings.TrimSpace(e.Value)
		if v == "" || len(v) > MaxValueLength || strings.IndexByte(e.SKey, 0) >= 0 {
			continue
		}
		k := entryKey{keysOf(m.PrimaryKey, e.SKey), v}
		if e.Expiration <= 0 {
			x.remove(peer, k)
			continue
		}
		expires := now.Add(e.Expiration)
		if e.Expiration >= protocol.Forever || expires.Before(now) {
			expires = time.Unix(1<<62, 0)
		}
		if !x.has(peer, k) && x.n >= x.max {
			x.sweep(now)
			if x.n >= x.max {
				continue
			}
		}
		x.put(peer, k, expires)
		stored++
	}
	return stored
}

func (x *Index) has(peer jxta.PeerID, k entryKey) bool {
	_, ok := x.byPeer[peer][k]
	return ok
}

func (x *Index) put(peer jxta.PeerID, k entryKey, expires time.Time) {
	vals := x.values[k.keys]
	if vals == nil {
		vals = make(map[string]map[jxta.PeerID]time.Time)
		x.values[k.keys] = vals
	}
	peers := vals[k.value]
	if peers == nil {
		peers = make(map[jxta.PeerID]time.Time)
		vals[k.value] = peers
	}
	if _, ok := peers[peer]; !ok {
		x.n++
	}
	peers[peer] = expires
	mine := x.byPeer[peer]
	if mine == nil {
		mine = make(map[entryKey]struct{})
		x.byPeer[peer] = mine
	}
	mine[k] = struct{}{}
}

func (x *Index) remove(peer jxta.PeerID, k entryKey) {
	vals := x.values[k.keys]
	peers := vals[k.value]
	if _, ok := peers[peer]; !ok {
		return
	}
	delete(peers, peer)
	x.n--
	if len(peers) == 0 {
		delete(vals, k.value)
		if len(vals) == 0 {
			delete(x.values, k.keys)
		}
	}
	if mine := x.byPeer[peer]; mine != nil {
		delete(mine, k)
		if len(mine) == 0 {
			delete(x.byPeer, peer)
		}
	}
}

// sweep removes expired entries.
func (x *Index) sweep(now time.Time) {
	for peer, mine := range x.byPeer {
		for k := range mine {
			if !x.values[k.keys][k.value][peer].After(now) {
				x.remove(peer, k)
			}
		}
	}
}

// RemovePeer drops every entry of peer (an edge that left).
func (x *Index) RemovePeer(peer jxta.PeerID) {
	x.mu.Lock()
	defer x.mu.Unlock()
	for k := range x.byPeer[peer] {
		x.remove(peer, k)
	}
}

// Lookup returns the peers with a live entry under primary key pkey whose
// secondary key is skey and whose value matches pattern (discovery
// matching rules), at most limit of them (all if limit <= 0), sorted. An
// empty skey matches any entry under pkey.
func (x *Index) Lookup(pkey, skey, pattern string, limit int) []jxta.PeerID {
	now := x.now()
	found := make(map[jxta.PeerID]bool)
	x.mu.Lock()
	collect := func(peers map[jxta.PeerID]time.Time) {
		for p, exp := range peers {
			if exp.After(now) {
				found[p] = true
			}
		}
	}
	if skey != "" {
		vals := x.values[keysOf(pkey, skey)]
		if v := strings.TrimSpace(pattern); !strings.Contains(v, "*") && v != "" {
			collect(vals[v])
		} else {
			for v, peers := range vals {
				if cache.Matches(pattern, v) {
					collect(peers)
				}
			}
		}
	} else {
		prefix := pkey + "\x00"
		for keys, vals := range x.values {
			if strings.HasPrefix(keys, prefix) {
				for _, peers := range vals {
					collect(peers)
				}
			}
		}
	}
	x.mu.Unlock()
	return sortedPeers(found, limit)
}

// Len returns the number of entries, expired ones included until swept.
func (x *Index) Len() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.n
}

// Peers returns how many peers have entries.
func (x *Index) Peers() int {
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.byPeer)
}

// Pushes returns the live entries of peer as index pushes, one per
// primary key, each entry with the expiration it has left, sorted by
// primary key: what a rendezvous sends another to share peer's entries
// (or, with the expirations set to 0, to withdraw them).
func (x *Index) Pushes(peer jxta.PeerID) []*protocol.SRDIMessage {
	now := x.now()
	x.mu.Lock()
	byKey := make(map[string]*protocol.SRDIMessage)
	for k := range x.byPeer[peer] {
		exp := x.values[k.keys][k.value][peer]
		if !exp.After(now) {
			continue
		}
		pkey, skey, _ := strings.Cut(k.keys, "\x00")
		m := byKey[pkey]
		if m == nil {
			m = &protocol.SRDIMessage{PeerID: peer, PrimaryKey: pkey}
			byKey[pkey] = m
		}
		left := exp.Sub(now)
		if exp.Unix() >= 1<<62 {
			left = protocol.Forever
		}
		m.Entries = append(m.Entries, protocol.SRDIEntry{SKey: skey, Value: k.value, Expiration: left})
	}
	x.mu.Unlock()
	out := make([]*protocol.SRDIMessage, 0, len(byKey))
	for _, m := range byKey {
		sort.Slice(m.Entries, func(i, j int) bool {
			a, b := m.Entries[i], m.Entries[j]
			return a.SKey < b.SKey || a.SKey == b.SKey && a.Value < b.Value
		})
		out = append(out, m)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].PrimaryKey < out[j].PrimaryKey })
	return out
}

// hasPeer reports whether peer has entries, expired ones included until
// swept.
func (x *Index) hasPeer(peer jxta.PeerID) bool {
	x.mu.Lock()
	defer x.mu.Unlock()
	return len(x.byPeer[peer]) > 0
}

// PeerList returns the peers with entries, sorted.
func (x *Index) PeerList() []jxta.PeerID {
	x.mu.Lock()
	defer x.mu.Unlock()
	return sortedPeers(x.byPeer, 0)
}

// sortedPeers returns the keys of set sorted by their text, at most
// limit of them when limit > 0.
func sortedPeers[V any](set map[jxta.PeerID]V, limit int) []jxta.PeerID {
	out := make([]jxta.PeerID, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].String() < out[j].String() })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
