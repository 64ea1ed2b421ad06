package xfer

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"os"
	"path"
)

// partialDir is the subdirectory of a Receiver's directory that holds the
// files being received.
const partialDir = ".partial"

// partial is a file being received: "<name>.<hash16>.part" in partialDir,
// and beside it the offer it is for ("….offer").
type partial struct {
	r      *Receiver
	offer  Offer
	key    string // the partial file's name without its extension
	path   string // relative to the Receiver's root
	f      *os.File
	h      hash.Hash // of the bytes the file holds
	offset int64     // bytes held before this connection
}

// diskError is a failure of the receiver's file system, reported to the
// sender as such.
type diskError struct{ err error }

func (e *diskError) Error() string { return "the receiver's disk: " + e.err.Error() }
func (e *diskError) Unwrap() error { return e.err }

// claim opens the partial file of offer o, which no other connection may
// be receiving, and hashes the bytes it already holds for this offer.
func (r *Receiver) claim(ctx context.Context, o Offer) (*partial, error) {
	key := o.Name + "." + o.Hash()[:16]
	r.mu.Lock()
	if r.busy[key] {
		r.mu.Unlock()
		return nil, fmt.Errorf("%s: %w", o.Name, ErrBusy)
	}
	r.busy[key] = true
	r.mu.Unlock()
	p := &partial{r: r, offer: o, key: key, path: path.Join(partialDir, key+".part"), h: sha256.New()}
	if err := p.open(ctx); err != nil {
		p.release()
		return nil, err
	}
	return p, nil
}

// offerPath is where the offer of the partial file is kept.
func (p *partial) offerPath() string { return path.Join(partialDir, p.key+".offer") }

// open opens the partial file. It keeps the bytes the file holds when they
// were received for this very offer, and hashes them; otherwise it starts
// the file over and records the offer beside it.
func (p *partial) open(ctx context.Context) error {
	f, err := p.r.root.OpenFile(p.path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return &diskError{err}
	}
	p.f = f
	st, err := f.Stat()
	if err != nil {
		return &diskError{err}
	}
	if p.sameOffer() && st.Size() <= p.offer.Size {
		if _, err := copyContext(ctx, p.h, io.NewSectionReader(f, 0, st.Size())); err != nil {
			return err
		}
		p.offset = st.Size()
		_, err := f.Seek(p.offset, io.SeekStart)
		return err
	}
	if err := f.Truncate(0); err != nil {
		return &diskError{err}
	}
	if err := p.r.root.WriteFile(p.offerPath(), p.offer.Marshal(), 0o600); err != nil {
		return &diskError{err}
	}
	return nil
}

// sameOffer reports whether the offer kept beside the partial file has the
// name, size and SHA-256 of p's.
func (p *partial) sameOffer() bool {
	f, err := p.r.root.Open(p.offerPath())
	if err != nil {
		return false
	}
	defer f.Close()
	held, err := ReadOffer(bufio.NewReader(io.LimitReader(f, MaxOfferLen)))
	return err == nil && held.Name == p.offer.Name && held.Size == p.offer.Size && held.SHA256 == p.offer.SHA256
}

// fill reads the rest of the file from r into the partial file, hashing
// it, and returns how many bytes it read. Failures of the disk are
// *diskError.
func (p *partial) fill(r io.Reader) (int64, error) {
	buf := make([]byte, copyBufferSize)
	var got int64
	for rest := p.offer.Size - p.offset; rest > 0; {
		n, err := r.Read(buf[:min(int64(len(buf)), rest)])
		if n > 0 {
			if _, werr := p.f.Write(buf[:n]); werr != nil {
				return got, &diskError{werr}
			}
			p.h.Write(buf[:n])
			got += int64(n)
			rest -= int64(n)
		}
		if err != nil && rest > 0 {
			return got, unexpectedEOF(err)
		}
	}
	return got, nil
}

// verify checks the SHA-256 of the whole file; a file that fails is
// removed, so that the next offer starts over.
func (p *partial) verify() error {
	var got [sha256.Size]byte
	p.h.Sum(got[:0])
	if got == p.offer.SHA256 {
		return nil
	}
	_ = p.close()
	p.remove()
	return fmt.Errorf("%w: the %d bytes of %s hash to %s, not %s as offered; the partial file was removed, so sending again starts over",
		ErrHashMismatch, p.offer.Size, p.offer.Name, hex.EncodeToString(got[:]), p.offer.Hash())
}

// close flushes the partial file to the disk and closes it.
func (p *partial) close() error {
	if p.f == nil {
		return nil
	}
	err := errors.Join(p.f.Sync(), p.f.Close())
	p.f = nil
	return err
}

// remove removes the partial file (if still there) and its offer.
func (p *partial) remove() {
	_ = p.r.root.Remove(p.path)
	_ = p.r.root.Remove(p.offerPath())
}

// release closes the partial file, if open, and lets other connections
// receive it.
func (p *partial) release() {
	if p.f != nil {
		_ = p.f.Close()
		p.f = nil
	}
	p.r.mu.Lock()
	delete(p.r.busy, p.key)
	p.r.mu.Unlock()
}
