package cache

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	bolt "go.etcd.io/bbolt"
)

// The file layout. The root holds one bucket per peer group, named by the
// group ID's text (urn:jxta:...), and the meta bucket. A group bucket holds:
//
//	n    key: the number of entries, uint64 big-endian
//	rn   key: the number of remote entries (received from other peers,
//	     see Publication.Signed), uint64 big-endian
//	adv  bucket: entry key -> record (see encodeRecord)
//	exp  bucket: expiry key -> empty, where an expiry key is the end of the
//	     entry's lifetime (unix nanoseconds, sign bit flipped, big-endian,
//	     so that keys sort by time) followed by the entry key
//	rexp bucket: the expiry keys of the remote entries only, so that a
//	     remote entry evicts remote entries without reading past this
//	     peer's own
//	pub  bucket: publisher peer ID text -> the number of remote entries
//	     that publisher signed, uint64 big-endian (the quota)
//	idx  bucket of index buckets, named as JXSE names its index files:
//	     <Category>            entry key -> empty, every entry of the category
//	     <Category><Attr>      value 0x00 entry key -> empty, for each index
//	                           field of each entry of the category (for
//	                           example "PeersName", "AdvId")
//
// Index values are the trimmed field values, cut to maxIndexValue bytes;
// longer values are checked against the full value kept in the record.
// Neither values nor keys contain NUL, so the first NUL of an index key ends
// the value.
var (
	bucketMeta     = []byte("\x00gojxta-cache") // cannot be a group ID
	keyVersion     = []byte("version")
	keyCount       = []byte("n")
	keyRemoteCount = []byte("rn")
	bucketAdv      = []byte("adv")
	bucketExp      = []byte("exp")
	bucketRemote   = []byte("rexp")
	bucketPub      = []byte("pub")
	bucketIndex    = []byte("idx")
)

// formatVersion is the layout version kept in the meta bucket. Version 1
// files (before remote entries) are read, and marked 2 on opening: they
// hold no remote entry, so their missing rn, rexp and pub say the truth.
const formatVersion = 2

// Record versions, the first byte of every record. Version 1 records,
// written before advertisements were signed, read as this peer's own
// entries; records are written in version 2.
const (
	recordV1      = 1
	recordVersion = 2
)

// maxIndexValue is the longest value prefix kept in an index key.
const maxIndexValue = 512

// never is the stored deadline of an entry kept Forever.
const never = math.MaxInt64

// initMeta checks the format version of the file, writing it on first use.
func initMeta(tx *bolt.Tx) error {
	m, err := tx.CreateBucketIfNotExists(bucketMeta)
	if err != nil {
		return err
	}
	v := m.Get(keyVersion)
	if len(v) == 4 && binary.BigEndian.Uint32(v) == formatVersion {
		return nil
	}
	if v != nil && (len(v) != 4 || binary.BigEndian.Uint32(v) != 1) {
		return fmt.Errorf("%w: %x", ErrVersion, v)
	}
	return m.Put(keyVersion, binary.BigEndian.AppendUint32(nil, formatVersion))
}

// groupName is the name of a group's bucket.
func groupName(g jxta.GroupID) []byte { return []byte(g.String()) }

// space is one group's buckets within a transaction.
type space struct {
	g, adv, exp, idx *bolt.Bucket
	// rexp and pub are nil in a space opened for reading, and may be nil
	// in a version 1 file until a remote entry is stored.
	rexp, pub *bolt.Bucket
}

// openSpace returns the buckets of group, or ok false if the group has none
// (nothing was ever published in it).
func openSpace(tx *bolt.Tx, name []byte) (s space, ok bool) {
	if s, ok = openReadSpace(tx, name); !ok {
		return s, false
	}
	s.exp = s.g.Bucket(bucketExp)
	s.rexp, s.pub = s.g.Bucket(bucketRemote), s.g.Bucket(bucketPub)
	return s, s.exp != nil
}

