package cache

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// damageGroup is the group of damaged caches' entries.
var damageGroup = jxta.NewGroupIDFromSeed([]byte("cache damage test"))

// Sizes of the damaged cache: stored entries (some remote) and
// publications pending in the journal.
const (
	damageStored  = 20
	damageRemote  = 5
	damagePending = 3
)

// damagedCache makes a cache file of damageStored entries, with
// damagePending more publications in its journal only, as a crash leaves
// them, and returns the contents of the file and of its journal.
func damagedCache(t testing.TB) (db, journal []byte) {
	t.Helper()
	c, path := openTest(t, Options{})
	c.flushDelay = time.Hour
	g := damageGroup
	alice := signer(t)
	for i := range damageStored {
		// Long names: a file of more than 64 KiB.
		p := pipe(g, fmt.Sprintf("stored-%02d %0800d", i, i))
		if i < damageRemote {
			require.NoError(t, c.PublishAll(g, []Publication{remote(p, alice, life)}))
		} else {
			require.NoError(t, c.Publish(g, p, life, exp))
		}
	}
	require.NoError(t, c.flush(nil))
	for i := range damagePending {
		require.NoError(t, c.Publish(g, pipe(g, fmt.Sprintf("pending-%d", i)), life, exp))
	}
	db, err := os.ReadFile(path)
	require.NoError(t, err)
	journal, err = os.ReadFile(path + journalSuffix)
	require.NoError(t, err)
	return db, journal
}

// openDamaged writes db and journal as a cache's files, opens it and
// returns it with the lines it logged.
func openDamaged(t *testing.T, db, journal []byte) (*Cache, string, []string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cm.db")
	require.NoError(t, os.WriteFile(path, db, 0o600))
	require.NoError(t, os.WriteFile(path+journalSuffix, journal, 0o600))
	var log logLines
	c, err := Open(path, Options{CollectInterval: -1, Logger: log.logger(), Clock: newClock().Now})
	require.NoError(t, err, "a damaged cache opens")
	t.Cleanup(func() { c.Close() })
	return c, path, log.all()
}

// countDamaged returns the stored and pending entries of the damaged cache
// that c holds.
func countDamaged(t *testing.T, c *Cache) (stored, pending int) {
	t.Helper()
	for _, prefix := range []string{"stored-*", "pending-*"} {
		got, err := c.Search(damageGroup, advert.Adv, "Name", prefix, MaxThreshold)
		require.NoError(t, err)
		for _, e := range got {
			a, err := e.Advertisement()
			require.NoError(t, err, "what is recovered reads back")
			require.Equal(t, Key(a), e.Key)
		}
		if prefix == "stored-*" {
			stored = len(got)
		} else {
			pending = len(got)
		}
	}
	return stored, pending
}

// works checks that c takes a publication and finds it, and that the
// file opens again without a word.
func works(t *testing.T, c *Cache, path string) {
	t.Helper()
	p := pipe(damageGroup, "after the damage")
	require.NoError(t, c.Publish(damageGroup, p, life, exp))
	got, err := c.Search(damageGroup, advert.Adv, "Name", "after the damage", 10)
	require.NoError(t, err)
	assert.Equal(t, []string{Key(p)}, keys(got))
	n := c.Len(damageGroup)
	require.NoError(t, c.Close())
	var log logLines
	c2, err := Open(path, Options{CollectInterval: -1, Logger: log.logger()})
	require.NoError(t, err)
	defer c2.Close()
	assert.Empty(t, log.all(), "the new file is sound")
	assert.Equal(t, n, c2.Len(damageGroup))
}

var (
	recoveredRE = regexp.MustCompile(`recovered (\d+) of (\d+) entries and (\d+) journal publications; (none lost|(\d+) lost)`)
	asideRE     = regexp.MustCompile(`moved aside to (\S+);`)
)

