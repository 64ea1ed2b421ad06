package cache

import (
	"bytes"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"slices"
	"syscall"
	"unsafe"
)

// The journal is the file beside the B+tree (its path and "-journal")
// that makes a publication durable with one write, where a B+tree
// transaction writes a dozen pages and syncs twice. It holds the
// publications acknowledged since the last time the pending ones were
// moved into the B+tree; after a crash, Open moves them there before
// anything else.
//
// The file is made of blocks of journalBlock bytes, written with zeros
// when the file is made or grows, so that writing a frame never changes
// the file's metadata (its size or its allocation): a write then costs
// one round trip to the disk. Where the system allows it (Linux), frames
// are written with O_DIRECT|O_DSYNC, which the disk acknowledges once
// they are stored, without a separate flush of the file; elsewhere a
// write is followed by fdatasync.
//
// Block 0 is the header:
//
//	magic      "gojxta-journal\x00\x01" (16 bytes)
//	generation uint64 BE
//	checksum   uint32 BE, CRC-32C of the 24 bytes above
//
// and frames follow from byte journalBlock, one per PublishAll, each from
// a block boundary:
//
//	length     uint32 BE, of the payload (0: no more frames)
//	generation uint64 BE, the header's when the frame was written
//	checksum   uint32 BE, CRC-32C of the generation and the payload
//	payload    uvarint len(group) group, then per entry:
//	           uvarint len(key) key uvarint len(record) record (encodeRecord)
//
// Emptying the journal writes a header with the next generation: the
// frames of earlier generations that follow are no longer read. A frame
// is acknowledged once its write returned. A crash during the write
// leaves a frame that fails its checksum: it was not acknowledged, and
// nothing follows it.
//
// Reading the journal at Open goes on past a frame that fails: it looks,
// at each later block boundary, for a frame of the generation with a
// checksum that holds. When none is found, the failed frame was the torn
// last write of a crash, and is not reported. When one is, the failed
// frame was damaged after it was written: it is reported and skipped, and
// the frames after it are read. A frame whose length reaches past the end
// of the file, or a journal shorter than journalInitial (the size it is
// made with, before its header is written), was cut short with the file:
// the frames before the cut are read, and the cut reported.
//
// A header that fails its checksum reads as a journal of the generation
// of its frames: that of the frame in block 1, where every generation
// writes its first frame, if it holds, else the highest generation among
// the frames that hold (a generation is one more than the one before, or
// random in a new journal, which has no frame that holds).
// Its frames are read, and the damage reported. The frames may be stored
// in the B+tree already (a header cannot fail from a crash, its bytes
// being in one sector, but if it did, everything was stored): storing
// them again replaces entries by the same ones. A header that fails with
// no frame after it makes an empty journal.

// journalSuffix names the journal of a cache file.
const journalSuffix = "-journal"

const (
	// journalBlock is the unit of the journal's writes.
	journalBlock = 4096
	// journalInitial is the size of a new journal file.
	journalInitial = 16 * journalBlock
	// maxFrame bounds the payload of one frame when reading (a PublishAll
	// of hundreds of advertisements is well under it).
	maxFrame = 64 << 20
	// frameHeader is the size of a frame's length, generation and
	// checksum.
	frameHeader = 16
)

var (
	journalMagic = []byte("gojxta-journal\x00\x01")
	crcTable     = crc32.MakeTable(crc32.Castagnoli)
)

// errTornFrame reports the end of the readable journal: no frame of the
// current generation follows, or it is cut short or fails its checksum.
var errTornFrame = errors.New("torn journal frame")

// journal is the open journal file. Its methods are not safe for
// concurrent use: the Cache serialises them.
type journal struct {
	f      *os.File // reads, growth and, without direct, writes
	direct *os.File // O_DIRECT|O_DSYNC writes, or nil
	gen    uint64
	size   int64 // where the next frame goes (a block boundary)
	alloc  int64 // the bytes of blocks written with zeros
	// badHeader is set when the header failed its checksum at open.
	badHeader bool
}

