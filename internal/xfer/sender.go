package xfer

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"time"
)

// OfferFile returns the offer of the open file f from sender: its base
// name, size and SHA-256, for which it reads the file through once,
// checking ctx as it goes.
func OfferFile(ctx context.Context, f *os.File, sender string) (Offer, error) {
	st, err := f.Stat()
	if err != nil {
		return Offer{}, err
	}
	if !st.Mode().IsRegular() {
		return Offer{}, fmt.Errorf("%s is not a regular file", f.Name())
	}
	sum, err := hashReader(ctx, io.NewSectionReader(f, 0, st.Size()))
	if err != nil {
		return Offer{}, fmt.Errorf("hashing %s: %w", f.Name(), err)
	}
	o := Offer{Name: filepath.Base(f.Name()), Size: st.Size(), SHA256: sum, Sender: sender}
	return o, o.Check()
}

// SendOptions are the options of Send; the zero value is usable.
type SendOptions struct {
	// Progress, if set, is called with the bytes the receiver holds:
	// first with the offset it resumes from, then as the rest goes.
	Progress func(held int64)
	// RateLimit, if above 0, keeps the data under this many bytes per
	// second.
	RateLimit int64
	// IdleTimeout: a receiver that takes no data for this long is given
	// up; 0 means DefaultIdleTimeout. The receiver's answers are waited
	// for as long as ctx lasts (it may be hashing a large file).
	IdleTimeout time.Duration
}

// Sent is what Send did.
type Sent struct {
	Offset  int64         // bytes the receiver held already: sending started there
	Bytes   int64         // bytes sent on this connection
	SavedAs string        // the name the receiver saved the file under
	Elapsed time.Duration // from the offer to the verdict
}

// verdict is the receiver's last answer.
type verdict struct {
	name string
	err  error
}

// Send offers the file to the receiver at the other end of conn with
// offer, sends it from file from the offset the receiver asks for, and
// waits for its verdict. The receiver's refusal or failure (even in the
// middle of the data) is a *RemoteError. It does not close conn, but
// leaves its deadlines set: close it after.
func Send(ctx context.Context, conn net.Conn, offer Offer, file io.ReaderAt, opts SendOptions) (sent Sent, err error) {
	start := time.Now()
	defer func() { sent.Elapsed = time.Since(start) }()
	if err := offer.Check(); err != nil {
		return sent, err
	}
	idle := opts.IdleTimeout
	if idle <= 0 {
		idle = DefaultIdleTimeout
	}
	progress := opts.Progress
	if progress == nil {
		progress = func(int64) {}
	}
	// sending ends with ctx, or when the receiver answers before the
	// data is all sent.
	sending, stop := context.WithCancel(ctx)
	defer stop()
	g := newGuard(sending, conn, 0, idle)
	defer g.done()
	br := bufio.NewReaderSize(g, maxAnswerLen)

	if _, err := g.Write(offer.Marshal()); err != nil {
		return sent, fmt.Errorf("sending the offer: %w", err)
	}
	if sent.Offset, err = readResume(br, offer.Size); err != nil {
		return sent, err
	}
	progress(sent.Offset)
	verdicts := make(chan verdict, 1)
	go func() {
		name, err := readVerdict(br)
		verdicts <- verdict{name, err}
		stop()
	}()
	pace := newPacer(sending, opts.RateLimit)
	w := &progressWriter{w: g, held: sent.Offset, total: offer.Size, progress: progress, pace: pace}
	rest := offer.Size - sent.Offset
	sent.Bytes, err = io.CopyBuffer(w, io.NewSectionReader(file, sent.Offset, rest), make([]byte, pace.chunk()))
	held := sent.Offset + sent.Bytes
	switch {
	case err == nil && sent.Bytes < rest:
		stop()
		<-verdicts
		return sent, fmt.Errorf("%s: %w (%d bytes, not %d)", offer.Name, ErrFileChanged, held, offer.Size)
	case err != nil && ctx.Err() != nil:
		<-verdicts
		return sent, ctx.Err()
	case err != nil && w.err == nil: // reading the file failed
		stop()
		<-verdicts
		return sent, fmt.Errorf("%d of %d bytes sent: %w", held, offer.Size, err)
	case err != nil:
		if !errors.Is(w.err, context.Canceled) { // not stopped by an answer: the connection failed
			stop()
		}
		v := <-verdicts
		var re *RemoteError
		if errors.As(v.err, &re) {
			return sent, re
		}
		if v.err == nil {
			return sent, &ProtocolError{What: fmt.Sprintf("the receiver saved the file after %d of %d bytes", held, offer.Size)}
		}
		return sent, fmt.Errorf("%d of %d bytes sent: %w", held, offer.Size, w.err)
	}
	v := <-verdicts
	sent.SavedAs = v.name
	if v.err != nil && ctx.Err() != nil {
		return sent, ctx.Err()
	}
	return sent, v.err
}

// progressWriter counts what goes through it for a progress report,
// paces it, and keeps the error of a failed write.
type progressWriter struct {
	w        io.Writer
	held     int64
	total    int64 // no pacing after the last byte
	progress func(int64)
	pace     *pacer
	err      error
}

func (p *progressWriter) Write(b []byte) (int, error) {
	n, err := p.w.Write(b)
	p.held += int64(n)
	p.progress(p.held)
	if err == nil && p.held < p.total {
		err = p.pace.wait(n)
	}
	p.err = err
	return n, err
}
