package wiretest

import (
	"bufio"
	"crypto/tls"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta/endpoint/framing"
	"github.com/gojxta/gojxta/jxta/identity"
)

// MITM is a man in the middle between peers that dial Addr and a target:
// it relays the welcome lines as they are, so that each side sees the
// other's peer ID, and then runs the TLS handshake with each side itself,
// with a key of its own, to read and relay what they send.
type MITM struct {
	// Addr is where the proxy listens, as host:port on 127.0.0.1.
	Addr string

	l       net.Listener
	target  string
	cert    tls.Certificate
	relayed atomic.Int64 // bytes relayed after the TLS handshakes
	mu      sync.Mutex
	conns   []net.Conn
	wg      sync.WaitGroup
}

// NewMITM starts a man in the middle forwarding to target (host:port);
// the test's cleanup closes it.
func NewMITM(tb testing.TB, target string) *MITM {
	tb.Helper()
	key, err := identity.New()
	if err != nil {
		tb.Fatal(err)
	}
	cert, err := key.Certificate()
	if err != nil {
		tb.Fatal(err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	m := &MITM{Addr: l.Addr().String(), l: l, target: target, cert: cert}
	m.wg.Add(1)
	go m.accept()
	tb.Cleanup(m.Close)
	return m
}

// Relayed returns how many bytes of application data the proxy managed to
// relay after the TLS handshakes: none, when both sides refuse it.
func (m *MITM) Relayed() int64 { return m.relayed.Load() }

func (m *MITM) accept() {
	defer m.wg.Done()
	for {
		c, err := m.l.Accept()
		if err != nil {
			return
		}
		s, err := net.Dial("tcp", m.target)
		if err != nil {
			c.Close()
			continue
		}
		m.mu.Lock()
		m.conns = append(m.conns, c, s)
		m.mu.Unlock()
		m.wg.Add(1)
		go m.serve(c, s)
	}
}

// serve relays one connection: the welcome lines, then its own TLS with
// each side.
func (m *MITM) serve(c, s net.Conn) {
	defer m.wg.Done()
	defer c.Close()
	defer s.Close()
	deadline := time.Now().Add(10 * time.Second)
	_ = c.SetDeadline(deadline)
	_ = s.SetDeadline(deadline)
	cr, sr := bufio.NewReader(c), bufio.NewReader(s)
	var wg sync.WaitGroup
	ok := make(chan bool, 2)
	relayLine := func(dst net.Conn, src *bufio.Reader) {
		defer wg.Done()
		w, err := framing.ReadWelcome(src)
		if err == nil {
			_, err = dst.Write(w.AppendLine(nil))
		}
		ok <- err == nil
	}
	wg.Add(2)
	go relayLine(s, cr)
	go relayLine(c, sr)
	wg.Wait()
	if !<-ok || !<-ok {
		return
	}
	cfg := &tls.Config{
		MinVersion: tls.VersionTLS13, Certificates: []tls.Certificate{m.cert},
		NextProtos: []string{framing.GoJXTAVersion}, InsecureSkipVerify: true, ClientAuth: tls.RequireAnyClientCert,
	}
	toDialer := tls.Server(bufferedConn{c, cr}, cfg)
	toTarget := tls.Client(bufferedConn{s, sr}, cfg)
	errs := make(chan error, 2)
	go func() { errs <- toDialer.Handshake() }()
	go func() { errs <- toTarget.Handshake() }()
	e1, e2 := <-errs, <-errs
	if e1 != nil || e2 != nil {
		return
	}
	wg.Add(2)
	go func() { defer wg.Done(); m.copy(toTarget, toDialer) }()
	go func() { defer wg.Done(); m.copy(toDialer, toTarget) }()
	wg.Wait()
}

func (m *MITM) copy(dst, src net.Conn) {
	defer dst.Close()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			m.relayed.Add(int64(n))
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// Close stops the proxy and closes the connections it relays.
func (m *MITM) Close() {
	m.l.Close()
	m.mu.Lock()
	for _, c := range m.conns {
		c.Close()
	}
	m.mu.Unlock()
	m.wg.Wait()
}

// bufferedConn reads through the reader that read the welcome line.
type bufferedConn struct {
	net.Conn
	r *bufio.Reader
}

func (b bufferedConn) Read(p []byte) (int, error) { return b.r.Read(p) }