// openReadSpace is openSpace without the expiry index, which lookups do not
// need.
func openReadSpace(tx *bolt.Tx, name []byte) (s space, ok bool) {
	s.g = tx.Bucket(name)
	if s.g == nil {
		return s, false
	}
	s.adv, s.idx = s.g.Bucket(bucketAdv), s.g.Bucket(bucketIndex)
	return s, s.adv != nil && s.idx != nil
}

// createSpace returns the buckets of group, creating them if needed.
func createSpace(tx *bolt.Tx, name []byte) (space, error) {
	var s space
	var err error
	if s.g, err = tx.CreateBucketIfNotExists(name); err != nil {
		return s, err
	}
	if s.adv, err = s.g.CreateBucketIfNotExists(bucketAdv); err != nil {
		return s, err
	}
	if s.exp, err = s.g.CreateBucketIfNotExists(bucketExp); err != nil {
		return s, err
	}
	if s.rexp, err = s.g.CreateBucketIfNotExists(bucketRemote); err != nil {
		return s, err
	}
	if s.pub, err = s.g.CreateBucketIfNotExists(bucketPub); err != nil {
		return s, err
	}
	s.idx, err = s.g.CreateBucketIfNotExists(bucketIndex)
	return s, err
}

func (s space) count() int { return getCount(s.g, keyCount) }

func (s space) addCount(delta int) error { return addCount(s.g, keyCount, delta) }

// remoteCount returns the number of remote entries.
func (s space) remoteCount() int { return getCount(s.g, keyRemoteCount) }

// published returns the number of remote entries publisher signed.
func (s space) published(publisher []byte) int {
	if s.g == nil {
		return 0
	}
	pub := s.pub
	if pub == nil {
		pub = s.g.Bucket(bucketPub)
	}
	if pub == nil {
		return 0
	}
	return getCount(pub, publisher)
}