// TestDamagedFile damages the cache file in each way a disk or a person
// does, opens it and checks the one line it logs and what survives.
func TestDamagedFile(t *testing.T) {
	t.Parallel()
	db, journal := damagedCache(t)
	require.Greater(t, len(db), 64<<10)
	m, err := parseMeta(db)
	require.NoError(t, err)
	ps := m.pageSize
	// The pages holding records (whose documents hold "<Name>stored-").
	var recordPages []int
	for p := 2; p < len(db)/ps; p++ {
		if bytes.Contains(db[p*ps:(p+1)*ps], []byte("<Name>stored-")) {
			recordPages = append(recordPages, p)
		}
	}
	require.GreaterOrEqual(t, len(recordPages), 4)
	for _, tt := range []struct {
		name   string
		damage func([]byte) []byte
		reason string // in the line
		some   bool   // some entries are lost
	}{
		{name: "truncated to 64 KiB", damage: func(b []byte) []byte { return b[:64<<10] }, reason: "file too short: 65536 bytes", some: true},
		{name: "4 pages zeroed", damage: func(b []byte) []byte {
			for _, p := range recordPages[:4] {
				clear(b[p*ps : (p+1)*ps])
			}
			return b
		}, reason: "holds page 0", some: true},
		{name: "0 bytes", damage: func([]byte) []byte { return nil }, reason: "file too short: 0 bytes", some: true},
		{name: "64 flipped data bytes", damage: func(b []byte) []byte {
			r := rand.New(rand.NewPCG(64, 64))
			for range 64 {
				b[2*ps+r.IntN(len(b)-2*ps)] ^= byte(1 + r.IntN(255))
			}
			return b
		}, some: true},
		{name: "both meta pages", damage: func(b []byte) []byte {
			b[20] ^= 1
			b[ps+20] ^= 1
			return b
		}, reason: "no valid meta page", some: true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, path, lines := openDamaged(t, tt.damage(append([]byte{}, db...)), journal)
			require.Len(t, lines, 1, "one line: %q", lines)
			line := lines[0]
			t.Log(line)
			assert.Contains(t, line, "level=ERROR")
			assert.Contains(t, line, path+" was damaged (")
			assert.Contains(t, line, tt.reason)
			aside := asideRE.FindStringSubmatch(line)
			require.Len(t, aside, 2)
			kept, err := os.ReadFile(aside[1])
			require.NoError(t, err)
			assert.Equal(t, string(tt.damage(append([]byte{}, db...))), string(kept), "the damaged file is kept as it was")

			stored, pending := countDamaged(t, c)
			assert.Equal(t, damagePending, pending, "the journal's publications")
			if m := recoveredRE.FindStringSubmatch(line); m != nil {
				recovered, _ := strconv.Atoi(m[1])
				held, _ := strconv.Atoi(m[2])
				fromJournal, _ := strconv.Atoi(m[3])
				assert.Equal(t, stored, recovered)
				assert.Equal(t, damageStored, held)
				assert.Equal(t, damagePending, fromJournal)
				if stored < damageStored {
					assert.Contains(t, line, fmt.Sprintf("; %d lost", damageStored-stored))
				}
			} else {
				assert.Contains(t, line, fmt.Sprintf("recovered %d entries (how many it held is unknown) and %d journal publications", stored, damagePending))
			}
			if tt.some {
				assert.Less(t, stored, damageStored)
			}
			t.Logf("%s: %d of %d entries recovered, %d of %d journal publications", tt.name, stored, damageStored, pending, damagePending)
			works(t, c, path)
		})
	}
}

