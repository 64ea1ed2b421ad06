package cache

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
)

// Publications reach the B+tree in two steps. A publication is first
// pending: written to the journal (unless Remember stored it) and kept in
// memory, where lookups see it, which costs one disk write. A flush then
// moves every pending entry into the B+tree in one transaction and empties
// the journal: the dozen page writes and two syncs of a transaction are
// paid once for many publications, and never while a publisher waits.
const (
	// defaultFlushDelay is how long an entry stays pending before a
	// background flush moves it.
	defaultFlushDelay = 10 * time.Second
	// flushBatch is the number of pending entries that starts a flush at
	// once.
	flushBatch = 64
	// maxPending bounds the pending entries: a publication that finds
	// more moves them itself before it returns.
	maxPending = 1024
	// maxJournal bounds the journal: a flush that finds it longer makes
	// publications wait until it is emptied.
	maxJournal = 4 << 20
)

// flushState is what the background flusher is doing.
type flushState uint8

const (
	flushIdle      flushState = iota
	flushScheduled            // a timer will start a flush
	flushRunning              // a flush runs on a goroutine of its own
	flushStopped              // the cache is closing: no more background work
)

// addPending makes items pending in group, after writing them to the
// journal when durable. Remote items that the rules of remote entries
// refuse (see admitPending) are left out and reported in refused.
func (c *Cache) addPending(group []byte, items []*prepared, durable bool) (refused *RefusedError, err error) {
	c.jmu.Lock()
	defer c.jmu.Unlock()
	if c.journal == nil {
		return nil, bolt.ErrDatabaseNotOpen
	}
	if items, refused = c.admitPending(group, items); len(items) == 0 {
		return refused, nil
	}
	if durable {
		entries := make([]frameEntry, len(items))
		for i, it := range items {
			entries[i] = frameEntry{key: it.key, record: it.rec}
		}
		if err := c.journal.appendFrame(group, entries); err != nil {
			return nil, err
		}
	}
	c.pending.add(string(group), items)
	return refused, nil
}

// admitPending applies the rules of remote entries (Cache.admit) to the
// remote items, against what group holds, pending or stored, and the
// items before them, and returns the items admitted and, if some were
// not, why. The caller holds jmu, so that the pending entries do not
// change meanwhile; a flush may store some of them meanwhile, which
// changes nothing this reads (they stay pending until it is done). A
// publisher's pending entries all count in its quota, those that replace
// one of its stored entries too: the quota is checked again, exactly,
// when they are stored. A remote item that finds the group full of own
// entries is refused here when no remote entry is there to evict.
func (c *Cache) admitPending(group []byte, items []*prepared) ([]*prepared, *RefusedError) {
	remote := false
	for _, it := range items {
		remote = remote || it.origin != nil
	}
	if !remote {
		return items, nil
	}
	var refused *RefusedError
	out := items[:0:0]
	_ = c.db.View(func(tx *bolt.Tx) error {
		s, _ := openReadSpace(tx, group)
		c.pending.mu.RLock()
		defer c.pending.mu.RUnlock()
		g := c.pending.groups[string(group)]
		batch := make(map[string]*prepared) // earlier items of this call, by key
		batchNew := make(map[string]int)    // their new entries, by publisher
		total, remotes := 0, 0              // entries held, and remote ones
		if s.g != nil {
			total, remotes = s.count(), s.remoteCount()
		}
		if g != nil {
			total += len(g.byKey)
			remotes += g.remotes
		}
		for i, it := range items {
			if it.origin == nil {
				out = append(out, it)
				batch[string(it.key)] = it
				continue
			}
			var held *origin
			heldOK := false
			if b, ok := batch[string(it.key)]; ok {
				held, heldOK = b.origin, true
			} else if p, ok := g.get(string(it.key)); ok {
				held, heldOK = p.origin, true
			} else if s.adv != nil {
				if rec := s.adv.Get(it.key); rec != nil {
					if r, err := decodeRecord(rec); err == nil {
						held, heldOK = r.origin, true
					}
				}
			}
			pub := string(it.origin.publisher)
			published := s.published(it.origin.publisher) + g.publishedBy(pub) + batchNew[pub]
			err := c.admit(it, held, heldOK, published)
			if err == nil && !heldOK && total >= c.maxEntries && remotes == 0 {
				err = fmt.Errorf("%w: %d entries, none of them remote", ErrFull, c.maxEntries)
			}
			if err != nil {
				if refused == nil {
					refused = &RefusedError{Refused: make([]error, len(items))}
				}
				refused.Refused[i] = err
				continue
			}
			if !heldOK {
				batchNew[pub]++
				total++
				remotes++
			}
			out = append(out, it)
			batch[string(it.key)] = it
		}
		return nil
	})
	return out, refused
}

