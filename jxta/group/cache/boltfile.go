package cache

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"io"
)

// boltfile.go reads a bbolt file by its bytes, without bbolt, to check it
// before bbolt opens it and to salvage what a damaged one holds. bbolt
// trusts its file: a page number out of range, a page of the wrong type or
// an element pointing outside its page makes it panic, or read memory past
// its mapping, when a transaction reaches it, at Open or much later. This
// reader checks every bound: whatever the bytes, it returns, reporting the
// damage it found, and never panics or loops.
//
// The layout is bbolt's (file format version 2, go.etcd.io/bbolt
// internal/common), in the byte order of the machine that wrote it, which
// is this one's (bbolt reads no other):
//
//	page      id uint64, flags uint16, count uint16, overflow uint32, then
//	          count elements; a page and its overflow pages are contiguous
//	meta      (pages 0 and 1) after the page header: magic uint32,
//	          version uint32, page size uint32, flags uint32, root bucket
//	          (root page uint64, sequence uint64), freelist page uint64,
//	          high water mark uint64 (pages in use), txid uint64, FNV-64a
//	          of the 56 bytes before it; the valid one with the higher
//	          txid is the current one
//	branch    elements: pos uint32, key size uint32, child page uint64;
//	          the key starts pos bytes after the element, and is the
//	          first key of the child page
//	leaf      elements: flags uint32 (1: a bucket), pos uint32, key size
//	          uint32, value size uint32; key then value, pos bytes after
//	          the element
//	bucket    a leaf value: root page uint64 (0: the bucket is inline, a
//	          leaf page follows in the value), sequence uint64
//	freelist  count elements of uint64 page ids; a count of 0xFFFF is
//	          followed by the real count in the first element
const (
	boltMagic        = 0xED0CDAED
	boltVersion      = 2
	boltPageHeader   = 16
	boltElement      = 16 // branch and leaf elements alike
	boltBucketHeader = 16
	boltMetaSize     = 56 + 8 // the summed fields and the checksum

	pageBranch   = 0x01
	pageLeaf     = 0x02
	pageMeta     = 0x04
	pageFreelist = 0x10
	leafBucket   = 0x01

	noFreelist = ^uint64(0)

	// maxTreeDepth bounds the branch pages above a leaf: a B+tree of
	// pages of at least 512 bytes never nears it.
	maxTreeDepth = 32
	// maxBucketDepth bounds the nesting of buckets (the cache nests
	// three deep).
	maxBucketDepth = 8
)

var boltOrder = binary.NativeEndian

// boltMeta is a decoded meta page.
type boltMeta struct {
	page     uint64 // 0 or 1
	pageSize int
	root     uint64 // the root bucket's page
	freelist uint64 // noFreelist when the freelist is not stored
	pgid     uint64 // the high water mark: pages 0 to pgid-1 are in use
	txid     uint64
}

// parseMeta decodes the meta page at the start of b, checking its marker,
// version and checksum.
func parseMeta(b []byte) (boltMeta, error) {
	if len(b) < boltPageHeader+boltMetaSize {
		return boltMeta{}, errors.New("short meta page")
	}
	m := b[boltPageHeader:]
	if boltOrder.Uint32(m) != boltMagic {
		return boltMeta{}, errors.New("not a bbolt meta page")
	}
	if v := boltOrder.Uint32(m[4:]); v != boltVersion {
		return boltMeta{}, fmt.Errorf("bbolt file version %d", v)
	}
	h := fnv.New64a()
	h.Write(m[:56])
	if h.Sum64() != boltOrder.Uint64(m[56:]) {
		return boltMeta{}, errors.New("meta page checksum")
	}
	return boltMeta{
		page:     boltOrder.Uint64(b),
		pageSize: int(boltOrder.Uint32(m[8:])),
		root:     boltOrder.Uint64(m[16:]),
		freelist: boltOrder.Uint64(m[32:]),
		pgid:     boltOrder.Uint64(m[40:]),
		txid:     boltOrder.Uint64(m[48:]),
	}, nil
}

// fits checks that the pages m refers to are in a file of size bytes, or,
// when size is negative, that they are in range.
func (m boltMeta) fits(size int64) error {
	switch {
	case m.pageSize < 512 || m.pageSize > 1<<20 || m.pageSize&(m.pageSize-1) != 0:
		return fmt.Errorf("page size %d", m.pageSize)
	case m.pgid < 3 || size >= 0 && m.pgid > uint64(size)/uint64(m.pageSize):
		return fmt.Errorf("file too short: %d bytes, where its %d pages of %d bytes reach %d", size, m.pgid, m.pageSize, m.pgid*uint64(m.pageSize))
	case m.root < 2 || m.root >= m.pgid:
		return fmt.Errorf("root page %d out of range", m.root)
	case m.freelist != noFreelist && (m.freelist < 2 || m.freelist >= m.pgid):
		return fmt.Errorf("freelist page %d out of range", m.freelist)
	}
	return nil
}

