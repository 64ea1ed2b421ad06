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
	j, err := openJournal(path, false)
	require.NoError(t, err)
	defer j.close()
	var keys []string
	require.NoError(t, j.readFrames(func(g []byte, entries []frameEntry) error {
		assert.Equal(t, "g", string(g))
		for _, e := range entries {
			keys = append(keys, string(e.key))
		}
		return nil
	}))
	return keys
}

func appendKeys(t *testing.T, j *journal, keys ...string) {
	t.Helper()
	for _, k := range keys {
		require.NoError(t, j.appendFrame([]byte("g"), []frameEntry{{key: []byte(k), record: []byte("record of " + k)}}))
	}
}

func TestJournalStopsAtATornFrame(t *testing.T) {
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
		assert.Equal(t, []string{"a", "b", "c"}, readKeys(t, path))

		spoil := func(at int64) {
			bad := append([]byte{}, data...)
			bad[at] ^= 0xff
			require.NoError(t, os.WriteFile(path, bad, 0o600))
		}
		spoil(journalBlock + 2*frameLen + frameHeader + 3)
		assert.Equal(t, []string{"a", "b"}, readKeys(t, path), "the last frame fails its checksum")
		spoil(journalBlock + frameLen + 5)
		assert.Equal(t, []string{"a"}, readKeys(t, path), "a frame of another generation, and what follows")
		spoil(journalBlock + frameLen + 1)
		assert.Equal(t, []string{"a"}, readKeys(t, path), "a frame longer than the file")
		spoil(20)
		assert.Empty(t, readKeys(t, path), "a header failing its checksum: nothing")
	})
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
		require.NoError(t, j.readFrames(func([]byte, []frameEntry) error { return nil }))
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
