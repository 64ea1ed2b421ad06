package cache

import (
	"bytes"
	"crypto/sha1"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	bolt "go.etcd.io/bbolt"
)

// Key returns the key under which a is cached, its identity within a group:
//
//   - for peer, peer group, pipe, module class and module spec
//     advertisements, the text of their ID (PID, GID, Id, MCID, MSID);
//   - for module implementation advertisements (one module spec may have
//     several implementations) and any advertisement whose ID is the Null
//     ID, "sha1:" and the hex SHA-1 of its compact XML (advert.Marshal),
//     as JXSE keys advertisements without an ID;
//   - for other advertisements with an ID (routes, access points,
//     rendezvous advertisements: their ID is a peer's), the type, '/' and
//     the ID, as in "jxta:RA/urn:jxta:uuid-...": one entry per described
//     peer, kept apart from the peer's own advertisement.
func Key(a advert.Advertisement) string {
	return key(a, nil)
}

// key is Key, with the compact XML of a if the caller has it.
func key(a advert.Advertisement, doc []byte) string {
	id := a.ID()
	switch a.(type) {
	case *advert.PeerAdv, *advert.GroupAdv, *advert.PipeAdv, *advert.ModuleClassAdv, *advert.ModuleSpecAdv:
		if !id.IsNull() {
			return id.String()
		}
	case *advert.ModuleImplAdv:
	default:
		if !id.IsNull() {
			return a.AdvType() + "/" + id.String()
		}
	}
	if doc == nil {
		doc = advert.Marshal(a)
	}
	sum := sha1.Sum(doc)
	return "sha1:" + hex.EncodeToString(sum[:])
}

// Publication is one advertisement to publish, for PublishAll.
type Publication struct {
	// Adv is the advertisement; it may be left nil when Signed is set.
	Adv advert.Advertisement
	// Signed, if set, makes the publication a remote entry: Signed.Adv,
	// received from another peer and signed by its publisher, stored as
	// the exact bytes the publisher signed (Signed.Data) with the
	// signature, so that it is served signed (Entry.SignedDoc). A remote
	// entry never replaces this peer's own entry of the same key (one
	// published without Signed), replaces a remote one only when both have
	// the same publisher, counts in its publisher's quota
	// (Options.PublisherQuota), and evicts only remote entries. A
	// publication without Signed is this peer's own: it replaces any entry
	// of its key.
	Signed *advert.SignedAdv
	// From, if set (and Signed not), makes the publication an unverified
	// remote entry: Adv as a legacy JXTA peer (JXSE, JXTA-C) sent it,
	// unsigned, with From, the peer it came from, as its publisher. It
	// follows the rules of remote entries, and never replaces a signed
	// one (Entry.Unverified).
	From jxta.PeerID
	// Lifetime is how long this peer keeps the entry (Forever for no end).
	// It must be positive.
	Lifetime time.Duration
	// Expiration is how long other peers may keep the copies they receive
	// from this one. It must not be negative.
	Expiration time.Duration
}

// prepared is a publication ready to be stored: what put writes, and the
// record it writes.
type prepared struct {
	key                 []byte
	cat                 advert.Category
	expires, expiration int64
	advType             string
	origin              *origin // nil for an own entry
	fields              []advert.Field
	doc                 []byte
	rec                 []byte // encodeRecord of the above
	seq                 uint64 // the order of publication, once pending
}

