package cache

import (
	"encoding/binary"
	"fmt"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// journalEmpty reports whether j holds no frame.
func journalEmpty(j *journal) bool { return j.size == journalBlock }

// copyFile copies the file at from to to.
func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(to, data, 0o600))
}

// TestJournalReplay copies a cache's files while publications are only in
// its journal, as a crash would leave them, and opens the copy: they are
// there, moved into the B+tree, and the journal is empty.
func TestJournalReplay(t *testing.T) {
	t.Parallel()
	c, path := openTest(t, Options{})
	c.flushDelay = time.Hour
	g := jxta.NewGroupID()
	flushed, pending := pipe(g, "flushed"), pipe(g, "pending")
	require.NoError(t, c.Publish(g, flushed, life, exp))
	require.NoError(t, c.flush(nil))
	renamed := *flushed
	renamed.Name = "renamed"
	require.NoError(t, c.PublishAll(g, []Publication{
		{Adv: pending, Lifetime: life, Expiration: exp},
		{Adv: &renamed, Lifetime: life, Expiration: exp},
	}))
	require.NoError(t, c.Remember(g, []Publication{{Adv: pipe(g, "remembered"), Lifetime: life, Expiration: exp}}))
	require.False(t, journalEmpty(c.journal))

	crashed := filepath.Join(t.TempDir(), "cm.db")
	copyFile(t, path, crashed)
	copyFile(t, path+journalSuffix, crashed+journalSuffix)
	c2, err := Open(crashed, Options{CollectInterval: -1})
	require.NoError(t, err)
	defer c2.Close()
	assert.True(t, journalEmpty(c2.journal), "journal emptied")
	assert.Zero(t, c2.pending.len(), "nothing pending: replayed into the B+tree")
	assert.Equal(t, 2, c2.Len(g), "the two durable publications, not the remembered one")
	for name, want := range map[string]int{"pending": 1, "renamed": 1, "flushed": 0, "remembered": 0} {
		got, err := c2.Search(g, advert.Adv, "Name", name, 10)
		require.NoError(t, err)
		assert.Len(t, got, want, name)
	}
	assert.Len(t, indexRefs(t, c2, g, Key(flushed)), 5, "the replaced entry's old index entries are gone")
}

// journalModes runs f with a journal written directly (where the system
// allows it) and with one synced by fdatasync.
func journalModes(t *testing.T, f func(t *testing.T, direct bool)) {
	for _, direct := range []bool{true, false} {
		t.Run(map[bool]string{true: "direct", false: "fdatasync"}[direct], func(t *testing.T) {
			t.Parallel()
			f(t, direct)
		})
	}
}

// readKeys opens the journal at path and returns the keys of the entries
// it reads.
func readKeys(t *testing.T, path string) []string {
	t.Helper()
	keys, _ := readJournal(t, path)
	return keys
}

// readJournal opens the journal at path and returns the keys of the
// entries it reads and what it found.
func readJournal(t *testing.T, path string) ([]string, journalRead) {
	t.Helper()
	j, err := openJournal(path, false)
	require.NoError(t, err)
	defer j.close()
	var keys []string
	r, err := j.readFrames(func(g []byte, entries []frameEntry) error {
		assert.Equal(t, "g", string(g))
		for _, e := range entries {
			keys = append(keys, string(e.key))
		}
		return nil
	})
	require.NoError(t, err)
	return keys, r
}

func appendKeys(t *testing.T, j *journal, keys ...string) {
	t.Helper()
	for _, k := range keys {
		require.NoError(t, j.appendFrame([]byte("g"), []frameEntry{{key: []byte(k), record: []byte("record of " + k)}}))
	}
}

