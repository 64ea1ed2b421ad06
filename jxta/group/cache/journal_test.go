package cache

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

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
	require.Positive(t, c.journal.size)

	crashed := filepath.Join(t.TempDir(), "cm.db")
	copyFile(t, path, crashed)
	copyFile(t, path+journalSuffix, crashed+journalSuffix)
	c2, err := Open(crashed, Options{CollectInterval: -1})
	require.NoError(t, err)
	defer c2.Close()
	assert.Zero(t, c2.journal.size, "journal emptied")
	assert.Zero(t, c2.pending.len(), "nothing pending: replayed into the B+tree")
	assert.Equal(t, 2, c2.Len(g), "the two durable publications, not the remembered one")
	for name, want := range map[string]int{"pending": 1, "renamed": 1, "flushed": 0, "remembered": 0} {
		got, err := c2.Search(g, advert.Adv, "Name", name, 10)
		require.NoError(t, err)
		assert.Len(t, got, want, name)
	}
	assert.Len(t, indexRefs(t, c2, g, Key(flushed)), 5, "the replaced entry's old index entries are gone")
}

func TestJournalStopsAtATornFrame(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "j")
	j, err := openJournal(path)
	require.NoError(t, err)
	group := []byte("g")
	for _, k := range []string{"a", "b", "c"} {
		require.NoError(t, j.appendFrame(group, []frameEntry{{key: []byte(k), record: []byte("record of " + k)}}))
	}
	whole := j.size
	require.NoError(t, j.close())
	data, err := os.ReadFile(path)
	require.NoError(t, err)

	read := func(data []byte) (keys []string, n int64) {
		require.NoError(t, os.WriteFile(path, data, 0o600))
		j, err := openJournal(path)
		require.NoError(t, err)
		defer j.close()
		n, err = j.readFrames(func(g []byte, entries []frameEntry) error {
			assert.Equal(t, group, g)
			for _, e := range entries {
				keys = append(keys, string(e.key))
			}
			return nil
		})
		require.NoError(t, err)
		return keys, n
	}
	keys, n := read(data)
	assert.Equal(t, []string{"a", "b", "c"}, keys)
	assert.Equal(t, whole, n)

	keys, _ = read(data[:len(data)-3])
	assert.Equal(t, []string{"a", "b"}, keys, "a frame cut short")
	keys, _ = read(append(append([]byte{}, data...), 0, 0, 0, 9, 1, 2))
	assert.Equal(t, []string{"a", "b", "c"}, keys, "the start of a frame")
	bad := append([]byte{}, data...)
	bad[whole/3+10] ^= 0xff
	keys, _ = read(bad)
	assert.Equal(t, []string{"a"}, keys, "a frame failing its checksum, and what follows")
}