// openJournal opens (creating) the journal at path, writing directly
// when direct is true and the system allows it.
func openJournal(path string, direct bool) (*journal, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	j := &journal{f: f, size: journalBlock}
	if err := j.load(); err != nil {
		f.Close()
		return nil, err
	}
	if direct {
		// Without O_DIRECT (another system, or a file system such as
		// tmpfs), writes are synced with fdatasync.
		j.direct, _ = openDirect(path)
	}
	return j, nil
}

// load reads the header, making the file when it has none. A header that
// fails its checksum is replaced when no frame follows it; else the
// generation of the frames that follow is taken, and the header is
// rewritten by the reset that follows their replay.
func (j *journal) load() error {
	st, err := j.f.Stat()
	if err != nil {
		return err
	}
	j.alloc = st.Size() / journalBlock * journalBlock
	head := make([]byte, min(st.Size(), journalBlock))
	if _, err := io.ReadFull(j.f, head); err != nil {
		return err
	}
	if gen, ok := decodeHeader(head); ok {
		j.gen = gen
		return nil
	}
	// A header that failed, or a new file (all zeros: a crash while it
	// was being made).
	j.badHeader = slices.ContainsFunc(head, func(b byte) bool { return b != 0 })
	if data, err := j.readAll(); err != nil {
		return err
	} else if gen, ok := framesGeneration(data); ok {
		j.gen, j.badHeader = gen, true
		return nil
	}
	// Start afresh, with a generation no earlier frame can have.
	var seed [8]byte
	_, _ = rand.Read(seed[:])
	j.gen = binary.BigEndian.Uint64(seed[:])
	if j.alloc < journalInitial {
		if err := j.grow(journalInitial); err != nil {
			return err
		}
	}
	return j.writeHeader()
}

// framesGeneration returns the generation of the frames of a journal,
// data, whose header failed: that of the frame in block 1 if it holds,
// else the highest among the frames that do.
func framesGeneration(data []byte) (uint64, bool) {
	var best uint64
	found := false
	for off := journalBlock; off+frameHeader <= len(data); off += journalBlock {
		gen := binary.BigEndian.Uint64(data[off+4:])
		if _, _, _, err := decodeFrame(data[off:], gen); err != nil {
			continue
		}
		if off == journalBlock {
			return gen, true
		}
		if !found || gen > best {
			best, found = gen, true
		}
	}
	return best, found
}

// readAll reads the whole file.
func (j *journal) readAll() ([]byte, error) {
	st, err := j.f.Stat()
	if err != nil {
		return nil, err
	}
	data := make([]byte, st.Size())
	if _, err := j.f.ReadAt(data, 0); err != nil && !errors.Is(err, io.EOF) {
		return nil, err
	}
	return data, nil
}

// decodeHeader returns the generation of a header block.
func decodeHeader(b []byte) (uint64, bool) {
	n := len(journalMagic) + 8
	if len(b) < n+4 || !bytes.Equal(b[:len(journalMagic)], journalMagic) ||
		crc32.Checksum(b[:n], crcTable) != binary.BigEndian.Uint32(b[n:]) {
		return 0, false
	}
	return binary.BigEndian.Uint64(b[len(journalMagic):]), true
}

// writeHeader writes the header of the current generation, durably.
func (j *journal) writeHeader() error {
	b := make([]byte, 0, journalBlock)
	b = append(b, journalMagic...)
	b = binary.BigEndian.AppendUint64(b, j.gen)
	b = binary.BigEndian.AppendUint32(b, crc32.Checksum(b, crcTable))
	if err := j.writeBlocks(append(alignedBlocks(journalBlock)[:0], b[:journalBlock]...), 0); err != nil {
		return err
	}
	j.size = journalBlock
	return nil
}

// grow writes zeros up to size bytes (a multiple of journalBlock) and
// syncs them, so that later writes there change no metadata.
func (j *journal) grow(size int64) error {
	if size <= j.alloc {
		return nil
	}
	if _, err := j.f.WriteAt(make([]byte, size-j.alloc), j.alloc); err != nil {
		return err
	}
	if err := fdatasync(j.f); err != nil {
		return err
	}
	j.alloc = size
	return nil
}

