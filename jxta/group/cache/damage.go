package cache

import (
	"bytes"
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"sync"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	bolt "go.etcd.io/bbolt"
)

// A damaged cache file (see "Damage" in the package doc) is found at Open,
// before bbolt reads it: checkFile walks the whole file by its bytes
// (boltfile.go) and checks what the cache keeps in it. When anything
// fails, Open moves the file aside, makes a new one and salvages into it
// the entries whose records read back whole.

// salvageBatch is the number of salvaged entries stored per transaction.
const salvageBatch = 256

// survey checks the cache's layout (store.go) while a file is walked, and
// counts each group's entries.
type survey struct {
	version []byte
	groups  map[string]*groupSurvey
	order   []string // groups, in the file's order

	problems int
	first    error

	// record, when set, is called with each entry's group, key and
	// record (salvage); records are not checked then.
	record func(group, key, rec []byte) error
	// docs, when set, checks the records' documents.
	docs *docChecker
}

// docChecker checks that stored documents parse and have their entry's
// key, on as many goroutines as there are processors: parsing is most
// of the time Open takes.
type docChecker struct {
	reg *advert.Registry
	in  chan docCheck
	wg  sync.WaitGroup

	mu    sync.Mutex
	bad   int
	first error
}

type docCheck struct{ group, key, doc []byte }

func newDocChecker(reg *advert.Registry) *docChecker {
	d := &docChecker{reg: reg, in: make(chan docCheck, 64)}
	for range runtime.GOMAXPROCS(0) {
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			for c := range d.in {
				if err := d.parse(c); err != nil {
					d.mu.Lock()
					d.bad++
					if d.first == nil {
						d.first = fmt.Errorf("group %s: the document of %q: %w", c.group, c.key, err)
					}
					d.mu.Unlock()
				}
			}
		}()
	}
	return d
}

// parse parses one document and checks its key.
func (d *docChecker) parse(c docCheck) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("unreadable: %v", r)
		}
	}()
	a, err := d.reg.Parse(c.doc)
	if err == nil && keyOf(a, c.doc) != string(c.key) {
		err = errors.New("not its key's document")
	}
	return err
}

// check checks doc, the document of key in group. The slices must not
// change until wait returns.
func (d *docChecker) check(group, key, doc []byte) { d.in <- docCheck{group, key, doc} }

// wait returns, once every document is checked, the number that failed
// and the first failure.
func (d *docChecker) wait() (int, error) {
	close(d.in)
	d.wg.Wait()
	return d.bad, d.first
}

// groupSurvey is what a group's bucket holds.
type groupSurvey struct {
	n, rn                  int // the counts kept
	adv, exp, rexp, lists  int // the entries of each bucket
	hasAdv, hasExp, hasIdx bool
}

func newSurvey() *survey { return &survey{groups: map[string]*groupSurvey{}} }

func (s *survey) fail(format string, args ...any) {
	s.problems++
	if s.first == nil {
		s.first = fmt.Errorf(format, args...)
	}
}

// visit is a boltVisit.
func (s *survey) visit(path [][]byte, key, value []byte, bucket bool) error {
	if len(path) == 0 {
		switch {
		case !bucket:
			s.fail("a value %q at the top of the file", key)
		case bytes.Equal(key, bucketMeta):
		case bytes.HasPrefix(key, []byte("urn:jxta:")):
			s.groups[string(key)] = &groupSurvey{}
			s.order = append(s.order, string(key))
		default:
			s.fail("unknown bucket %q", key)
		}
		return nil
	}
	if bytes.Equal(path[0], bucketMeta) {
		if len(path) == 1 && bytes.Equal(key, keyVersion) {
			s.version = bytes.Clone(value)
		}
		return nil
	}
	g := s.groups[string(path[0])]
	if g == nil {
		return nil // in an unknown bucket, reported already
	}
	if len(path) == 1 {
		switch name := string(key); {
		case !bucket && (name == string(keyCount) || name == string(keyRemoteCount)) && len(value) == 8:
			n := int(binary.BigEndian.Uint64(value))
			if name == string(keyCount) {
				g.n = n
			} else {
				g.rn = n
			}
		case bucket && name == string(bucketAdv):
			g.hasAdv = true
		case bucket && name == string(bucketExp):
			g.hasExp = true
		case bucket && name == string(bucketIndex):
			g.hasIdx = true
		case bucket && (name == string(bucketRemote) || name == string(bucketPub)):
		default:
			s.fail("group %s: unknown key %q", path[0], key)
		}
		return nil
	}
	switch sub := string(path[1]); {
	case len(path) == 2 && sub == string(bucketAdv):
		g.adv++
		if bucket {
			s.fail("group %s: a bucket among the records", path[0])
			return nil
		}
		if s.record != nil {
			return s.record(path[0], key, value)
		}
		r, err := decodeRecord(value)
		if err == nil {
			err = r.eachField(func(_, _ []byte) bool { return true })
		}
		if err != nil {
			s.fail("group %s: record %q does not decode", path[0], key)
		} else if s.docs != nil {
			s.docs.check(path[0], key, r.doc)
		}
	case len(path) == 2 && sub == string(bucketExp):
		g.exp++
		if len(key) < 8 {
			s.fail("group %s: short expiry key", path[0])
		}
	case len(path) == 2 && sub == string(bucketRemote):
		g.rexp++
		if len(key) < 8 {
			s.fail("group %s: short expiry key", path[0])
		}
	case len(path) == 2 && sub == string(bucketIndex):
		if !bucket {
			s.fail("group %s: a value among the indexes", path[0])
		}
	case len(path) == 3 && sub == string(bucketIndex):
		switch string(path[2]) {
		case advert.Peers.String(), advert.Groups.String(), advert.Adv.String():
			g.lists++
		}
	case len(path) == 2 && sub == string(bucketPub):
	default:
		if len(path) > 3 {
			s.fail("group %s: buckets nested too deep", path[0])
		}
	}
	return nil
}

