package cache

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta/advert"
	bolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Defaults and limits.
const (
	// DefaultMaxEntries is the number of entries a group keeps when
	// Options.MaxEntries is zero.
	DefaultMaxEntries = 100_000
	// DefaultPublisherQuota is the number of remote entries one publisher
	// may have in a group when Options.PublisherQuota is zero: far more
	// than a peer publishes, far less than the group's room.
	DefaultPublisherQuota = 1000
	// DefaultThreshold is the number of results Search returns when asked
	// for zero or fewer (the discovery query's default threshold).
	DefaultThreshold = 10
	// MaxThreshold caps the number of results of one Search, whatever the
	// threshold asked for.
	MaxThreshold = 1000
	// DefaultCollectInterval is how often the background collector runs
	// when Options.CollectInterval is zero (JXSE checks every minute).
	DefaultCollectInterval = time.Minute
	// Forever, as a lifetime, keeps an entry until it is removed; as an
	// expiration it is JXSE's NO_EXPIRATION (2^63-1 ms on the wire).
	Forever time.Duration = math.MaxInt64
)

// lockTimeout is how long Open waits for the file lock before failing with
// ErrLocked.
const lockTimeout = 100 * time.Millisecond

// Errors returned by the cache. Each error it returns wraps one of these,
// or an I/O error.
var (
	// ErrClosed reports a call on a closed Cache.
	ErrClosed = errors.New("cache closed")
	// ErrLocked reports a cache file that another Cache, in this process or
	// another, has open.
	ErrLocked = errors.New("cache file in use")
	// ErrInvalid reports an argument the cache cannot store: a lifetime or
	// expiration out of range, or an advertisement whose key or index
	// fields contain a NUL byte, or whose document does not parse back.
	ErrInvalid = errors.New("invalid argument")
	// ErrCorrupt reports a stored record that cannot be decoded.
	ErrCorrupt = errors.New("corrupt cache record")
	// ErrVersion reports a cache file written by an incompatible version.
	ErrVersion = errors.New("unsupported cache format version")
	// ErrNotReplaceable reports a remote publication whose key is held as
	// this peer's own entry, or as another publisher's.
	ErrNotReplaceable = errors.New("held by this peer or another publisher")
	// ErrQuota reports a remote publication whose publisher has
	// Options.PublisherQuota entries in the group already.
	ErrQuota = errors.New("publisher quota reached")
	// ErrFull reports a remote publication that finds the group full of
	// this peer's own entries, which it does not evict.
	ErrFull = errors.New("group full of own entries")
)

// RefusedError reports the remote publications of a call that the cache
// did not store (the others were stored). It unwraps to the reasons:
// errors.Is(err, ErrQuota) tells whether one was refused for its quota.
type RefusedError struct {
	// Refused holds, for each publication of the call, nil or why it was
	// refused.
	Refused []error
}

func (e *RefusedError) Error() string {
	n := 0
	var first error
	for _, err := range e.Refused {
		if err != nil {
			n++
			first = cmp.Or(first, err)
		}
	}
	return fmt.Sprintf("%d of %d remote publications refused (first: %v)", n, len(e.Refused), first)
}

