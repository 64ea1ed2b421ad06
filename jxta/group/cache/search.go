package cache

import (
	"bytes"
	"strings"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	bolt "go.etcd.io/bbolt"
)

// Entry is a cached advertisement.
type Entry struct {
	// Key is the entry's key in its group (see Key).
	Key string
	// Category is the advertisement's discovery category.
	Category advert.Category
	// Doc is the advertisement in compact XML (advert.Marshal), as a
	// discovery response carries it. It belongs to the caller.
	Doc []byte
	// Expires is the end of the entry's lifetime on this peer; the zero
	// time if it has none.
	Expires time.Time
	// Expiration is how long the peers the advertisement is sent to may
	// keep it.
	Expiration time.Duration
	// Own reports an entry this peer published (without
	// Publication.Signed), as opposed to a remote entry, received from
	// another peer. Entries stored before remote entries were told apart
	// (record version 1) are own entries.
	Own bool
	// Publisher is the peer that signed a remote entry (for an unverified
	// one, the legacy peer it came from); the null ID for an own entry.
	Publisher jxta.PeerID
	// Unverified marks a remote entry from a legacy JXTA peer: unsigned,
	// its publisher unproven (Publication.From).
	Unverified bool

	advType string  // "" when the record has none (version 1)
	signed  *origin // a remote entry's signature
	reg     *advert.Registry
}

// AdvType returns the advertisement's type (jxta:PA, ...): kept with
// the entry, or, for an entry stored before types were kept, read from
// Doc ("" if Doc does not parse).
func (e Entry) AdvType() string {
	if e.advType == "" {
		if a, err := e.Advertisement(); err == nil {
			return a.AdvType()
		}
	}
	return e.advType
}

// SignedDoc returns a remote entry as its publisher signed it: the
// compact jxta:SA document of Doc, with the publisher's credential and
// signature, as a discovery response carries it. It returns nil for an
// own entry, which its peer signs itself.
func (e Entry) SignedDoc() []byte {
	if e.signed == nil {
		return nil
	}
	return advert.MarshalSigned(e.Publisher, e.signed.key, e.signed.signature, e.Doc, e.AdvType())
}

// Advertisement decodes Doc. Each call returns a new value.
func (e Entry) Advertisement() (advert.Advertisement, error) {
	if e.reg == nil {
		return advert.Parse(e.Doc)
	}
	return e.reg.Parse(e.Doc)
}

// RemoteExpiration returns the expiration to send with the entry at time
// now, as a discovery response does: the smaller of the remaining lifetime
// and Expiration, and zero once the lifetime has ended.
func (e Entry) RemoteExpiration(now time.Time) time.Duration {
	if e.Expires.IsZero() {
		return e.Expiration
	}
	left := e.Expires.Sub(now)
	if left <= 0 {
		return 0
	}
	return min(left, e.Expiration)
}

// entry builds an Entry from a record, copying what it keeps.
func (c *Cache) entry(key []byte, r record) Entry {
	e := Entry{
		Key:        string(key),
		Category:   r.cat,
		Doc:        bytes.Clone(r.doc),
		Expiration: time.Duration(r.expiration),
		Own:        r.origin == nil,
		advType:    string(r.advType),
		reg:        c.reg,
	}
	if o := r.origin; o != nil {
		if o.unverified {
			e.Unverified = true
		} else {
			e.signed = &origin{key: bytes.Clone(o.key), signature: bytes.Clone(o.signature)}
		}
		e.Publisher, _ = jxta.ParsePeerID(string(o.publisher))
	}
	if r.expires != never {
		e.Expires = time.Unix(0, r.expires)
	}
	return e
}

// entryOf builds an Entry from a pending publication.
func (c *Cache) entryOf(it *prepared) Entry {
	return c.entry(it.key, record{cat: it.cat, expires: it.expires, expiration: it.expiration, advType: []byte(it.advType), origin: it.origin, doc: it.doc})
}