// finish checks the counts of each group against its entries.
func (s *survey) finish() {
	for _, name := range s.order {
		g := s.groups[name]
		switch {
		case !g.hasAdv || !g.hasExp || !g.hasIdx:
			s.fail("group %s: buckets missing", name)
		case g.n != g.adv || g.exp != g.adv || g.lists != g.adv:
			s.fail("group %s: %d entries counted, %d records, %d expiry keys, %d listed", name, g.n, g.adv, g.exp, g.lists)
		case g.rn != g.rexp:
			s.fail("group %s: %d remote entries counted, %d expiry keys", name, g.rn, g.rexp)
		}
	}
}

// entries returns the number of entries the file held, by the best
// evidence left of each group.
func (s *survey) entries() int {
	n := 0
	for _, g := range s.groups {
		n += max(g.n, g.adv, g.exp, g.lists)
	}
	return n
}

// knownVersion reports whether the file's format is one this package reads
// (a file of a later version is not damaged: Open refuses it).
func (s *survey) knownVersion() bool {
	if s.version == nil {
		return true
	}
	v := binary.BigEndian.Uint32(append(make([]byte, 4-min(len(s.version), 4)), s.version...))
	return len(s.version) == 4 && (v == 1 || v == formatVersion)
}

// checkFile walks the cache file r reads, of size bytes, and returns why it
// is damaged, or nil.
func checkFile(r io.ReaderAt, size int64, reg *advert.Registry) error {
	all, err := readMetas(r, size)
	if err != nil {
		return err
	}
	if len(all) == 0 {
		return errors.New("no valid meta page")
	}
	if err := all[0].fits(size); err != nil {
		return err
	}
	s := newSurvey()
	s.docs = newDocChecker(reg)
	damage, first, err := walkBolt(r, all[0], s.visit)
	bad, firstDoc := s.docs.wait()
	if err != nil {
		return err
	}
	if s.knownVersion() {
		s.finish()
		if bad > 0 {
			s.problems += bad
			s.first = cmp.Or(s.first, firstDoc)
		}
	} else {
		s.problems, s.first = 0, nil
	}
	if damage == 0 {
		damage, first = s.problems, s.first
	}
	switch {
	case damage == 0:
		return nil
	case damage == 1:
		return first
	default:
		return fmt.Errorf("%w, and %d more problems", first, damage-1)
	}
}

// salvage stores into c the entries of the damaged file r reads that read
// back whole, and returns how many it stored and how many the file held
// (0 when that is unknown).
func (c *Cache) salvage(r io.ReaderAt, size int64) (recovered, held int, err error) {
	// The newest meta page whose pages are in range, whether or not the
	// file still holds them all.
	all, err := readMetas(r, size)
	if err != nil {
		return 0, 0, nil
	}
	all = slices.DeleteFunc(all, func(m boltMeta) bool { return m.fits(-1) != nil })
	if len(all) == 0 {
		return 0, 0, nil
	}
	now := c.clock().UnixNano()
	batch, n := pendingBatch{}, 0
	store := func() error {
		if n == 0 {
			return nil
		}
		err := c.db.Update(func(tx *bolt.Tx) error { return c.putBatch(tx, batch, now) })
		batch, n = pendingBatch{}, 0
		return err
	}
	s := newSurvey()
	s.record = func(group, key, rec []byte) error {
		it, err := c.salvageRecord(bytes.Clone(key), bytes.Clone(rec))
		if err != nil {
			return nil // lost
		}
		batch[string(group)] = append(batch[string(group)], it)
		if n++; n >= salvageBatch {
			return store()
		}
		return nil
	}
	if _, _, err := walkBolt(r, all[0], s.visit); err != nil {
		return 0, 0, err
	}
	if err := store(); err != nil {
		return 0, 0, err
	}
	err = c.db.View(func(tx *bolt.Tx) error {
		return tx.ForEach(func(name []byte, _ *bolt.Bucket) error {
			if sp, ok := openReadSpace(tx, name); ok {
				recovered += sp.count()
			}
			return nil
		})
	})
	return recovered, max(s.entries(), recovered), err
}