// writeBlocks writes b, whole blocks, at off (a block boundary), durably.
func (j *journal) writeBlocks(b []byte, off int64) error {
	if j.direct != nil {
		if !isAligned(b) {
			b = append(alignedBlocks(len(b))[:0], b...)
		}
		_, err := j.direct.WriteAt(b, off)
		if !errors.Is(err, syscall.EINVAL) {
			return err
		}
		// The file system took O_DIRECT when the file was opened but not
		// this write: write through the page cache from now on.
		j.direct.Close()
		j.direct = nil
	}
	if _, err := j.f.WriteAt(b, off); err != nil {
		return err
	}
	return fdatasync(j.f)
}

// alignedBlocks returns n zero bytes whose address is a multiple of
// journalBlock, as direct writes need.
func alignedBlocks(n int) []byte {
	b := make([]byte, n+journalBlock)
	skip := (journalBlock - int(uintptr(unsafe.Pointer(unsafe.SliceData(b)))%journalBlock)) % journalBlock
	return b[skip : skip+n : skip+n]
}

// isAligned reports whether b starts at a multiple of journalBlock.
func isAligned(b []byte) bool {
	return uintptr(unsafe.Pointer(unsafe.SliceData(b)))%journalBlock == 0
}

// frameEntry is one entry of a frame.
type frameEntry struct {
	key, record []byte
}

// appendFrame writes one frame holding group's entries, durably, from
// the next block boundary: a write never touches the blocks of earlier
// frames, so a write cut short spoils this frame only.
func (j *journal) appendFrame(group []byte, entries []frameEntry) error {
	payload := binary.AppendUvarint(nil, uint64(len(group)))
	payload = append(payload, group...)
	for _, e := range entries {
		payload = binary.AppendUvarint(payload, uint64(len(e.key)))
		payload = append(payload, e.key...)
		payload = binary.AppendUvarint(payload, uint64(len(e.record)))
		payload = append(payload, e.record...)
	}
	size := blocksFor(frameHeader + len(payload))
	if j.size+size > j.alloc {
		// Double, to keep growth rare.
		if err := j.grow(max(j.size+size, 2*j.alloc)); err != nil {
			return err
		}
	}
	buf := alignedBlocks(int(size))
	binary.BigEndian.PutUint32(buf, uint32(len(payload)))
	binary.BigEndian.PutUint64(buf[4:], j.gen)
	copy(buf[frameHeader:], payload)
	binary.BigEndian.PutUint32(buf[12:], frameSum(buf[4:12], payload))
	if err := j.writeBlocks(buf, j.size); err != nil {
		return err
	}
	j.size += size
	return nil
}

// blocksFor returns the bytes of the whole blocks n bytes take.
func blocksFor(n int) int64 {
	return int64((n + journalBlock - 1) / journalBlock * journalBlock)
}

// reset empties the journal, once everything in it is in the B+tree: the
// next generation's header makes its frames unreadable.
func (j *journal) reset() error {
	if j.size == journalBlock {
		return nil
	}
	j.gen++
	return j.writeHeader()
}

// journalRead is what reading the journal found besides its frames.
type journalRead struct {
	frames    int     // frames read
	damaged   []int64 // offsets of frames that failed, with frames after them
	after     int     // frames read after the first damaged one
	cut       int64   // the file's size, when a frame reaches past its end; else 0
	cutFrames int     // frames read before the cut
	badHeader bool    // the header failed its checksum
	data      []byte  // the file, when it was damaged
}

// damage reports whether anything was found damaged.
func (r journalRead) damage() bool {
	return len(r.damaged) > 0 || r.cut > 0 || r.badHeader
}

// readFrames calls fn with the group and entries of each frame of the
// current generation, in order, leaving the journal's end after them. A
// frame that fails is skipped when frames of the generation follow it
// (damage, reported), and ends the journal when none does (the torn last
// write of a crash). fn's errors stop the reading.
func (j *journal) readFrames(fn func(group []byte, entries []frameEntry) error) (journalRead, error) {
	all, err := j.readAll()
	if err != nil {
		return journalRead{}, err
	}
	r, end, err := scanFrames(all, j.gen, fn)
	r.badHeader = j.badHeader
	j.size = journalBlock + int64(end)
	if r.cut == 0 && !r.badHeader && len(all) < journalInitial {
		// A journal with a header has at least journalInitial bytes.
		r.cut, r.cutFrames = int64(len(all)), r.frames
	}
	if r.damage() {
		r.data = all
	}
	return r, err
}

