package xfer

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"
)

// DefaultMaxSize is the largest file a Receiver takes unless told
// otherwise.
const DefaultMaxSize = 64 << 30

// maxSuffix bounds the "-n" suffixes tried for a name taken by other
// files.
const maxSuffix = 1000

// ReceiverConfig configures a Receiver; the zero value is usable.
type ReceiverConfig struct {
	// MaxSize: larger offers are refused; 0 means DefaultMaxSize.
	MaxSize int64
	// IdleTimeout: a sender that sends nothing for this long is given
	// up; 0 means DefaultIdleTimeout.
	IdleTimeout time.Duration
	// Logger receives a line for each bad offer and lost transfer;
	// nil logs nothing.
	Logger *slog.Logger
}

// Receiver takes files into one directory; it may serve many connections
// at once.
type Receiver struct {
	dir     string // absolute, for messages
	root    *os.Root
	maxSize int64
	idle    time.Duration
	log     *slog.Logger

	mu   sync.Mutex      // held while a file takes its name
	busy map[string]bool // partial files being received
}

// Received is what a Receiver did with one offer.
type Received struct {
	Offer   Offer
	SavedAs string        // the file's name in the directory
	Offset  int64         // bytes held before this connection: resumed from there
	Bytes   int64         // bytes received on this connection
	Elapsed time.Duration // from the first byte of the offer to the answer
	// AlreadyPresent tells that an identical file was there already:
	// nothing was sent.
	AlreadyPresent bool
}

// NewReceiver returns a Receiver writing into dir, which it creates if
// needed.
func NewReceiver(dir string, cfg ReceiverConfig) (*Receiver, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(abs, 0o755); err != nil {
		return nil, err
	}
	root, err := os.OpenRoot(abs)
	if err != nil {
		return nil, err
	}
	if err := root.Mkdir(partialDir, 0o700); err != nil && !errors.Is(err, fs.ErrExist) {
		root.Close()
		return nil, fmt.Errorf("xfer: making %s: %w", filepath.Join(abs, partialDir), err)
	}
	r := &Receiver{dir: abs, root: root, maxSize: cfg.MaxSize, idle: cfg.IdleTimeout, log: cfg.Logger, busy: make(map[string]bool)}
	if r.maxSize <= 0 {
		r.maxSize = DefaultMaxSize
	}
	if r.idle <= 0 {
		r.idle = DefaultIdleTimeout
	}
	if r.log == nil {
		r.log = slog.New(slog.DiscardHandler)
	}
	return r, nil
}

// Dir returns the absolute path of the directory.
func (r *Receiver) Dir() string { return r.dir }

// Close releases the directory. Call it after every Receive returned.
func (r *Receiver) Close() error { return r.root.Close() }

// Receive takes one file from conn, as the protocol says, and returns what
// it did. It does not close conn. On an error, the Received tells what is
// known (the offer, once read; the bytes received); a file whose
// connection was lost stays partial, for the next offer to resume.
func (r *Receiver) Receive(ctx context.Context, conn net.Conn) (rec Received, err error) {
	start := time.Now()
	defer func() { rec.Elapsed = time.Since(start) }()
	g := newGuard(ctx, conn, r.idle, r.idle)
	defer g.done()
	br := bufio.NewReaderSize(g, 64<<10)
	refuse := func(err error) (Received, error) {
		r.log.Info("xfer: offer refused", "from", conn.RemoteAddr(), "err", err)
		_ = writeAnswer(g, answerRefuse, err.Error())
		return rec, err
	}

	offer, err := ReadOffer(br)
	if err != nil {
		return refuse(err)
	}
	rec.Offer = offer
	if offer.Size > r.maxSize {
		return refuse(fmt.Errorf("%w: %d bytes, more than the %d this peer takes", ErrTooLarge, offer.Size, r.maxSize))
	}
	name, present, err := r.identical(ctx, offer)
	if err != nil {
		return refuse(err)
	}
	if present {
		rec.SavedAs, rec.Offset, rec.AlreadyPresent = name, offer.Size, true
		if err := writeAnswer(g, answerResume, strconv.FormatInt(offer.Size, 10)); err != nil {
			return rec, err
		}
		return rec, writeAnswer(g, answerOK, name)
	}

	p, err := r.claim(ctx, offer)
	if err != nil {
		return refuse(err)
	}
	defer p.release()
	rec.Offset = p.offset
	if err := writeAnswer(g, answerResume, strconv.FormatInt(p.offset, 10)); err != nil {
		return rec, err
	}
	rec.Bytes, err = p.fill(br)
	if err != nil {
		held := p.offset + rec.Bytes
		r.log.Info("xfer: transfer cut", "name", offer.Name, "held", held, "size", offer.Size, "err", err)
		var de *diskError
		if errors.As(err, &de) {
			_ = writeAnswer(g, answerFail, de.Error())
		}
		return rec, fmt.Errorf("%d of %d bytes of %s held (kept: sending it again resumes): %w", held, offer.Size, offer.Name, err)
	}
	if err := p.verify(); err != nil {
		_ = writeAnswer(g, answerFail, err.Error())
		return rec, err
	}
	if rec.SavedAs, err = r.finish(p); err != nil {
		_ = writeAnswer(g, answerFail, err.Error())
		return rec, err
	}
	if err := writeAnswer(g, answerOK, rec.SavedAs); err != nil {
		r.log.Info("xfer: saved, but the sender was not told", "name", rec.SavedAs, "err", err)
	}
	return rec, nil
}

// identical looks for a file identical to the offered one under its name
// or a suffixed one, and returns its name if there is one.
func (r *Receiver) identical(ctx context.Context, o Offer) (string, bool, error) {
	for n := range maxSuffix {
		name := suffixed(o.Name, n)
		st, err := r.root.Lstat(name)
		if errors.Is(err, fs.ErrNotExist) {
			return "", false, nil
		}
		if err != nil {
			return "", false, err
		}
		if !st.Mode().IsRegular() || st.Size() != o.Size {
			continue
		}
		sum, err := r.hashFile(ctx, name)
		if err != nil {
			return "", false, err
		}
		if sum == o.SHA256 {
			return name, true, nil
		}
	}
	return "", false, nil
}

// hashFile returns the SHA-256 of the named file.
func (r *Receiver) hashFile(ctx context.Context, name string) ([32]byte, error) {
	f, err := r.root.Open(name)
	if err != nil {
		return [32]byte{}, err
	}
	defer f.Close()
	return hashReader(ctx, f)
}

// finish gives a verified partial file its name: the offered one if free,
// else the first free suffixed one, never replacing a file.
func (r *Receiver) finish(p *partial) (string, error) {
	if err := p.close(); err != nil {
		return "", &diskError{err}
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for n := range maxSuffix {
		name := suffixed(p.offer.Name, n)
		err := r.root.Link(p.path, name)
		if errors.Is(err, fs.ErrExist) {
			continue
		}
		if err != nil { // no hard links here: rename, if the name is free
			if _, serr := r.root.Lstat(name); !errors.Is(serr, fs.ErrNotExist) {
				continue
			}
			if err := r.root.Rename(p.path, name); err != nil {
				return "", &diskError{err}
			}
		}
		p.remove()
		return name, nil
	}
	return "", fmt.Errorf("%s and %d suffixed names are all taken by other files", p.offer.Name, maxSuffix)
}