// prepare checks p and computes what put stores; it needs no transaction.
func (c *Cache) prepare(p Publication, now time.Time) (*prepared, error) {
	var o *origin
	var doc []byte
	if sa := p.Signed; sa != nil {
		if sa.Adv == nil || p.Adv != nil && p.Adv != sa.Adv || sa.Publisher.IsNull() || len(sa.Key) != pubKeySize || len(sa.Signature) != signatureSize {
			return nil, fmt.Errorf("%w: incomplete signed advertisement", ErrInvalid)
		}
		if err := sa.Verify(); err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		p.Adv, doc = sa.Adv, sa.Data
		o = &origin{publisher: []byte(sa.Publisher.String()), key: sa.Key, signature: sa.Signature}
	} else if !p.From.IsNull() {
		o = &origin{publisher: []byte(p.From.String()), unverified: true}
	}
	if p.Adv == nil {
		return nil, fmt.Errorf("%w: nil advertisement", ErrInvalid)
	}
	if p.Lifetime <= 0 || p.Expiration < 0 {
		return nil, fmt.Errorf("%w: %s lifetime %v, expiration %v (want lifetime > 0, expiration >= 0)", ErrInvalid, p.Adv.AdvType(), p.Lifetime, p.Expiration)
	}
	if doc == nil {
		doc = advert.Marshal(p.Adv)
	}
	// What is stored must read back: Entry.Advertisement and the peers a
	// discovery response goes to parse it.
	if _, err := c.reg.Parse(doc); err != nil {
		return nil, fmt.Errorf("%w: %s does not parse back: %w", ErrInvalid, p.Adv.AdvType(), err)
	}
	k := key(p.Adv, doc)
	if strings.IndexByte(k, 0) >= 0 || k == "" {
		return nil, fmt.Errorf("%w: %s key %q", ErrInvalid, p.Adv.AdvType(), k)
	}
	fields, err := indexFields(p.Adv)
	if err != nil {
		return nil, err
	}
	expires := int64(never)
	if n := now.UnixNano(); p.Lifetime < Forever && (n <= 0 || p.Lifetime < time.Duration(never-n)) {
		expires = n + int64(p.Lifetime)
	}
	it := &prepared{
		key:        []byte(k),
		cat:        advert.CategoryOf(p.Adv),
		expires:    expires,
		expiration: int64(p.Expiration),
		advType:    p.Adv.AdvType(),
		origin:     o,
		fields:     fields,
		doc:        doc,
	}
	it.rec = encodeRecord(it.cat, it.expires, it.expiration, it.advType, it.origin, it.fields, it.doc)
	it.doc = it.rec[len(it.rec)-len(doc):] // the record ends with it: keep one copy
	return it, nil
}

// preparedFromRecord rebuilds a publication from its key and record, as
// the journal keeps them.
func preparedFromRecord(key, rec []byte) (*prepared, error) {
	r, err := decodeRecord(rec)
	if err != nil {
		return nil, err
	}
	it := &prepared{key: key, cat: r.cat, expires: r.expires, expiration: r.expiration, advType: string(r.advType), origin: r.origin, doc: r.doc, rec: rec}
	if err := r.eachField(func(name, value []byte) bool {
		it.fields = append(it.fields, advert.Field{Name: string(name), Value: string(value)})
		return true
	}); err != nil {
		return nil, err
	}
	return it, nil
}

// indexFields returns the index fields of a, trimmed, one per name (the
// last one wins, as in JXSE), without empty names or values.
func indexFields(a advert.Advertisement) ([]advert.Field, error) {
	in := a.IndexFields()
	out := make([]advert.Field, 0, len(in))
	for i, f := range in {
		f.Value = strings.TrimSpace(f.Value)
		if f.Name == "" || f.Value == "" {
			continue
		}
		if strings.IndexByte(f.Name, 0) >= 0 || strings.IndexByte(f.Value, 0) >= 0 {
			return nil, fmt.Errorf("%w: %s index field %q contains NUL", ErrInvalid, a.AdvType(), f.Name)
		}
		dup := false
		for _, g := range in[i+1:] {
			if g.Name == f.Name && strings.TrimSpace(g.Value) != "" {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, f)
		}
	}
	return out, nil
}

// Publish stores a in group's space, replacing the entry with the same key
// (Key) and its index entries. This peer keeps it for lifetime (Forever
// for no end); expiration is how long the peers it is sent to may keep it.
// Publish returns once the entry is durable: written to the file's
// journal on the disk, from which a crash does not lose it (unless the
// cache is Options.Volatile).
func (c *Cache) Publish(group jxta.GroupID, a advert.Advertisement, lifetime, expiration time.Duration) error {
	return c.PublishAll(group, []Publication{{Adv: a, Lifetime: lifetime, Expiration: expiration}})
}

// PublishAll stores the advertisements of ps as Publish does, with one
// write: either all are stored or none is, after a crash too. Remote
// publications (Publication.Signed) that the rules of remote entries
// refuse are left out, and reported by a *RefusedError.
func (c *Cache) PublishAll(group jxta.GroupID, ps []Publication) error {
	return c.store(group, ps, true)
}

// Remember stores the advertisements of ps as PublishAll does, visible to
// lookups at once, but returns before they reach the disk: a crash before
// the next flush (seconds) loses them. It suits advertisements received
// from other peers, which they send again (remote publications, see
// Publication.Signed), and costs no disk write of its own. Refused remote
// publications are reported as PublishAll reports them.
func (c *Cache) Remember(group jxta.GroupID, ps []Publication) error {
	return c.store(group, ps, false)
}