// scanFrames reads the frames of generation gen of the journal file all,
// as readFrames does, and returns the end of the last one read, from block
// 1. It does no I/O.
func scanFrames(all []byte, gen uint64, fn func(group []byte, entries []frameEntry) error) (r journalRead, end int, err error) {
	data := all[min(len(all), journalBlock):]
	off := 0
	for off < len(data) {
		group, entries, n, err := decodeFrame(data[off:], gen)
		if err != nil {
			next := nextFrame(data, off+journalBlock, gen)
			if next < 0 {
				if frameCut(data[off:], gen) {
					r.cut, r.cutFrames = int64(len(all)), r.frames
				}
				break
			}
			r.damaged = append(r.damaged, journalBlock+int64(off))
			off = next
			continue
		}
		if err := fn(group, entries); err != nil {
			return r, end, err
		}
		r.frames++
		if len(r.damaged) > 0 {
			r.after++
		}
		off += int(blocksFor(n))
		end = off
	}
	return r, end, nil
}

// nextFrame returns the offset in data of the first frame of generation
// gen that holds, at a block boundary from off, or -1.
func nextFrame(data []byte, off int, gen uint64) int {
	for ; off+frameHeader <= len(data); off += journalBlock {
		if binary.BigEndian.Uint64(data[off+4:]) != gen {
			continue
		}
		if _, _, _, err := decodeFrame(data[off:], gen); err == nil {
			return off
		}
	}
	return -1
}

// frameCut reports whether b starts with the header of a frame of
// generation gen that reaches past the end of b.
func frameCut(b []byte, gen uint64) bool {
	if len(b) < frameHeader {
		return slices.ContainsFunc(b, func(c byte) bool { return c != 0 })
	}
	size := binary.BigEndian.Uint32(b)
	return size > 0 && size <= maxFrame && binary.BigEndian.Uint64(b[4:]) == gen && uint64(len(b)-frameHeader) < uint64(size)
}

// frameSum is the checksum of a frame: of its generation and payload.
func frameSum(gen, payload []byte) uint32 {
	return crc32.Update(crc32.Checksum(gen, crcTable), crcTable, payload)
}

// decodeFrame reads the frame of generation gen at the start of b and
// returns its length.
func decodeFrame(b []byte, gen uint64) (group []byte, entries []frameEntry, n int, err error) {
	if len(b) < frameHeader {
		return nil, nil, 0, errTornFrame
	}
	size := binary.BigEndian.Uint32(b)
	if size == 0 || size > maxFrame || uint64(len(b)-frameHeader) < uint64(size) || binary.BigEndian.Uint64(b[4:]) != gen {
		return nil, nil, 0, errTornFrame
	}
	payload := b[frameHeader : frameHeader+size]
	if frameSum(b[4:12], payload) != binary.BigEndian.Uint32(b[12:]) {
		return nil, nil, 0, errTornFrame
	}
	next := func() ([]byte, bool) {
		l, w := binary.Uvarint(payload)
		if w <= 0 || l > uint64(len(payload)-w) {
			return nil, false
		}
		v := payload[w : w+int(l)]
		payload = payload[w+int(l):]
		return v, true
	}
	group, ok := next()
	if !ok {
		return nil, nil, 0, ErrCorrupt
	}
	for len(payload) > 0 {
		key, ok1 := next()
		rec, ok2 := next()
		if !ok1 || !ok2 {
			return nil, nil, 0, ErrCorrupt
		}
		entries = append(entries, frameEntry{key: key, record: rec})
	}
	return group, entries, frameHeader + int(size), nil
}

// close closes the files (a volatile cache's journal has none).
func (j *journal) close() error {
	if j.f == nil {
		return nil
	}
	var errs []error
	if j.direct != nil {
		errs = append(errs, j.direct.Close())
	}
	return errors.Join(append(errs, j.f.Close())...)
}