// Get returns the entry key of group's space. It reports false if there is
// none or its lifetime has ended.
func (c *Cache) Get(group jxta.GroupID, key string) (Entry, bool, error) {
	now := c.clock().UnixNano()
	name := groupName(group)
	if it, ok := c.pending.get(string(name), key); ok {
		if it.expires <= now {
			return Entry{}, false, nil
		}
		return c.entryOf(it), true, nil
	}
	var e Entry
	var found bool
	err := c.db.View(func(tx *bolt.Tx) error {
		s, ok := openReadSpace(tx, name)
		if !ok {
			return nil
		}
		b := s.adv.Get([]byte(key))
		if b == nil {
			return nil
		}
		r, err := decodeRecord(b)
		if err != nil {
			return err
		}
		if r.expires <= now {
			return nil
		}
		e, found = c.entry([]byte(key), r), true
		return nil
	})
	return e, found, c.wrap(err)
}

// Len returns the number of entries of group's space, counting those whose
// lifetime has ended but that are not collected yet. It returns 0 if the
// cache is closed.
func (c *Cache) Len(group jxta.GroupID) int {
	name := groupName(group)
	c.pending.mu.RLock() // see pendingSet
	defer c.pending.mu.RUnlock()
	n := 0
	_ = c.db.View(func(tx *bolt.Tx) error {
		s, ok := openReadSpace(tx, name)
		if ok {
			n = s.count()
		}
		if g := c.pending.groups[string(name)]; g != nil {
			for k := range g.byKey {
				if !ok || s.adv.Get([]byte(k)) == nil {
					n++
				}
			}
		}
		return nil
	})
	return n
}

// Search returns entries of category cat in group's space whose index field
// attr matches value, following the discovery matching rules (reference
// c.3):
//
//   - value is trimmed and matched case-sensitively: "abc" matches exactly,
//     "abc*" matches values starting with abc, "*abc" values ending with
//     abc, "*abc*" values containing abc; a '*' anywhere else is literal;
//   - "*" or "" matches every entry that has the field attr;
//   - an attr that is not an index field of cat finds nothing;
//   - an empty attr finds every entry of cat, and value is ignored.
//
// At most threshold entries are returned: DefaultThreshold if threshold is
// zero or less, and never more than MaxThreshold. Entries whose lifetime has
// ended are never returned. Exact and prefix matches seek in the index of
// attr; suffix and substring matches read the index keys of attr, at most
// one per entry of the group (Options.MaxEntries).
func (c *Cache) Search(group jxta.GroupID, cat advert.Category, attr, value string, threshold int) ([]Entry, error) {
	if threshold <= 0 {
		threshold = DefaultThreshold
	}
	threshold = min(threshold, MaxThreshold)
	q := query{cat: cat, attr: attr, m: match{kind: matchAll}}
	if attr != "" {
		var ok bool
		if q.m, ok = parseMatch(value); !ok || strings.IndexByte(attr, 0) >= 0 {
			return nil, nil
		}
	}
	now := c.clock().UnixNano()
	name := groupName(group)
	c.pending.mu.RLock() // see pendingSet
	defer c.pending.mu.RUnlock()
	pending := c.pending.groups[string(name)]
	hits := pending.search(q, now)
	var out []Entry
	// emitPending adds the pending hits that sort before the index key k
	// (all that are left when k is nil).
	emitPending := func(k []byte) {
		for len(hits) > 0 && len(out) < threshold && (k == nil || bytes.Compare(hits[0].indexKey, k) < 0) {
			out = append(out, c.entryOf(hits[0].it))
			hits = hits[1:]
		}
	}
	err := c.db.View(func(tx *bolt.Tx) error {
		s, ok := openReadSpace(tx, name)
		if !ok {
			return nil
		}
		b := s.idx.Bucket(indexBucketName(cat, attr))
		if b == nil {
			return nil
		}
		// emit adds the entry key if it is alive, not replaced by a
		// pending entry, and its full value of attr matches (cut says the
		// index held only a prefix of it).
		emit := func(key []byte, cut bool) {
			if pending.has(key) {
				return
			}
			rec := s.adv.Get(key)
			if rec == nil {
				return // an index entry left by a corrupt record
			}
			r, err := decodeRecord(rec)
			if err != nil {
				c.log.Warn("advertisement cache: skipping corrupt record", "key", string(key))
				return
			}
			if r.expires <= now || r.cat != cat {
				return
			}
			if cut {
				v, ok := r.field([]byte(attr))
				if !ok || !q.m.matches(v) {
					return
				}
			}
			out = append(out, c.entry(key, r))
		}
		cur := b.Cursor()
		if attr == "" {
			for k, _ := cur.First(); k != nil && len(out) < threshold; k, _ = cur.Next() {
				emitPending(k)
				if len(out) < threshold {
					emit(k, false)
				}
			}
			return nil
		}
		start, prefix, scan := q.m.seek()
		var k []byte
		if start == nil {
			k, _ = cur.First()
		} else {
			k, _ = cur.Seek(start)
		}
		for ; k != nil && len(out) < threshold; k, _ = cur.Next() {
			if prefix != nil && !bytes.HasPrefix(k, prefix) {
				break
			}
			v, key, ok := splitIndexKey(k)
			if !ok {
				continue
			}
			cut := len(v) >= maxIndexValue
			if scan && !cut && !q.m.matches(v) {
				continue
			}
			emitPending(k)
			if len(out) < threshold {
				emit(key, cut)
			}
		}
		return nil
	})
	emitPending(nil)
	return out, c.wrap(err)
}