// store prepares ps, then makes them pending in group, written to the
// journal first when durable, and has them moved into the B+tree soon.
func (c *Cache) store(group jxta.GroupID, ps []Publication, durable bool) error {
	now := c.clock()
	items := make([]*prepared, len(ps))
	for i, p := range ps {
		var err error
		if items[i], err = c.prepare(p, now); err != nil {
			return err
		}
	}
	name := groupName(group)
	refused, err := c.addPending(name, items, durable && !c.volatile)
	if err != nil {
		return c.wrap(err)
	}
	if c.pendingOverflow(name) {
		// Past the group's room or the pending bound: move the entries
		// now, so that eviction keeps the group within its room.
		if err := c.flush(nil); err != nil {
			return c.wrap(err)
		}
	} else {
		c.scheduleFlush(c.pending.len() >= flushBatch)
	}
	if refused != nil {
		return refused
	}
	return nil
}

// Remove deletes the entry key from group's space, if there is one.
func (c *Cache) Remove(group jxta.GroupID, key string) error {
	k := []byte(key)
	return c.wrap(c.flush(func(tx *bolt.Tx) error {
		s, ok := openSpace(tx, groupName(group))
		if !ok {
			return nil
		}
		rec := s.adv.Get(k)
		if rec == nil {
			return nil
		}
		return c.deleteEntry(s, k, bytes.Clone(rec))
	}))
}

// Flush deletes every entry of category cat from group's space and returns
// how many there were.
func (c *Cache) Flush(group jxta.GroupID, cat advert.Category) (int, error) {
	n := 0
	err := c.flush(func(tx *bolt.Tx) error {
		n = 0
		s, ok := openSpace(tx, groupName(group))
		if !ok {
			return nil
		}
		list := s.idx.Bucket(indexBucketName(cat, ""))
		if list == nil {
			return nil
		}
		for {
			k, _ := list.Cursor().First()
			if k == nil {
				return nil
			}
			k = bytes.Clone(k)
			if rec := s.adv.Get(k); rec != nil {
				if err := c.deleteEntry(s, k, bytes.Clone(rec)); err != nil {
					return err
				}
				n++
			}
			// deleteEntry removed k from the list, unless the record
			// was corrupt or missing.
			if err := list.Delete(k); err != nil {
				return err
			}
		}
	})
	return n, c.wrap(err)
}

// collectBatch bounds the deletions of one Collect transaction, so that
// publishers do not wait long behind it.
const collectBatch = 1000

// Collect deletes the entries whose lifetime has ended, in every group, with
// their index entries, and returns how many it deleted. The background
// collector calls it; expired entries are never returned, collected or
// not.
func (c *Cache) Collect() (int, error) {
	now := c.clock().UnixNano()
	if c.pending.anyExpired(now) {
		// Entries still pending are collected once in the B+tree.
		if err := c.flush(nil); err != nil {
			return 0, c.wrap(err)
		}
	}
	// Find the groups with something to collect first, so that a collection
	// with nothing to do writes (and syncs) nothing.
	var groups [][]byte
	err := c.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			if bytes.Equal(name, bucketMeta) {
				return nil
			}
			if s, ok := openSpace(tx, name); ok {
				if k, _ := s.exp.Cursor().First(); k != nil && expKeyTime(k) <= now {
					groups = append(groups, bytes.Clone(name))
				}
			}
			return nil
		})
	})
	if err != nil {
		return 0, c.wrap(err)
	}
	total := 0
	for _, g := range groups {
		for {
			n := 0
			err := c.db.Update(func(tx *bolt.Tx) error {
				n = 0
				s, ok := openSpace(tx, g)
				if !ok {
					return nil
				}
				for n < collectBatch {
					k, _ := s.exp.Cursor().First()
					if k == nil || expKeyTime(k) > now {
						return nil
					}
					if err := c.deleteByExpKey(s, bytes.Clone(k)); err != nil {
						return err
					}
					n++
				}
				return nil
			})
			if err != nil {
				return total, c.wrap(err)
			}
			total += n
			if n < collectBatch {
				break
			}
		}
	}
	if total > 0 {
		c.log.Debug("advertisement cache: collected expired entries", "removed", total)
	}
	return total, nil
}