// TestDamagedJournal damages the journal in each way, and checks the one
// line logged and the publications recovered.
func TestDamagedJournal(t *testing.T) {
	t.Parallel()
	db, journal := damagedCache(t)
	// The journal: header, then one frame of one block per publication.
	require.Equal(t, journalBlock, int(blocksFor(frameHeader+len(journal[journalBlock:journalBlock+10]))))
	frame := func(i int) int { return journalBlock * (1 + i) }
	for _, tt := range []struct {
		name    string
		damage  func([]byte) []byte
		line    string
		pending int
	}{
		{name: "a flipped header byte", damage: func(b []byte) []byte { b[17] ^= 0x10; return b },
			line: "journal was damaged: its header failed its checksum; 3 frames after it read; 3 publications recovered", pending: 3},
		{name: "a flipped byte in the middle frame", damage: func(b []byte) []byte { b[frame(1)+frameHeader+7] ^= 1; return b },
			line: fmt.Sprintf("journal frame at offset %d damaged; skipped; 1 frame after it recovered; 2 publications recovered", frame(1)), pending: 2},
		{name: "cut in the last frame", damage: func(b []byte) []byte { return b[:frame(2)+20] },
			line: fmt.Sprintf("cut short at %d bytes; 2 frames before the cut recovered, what followed lost; 2 publications recovered", frame(2)+20), pending: 2},
		{name: "cut after the second frame", damage: func(b []byte) []byte { return b[:frame(2)] },
			line: fmt.Sprintf("cut short at %d bytes; 2 frames before the cut recovered, what followed lost; 2 publications recovered", frame(2)), pending: 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c, path, lines := openDamaged(t, db, tt.damage(append([]byte{}, journal...)))
			require.Len(t, lines, 1, "one line: %q", lines)
			t.Log(lines[0])
			assert.Contains(t, lines[0], "level=ERROR")
			assert.Contains(t, lines[0], tt.line)
			assert.Contains(t, lines[0], "a copy of it is at "+path+journalSuffix+".damaged-")
			stored, pending := countDamaged(t, c)
			assert.Equal(t, damageStored, stored)
			assert.Equal(t, tt.pending, pending)
			works(t, c, path)
		})
	}

	t.Run("a torn last frame is no damage", func(t *testing.T) {
		t.Parallel()
		j := append([]byte{}, journal...)
		j[frame(2)+frameHeader+3] ^= 1
		c, path, lines := openDamaged(t, db, j)
		require.Len(t, lines, 1)
		assert.Contains(t, lines[0], "level=INFO")
		assert.Contains(t, lines[0], "recovering publications from the journal")
		_, pending := countDamaged(t, c)
		assert.Equal(t, 2, pending)
		works(t, c, path)
	})

	t.Run("both", func(t *testing.T) {
		t.Parallel()
		j := append([]byte{}, journal...)
		j[frame(1)+frameHeader+7] ^= 1
		c, _, lines := openDamaged(t, db[:64<<10], j)
		require.Len(t, lines, 1)
		t.Log(lines[0])
		assert.Contains(t, lines[0], "and 2 journal publications")
		assert.Contains(t, lines[0], fmt.Sprintf("and its journal was damaged: journal frame at offset %d damaged", frame(1)))
		_, pending := countDamaged(t, c)
		assert.Equal(t, 2, pending)
	})
}

