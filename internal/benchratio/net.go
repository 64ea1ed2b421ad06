package benchratio

import (
	"context"
	"io"
	"net"
	"testing"

	"github.com/libp2p/go-yamux/v5"
)

// TCPPair returns both ends of a TCP connection on loopback, closed when
// the benchmark ends: the raw baseline.
func TCPPair(tb testing.TB) (client, server net.Conn) {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := l.Accept()
		accepted <- c
	}()
	client, err = net.Dial("tcp", l.Addr().String())
	if err != nil {
		tb.Fatal(err)
	}
	server = <-accepted
	if server == nil {
		tb.Fatal("accepting the baseline connection failed")
	}
	tb.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

// YamuxPair returns both ends of one bare go-yamux stream over a TCP pair
// on loopback, with cfg on both sides (nil: go-yamux's defaults): the
// multiplexer baseline.
func YamuxPair(tb testing.TB, cfg *yamux.Config) (client, server *yamux.Stream) {
	tb.Helper()
	cs, ss := YamuxSessions(tb, cfg)
	return streamPair(tb, cs, ss)
}

// streamPair opens a stream on cs and accepts it on ss.
func streamPair(tb testing.TB, cs, ss *yamux.Session) (client, server *yamux.Stream) {
	tb.Helper()
	client, err := cs.OpenStream(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := client.Write([]byte{0}); err != nil { // makes the stream known to the server
		tb.Fatal(err)
	}
	server, err = ss.AcceptStream()
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := io.ReadFull(server, make([]byte, 1)); err != nil {
		tb.Fatal(err)
	}
	return client, server
}

// YamuxSessions returns a bare go-yamux client and server session over a
// TCP pair on loopback, with cfg on both sides (nil: go-yamux's
// defaults), closed when the benchmark ends.
func YamuxSessions(tb testing.TB, cfg *yamux.Config) (client, server *yamux.Session) {
	tb.Helper()
	cc, sc := TCPPair(tb)
	client, err := yamux.Client(cc, cfg, nil)
	if err != nil {
		tb.Fatal(err)
	}
	server, err = yamux.Server(sc, cfg, nil)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

// Sink reads and discards what arrives on a connection, telling when an
// expected number of bytes has come.
type Sink struct {
	want chan int
	done chan struct{}
}

// NewSink starts a Sink reading r until the benchmark ends.
func NewSink(tb testing.TB, r io.Reader) *Sink {
	s := &Sink{want: make(chan int), done: make(chan struct{})}
	go func() {
		buf := make([]byte, 256<<10)
		for n := range s.want {
			for got := 0; got < n; {
				k, err := r.Read(buf)
				if err != nil {
					close(s.done)
					return
				}
				got += k
			}
			s.done <- struct{}{}
		}
	}()
	tb.Cleanup(func() { close(s.want) })
	return s
}

// Expect tells the sink n more bytes are coming.
func (s *Sink) Expect(n int) { s.want <- n }

// Wait waits until the expected bytes have come (or the reader failed).
func (s *Sink) Wait() { <-s.done }

// Writes returns a round for CompareRounds: write n chunks of size bytes
// to w, one write each, and wait until sink has them all.
func Writes(tb testing.TB, w io.Writer, sink *Sink, size int) func(n int) {
	payload := make([]byte, size)
	return func(n int) {
		sink.Expect(n * size)
		for range n {
			if _, err := w.Write(payload); err != nil {
				tb.Fatal(err)
			}
		}
		sink.Wait()
	}
}

// EchoRound returns one round trip over rw, whose other end echoes (see
// Echo): write size bytes, read size bytes back.
func EchoRound(tb testing.TB, rw io.ReadWriter, size int) func() {
	payload, buf := make([]byte, size), make([]byte, size)
	return func() {
		if _, err := rw.Write(payload); err != nil {
			tb.Fatal(err)
		}
		if _, err := io.ReadFull(rw, buf); err != nil {
			tb.Fatal(err)
		}
	}
}

// Echo copies everything r's side receives back, until it fails.
func Echo(rw io.ReadWriter) {
	go func() { _, _ = io.Copy(rw, rw) }()
}
