package cache

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
)

// The journal is the file beside the B+tree (its path and "-journal")
// that makes a publication durable with one append and one sync, where a
// B+tree transaction writes a dozen pages and syncs twice. It holds the
// publications acknowledged since the last time the pending ones were
// moved into the B+tree; after a crash, Open moves them there before
// anything else.
//
// The file is a sequence of frames, one per PublishAll:
//
//	length   uint32 BE, of the payload
//	checksum uint32 BE, CRC-32C of the payload
//	payload  uvarint len(group) group, then per entry:
//	         uvarint len(key) key uvarint len(record) record (encodeRecord)
//
// A frame is written with one write and synced before the publication is
// acknowledged. A crash during the write leaves a frame that is short or
// fails its checksum: it was not acknowledged, and reading stops there.

// journalSuffix names the journal of a cache file.
const journalSuffix = "-journal"

// maxFrame bounds the payload of one frame when reading (a PublishAll of
// hundreds of advertisements is well under it).
const maxFrame = 64 << 20

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// errTornFrame reports the end of the readable journal: a frame cut short
// or failing its checksum.
var errTornFrame = errors.New("torn journal frame")

// journal is the open journal file. Its methods are not safe for
// concurrent use: the Cache serialises them.
type journal struct {
	f    *os.File
	size int64 // bytes of whole frames
}

// openJournal opens (creating) the journal at path.
func openJournal(path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, err
	}
	return &journal{f: f, size: st.Size()}, nil
}

// frameEntry is one entry of a frame.
type frameEntry struct {
	key, record []byte
}

// appendFrame writes one frame holding group's entries and syncs it. On
// failure it cuts the file back to its whole frames, so that later frames
// stay readable.
func (j *journal) appendFrame(group []byte, entries []frameEntry) error {
	payload := binary.AppendUvarint(nil, uint64(len(group)))
	payload = append(payload, group...)
	for _, e := range entries {
		payload = binary.AppendUvarint(payload, uint64(len(e.key)))
		payload = append(payload, e.key...)
		payload = binary.AppendUvarint(payload, uint64(len(e.record)))
		payload = append(payload, e.record...)
	}
	frame := make([]byte, 8, 8+len(payload))
	binary.BigEndian.PutUint32(frame, uint32(len(payload)))
	binary.BigEndian.PutUint32(frame[4:], crc32.Checksum(payload, crcTable))
	frame = append(frame, payload...)
	if _, err := j.f.WriteAt(frame, j.size); err != nil {
		return errors.Join(err, j.f.Truncate(j.size))
	}
	if err := fdatasync(j.f); err != nil {
		return errors.Join(err, j.f.Truncate(j.size))
	}
	j.size += int64(len(frame))
	return nil
}

// reset empties the journal, once everything in it is in the B+tree, and
// syncs the emptying: a journal read after a crash holds only
// publications that may be missing from the B+tree.
func (j *journal) reset() error {
	if j.size == 0 {
		return nil
	}
	if err := j.f.Truncate(0); err != nil {
		return err
	}
	j.size = 0
	return fdatasync(j.f)
}

// readFrames calls fn with the group and entries of each whole frame, in
// order, and returns how many bytes of whole frames there were. Reading
// stops without error at a torn frame (the tail of a crashed write); fn's
// errors stop it too.
func (j *journal) readFrames(fn func(group []byte, entries []frameEntry) error) (int64, error) {
	if _, err := j.f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	data, err := io.ReadAll(j.f)
	if err != nil {
		return 0, err
	}
	var off int64
	for rest := data; len(rest) > 0; {
		group, entries, n, err := decodeFrame(rest)
		if errors.Is(err, errTornFrame) {
			break
		}
		if err != nil {
			return off, fmt.Errorf("journal frame at byte %d: %w", off, err)
		}
		if err := fn(group, entries); err != nil {
			return off, err
		}
		rest = rest[n:]
		off += int64(n)
	}
	return off, nil
}

// decodeFrame reads the frame at the start of b and returns its length.
func decodeFrame(b []byte) (group []byte, entries []frameEntry, n int, err error) {
	if len(b) < 8 {
		return nil, nil, 0, errTornFrame
	}
	size := binary.BigEndian.Uint32(b)
	if size > maxFrame || uint64(len(b)-8) < uint64(size) {
		return nil, nil, 0, errTornFrame
	}
	payload := b[8 : 8+size]
	if crc32.Checksum(payload, crcTable) != binary.BigEndian.Uint32(b[4:]) {
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
	return group, entries, 8 + int(size), nil
}

// close closes the file.
func (j *journal) close() error { return j.f.Close() }
