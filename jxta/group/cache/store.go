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
//	adv  bucket: entry key -> record (see encodeRecord)
//	exp  bucket: expiry key -> empty, where an expiry key is the end of the
//	     entry's lifetime (unix nanoseconds, sign bit flipped, big-endian,
//	     so that keys sort by time) followed by the entry key
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
	bucketMeta  = []byte("\x00gojxta-cache") // cannot be a group ID
	keyVersion  = []byte("version")
	keyCount    = []byte("n")
	bucketAdv   = []byte("adv")
	bucketExp   = []byte("exp")
	bucketIndex = []byte("idx")
)

// formatVersion is the layout version kept in the meta bucket.
const formatVersion = 1

// recordVersion is the first byte of every record.
const recordVersion = 1

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
	if v == nil {
		return m.Put(keyVersion, binary.BigEndian.AppendUint32(nil, formatVersion))
	}
	if len(v) != 4 || binary.BigEndian.Uint32(v) != formatVersion {
		return fmt.Errorf("%w: %x", ErrVersion, v)
	}
	return nil
}

// groupName is the name of a group's bucket.
func groupName(g jxta.GroupID) []byte { return []byte(g.String()) }

// space is one group's buckets within a transaction.
type space struct {
	g, adv, exp, idx *bolt.Bucket
}

// openSpace returns the buckets of group, or ok false if the group has none
// (nothing was ever published in it).
func openSpace(tx *bolt.Tx, name []byte) (s space, ok bool) {
	if s, ok = openReadSpace(tx, name); !ok {
		return s, false
	}
	s.exp = s.g.Bucket(bucketExp)
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
	s.idx, err = s.g.CreateBucketIfNotExists(bucketIndex)
	return s, err
}

func (s space) count() int {
	v := s.g.Get(keyCount)
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

func (s space) addCount(delta int) error {
	n := max(s.count()+delta, 0)
	return s.g.Put(keyCount, binary.BigEndian.AppendUint64(nil, uint64(n)))
}

// record is a decoded stored entry. Its slices point into the transaction's
// memory.
type record struct {
	cat        advert.Category
	expires    int64 // unix nanoseconds; never for no end
	expiration int64 // nanoseconds
	fields     []byte
	doc        []byte
}

// encodeRecord lays out a record:
//
//	version(1) category(1) expires(8, int64 BE) expiration(8, int64 BE)
//	uvarint len(fields) fields doc
//
// where fields is a sequence of uvarint len(name) name uvarint len(value)
// value, and doc is the compact XML (advert.Marshal).
func encodeRecord(cat advert.Category, expires, expiration int64, fields []advert.Field, doc []byte) []byte {
	var f []byte
	for _, fl := range fields {
		f = binary.AppendUvarint(f, uint64(len(fl.Name)))
		f = append(f, fl.Name...)
		f = binary.AppendUvarint(f, uint64(len(fl.Value)))
		f = append(f, fl.Value...)
	}
	b := make([]byte, 0, 18+binary.MaxVarintLen64+len(f)+len(doc))
	b = append(b, recordVersion, byte(cat))
	b = binary.BigEndian.AppendUint64(b, uint64(expires))
	b = binary.BigEndian.AppendUint64(b, uint64(expiration))
	b = binary.AppendUvarint(b, uint64(len(f)))
	b = append(b, f...)
	return append(b, doc...)
}

func decodeRecord(b []byte) (record, error) {
	if len(b) < 19 || b[0] != recordVersion {
		return record{}, ErrCorrupt
	}
	r := record{
		cat:        advert.Category(b[1]),
		expires:    int64(binary.BigEndian.Uint64(b[2:])),
		expiration: int64(binary.BigEndian.Uint64(b[10:])),
	}
	n, w := binary.Uvarint(b[18:])
	if w <= 0 || n > uint64(len(b)-18-w) {
		return record{}, ErrCorrupt
	}
	start := 18 + w
	r.fields = b[start : start+int(n)]
	r.doc = b[start+int(n):]
	return r, nil
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
// and keeps the group within maxEntries.
func (c *Cache) put(s space, p *prepared, now int64) error {
	old := s.adv.Get(p.key)
	if old != nil {
		if err := c.deleteEntry(s, p.key, bytes.Clone(old)); err != nil {
			return err
		}
	} else if err := c.makeRoom(s, now); err != nil {
		return err
	}
	if err := s.adv.Put(p.key, p.rec); err != nil {
		return err
	}
	if err := s.exp.Put(expKey(p.expires, p.key), nil); err != nil {
		return err
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

// makeRoom deletes entries until one more fits in the group: first those
// whose lifetime has ended, then those closest to its end.
func (c *Cache) makeRoom(s space, now int64) error {
	evicted := 0
	for s.count() >= c.maxEntries {
		k, _ := s.exp.Cursor().First()
		if k == nil {
			// The count is wrong (it is only ever too high after a
			// corrupt record was dropped): repair it.
			return s.g.Put(keyCount, binary.BigEndian.AppendUint64(nil, uint64(s.adv.Stats().KeyN)))
		}
		if expKeyTime(k) > now {
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
	if err := s.exp.Delete(expKey(r.expires, key)); err != nil {
		return err
	}
	if err := s.adv.Delete(key); err != nil {
		return err
	}
	return s.addCount(-1)
}