// TestJournalReadsPastDamage damages one frame or the header of a journal
// of three frames in each way, and checks what is read and reported.
func TestJournalReadsPastDamage(t *testing.T) {
	journalModes(t, func(t *testing.T, direct bool) {
		path := filepath.Join(t.TempDir(), "j")
		j, err := openJournal(path, direct)
		require.NoError(t, err)
		if direct && j.direct == nil {
			t.Log("this file system takes no direct writes: synced with fdatasync")
		}
		appendKeys(t, j, "a", "b", "c")
		frameLen := (j.size - journalBlock) / 3
		require.NoError(t, j.close())
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		keys, r := readJournal(t, path)
		assert.Equal(t, []string{"a", "b", "c"}, keys)
		assert.False(t, r.damage())

		second := journalBlock + frameLen
		for _, tt := range []struct {
			name    string
			spoil   int64 // the byte flipped; -1: none
			cut     int64 // the size cut to; 0: none
			want    []string
			damaged []int64
			after   int
			cutAt   int64
			header  bool
		}{
			{name: "the last frame fails its checksum: a torn write", spoil: journalBlock + 2*frameLen + frameHeader + 3, want: []string{"a", "b"}},
			{name: "a middle frame fails its checksum", spoil: second + frameHeader + 3, want: []string{"a", "c"}, damaged: []int64{second}, after: 1},
			{name: "a middle frame of another generation", spoil: second + 5, want: []string{"a", "c"}, damaged: []int64{second}, after: 1},
			{name: "a middle frame longer than the file", spoil: second + 1, want: []string{"a", "c"}, damaged: []int64{second}, after: 1},
			{name: "the header fails its checksum", spoil: 20, want: []string{"a", "b", "c"}, header: true},
			{name: "the header's magic", spoil: 3, want: []string{"a", "b", "c"}, header: true},
			{name: "cut in the second frame", spoil: -1, cut: second + 10, want: []string{"a"}, cutAt: second + 10},
			{name: "cut after the second frame", spoil: -1, cut: second + frameLen, want: []string{"a", "b"}, cutAt: second + frameLen},
			{name: "cut in the header", spoil: -1, cut: 10, header: true},
		} {
			bad := append([]byte{}, data...)
			if tt.spoil >= 0 {
				bad[tt.spoil] ^= 0xff
			}
			if tt.cut > 0 {
				bad = bad[:tt.cut]
			}
			require.NoError(t, os.WriteFile(path, bad, 0o600))
			keys, r := readJournal(t, path)
			assert.Equal(t, tt.want, keys, tt.name)
			assert.Equal(t, tt.damaged, r.damaged, tt.name)
			assert.Equal(t, tt.after, r.after, tt.name)
			assert.Equal(t, tt.cutAt, r.cut, tt.name)
			assert.Equal(t, tt.header, r.badHeader, tt.name)
			assert.Equal(t, r.damage(), r.data != nil, tt.name)
		}
	})
}

// TestJournalHeaderGeneration checks the generation a journal whose header
// fails takes: that of the frame in block 1, not the more numerous frames
// of the generation before it that follow.
func TestJournalHeaderGeneration(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "j")
	j, err := openJournal(path, false)
	require.NoError(t, err)
	appendKeys(t, j, "old-1", "old-2", "old-3", "old-4")
	require.NoError(t, j.reset())
	appendKeys(t, j, "new-1", "new-2")
	require.NoError(t, j.close())
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	data[20] ^= 1
	require.NoError(t, os.WriteFile(path, data, 0o600))
	keys, r := readJournal(t, path)
	assert.Equal(t, []string{"new-1", "new-2"}, keys)
	assert.True(t, r.badHeader)

	// Block 1 damaged too: the highest generation.
	data[journalBlock+frameHeader] ^= 1
	require.NoError(t, os.WriteFile(path, data, 0o600))
	keys, r = readJournal(t, path)
	assert.Equal(t, []string{"new-2"}, keys)
	assert.True(t, r.badHeader)
	assert.Equal(t, []int64{journalBlock}, r.damaged)
}

func TestJournalAfterReset(t *testing.T) {
	journalModes(t, func(t *testing.T, direct bool) {
		path := filepath.Join(t.TempDir(), "j")
		j, err := openJournal(path, direct)
		require.NoError(t, err)
		appendKeys(t, j, "old-1", "old-2", "old-3")
		require.NoError(t, j.reset())
		assert.True(t, journalEmpty(j))
		appendKeys(t, j, "new")
		assert.Equal(t, []string{"new"}, readKeys(t, path), "the earlier generation's frames that follow are not read")
		require.NoError(t, j.reset())
		assert.Empty(t, readKeys(t, path))
		require.NoError(t, j.close())
	})
}

