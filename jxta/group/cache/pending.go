package cache

import (
	"bytes"
	"cmp"
	"slices"
	"sync"
)

// pendingSet holds the publications that are acknowledged (synced to the
// journal, or kept without durability by Remember) but not yet moved into
// the B+tree, so that lookups see them at once. A pending entry replaces
// the stored entry of its key: lookups skip the stored one.
type pendingSet struct {
	mu     sync.RWMutex
	groups map[string]map[string]*prepared // group name -> entry key -> entry
	n      int
	seq    uint64 // the last prepared.seq given
}

// add makes items pending in group, replacing pending entries of the same
// keys.
func (p *pendingSet) add(group string, items []*prepared) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.groups == nil {
		p.groups = make(map[string]map[string]*prepared)
	}
	g := p.groups[group]
	if g == nil {
		g = make(map[string]*prepared)
		p.groups[group] = g
	}
	for _, it := range items {
		if _, ok := g[string(it.key)]; !ok {
			p.n++
		}
		p.seq++
		it.seq = p.seq
		g[string(it.key)] = it
	}
}

// len returns the number of pending entries.
func (p *pendingSet) len() int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.n
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
		list := make([]*prepared, 0, len(g))
		for _, it := range g {
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
		for _, it := range list {
			if g[string(it.key)] == it {
				delete(g, string(it.key))
				p.n--
			}
		}
		if len(g) == 0 {
			delete(p.groups, name)
		}
	}
}

// get returns the pending entry key of group, if there is one.
func (p *pendingSet) get(group, key string) (*prepared, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	it, ok := p.groups[group][key]
	return it, ok
}

// anyExpired reports whether a pending entry's lifetime ended before now.
func (p *pendingSet) anyExpired(now int64) bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	for _, g := range p.groups {
		for _, it := range g {
			if it.expires <= now {
				return true
			}
		}
	}
	return false
}

// count returns the number of group's pending entries.
func (p *pendingSet) count(group string) int {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return len(p.groups[group])
}

// keys returns the keys of group's pending entries, or nil if it has
// none.
func (p *pendingSet) keys(group string) map[string]bool {
	p.mu.RLock()
	defer p.mu.RUnlock()
	g := p.groups[group]
	if len(g) == 0 {
		return nil
	}
	out := make(map[string]bool, len(g))
	for k := range g {
		out[k] = true
	}
	return out
}

// pendingHit is a pending entry that matches a search, with its key in
// the index the search reads, by which hits are merged with stored
// entries.
type pendingHit struct {
	indexKey []byte
	it       *prepared
}

// search returns the keys of group's pending entries (which hide the
// stored entries of the same keys) and those of its entries of category
// cat, alive at now, whose field attr matches m (every entry of cat when
// attr is ""), in index order.
func (p *pendingSet) search(group string, q query, now int64) (shadow map[string]bool, hits []pendingHit) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	g := p.groups[group]
	if len(g) == 0 {
		return nil, nil
	}
	shadow = make(map[string]bool, len(g))
	for k, it := range g {
		shadow[k] = true
		if it.expires <= now || it.cat != q.cat {
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
	return shadow, hits
}