// Unwrap returns the reasons.
func (e *RefusedError) Unwrap() []error {
	var out []error
	for _, err := range e.Refused {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// Options configures a Cache. The zero value is ready to use.
type Options struct {
	// Clock returns the current time, against which lifetimes are
	// measured. Nil means time.Now.
	Clock func() time.Time
	// MaxEntries bounds the entries of one group. When a new entry would
	// exceed it, expired entries are deleted first, then remote entries
	// closest to the end of their lifetime, then (for this peer's own
	// publications only: a remote entry never evicts one) own entries the
	// same way. Zero or less means DefaultMaxEntries.
	MaxEntries int
	// PublisherQuota bounds the remote entries (Publication.Signed) one
	// publisher may have in a group; zero or less means
	// DefaultPublisherQuota. This peer's own publications do not count.
	PublisherQuota int
	// CollectInterval is how often expired entries are deleted in the
	// background (Collect, run by a timer: an idle cache holds no
	// goroutine). Zero means DefaultCollectInterval; a negative value
	// turns it off, and the caller calls Collect itself.
	CollectInterval time.Duration
	// Registry decodes stored documents (Entry.Advertisement) and checks
	// published ones. Nil means the built-in advertisement types.
	Registry *advert.Registry
	// Volatile makes Publish and PublishAll store as Remember does,
	// without waiting for a write to the disk: for a cache that does not
	// outlive its process (a node without a home directory keeps its
	// cache in a temporary directory it removes when it closes), whose
	// publications nothing reads after a crash anyway. Close still
	// stores everything in the file.
	Volatile bool
	// Logger receives debug messages about collection and eviction, and
	// the one error line Open logs when it finds the file or its journal
	// damaged (see Damage in the package doc). Nil means no logging.
	Logger *slog.Logger
}

// Cache is a peer's advertisement cache, stored in one file and its
// journal. It is safe for concurrent use: searches run in parallel with
// each other and with one writer at a time.
type Cache struct {
	db         *bolt.DB
	path       string
	clock      func() time.Time
	maxEntries int
	quota      int // Options.PublisherQuota
	volatile   bool
	reg        *advert.Registry
	log        *slog.Logger

	// flushMu makes flushes run one at a time; jmu guards journal (nil
	// once closed) and is held while a publication is written to it and
	// while a flush takes the pending entries (see flush.go).
	flushMu sync.Mutex
	jmu     sync.Mutex
	journal *journal
	pending pendingSet

	// stateMu guards the background work: the flush timer and state, and
	// the collector's timer, each of which counts in bg while it may run.
	stateMu         sync.Mutex
	flushState      flushState
	flushDelay      time.Duration // defaultFlushDelay; tests change it
	flushAgain      bool          // a flush was asked for while one ran
	flushTimer      *time.Timer
	collectInterval time.Duration // <= 0: no background collection
	collectTimer    *time.Timer
	collectStopped  bool
	bg              sync.WaitGroup

	closeOnce sync.Once
	closeErr  error
}

// Open opens the cache stored at path, and its journal at path+"-journal",
// creating the files (but not their directory) if they do not exist. If
// another Cache has the file open, Open fails within about 100 ms with an
// error wrapping ErrLocked. Publications the journal holds after a crash
// are moved into the file first. A damaged file is moved aside and what
// can be read of it salvaged into a new one, and a damaged journal read
// past its damage, with one error line to opts.Logger (see Damage in the
// package doc); Open fails only on I/O errors, a locked file or a file of
// a later format version. Unless opts.CollectInterval is negative,
// Open arms a background collector that Close stops.
func Open(path string, opts Options) (*Cache, error) {
	c := &Cache{
		path:       path,
		clock:      opts.Clock,
		maxEntries: opts.MaxEntries,
		quota:      opts.PublisherQuota,
		volatile:   opts.Volatile,
		reg:        opts.Registry,
		log:        opts.Logger,
		flushDelay: defaultFlushDelay,
	}
	if c.clock == nil {
		c.clock = time.Now
	}
	if c.maxEntries <= 0 {
		c.maxEntries = DefaultMaxEntries
	}
	if c.quota <= 0 {
		c.quota = DefaultPublisherQuota
	}
	if c.reg == nil {
		c.reg = advert.NewRegistry()
	}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	damage, err := c.openStore()
	if err != nil {
		if errors.Is(err, bolterrors.ErrTimeout) {
			err = fmt.Errorf("%w (the file lock was not released within %v: is another peer using this home directory?)", ErrLocked, lockTimeout)
		}
		return nil, fmt.Errorf("advertisement cache %s: %w", path, err)
	}
	j, err := openJournal(path+journalSuffix, true)
	if err != nil {
		c.db.Close()
		return nil, fmt.Errorf("advertisement cache %s: journal: %w", path, err)
	}
	c.journal = j
	jr, err := c.replayJournal()
	if err != nil {
		j.close()
		c.db.Close()
		return nil, fmt.Errorf("advertisement cache %s: journal: %w", path, err)
	}
	if c.volatile {
		// Nothing is written to the journal from now on: its files are
		// closed (a swarm of peers in one process would run out of file
		// descriptors), and an empty journal stands in.
		if err := j.close(); err != nil {
			c.db.Close()
			return nil, fmt.Errorf("advertisement cache %s: journal: %w", path, err)
		}
		c.journal = &journal{size: journalBlock}
	}
	c.reportDamage(damage, jr)
	c.collectInterval = opts.CollectInterval
	if c.collectInterval == 0 {
		c.collectInterval = DefaultCollectInterval
	}
	c.armCollector()
	return c, nil
}

// Close stops the background work, moves the pending publications into
// the file and closes it, waiting for calls in progress. Calls after
// Close fail with ErrClosed. Close may be called more than once.
func (c *Cache) Close() error {
	c.closeOnce.Do(func() {
		c.stopFlusher()
		c.stopCollector()
		c.bg.Wait()
		var errs []error
		if err := c.flush(nil); err != nil {
			errs = append(errs, err)
		}
		c.jmu.Lock()
		errs = append(errs, c.journal.close())
		c.journal = nil
		c.jmu.Unlock()
		errs = append(errs, c.db.Close())
		if err := errors.Join(errs...); err != nil {
			c.closeErr = fmt.Errorf("advertisement cache %s: %w", c.path, err)
		}
	})
	return c.closeErr
}

// armCollector has Collect run after the collect interval, unless
// background collection is off or stopped.
func (c *Cache) armCollector() {
	c.stateMu.Lock()
	defer c.stateMu.Unlock()
	if c.collectInterval <= 0 || c.collectStopped {
		return
	}
	c.bg.Add(1)
	c.collectTimer = time.AfterFunc(c.collectInterval, func() {
		defer c.bg.Done()
		if _, err := c.Collect(); err != nil && !errors.Is(err, ErrClosed) {
			c.log.Warn("advertisement cache: collect", "err", err)
		}
		c.armCollector()
	})
}

// stopCollector stops background collection; a collection under way
// still counts in bg.
func (c *Cache) stopCollector() {
	c.stateMu.Lock()
	defer c.stateMu.Unlock()
	c.collectStopped = true
	if c.collectTimer != nil && c.collectTimer.Stop() {
		c.bg.Done()
	}
}

// wrap turns bbolt's "not open" into ErrClosed.
func (c *Cache) wrap(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, bolterrors.ErrDatabaseNotOpen) {
		return ErrClosed
	}
	return fmt.Errorf("advertisement cache %s: %w", c.path, err)
}