// query is a parsed search: entries of category cat whose field attr
// matches m ("" for every entry of cat).
type query struct {
	cat  advert.Category
	attr string
	m    match
}

// matchKind is how a discovery query value matches.
type matchKind uint8

const (
	matchAll matchKind = iota
	matchExact
	matchPrefix
	matchSuffix
	matchContains
)

// match is a parsed query value.
type match struct {
	kind matchKind
	pat  string
}

// parseMatch parses a query value by the discovery rules. It reports false
// for a value that cannot match anything (one with a NUL byte: stored
// values never have one).
func parseMatch(value string) (match, bool) {
	v := strings.TrimSpace(value)
	if strings.IndexByte(v, 0) >= 0 {
		return match{}, false
	}
	lead, trail := strings.HasPrefix(v, "*"), len(v) > 1 && strings.HasSuffix(v, "*")
	var m match
	switch {
	case v == "" || v == "*":
		m = match{kind: matchAll}
	case lead && trail:
		m = match{matchContains, v[1 : len(v)-1]}
	case lead:
		m = match{matchSuffix, v[1:]}
	case trail:
		m = match{matchPrefix, v[:len(v)-1]}
	default:
		m = match{matchExact, v}
	}
	if m.kind != matchExact && m.pat == "" {
		m.kind = matchAll // "**"
	}
	return m, true
}

// matches reports whether a full field value matches.
func (m match) matches(v []byte) bool {
	switch m.kind {
	case matchExact:
		return string(v) == m.pat
	case matchPrefix:
		return bytes.HasPrefix(v, []byte(m.pat))
	case matchSuffix:
		return bytes.HasSuffix(v, []byte(m.pat))
	case matchContains:
		return bytes.Contains(v, []byte(m.pat))
	default:
		return true
	}
}

// seek returns where in an index the candidates start (nil: at the first
// key), the prefix every candidate key has (nil: none), and whether the
// candidates' values must be checked (suffix and substring matches read
// every key).
func (m match) seek() (start, prefix []byte, scan bool) {
	switch m.kind {
	case matchExact:
		p := indexKey(m.pat, nil) // value (cut) and the NUL
		return p, p, false
	case matchPrefix:
		if len(m.pat) > maxIndexValue {
			p := indexKey(m.pat, nil)
			return p, p, false
		}
		p := []byte(m.pat)
		return p, p, false
	case matchSuffix, matchContains:
		return nil, nil, true
	default:
		return nil, nil, false
	}
}

// Matches reports whether value matches a discovery query value by JXSE's
// rules: exact, or with '*' at the start, the end or both as a wildcard;
// "" and "*" match everything.
func Matches(pattern, value string) bool {
	m, ok := parseMatch(pattern)
	return ok && m.matches([]byte(strings.TrimSpace(value)))
}
