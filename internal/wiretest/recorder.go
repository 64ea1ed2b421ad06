package wiretest

import (
	"io"
	"net"
	"sync"
	"testing"
)

// Recorder forwards the TCP connections made to Addr to a target and
// keeps every byte of both directions.
type Recorder struct {
	// Addr is where the recorder listens, as host:port on 127.0.0.1.
	Addr string

	l      net.Listener
	target string
	mu     sync.Mutex
	conns  []net.Conn
	up     []byte // dialer to target
	down   []byte // target to dialer
	wg     sync.WaitGroup
}

// NewRecorder starts a recorder forwarding to target (host:port); the
// test's cleanup closes it.
func NewRecorder(tb testing.TB, target string) *Recorder {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	r := &Recorder{Addr: l.Addr().String(), l: l, target: target}
	r.wg.Add(1)
	go r.accept()
	tb.Cleanup(r.Close)
	return r
}

func (r *Recorder) accept() {
	defer r.wg.Done()
	for {
		c, err := r.l.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", r.target)
		if err != nil {
			c.Close()
			continue
		}
		r.mu.Lock()
		r.conns = append(r.conns, c, s)
		r.mu.Unlock()
		r.wg.Add(2)
		go r.pump(s, c, &r.up)
		go r.pump(c, s, &r.down)
	}
}

// pump copies src to dst, keeping the bytes in *keep, and closes both
// when either side ends.
func (r *Recorder) pump(dst io.WriteCloser, src io.ReadCloser, keep *[]byte) {
	defer r.wg.Done()
	defer dst.Close()
	defer src.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			r.mu.Lock()
			*keep = append(*keep, buf[:n]...)
			r.mu.Unlock()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Bytes returns what crossed so far: from the dialers to the target, and
// back.
func (r *Recorder) Bytes() (up, down []byte) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]byte(nil), r.up...), append([]byte(nil), r.down...)
}

// Close stops the recorder and closes the connections it forwards.
func (r *Recorder) Close() {
	r.l.Close()
	r.mu.Lock()
	for _, c := range r.conns {
		c.Close()
	}
	r.mu.Unlock()
	r.wg.Wait()
}