// readMetas returns the meta pages of the file of size bytes that r reads
// that pass their checksum, newest first. bbolt opens a file at the first.
func readMetas(r io.ReaderAt, size int64) ([]boltMeta, error) {
	var all []boltMeta
	if size < 2*512 {
		return nil, fmt.Errorf("file too short: %d bytes", size)
	}
	first := make([]byte, boltPageHeader+boltMetaSize)
	if _, err := r.ReadAt(first, 0); err != nil {
		return nil, err
	}
	m0, err0 := parseMeta(first)
	// bbolt finds the second meta page at the first one's page size, or,
	// when the first is unreadable, at each possible page size.
	sizes := []int{1024, 2048, 4096, 8192, 16384, 32768, 65536}
	if err0 == nil {
		all = append(all, m0)
		sizes = []int{m0.pageSize}
	}
	for _, ps := range sizes {
		if int64(ps)+int64(len(first)) > size {
			break
		}
		if _, err := r.ReadAt(first, int64(ps)); err != nil {
			return nil, err
		}
		if m1, err := parseMeta(first); err == nil && m1.pageSize == ps {
			all = append(all, m1)
			break
		}
	}
	if len(all) == 2 && all[1].txid > all[0].txid {
		all[0], all[1] = all[1], all[0]
	}
	return all, nil
}

// boltVisit is called for each key of the file, in order within each
// bucket: path names the buckets it is in, from the root; for a bucket,
// value is nil and bucket true, and its keys follow.
type boltVisit func(path [][]byte, key, value []byte, bucket bool) error

// boltWalker walks the tree of a bbolt file from one meta page, noting
// the damage it finds and going on past it: a page it cannot read is
// skipped with what it leads to.
type boltWalker struct {
	r     io.ReaderAt
	meta  boltMeta
	free  map[uint64]bool // the freelist's pages
	seen  map[uint64]bool // the pages reached
	visit boltVisit

	damage int   // the problems found
	first  error // and the first of them
	stop   error // visit's error, which ends the walk
}

// walkBolt walks the file r reads from meta m, calling visit for each key,
// and returns the number of problems found and the first of them, or
// visit's first error.
func walkBolt(r io.ReaderAt, m boltMeta, visit boltVisit) (damage int, first, err error) {
	w := &boltWalker{r: r, meta: m, free: map[uint64]bool{}, seen: map[uint64]bool{0: true, 1: true}, visit: visit}
	defer func() {
		// Every bound is checked; should one be missed, the file is
		// damaged all the same.
		if r := recover(); r != nil {
			w.fail("unreadable: %v", r)
			damage, first, err = w.damage, w.first, w.stop
		}
	}()
	w.readFreelist()
	w.tree(nil, m.root, nil, nil, nil, 0)
	return w.damage, w.first, w.stop
}

func (w *boltWalker) fail(format string, args ...any) {
	w.damage++
	if w.first == nil {
		w.first = fmt.Errorf(format, args...)
	}
}

// page reads page id with its overflow pages, checking its header and
// that nothing else refers to it; it returns nil after noting the damage.
func (w *boltWalker) page(id uint64, what string) []byte {
	ps := uint64(w.meta.pageSize)
	if id < 2 || id >= w.meta.pgid {
		w.fail("%s page %d out of range", what, id)
		return nil
	}
	p := make([]byte, ps)
	if _, err := w.r.ReadAt(p, int64(id*ps)); err != nil {
		w.fail("%s page %d: %v", what, id, err)
		return nil
	}
	if got := boltOrder.Uint64(p); got != id {
		w.fail("%s page %d holds page %d", what, id, got)
		return nil
	}
	over := uint64(boltOrder.Uint32(p[12:]))
	if over >= w.meta.pgid-id {
		w.fail("%s page %d: %d overflow pages, out of range", what, id, over)
		return nil
	}
	for i := id; i <= id+over; i++ {
		if w.seen[i] {
			w.fail("page %d reached twice", i)
			return nil
		}
		if w.free[i] {
			w.fail("%s page %d is in the freelist", what, i)
			return nil
		}
	}
	for i := id; i <= id+over; i++ {
		w.seen[i] = true
	}
	if over > 0 {
		p = append(p, make([]byte, over*ps)...)
		if _, err := w.r.ReadAt(p[ps:], int64((id+1)*ps)); err != nil {
			w.fail("%s page %d: %v", what, id, err)
			return nil
		}
	}
	return p
}

