package cache

import (
	"bytes"
	"cmp"
	"slices"
	"sync"

	"github.com/gojxta/gojxta/jxta/advert"
)

// pendingSet holds the publications that are acknowledged (synced to the
// journal, or kept without durability by Remember) but not yet moved into
// the B+tree, so that lookups see them at once. A pending entry replaces
// the stored entry of its key: lookups skip the stored one.
//
// Lookups hold mu for reading while they read the B+tree too: an entry
// leaves the set only after the transaction that stored it committed, so a
// lookup sees every entry once, pending or stored.
type pendingSet struct {
	mu     sync.RWMutex
	groups map[string]*pendingGroup // by group name
	n      int
	seq    uint64 // the last prepared.seq given
}

// pendingGroup is one group's pending entries, indexed as the B+tree
// indexes them: by key, by category, and by the exact value of each index
// field (the common query).
type pendingGroup struct {
	byKey   map[string]*prepared
	byCat   map[advert.Category]map[string]*prepared
	byField map[fieldValue][]*prepared
	// remotes counts the remote entries, byPublisher those of each
	// publisher (by peer ID text).
	remotes     int
	byPublisher map[string]int
}

// fieldValue is an index field's value in a category.
type fieldValue struct {
	cat         advert.Category
	name, value string
}

// index adds it to the indexes of g, or removes it.
func (g *pendingGroup) index(it *prepared, add bool) {
	k := string(it.key)
	if it.origin != nil {
		pub := string(it.origin.publisher)
		if add {
			g.remotes++
			g.byPublisher[pub]++
		} else {
			g.remotes--
			if g.byPublisher[pub]--; g.byPublisher[pub] <= 0 {
				delete(g.byPublisher, pub)
			}
		}
	}
	if !add {
		delete(g.byCat[it.cat], k)
		for _, f := range it.fields {
			fv := fieldValue{it.cat, f.Name, f.Value}
			if list := slices.DeleteFunc(g.byField[fv], func(o *prepared) bool { return o == it }); len(list) > 0 {
				g.byField[fv] = list
			} else {
				delete(g.byField, fv)
			}
		}
		return
	}
	if g.byCat[it.cat] == nil {
		g.byCat[it.cat] = make(map[string]*prepared)
	}
	g.byCat[it.cat][k] = it
	for _, f := range it.fields {
		fv := fieldValue{it.cat, f.Name, f.Value}
		g.byField[fv] = append(g.byField[fv], it)
	}
}

// add makes items pending in group, replacing pending entries of the same
// keys.
func (p *pendingSet) add(group string, items []*prepared) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.groups == nil {
		p.groups = make(map[string]*pendingGroup)
	}
	g := p.groups[group]
	if g == nil {
		g = &pendingGroup{byKey: make(map[string]*prepared), byCat: make(map[advert.Category]map[string]*prepared),
			byField: make(map[fieldValue][]*prepared), byPublisher: make(map[string]int)}
		p.groups[group] = g
	}
	for _, it := range items {
		k := string(it.key)
		if old, ok := g.byKey[k]; ok {
			g.index(old, false)
		} else {
			p.n++
		}
		p.seq++
		it.seq = p.seq
		g.byKey[k] = it
		g.index(it, true)
	}
}

// len returns the number of pending entries.
func (p *pendingSet) len() int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.n
}

// count returns the number of group's pending entries.
func (p *pendingSet) count(group string) int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if g := p.groups[group]; g != nil {
		return len(g.byKey)
	}
	return 0
}

// pendingBatch is a copy of the pending entries, by group, each group's
// in the order they were added.
type pendingBatch map[string][]*prepared

// snapshot returns every pending entry.
func (p *pendingSet) snapshot() pendingBatch {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if p.n == 0 {
		return nil
	}
	out := make(pendingBatch, len(p.groups))
	for name, g := range p.groups {
		list := make([]*prepared, 0, len(g.byKey))
		for _, it := range g.byKey {
			list = append(list, it)
		}
		// Stored in order, they evict what they would have evicted
		// stored one by one.
		slices.SortFunc(list, func(a, b *prepared) int { return cmp.Compare(a.seq, b.seq) })
		out[name] = list
	}
	return out
}

// removeApplied drops the entries of b, now in the B+tree, unless they
// were replaced since b was taken.
func (p *pendingSet) removeApplied(b pendingBatch) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for name, list := range b {
		g := p.groups[name]
		if g == nil {
			continue
		}
		for _, it := range list {
			k := string(it.key)
			if g.byKey[k] == it {
				delete(g.byKey, k)
				g.index(it, false)
				p.n--
			}
		}
		if len(g.byKey) == 0 {
			delete(p.groups, name)
		}
	}
}

// get returns the pending entry key of group, if there is one.
func (p *pendingSet) get(group, key string) (*prepared, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	g := p.groups[group]
	if g == nil {
		return nil, false
	}
	it, ok := g.byKey[key]
	return it, ok
}

// anyExpired reports whether a pending entry's lifetime ended before now.
func (p *pendingSet) anyExpired(now int64) bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	for _, g := range p.groups {
		for _, it := range g.byKey {
			if it.expires <= now {
				return true
			}
		}
	}
	return false
}

// get returns the entry key of g (which may be nil); the caller holds
// the set's lock.
func (g *pendingGroup) get(key string) (*prepared, bool) {
	if g == nil {
		return nil, false
	}
	it, ok := g.byKey[key]
	return it, ok
}

// publishedBy returns the number of remote entries of g (which may be
// nil) that publisher signed; the caller holds the set's lock.
func (g *pendingGroup) publishedBy(publisher string) int {
	if g == nil {
		return 0
	}
	return g.byPublisher[publisher]
}

// has reports whether g (which may be nil) holds the entry key; the
// caller holds the set's lock.
func (g *pendingGroup) has(key []byte) bool {
	if g == nil {
		return false
	}
	_, ok := g.byKey[string(key)]
	return ok
}

// pendingHit is a pending entry that matches a search, with its key in
// the index the search reads, by which hits are merged with stored
// entries.
type pendingHit struct {
	indexKey []byte
	it       *prepared
}

// search returns the entries of g (which may be nil) that q finds, alive
// at now, in index order; the caller holds the set's lock.
func (g *pendingGroup) search(q query, now int64) []pendingHit {
	if g == nil {
		return nil
	}
	var hits []pendingHit
	if q.attr != "" && q.m.kind == matchExact {
		for _, it := range g.byField[fieldValue{q.cat, q.attr, q.m.pat}] {
			if it.expires > now {
				hits = append(hits, pendingHit{indexKey: indexKey(q.m.pat, it.key), it: it})
			}
		}
		slices.SortFunc(hits, func(a, b pendingHit) int { return bytes.Compare(a.indexKey, b.indexKey) })
		return hits
	}
	for _, it := range g.byCat[q.cat] {
		if it.expires <= now {
			continue
		}
		if q.attr == "" {
			hits = append(hits, pendingHit{indexKey: it.key, it: it})
			continue
		}
		for _, f := range it.fields {
			if f.Name == q.attr && q.m.matches([]byte(f.Value)) {
				hits = append(hits, pendingHit{indexKey: indexKey(f.Value, it.key), it: it})
				break
			}
		}
	}
	slices.SortFunc(hits, func(a, b pendingHit) int { return bytes.Compare(a.indexKey, b.indexKey) })
	return hits
}