func TestJournalGrowsAndContinues(t *testing.T) {
	journalModes(t, func(t *testing.T, direct bool) {
		path := filepath.Join(t.TempDir(), "j")
		j, err := openJournal(path, direct)
		require.NoError(t, err)
		var want []string
		big := make([]byte, 3000) // frames cross block boundaries
		for i := range 60 {
			k := fmt.Sprintf("k%02d", i)
			want = append(want, k)
			require.NoError(t, j.appendFrame([]byte("g"), []frameEntry{{key: []byte(k), record: big}}))
		}
		assert.Greater(t, j.alloc, int64(journalInitial), "grown")
		require.NoError(t, j.close())
		assert.Equal(t, want, readKeys(t, path))

		// Reopened, it goes on after its last frame.
		j, err = openJournal(path, direct)
		require.NoError(t, err)
		_, err = j.readFrames(func([]byte, []frameEntry) error { return nil })
		require.NoError(t, err)
		appendKeys(t, j, "after")
		require.NoError(t, j.close())
		assert.Equal(t, append(want, "after"), readKeys(t, path))
	})
}

// FuzzJournalFrame checks that any bytes read as a frame give a frame
// within them or an error, never a panic.
func FuzzJournalFrame(f *testing.F) {
	j := &journal{gen: 7, size: journalBlock}
	buf := alignedBlocks(2 * journalBlock)
	payload := append([]byte{1, 'g', 1, 'k', 3}, "rec"...)
	binary.BigEndian.PutUint32(buf, uint32(len(payload)))
	binary.BigEndian.PutUint64(buf[4:], j.gen)
	copy(buf[frameHeader:], payload)
	binary.BigEndian.PutUint32(buf[12:], frameSum(buf[4:12], payload))
	f.Add(buf[:frameHeader+len(payload)], uint64(7))
	f.Add([]byte{0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 0, 0}, uint64(7))
	f.Fuzz(func(t *testing.T, data []byte, gen uint64) {
		group, entries, n, err := decodeFrame(data, gen)
		if err != nil {
			return
		}
		if n > len(data) || n < frameHeader {
			t.Fatalf("frame of %d bytes in %d", n, len(data))
		}
		_ = group
		for _, e := range entries {
			_, _ = preparedFromRecord(e.key, e.record)
		}
	})
}

// FuzzJournalRead checks that any file read as a journal gives frames of
// the generation it reads, within the file, and a journal that takes
// frames after them, never a panic. The seeds are a journal of three
// frames, whole, with a damaged frame and with a damaged header.
func FuzzJournalRead(f *testing.F) {
	dir := f.TempDir()
	path := filepath.Join(dir, "seed")
	j, err := openJournal(path, false)
	require.NoError(f, err)
	for _, k := range []string{"a", "b", "c"} {
		require.NoError(f, j.appendFrame([]byte("g"), []frameEntry{{key: []byte(k), record: []byte("record of " + k)}}))
	}
	require.NoError(f, j.close())
	seed, err := os.ReadFile(path)
	require.NoError(f, err)
	seed = seed[:4*journalBlock]
	f.Add(seed)
	middle := append([]byte{}, seed...)
	middle[2*journalBlock+frameHeader] ^= 1
	f.Add(middle)
	header := append([]byte{}, seed...)
	header[20] ^= 1
	f.Add(header)
	f.Add(seed[:journalBlock+40])
	f.Fuzz(func(t *testing.T, data []byte) {
		gen, ok := decodeHeader(data)
		if !ok {
			if gen, ok = framesGeneration(data); !ok {
				return
			}
		}
		frames := 0
		r, end, err := scanFrames(data, gen, func(group []byte, entries []frameEntry) error {
			frames++
			for _, e := range entries {
				_, _ = preparedFromRecord(e.key, e.record)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		if end < 0 || end%journalBlock != 0 || journalBlock+end > len(data)+journalBlock-1 {
			t.Fatalf("frames end at %d in %d bytes", end, len(data))
		}
		if frames != r.frames || r.after > r.frames || r.cutFrames > r.frames {
			t.Fatalf("%d frames read, %+v", frames, r)
		}
		for _, o := range r.damaged {
			if o < journalBlock || o >= int64(len(data)) {
				t.Fatalf("damage at %d in %d bytes", o, len(data))
			}
		}
	})
}
