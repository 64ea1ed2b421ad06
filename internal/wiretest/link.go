package wiretest

import (
	"net"
	"sync"
	"testing"
	"time"
)

// Link forwards the TCP connections made to Addr to a target, as a
// network link would: with latency (each chunk arrives a delay after it
// left), or frozen (a peer whose process is stopped: its connections stay
// open and nothing crosses).
type Link struct {
	// Addr is where the link listens, as host:port on 127.0.0.1.
	Addr string

	l      net.Listener
	target string
	mu     sync.Mutex
	cond   *sync.Cond
	delay  time.Duration
	frozen bool
	closed bool
	conns  []net.Conn
	wg     sync.WaitGroup
}

// NewLink starts a link to target (host:port); the test's cleanup closes
// it.
func NewLink(tb testing.TB, target string) *Link {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	k := &Link{Addr: l.Addr().String(), l: l, target: target}
	k.cond = sync.NewCond(&k.mu)
	k.wg.Add(1)
	go k.accept()
	tb.Cleanup(k.Close)
	return k
}

// SetDelay gives the link a latency of d each way.
func (k *Link) SetDelay(d time.Duration) {
	k.mu.Lock()
	k.delay = d
	k.mu.Unlock()
}

// Freeze stops all traffic (true) or lets it flow again (false).
func (k *Link) Freeze(on bool) {
	k.mu.Lock()
	k.frozen = on
	k.cond.Broadcast()
	k.mu.Unlock()
}

func (k *Link) accept() {
	defer k.wg.Done()
	for {
		c, err := k.l.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", k.target)
		if err != nil {
			c.Close()
			continue
		}
		k.mu.Lock()
		k.conns = append(k.conns, c, s)
		k.mu.Unlock()
		k.wg.Add(2)
		go k.pump(s, c)
		go k.pump(c, s)
	}
}

// pump copies src to dst, each chunk delivered the link's delay after
// it was read (chunks in flight overlap, as on a link with latency),
// honouring the freeze, and closes both when either side ends.
func (k *Link) pump(dst, src net.Conn) {
	defer k.wg.Done()
	type chunk struct {
		data []byte
		due  time.Time
	}
	flight := make(chan chunk, 1024)
	done := make(chan struct{})
	go func() { // the far end of the link
		defer close(done)
		defer dst.Close()
		for c := range flight {
			time.Sleep(time.Until(c.due))
			if !k.wait() {
				return
			}
			if _, err := dst.Write(c.data); err != nil {
				return
			}
		}
	}()
	defer func() { <-done }()
	defer close(flight)
	defer src.Close()
	for {
		if !k.wait() {
			return
		}
		buf := make([]byte, 32<<10)
		n, err := src.Read(buf)
		if n > 0 {
			k.mu.Lock()
			d := k.delay
			k.mu.Unlock()
			flight <- chunk{buf[:n], time.Now().Add(d)}
		}
		if err != nil {
			return
		}
	}
}

// wait blocks while the link is frozen; it reports false once it is
// closed.
func (k *Link) wait() bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	for k.frozen && !k.closed {
		k.cond.Wait()
	}
	return !k.closed
}

// Close stops the link and closes the connections it carries.
func (k *Link) Close() {
	k.l.Close()
	k.mu.Lock()
	k.closed = true
	k.cond.Broadcast()
	for _, c := range k.conns {
		c.Close()
	}
	k.mu.Unlock()
	k.wg.Wait()
}