// pendingOverflow reports whether the entries pending in group may not
// fit its room, or too many entries are pending overall.
func (c *Cache) pendingOverflow(group []byte) bool {
	if c.pending.len() > maxPending {
		return true
	}
	pending := c.pending.count(string(group))
	stored := 0
	_ = c.db.View(func(tx *bolt.Tx) error {
		if s, ok := openReadSpace(tx, group); ok {
			stored = s.count()
		}
		return nil
	})
	return stored+pending > c.maxEntries
}

// scheduleFlush has the pending entries moved into the B+tree: at once if
// urgent, else after the flush delay.
func (c *Cache) scheduleFlush(urgent bool) {
	c.stateMu.Lock()
	defer c.stateMu.Unlock()
	switch c.flushState {
	case flushStopped, flushRunning:
		// A running flush looks for new entries when it ends.
		c.flushAgain = c.flushAgain || urgent && c.flushState == flushRunning
	case flushScheduled:
		if urgent && c.flushTimer.Stop() {
			c.flushState = flushRunning
			go c.backgroundFlush() // the timer's count in bg passes on
		}
	case flushIdle:
		c.bg.Add(1)
		if urgent {
			c.flushState = flushRunning
			go c.backgroundFlush()
			return
		}
		c.flushState = flushScheduled
		c.flushTimer = time.AfterFunc(c.flushDelay, func() {
			c.stateMu.Lock()
			if c.flushState != flushScheduled {
				c.stateMu.Unlock()
				c.bg.Done()
				return
			}
			c.flushState = flushRunning
			c.stateMu.Unlock()
			c.backgroundFlush()
		})
	}
}

// backgroundFlush flushes until nothing urgent is left, then schedules
// the next flush if entries are pending.
func (c *Cache) backgroundFlush() {
	defer c.bg.Done()
	for {
		if err := c.flush(nil); err != nil {
			c.log.Warn("advertisement cache: moving pending entries", "err", c.wrap(err))
		}
		c.stateMu.Lock()
		if c.flushState == flushStopped {
			c.stateMu.Unlock()
			return
		}
		if c.flushAgain {
			c.flushAgain = false
			c.stateMu.Unlock()
			continue
		}
		c.flushState = flushIdle
		c.stateMu.Unlock()
		if c.pending.len() > 0 {
			c.scheduleFlush(false)
		}
		return
	}
}

// stopFlusher stops background flushes and waits for a running one.
func (c *Cache) stopFlusher() {
	c.stateMu.Lock()
	if c.flushState == flushScheduled && c.flushTimer.Stop() {
		c.bg.Done()
	}
	c.flushState = flushStopped
	c.stateMu.Unlock()
}