// readFreelist reads the freelist's page ids into w.free.
func (w *boltWalker) readFreelist() {
	if w.meta.freelist == noFreelist {
		return
	}
	p := w.page(w.meta.freelist, "freelist")
	if p == nil {
		return
	}
	if flags := boltOrder.Uint16(p[8:]); flags != pageFreelist {
		w.fail("freelist page %d has flags %#x", w.meta.freelist, flags)
		return
	}
	start, n := uint64(boltPageHeader), uint64(boltOrder.Uint16(p[10:]))
	if n == 0xFFFF {
		n = boltOrder.Uint64(p[start:])
		start += 8
	}
	if n > (uint64(len(p))-start)/8 {
		w.fail("freelist of %d pages overflows its page", n)
		return
	}
	for i := range n {
		id := boltOrder.Uint64(p[start+8*i:])
		if id < 2 || id >= w.meta.pgid || w.free[id] || w.seen[id] {
			w.fail("freelist holds page %d", id)
			continue
		}
		w.free[id] = true
	}
}

// tree walks the pages of a bucket from page id, or from inline (the
// bucket's inline leaf page) when it is not nil. Keys must be in [lo, hi) (nil:
// unbounded), and a page under a branch must start with lo, its key in the
// branch: bbolt finds a child in its parent by that key when it writes
// the child again, and one it does not find is freed twice.
func (w *boltWalker) tree(path [][]byte, id uint64, inline, lo, hi []byte, depth int) {
	if w.stop != nil {
		return
	}
	if depth > maxTreeDepth {
		w.fail("a tree deeper than %d pages", maxTreeDepth)
		return
	}
	p := inline
	if p == nil {
		if p = w.page(id, "tree"); p == nil {
			return
		}
	}
	flags, n := boltOrder.Uint16(p[8:]), int(boltOrder.Uint16(p[10:]))
	if boltPageHeader+n*boltElement > len(p) {
		w.fail("page %d: %d elements overflow it", id, n)
		return
	}
	if n == 0 && lo != nil {
		w.fail("page %d: empty, under a branch", id)
		return
	}
	prev := lo
	inOrder := func(k []byte, i int) bool {
		if i == 0 && lo != nil && !bytes.Equal(k, lo) || prev != nil && (bytes.Compare(k, prev) < 0 || i > 0 && bytes.Equal(k, prev)) || hi != nil && bytes.Compare(k, hi) >= 0 {
			w.fail("page %d: key %d out of order", id, i)
			return false
		}
		prev = k
		return true
	}
	switch {
	case flags == pageBranch && id != 0:
		if n == 0 {
			w.fail("branch page %d is empty", id)
			return
		}
		keys := make([][]byte, n)
		for i := range n {
			e := boltPageHeader + i*boltElement
			pos, ks := uint64(boltOrder.Uint32(p[e:])), uint64(boltOrder.Uint32(p[e+4:]))
			if uint64(e)+pos+ks > uint64(len(p)) {
				w.fail("page %d: element %d outside its page", id, i)
				return
			}
			if keys[i] = p[uint64(e)+pos : uint64(e)+pos+ks]; !inOrder(keys[i], i) {
				return
			}
		}
		for i := range n {
			next := hi
			if i+1 < n {
				next = keys[i+1]
			}
			w.tree(path, boltOrder.Uint64(p[boltPageHeader+i*boltElement+8:]), nil, keys[i], next, depth+1)
		}
	case flags == pageLeaf:
		for i := range n {
			if w.stop != nil {
				return
			}
			e := boltPageHeader + i*boltElement
			eflags := boltOrder.Uint32(p[e:])
			pos, ks, vs := uint64(boltOrder.Uint32(p[e+4:])), uint64(boltOrder.Uint32(p[e+8:])), uint64(boltOrder.Uint32(p[e+12:]))
			if uint64(e)+pos+ks+vs > uint64(len(p)) || eflags&^leafBucket != 0 {
				w.fail("page %d: element %d outside its page", id, i)
				continue
			}
			k := p[uint64(e)+pos : uint64(e)+pos+ks]
			v := p[uint64(e)+pos+ks : uint64(e)+pos+ks+vs]
			if !inOrder(k, i) {
				continue
			}
			if eflags&leafBucket == 0 {
				if err := w.visit(path, k, v, false); err != nil {
					w.stop = err
				}
				continue
			}
			w.bucket(path, k, v)
		}
	default:
		w.fail("page %d has flags %#x", id, flags)
	}
}

// bucket walks the bucket named name whose value is v.
func (w *boltWalker) bucket(path [][]byte, name, v []byte) {
	if len(path) >= maxBucketDepth {
		w.fail("buckets nested deeper than %d", maxBucketDepth)
		return
	}
	if len(v) < boltBucketHeader {
		w.fail("bucket %q: short value", name)
		return
	}
	root := boltOrder.Uint64(v)
	var inline []byte
	if root == 0 {
		inline = v[boltBucketHeader:]
		if len(inline) < boltPageHeader || boltOrder.Uint16(inline[8:]) != pageLeaf {
			w.fail("bucket %q: bad inline page", name)
			return
		}
	}
	if err := w.visit(path, name, nil, true); err != nil {
		w.stop = err
		return
	}
	w.tree(append(path[:len(path):len(path)], name), root, inline, nil, nil, 0)
}