// getCount reads a uint64 count kept under key in b.
func getCount(b *bolt.Bucket, key []byte) int {
	v := b.Get(key)
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

// addCount adds delta to the count kept under key in b, deleting it at 0.
func addCount(b *bolt.Bucket, key []byte, delta int) error {
	n := max(getCount(b, key)+delta, 0)
	if n == 0 && !bytes.Equal(key, keyCount) {
		return b.Delete(key)
	}
	return b.Put(key, binary.BigEndian.AppendUint64(nil, uint64(n)))
}

// origin says where an entry comes from: nil for this peer's own
// publications, else the publisher that signed it and its signature.
type origin struct {
	publisher []byte // the publisher's peer ID, text
	key       []byte // its Ed25519 public key
	signature []byte // over the record's doc
	// unverified marks an entry from a legacy JXTA peer (JXSE, JXTA-C):
	// unsigned, its publisher the peer that sent it; no key nor signature.
	unverified bool
}

// Sizes of the signature parts of a remote record.
const (
	pubKeySize    = 32
	signatureSize = 64
)

// record is a decoded stored entry. Its slices point into the transaction's
// memory.
type record struct {
	cat        advert.Category
	expires    int64   // unix nanoseconds; never for no end
	expiration int64   // nanoseconds
	advType    []byte  // the advertisement's type; nil in a version 1 record
	origin     *origin // nil: this peer's own
	fields     []byte
	doc        []byte
}

// encodeRecord lays out a record (version 2):
//
//	version(1) category(1) expires(8, int64 BE) expiration(8, int64 BE)
//	uvarint len(type) type origin(1: 0 own, 1 remote, 2 unverified)
//	[remote: uvarint len(publisher) publisher key(32) signature(64)]
//	[unverified: uvarint len(publisher) publisher]
//	uvarint len(fields) fields doc
//
// where fields is a sequence of uvarint len(name) name uvarint len(value)
// value, and doc is the compact XML (advert.Marshal): for a remote entry,
// the exact bytes its publisher signed, and type is its advertisement type
// (for the jxta:SA envelope it is sent in). A version 1 record has no
// type, no origin byte and no remote part: it is an own entry.
func encodeRecord(cat advert.Category, expires, expiration int64, advType string, o *origin, fields []advert.Field, doc []byte) []byte {
	var f []byte
	for _, fl := range fields {
		f = binary.AppendUvarint(f, uint64(len(fl.Name)))
		f = append(f, fl.Name...)
		f = binary.AppendUvarint(f, uint64(len(fl.Value)))
		f = append(f, fl.Value...)
	}
	b := make([]byte, 0, 19+2*binary.MaxVarintLen64+len(advType)+len(f)+len(doc))
	b = append(b, recordVersion, byte(cat))
	b = binary.BigEndian.AppendUint64(b, uint64(expires))
	b = binary.BigEndian.AppendUint64(b, uint64(expiration))
	b = binary.AppendUvarint(b, uint64(len(advType)))
	b = append(b, advType...)
	switch {
	case o == nil:
		b = append(b, 0)
	case o.unverified:
		b = append(b, 2)
		b = binary.AppendUvarint(b, uint64(len(o.publisher)))
		b = append(b, o.publisher...)
	default:
		b = append(b, 1)
		b = binary.AppendUvarint(b, uint64(len(o.publisher)))
		b = append(b, o.publisher...)
		b = append(b, o.key...)
		b = append(b, o.signature...)
	}
	b = binary.AppendUvarint(b, uint64(len(f)))
	b = append(b, f...)
	return append(b, doc...)
}

// decodeRecord reads a record of either version. It never fails on the
// contents of doc or fields (eachField checks those).
func decodeRecord(b []byte) (record, error) {
	if len(b) < 19 || b[0] != recordV1 && b[0] != recordVersion {
		return record{}, ErrCorrupt
	}
	r := record{
		cat:        advert.Category(b[1]),
		expires:    int64(binary.BigEndian.Uint64(b[2:])),
		expiration: int64(binary.BigEndian.Uint64(b[10:])),
	}
	rest := b[18:]
	if b[0] == recordVersion {
		var ok bool
		if r.advType, rest, ok = cutUvarintBytes(rest); !ok || len(rest) == 0 {
			return record{}, ErrCorrupt
		}
		switch rest[0] {
		case 0:
			rest = rest[1:]
		case 1:
			o := &origin{}
			if o.publisher, rest, ok = cutUvarintBytes(rest[1:]); !ok || len(o.publisher) == 0 || len(rest) < pubKeySize+signatureSize {
				return record{}, ErrCorrupt
			}
			o.key, o.signature, rest = rest[:pubKeySize], rest[pubKeySize:pubKeySize+signatureSize], rest[pubKeySize+signatureSize:]
			r.origin = o
		case 2:
			o := &origin{unverified: true}
			if o.publisher, rest, ok = cutUvarintBytes(rest[1:]); !ok || len(o.publisher) == 0 {
				return record{}, ErrCorrupt
			}
			r.origin = o
		default:
			return record{}, ErrCorrupt
		}
	}
	f, doc, ok := cutUvarintBytes(rest)
	if !ok {
		return record{}, ErrCorrupt
	}
	r.fields, r.doc = f, doc
	return r, nil
}

// cutUvarintBytes splits b into the uvarint-prefixed bytes it starts with
// and the rest.
func cutUvarintBytes(b []byte) (v, rest []byte, ok bool) {
	n, w := binary.Uvarint(b)
	if w <= 0 || n > uint64(len(b)-w) {
		return nil, nil, false
	}
	return b[w : w+int(n)], b[w+int(n):], true
}

// eachField calls fn with each stored field until fn returns false. It
// returns ErrCorrupt if the fields do not decode.
func (r record) eachField(fn func(name, value []byte) bool) error {
	f := r.fields
	for len(f) > 0 {
		var nv [2][]byte
		for i := range nv {
			n, w := binary.Uvarint(f)
			if w <= 0 || n > uint64(len(f)-w) {
				return ErrCorrupt
			}
			nv[i] = f[w : w+int(n)]
			f = f[w+int(n):]
		}
		if !fn(nv[0], nv[1]) {
			return nil
		}
	}
	return nil
}

// field returns the value of the stored field name.
func (r record) field(name []byte) (value []byte, ok bool) {
	_ = r.eachField(func(n, v []byte) bool {
		if bytes.Equal(n, name) {
			value, ok = v, true
			return false
		}
		return true
	})
	return value, ok
}

// expKey returns the expiry index key of an entry.
func expKey(expires int64, key []byte) []byte {
	b := make([]byte, 0, 8+len(key))
	b = binary.BigEndian.AppendUint64(b, uint64(expires)^(1<<63))
	return append(b, key...)
}

// expKeyTime returns the deadline of an expiry index key.
func expKeyTime(k []byte) int64 {
	if len(k) < 8 {
		return math.MinInt64
	}
	return int64(binary.BigEndian.Uint64(k) ^ (1 << 63))
}

// indexKey returns the index key of an entry's field value.
func indexKey(value string, key []byte) []byte {
	if len(value) > maxIndexValue {
		value = value[:maxIndexValue]
	}
	b := make([]byte, 0, len(value)+1+len(key))
	b = append(b, value...)
	b = append(b, 0)
	return append(b, key...)
}

// splitIndexKey returns the (possibly cut) value and the entry key of an
// index key.
func splitIndexKey(k []byte) (value, key []byte, ok bool) {
	i := bytes.IndexByte(k, 0)
	if i < 0 {
		return nil, nil, false
	}
	return k[:i], k[i+1:], true
}

// indexBucketName names the index of the field attr of category cat; an
// empty attr names the list of all entries of cat.
func indexBucketName(cat advert.Category, attr string) []byte {
	return append([]byte(cat.String()), attr...)
}

// put stores an entry, replacing the entry of the same key if there is one,
// and keeps the group within maxEntries. A remote entry follows the rules
// of admit; one it refuses is not stored, and put returns a *refusal.
func (c *Cache) put(s space, p *prepared, now int64) error {
	old := s.adv.Get(p.key)
	if p.origin != nil {
		var held *origin
		var heldOK bool
		if old != nil {
			if r, err := decodeRecord(old); err == nil {
				held, heldOK = r.origin, true
			}
		}
		if err := c.admit(p, held, heldOK, s.published(p.origin.publisher)); err != nil {
			return &refusal{err}
		}
	}
	if old != nil {
		if err := c.deleteEntry(s, p.key, bytes.Clone(old)); err != nil {
			return err
		}
	} else if err := c.makeRoom(s, now, p.origin != nil); err != nil {
		return err
	}
	if err := s.adv.Put(p.key, p.rec); err != nil {
		return err
	}
	ek := expKey(p.expires, p.key)
	if err := s.exp.Put(ek, nil); err != nil {
		return err
	}
	if p.origin != nil {
		if err := s.rexp.Put(ek, nil); err != nil {
			return err
		}
		if err := addCount(s.pub, p.origin.publisher, 1); err != nil {
			return err
		}
		if err := addCount(s.g, keyRemoteCount, 1); err != nil {
			return err
		}
	}
	for _, f := range append([]advert.Field{{}}, p.fields...) {
		b, err := s.idx.CreateBucketIfNotExists(indexBucketName(p.cat, f.Name))
		if err != nil {
			return err
		}
		k := p.key
		if f.Name != "" {
			k = indexKey(f.Value, p.key)
		}
		if err := b.Put(k, nil); err != nil {
			return err
		}
	}
	return s.addCount(1)
}

// admit applies the rules of remote entries to p, a remote publication:
// held is the origin of the entry of its key (heldOK false when there is
// none), published the number of entries its publisher already has. An
// own entry is never replaced by a remote one, a remote one only by one
// of the same publisher; a publisher's new entry must fit its quota.
func (c *Cache) admit(p *prepared, held *origin, heldOK bool, published int) error {
	switch {
	case heldOK && held == nil:
		return fmt.Errorf("%w: %s is this peer's own", ErrNotReplaceable, p.key)
	case heldOK && !held.unverified && p.origin.unverified:
		return fmt.Errorf("%w: %s is held signed; an unverified copy does not replace it", ErrNotReplaceable, p.key)
	case heldOK && !bytes.Equal(held.publisher, p.origin.publisher):
		return fmt.Errorf("%w: %s is held from %s, not %s", ErrNotReplaceable, p.key, held.publisher, p.origin.publisher)
	case !heldOK && published >= c.quota:
		return fmt.Errorf("%w: %s has %d entries in this group", ErrQuota, p.origin.publisher, published)
	}
	return nil
}

// refusal is a remote entry put did not store (the error it wraps says
// why): not a failure of the transaction.
type refusal struct{ err error }

func (r *refusal) Error() string { return r.err.Error() }
func (r *refusal) Unwrap() error { return r.err }

// makeRoom deletes entries until one more fits in the group: first those
// whose lifetime has ended, then remote entries, closest to the end of
// their lifetime first, then, for an own entry only, own entries the same
// way. For a remote entry that finds only own entries to evict it returns
// a *refusal wrapping ErrFull: what other peers send never evicts this
// peer's own publications.
func (c *Cache) makeRoom(s space, now int64, remote bool) error {
	evicted := 0
	for s.count() >= c.maxEntries {
		k, _ := s.exp.Cursor().First()
		if k == nil {
			// The count is wrong (it is only ever too high after a
			// corrupt record was dropped): repair it.
			return s.g.Put(keyCount, binary.BigEndian.AppendUint64(nil, uint64(s.adv.Stats().KeyN)))
		}
		if expKeyTime(k) > now {
			if rk, _ := s.rexp.Cursor().First(); rk != nil {
				k = rk
			} else if remote {
				return &refusal{fmt.Errorf("%w: %d entries, none of them remote", ErrFull, c.maxEntries)}
			}
			evicted++
		}
		if err := c.deleteByExpKey(s, bytes.Clone(k)); err != nil {
			return err
		}
	}
	if evicted > 0 {
		c.log.Debug("advertisement cache: group full, evicted entries before the end of their lifetime", "evicted", evicted, "max", c.maxEntries)
	}
	return nil
}

// deleteByExpKey deletes the entry of an expiry index key.
func (c *Cache) deleteByExpKey(s space, k []byte) error {
	key := k[8:]
	rec := s.adv.Get(key)
	if rec == nil {
		if s.rexp != nil {
			if err := s.rexp.Delete(k); err != nil {
				return err
			}
		}
		return s.exp.Delete(k)
	}
	return c.deleteEntry(s, key, bytes.Clone(rec))
}

// deleteEntry deletes the entry key whose record is rec, with its index
// entries. rec must not point into the transaction's memory.
func (c *Cache) deleteEntry(s space, key, rec []byte) error {
	r, err := decodeRecord(rec)
	if err != nil {
		// Without the record its index entries cannot be found; searches
		// skip index entries whose record is gone.
		c.log.Warn("advertisement cache: dropping corrupt record", "key", string(key))
		if err := s.adv.Delete(key); err != nil {
			return err
		}
		return s.addCount(-1)
	}
	var ferr error
	if err := r.eachField(func(name, value []byte) bool {
		if b := s.idx.Bucket(indexBucketName(r.cat, string(name))); b != nil {
			ferr = b.Delete(indexKey(string(value), key))
		}
		return ferr == nil
	}); err != nil {
		c.log.Warn("advertisement cache: corrupt index fields", "key", string(key))
	}
	if ferr != nil {
		return ferr
	}
	if b := s.idx.Bucket(indexBucketName(r.cat, "")); b != nil {
		if err := b.Delete(key); err != nil {
			return err
		}
	}
	ek := expKey(r.expires, key)
	if err := s.exp.Delete(ek); err != nil {
		return err
	}
	if r.origin != nil {
		if err := c.forgetRemote(s, ek, r.origin.publisher); err != nil {
			return err
		}
	}
	if err := s.adv.Delete(key); err != nil {
		return err
	}
	return s.addCount(-1)
}

// forgetRemote takes a deleted remote entry, of expiry key ek, out of the
// remote counts.
func (c *Cache) forgetRemote(s space, ek, publisher []byte) error {
	if s.rexp != nil {
		if err := s.rexp.Delete(ek); err != nil {
			return err
		}
	}
	if s.pub != nil {
		if err := addCount(s.pub, publisher, -1); err != nil {
			return err
		}
	}
	return addCount(s.g, keyRemoteCount, -1)
}