// TestCheckFileSound checks that checkFile finds nothing wrong in files the
// cache made through every kind of change, and agrees with bbolt's own
// check.
func TestCheckFileSound(t *testing.T) {
	t.Parallel()
	clk := newClock()
	c, path := openTest(t, Options{Clock: clk.Now, MaxEntries: 300, PublisherQuota: 50})
	alice := signer(t)
	groups := []jxta.GroupID{jxta.NewGroupID(), jxta.NewGroupID()}
	check := func(when string) {
		require.NoError(t, c.flush(nil))
		f, err := os.Open(path)
		require.NoError(t, err)
		defer f.Close()
		st, err := f.Stat()
		require.NoError(t, err)
		assert.NoError(t, checkFile(f, st.Size(), advert.NewRegistry()), when)
		require.NoError(t, c.db.View(func(tx *bolt.Tx) error {
			for err := range tx.Check() {
				t.Errorf("%s: bbolt: %v", when, err)
			}
			return nil
		}))
	}
	check("new")
	big := fmt.Sprintf("%05000d", 0) // overflow pages
	for round := range 4 {
		for _, g := range groups {
			for i := range 200 {
				name := fmt.Sprintf("r%d-%d", round, i)
				if i%10 == 0 {
					name += big
				}
				p := pipe(g, name)
				if i%4 == 0 {
					err := c.PublishAll(g, []Publication{remote(p, alice, time.Duration(i+1)*time.Minute)})
					if err != nil {
						require.ErrorAs(t, err, new(*RefusedError))
					}
				} else {
					require.NoError(t, c.Publish(g, p, time.Duration(i+1)*time.Minute, exp))
				}
				if i%7 == 0 {
					require.NoError(t, c.Remove(g, Key(p)))
				}
			}
			require.NoError(t, c.Publish(g, peer(g, "a peer"), life, exp))
			require.NoError(t, c.Publish(g, group("a group"), life, exp))
		}
		check(fmt.Sprintf("round %d", round))
		clk.Advance(90 * time.Minute)
		_, err := c.Collect()
		require.NoError(t, err)
		check(fmt.Sprintf("round %d collected", round))
		_, err = c.Flush(groups[0], advert.Peers)
		require.NoError(t, err)
		check(fmt.Sprintf("round %d flushed", round))
	}
}

// TestDamageNeverPanics damages a real cache file at random, a few hundred
// times, and opens it each time: it opens, and works.
func TestDamageNeverPanics(t *testing.T) {
	t.Parallel()
	db, journal := damagedCache(t)
	m, err := parseMeta(db)
	require.NoError(t, err)
	ps := m.pageSize
	r := rand.New(rand.NewPCG(15, 5))
	dir := t.TempDir()
	start := time.Now()
	runs, damaged := 0, 0
	for i := range 400 {
		if time.Since(start) > 8*time.Second {
			break
		}
		b := append([]byte{}, db...)
		switch r.IntN(4) {
		case 0: // flipped bytes anywhere
			for range 1 + r.IntN(64) {
				b[r.IntN(len(b))] ^= byte(1 + r.IntN(255))
			}
		case 1: // zeroed or garbage pages
			for range 1 + r.IntN(4) {
				p := r.IntN(len(b) / ps)
				for k := p * ps; k < (p+1)*ps; k++ {
					if r.IntN(2) == 0 {
						b[k] = 0
					} else {
						b[k] = byte(r.Uint32())
					}
				}
			}
		case 2: // cut
			b = b[:r.IntN(len(b))]
		case 3: // a page copied over another
			from, to := r.IntN(len(b)/ps), r.IntN(len(b)/ps)
			copy(b[to*ps:(to+1)*ps], db[from*ps:(from+1)*ps])
		}
		j := append([]byte{}, journal...)
		if r.IntN(3) == 0 {
			j[r.IntN(len(j))] ^= byte(1 + r.IntN(255))
		}
		path := filepath.Join(dir, fmt.Sprintf("cm-%d.db", i))
		require.NoError(t, os.WriteFile(path, b, 0o600))
		require.NoError(t, os.WriteFile(path+journalSuffix, j, 0o600))
		var log logLines
		c, err := Open(path, Options{CollectInterval: -1, Logger: log.logger()})
		require.NoError(t, err, "run %d", i)
		lines := log.all()
		require.LessOrEqual(t, len(lines), 1, "run %d: %q", i, lines)
		if len(lines) == 1 && regexp.MustCompile(`level=ERROR`).MatchString(lines[0]) {
			damaged++
		}
		_, _ = countDamaged(t, c)
		require.NoError(t, c.Publish(damageGroup, pipe(damageGroup, "after"), life, exp), "run %d", i)
		got, err := c.Search(damageGroup, advert.Adv, "Name", "after", 10)
		require.NoError(t, err)
		require.Len(t, got, 1, "run %d", i)
		require.NoError(t, c.Close())
		runs++
	}
	t.Logf("%d damaged caches opened (%d reported damage) in %v", runs, damaged, time.Since(start).Round(time.Millisecond))
	assert.Greater(t, runs, 100)
}