// flush moves every pending entry into the B+tree, then runs op (if not
// nil) in the same transaction, and empties the journal when nothing was
// added to it meanwhile. Flushes run one at a time.
//
// A flush without op lets publications go on while it writes. The
// journal frames they add keep the journal from being emptied, and it
// may keep frames whose entries are in the B+tree: after a crash they are
// written again, which changes nothing (or brings back an entry that was
// evicted, or expired, which Collect deletes again). A flush with op
// makes publications wait, so that op sees every publication acknowledged
// before it and the journal is emptied: no frame written before op runs
// is read again after a crash.
func (c *Cache) flush(op func(tx *bolt.Tx) error) error {
	c.flushMu.Lock()
	defer c.flushMu.Unlock()
	c.jmu.Lock()
	locked := true
	defer func() {
		if locked {
			c.jmu.Unlock()
		}
	}()
	if c.journal == nil {
		return bolt.ErrDatabaseNotOpen
	}
	batch := c.pending.snapshot()
	if batch == nil && op == nil {
		return nil
	}
	size := c.journal.size
	if op == nil && size <= maxJournal {
		c.jmu.Unlock()
		locked = false
	}
	now := c.clock().UnixNano()
	err := c.db.Update(func(tx *bolt.Tx) error {
		if err := c.putBatch(tx, batch, now); err != nil {
			return err
		}
		if op != nil {
			return op(tx)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if !locked {
		c.jmu.Lock()
		locked = true
	}
	c.pending.removeApplied(batch)
	if c.journal == nil || c.journal.size != size {
		return nil // frames added meanwhile: a later flush empties it
	}
	return c.journal.reset()
}

// journalReplay is what replayJournal found and stored.
type journalReplay struct {
	journalRead
	entries int    // publications stored
	dropped int    // entries of frames that held whose records do not decode
	aside   string // where a copy of the damaged journal was written
}

// replayJournal moves what the journal holds into the B+tree, after a
// crash, and empties it. A damaged journal is copied aside first.
func (c *Cache) replayJournal() (journalReplay, error) {
	var batch pendingBatch
	var jr journalReplay
	var err error
	jr.journalRead, err = c.journal.readFrames(func(group []byte, entries []frameEntry) error {
		for _, e := range entries {
			it, err := preparedFromRecord(e.key, e.record)
			if err != nil {
				jr.dropped++
				continue
			}
			if batch == nil {
				batch = make(pendingBatch)
			}
			batch[string(group)] = append(batch[string(group)], it)
			jr.entries++
		}
		return nil
	})
	if err != nil {
		return jr, err
	}
	if jr.data != nil {
		path := c.path + journalSuffix
		jr.aside = c.asidePath(path)
		if err := os.WriteFile(jr.aside, jr.data, 0o600); err != nil {
			jr.aside = ""
			c.log.Warn("advertisement cache: keeping a copy of the damaged journal", "err", err)
		}
		jr.data = nil
	}
	if batch != nil {
		now := c.clock().UnixNano()
		if err := c.db.Update(func(tx *bolt.Tx) error { return c.putBatch(tx, batch, now) }); err != nil {
			return jr, err
		}
	}
	if err := c.journal.reset(); err != nil {
		return jr, err
	}
	// A journal cut short gets its blocks back.
	return jr, c.journal.grow(journalInitial)
}

// reportDamage logs, in one line, what Open found damaged in the cache
// file (d, nil if nothing) and in the journal, what it recovered and what
// was lost; or, after a crash, how many publications the journal gave.
func (c *Cache) reportDamage(d *storeDamage, jr journalReplay) {
	journalDamaged := jr.damage() || jr.dropped > 0
	if d == nil && !journalDamaged {
		if jr.entries > 0 {
			c.log.Info("advertisement cache: recovering publications from the journal", "entries", jr.entries)
		}
		return
	}
	var b strings.Builder
	b.WriteString("advertisement cache: ")
	if d != nil {
		fmt.Fprintf(&b, "%s was damaged (%v); moved aside to %s; ", c.path, d.reason, d.aside)
		if d.held > 0 {
			fmt.Fprintf(&b, "recovered %d of %d entries and %d journal publications; ", d.recovered, d.held, jr.entries)
			if lost := d.held - d.recovered; lost > 0 {
				fmt.Fprintf(&b, "%d lost", lost)
			} else {
				b.WriteString("none lost")
			}
		} else {
			fmt.Fprintf(&b, "recovered %d entries (how many it held is unknown) and %d journal publications", d.recovered, jr.entries)
		}
		if !journalDamaged {
			c.log.Error(b.String())
			return
		}
		b.WriteString("; and its journal was damaged: ")
	} else {
		fmt.Fprintf(&b, "%s%s was damaged: ", c.path, journalSuffix)
	}
	var parts []string
	if jr.badHeader {
		parts = append(parts, fmt.Sprintf("its header failed its checksum; %s after it read", count(jr.frames, "frame")))
	}
	if n := len(jr.damaged); n > 0 {
		offs := make([]string, n)
		for i, o := range jr.damaged {
			offs[i] = strconv.FormatInt(o, 10)
		}
		if n == 1 {
			parts = append(parts, fmt.Sprintf("journal frame at offset %s damaged; skipped; %s after it recovered", offs[0], count(jr.after, "frame")))
		} else {
			parts = append(parts, fmt.Sprintf("journal frames at offsets %s damaged; skipped; %s after them recovered", strings.Join(offs, ", "), count(jr.after, "frame")))
		}
	}
	if jr.cut > 0 {
		parts = append(parts, fmt.Sprintf("cut short at %d bytes; %s before the cut recovered, what followed lost", jr.cut, count(jr.cutFrames, "frame")))
	}
	if jr.dropped > 0 {
		parts = append(parts, fmt.Sprintf("%s of its frames did not decode, lost", count(jr.dropped, "entry")))
	}
	b.WriteString(strings.Join(parts, "; "))
	if d == nil {
		fmt.Fprintf(&b, "; %s recovered", count(jr.entries, "publication"))
	}
	if jr.aside != "" {
		fmt.Fprintf(&b, "; a copy of it is at %s", jr.aside)
	}
	// An error, not a warning: data was lost or nearly so, and a user
	// should see it without asking for the log (jxtashell shows errors).
	c.log.Error(b.String())
}

// count returns n and noun, in the plural unless n is 1.
func count(n int, noun string) string {
	switch {
	case n == 1:
		return "1 " + noun
	case strings.HasSuffix(noun, "y"):
		return fmt.Sprintf("%d %sies", n, noun[:len(noun)-1])
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// putBatch stores the entries of b, in order within each group.
func (c *Cache) putBatch(tx *bolt.Tx, b pendingBatch, now int64) error {
	for name, items := range b {
		s, err := createSpace(tx, []byte(name))
		if err != nil {
			return err
		}
		for _, it := range items {
			if err := c.put(s, it, now); err != nil {
				var r *refusal
				if !errors.As(err, &r) {
					return err
				}
				c.log.Debug("advertisement cache: remote entry not stored", "key", string(it.key), "err", err)
			}
		}
	}
	return nil
}