// salvageRecord rebuilds an entry from a damaged file's record, when
// everything in it holds: the record decodes, its document parses, the
// key is the document's, and a remote entry's signature holds. The index
// fields are taken again from the document.
func (c *Cache) salvageRecord(key, rec []byte) (*prepared, error) {
	r, err := decodeRecord(rec)
	if err != nil {
		return nil, err
	}
	a, err := c.reg.Parse(r.doc)
	if err != nil {
		return nil, err
	}
	if k := keyOf(a, r.doc); k != string(key) || r.expiration < 0 {
		return nil, ErrCorrupt
	}
	if o := r.origin; o != nil {
		pub, err := jxta.ParsePeerID(string(o.publisher))
		if err != nil {
			return nil, err
		}
		if !o.unverified {
			sa := advert.SignedAdv{Publisher: pub, Key: o.key, Signature: o.signature, Data: r.doc}
			if err := sa.Verify(); err != nil {
				return nil, err
			}
		}
	}
	fields, err := indexFields(a)
	if err != nil {
		return nil, err
	}
	it := &prepared{
		key:        key,
		cat:        advert.CategoryOf(a),
		expires:    r.expires,
		expiration: r.expiration,
		advType:    a.AdvType(),
		origin:     r.origin,
		fields:     fields,
	}
	it.rec = encodeRecord(it.cat, it.expires, it.expiration, it.advType, it.origin, it.fields, r.doc)
	it.doc = it.rec[len(it.rec)-len(r.doc):]
	return it, nil
}

// keyOf is key, failing safe on an advertisement it cannot key.
func keyOf(a advert.Advertisement, doc []byte) (k string) {
	defer func() {
		if recover() != nil {
			k = ""
		}
	}()
	return key(a, doc)
}

// openBolt opens the bbolt file at path and checks its format version.
// bbolt panics on some damage: Open has checked the file before, and a
// panic left is returned as an error.
func openBolt(path string) (db *bolt.DB, err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			db, err = nil, fmt.Errorf("%w: bbolt: %v", ErrCorrupt, r)
		}
	}()
	db, err = bolt.Open(path, 0o600, &bolt.Options{
		Timeout:      lockTimeout,
		FreelistType: bolt.FreelistMapType,
	})
	if err != nil {
		return nil, err
	}
	if err := db.Update(initMeta); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// storeDamage is what Open found wrong with the cache file and did.
type storeDamage struct {
	reason    error
	aside     string // where the damaged file was moved
	recovered int    // entries salvaged
	held      int    // entries the damaged file held; 0: unknown
}

// openStore opens the cache file, checking it first when it exists; a
// damaged file is moved aside and what it holds salvaged into a new one,
// and the damage returned.
func (c *Cache) openStore() (*storeDamage, error) {
	f, err := os.OpenFile(c.path, os.O_RDWR, 0)
	if errors.Is(err, os.ErrNotExist) {
		c.db, err = openBolt(c.path)
		return nil, err
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if err := lockFile(f, lockTimeout); err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	reason := checkFile(f, st.Size(), c.reg)
	if reason == nil {
		f.Close() // and its lock, for bbolt's
		c.db, err = openBolt(c.path)
		return nil, err
	}
	d := &storeDamage{reason: reason, aside: c.asidePath(c.path)}
	if err := os.Rename(c.path, d.aside); err != nil {
		return nil, err
	}
	if c.db, err = openBolt(c.path); err != nil {
		return nil, err
	}
	if d.recovered, d.held, err = c.salvage(f, st.Size()); err != nil {
		c.db.Close()
		return nil, err
	}
	return d, nil
}

// asidePath returns where the damaged file at path is moved: path with
// ".damaged-" and the time, unless that file exists already.
func (c *Cache) asidePath(path string) string {
	base := path + ".damaged-" + c.clock().UTC().Format("20060102T150405Z")
	p := base
	for i := 2; ; i++ {
		if _, err := os.Lstat(p); errors.Is(err, os.ErrNotExist) {
			return p
		}
		p = fmt.Sprintf("%s-%d", base, i)
	}
}
