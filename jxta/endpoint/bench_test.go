package endpoint

import (
	"context"
	"io"
	"net"
	"sync/atomic"
	"testing"

	"github.com/gojxta/gojxta/internal/benchratio"
	"github.com/gojxta/gojxta/jxta"
	"github.com/libp2p/go-yamux/v5"
)

// The endpoint benchmarks compare two peers on TCP loopback with a raw TCP
// connection on loopback doing the same work, alternately in the same
// benchmark, and report the ratio (see internal/benchratio for why).

// benchPair starts two endpoints on loopback, connected.
func benchPair(b *testing.B) (a, z *Endpoint) {
	b.Helper()
	mk := func(name string) *Endpoint {
		e, err := New(Config{PeerID: jxta.NewPeerID(jxta.NetGroupID), Name: name,
			Listen: []jxta.Address{jxta.MustParseAddress("tcp://127.0.0.1:0")}})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { e.Close() })
		return e
	}
	a, z = mk("a"), mk("z")
	if _, err := a.Connect(context.Background(), z.Addresses()[0]); err != nil {
		b.Fatal(err)
	}
	return a, z
}

// rawPair returns both ends of a TCP connection on loopback.
func rawPair(b *testing.B) (client, server net.Conn) {
	b.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := l.Accept()
		accepted <- c
	}()
	client, err = net.Dial("tcp", l.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	server = <-accepted
	b.Cleanup(func() { client.Close(); server.Close() })
	return client, server
}

// BenchmarkRoundTrip64 measures a 64-byte request and its 64-byte answer
// between two peers, against a raw TCP echo of 64 bytes; it reports the
// ratio of the medians (goal: at most 1.5).
func BenchmarkRoundTrip64(b *testing.B) {
	a, z := benchPair(b)
	answers := make(chan struct{}, 1)
	payload := make([]byte, 64)
	z.HandleFunc("echo", "", func(in *Incoming) {
		if err := z.SendTo(context.Background(), in.Peer, "answer", "", in.Message); err != nil {
			b.Error(err)
		}
	})
	a.HandleFunc("answer", "", func(*Incoming) { answers <- struct{}{} })
	req := jxta.NewMessage()
	req.AddBytes("", "p", payload)
	ours := func() {
		if err := a.SendTo(context.Background(), z.ID(), "echo", "", req); err != nil {
			b.Fatal(err)
		}
		<-answers
	}

	client, server := rawPair(b)
	go func() { _, _ = io.Copy(server, server) }()
	buf := make([]byte, 64)
	raw := func() {
		if _, err := client.Write(payload); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(client, buf); err != nil {
			b.Fatal(err)
		}
	}
	benchratio.CompareLatency(b, "x-rawTCP-p50", ours, raw)
}

// oneWay sends n messages of size bytes from a to z and waits for all of
// them, against writing n chunks of size bytes (one write each) on a raw
// TCP connection and reading them all; it reports raw time / our time
// (goal: at least 0.8 for 1 KiB, 0.5 for 64 KiB).
func oneWay(b *testing.B, size int) {
	a, z := benchPair(b)
	var received atomic.Int64
	var target atomic.Int64
	roundDone := make(chan struct{}, 1)
	z.HandleFunc("sink", "", func(*Incoming) {
		if received.Add(1) == target.Load() {
			roundDone <- struct{}{}
		}
	})
	payload := make([]byte, size)
	msg := jxta.NewMessage()
	msg.AddBytes("", "p", payload)

	client, server := rawPair(b)
	rawSink := newByteSink(b, server)
	sent := 0
	b.SetBytes(int64(size))
	oursD := benchratio.CompareRounds(b, "x-rawTCP", 256,
		func(n int) {
			sent += n
			target.Store(int64(sent))
			for i := 0; i < n; i++ {
				if err := a.SendTo(context.Background(), z.ID(), "sink", "", msg); err != nil {
					b.Fatal(err)
				}
			}
			<-roundDone
		},
		func(n int) {
			rawSink.expect(n * size)
			for i := 0; i < n; i++ {
				if _, err := client.Write(payload); err != nil {
					b.Fatal(err)
				}
			}
			rawSink.wait()
		})
	b.ReportMetric(float64(b.N)/oursD.Seconds(), "msgs/s")
}

// byteSink reads and discards what arrives on a connection, telling when
// an expected number of bytes has come.
type byteSink struct {
	want chan int
	done chan struct{}
}

func newByteSink(b *testing.B, r io.Reader) *byteSink {
	s := &byteSink{want: make(chan int), done: make(chan struct{})}
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
	b.Cleanup(func() { close(s.want) })
	return s
}

func (s *byteSink) expect(n int) { s.want <- n }
func (s *byteSink) wait()        { <-s.done }

// BenchmarkOneWay1KiB: 1 KiB messages one way over one connection.
func BenchmarkOneWay1KiB(b *testing.B) { oneWay(b, 1<<10) }

// BenchmarkBulk64KiB: 64 KiB messages one way over one connection.
func BenchmarkBulk64KiB(b *testing.B) { oneWay(b, 64<<10) }

// BenchmarkRoundTrip64BareYamux is the floor the endpoint stands on: a
// 64-byte echo over a bare go-yamux stream (same configuration) on TCP
// loopback, against raw TCP in the same run.
func BenchmarkRoundTrip64BareYamux(b *testing.B) {
	cfg := (&Config{}).withDefaults()
	cc, sc := rawPair(b)
	client, err := yamux.Client(cc, cfg.yamuxConfig(), nil)
	if err != nil {
		b.Fatal(err)
	}
	server, err := yamux.Server(sc, cfg.yamuxConfig(), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { client.Close(); server.Close() })
	go func() {
		s, err := server.AcceptStream()
		if err != nil {
			return
		}
		_, _ = io.Copy(s, s)
	}()
	ys, err := client.OpenStream(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	payload, buf := make([]byte, 64), make([]byte, 64)
	ours := func() {
		if _, err := ys.Write(payload); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(ys, buf); err != nil {
			b.Fatal(err)
		}
	}
	rc, rs := rawPair(b)
	go func() { _, _ = io.Copy(rs, rs) }()
	raw := func() {
		if _, err := rc.Write(payload); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(rc, buf); err != nil {
			b.Fatal(err)
		}
	}
	benchratio.CompareLatency(b, "x-rawTCP-p50", ours, raw)
}

// BenchmarkBulk64KiBBareYamux writes 64 KiB chunks on a bare go-yamux
// stream (same configuration) against raw TCP in the same run: the
// ceiling for bulk messages and pipes.
func BenchmarkBulk64KiBBareYamux(b *testing.B) {
	const size = 64 << 10
	cfg := (&Config{}).withDefaults()
	cc, sc := rawPair(b)
	client, err := yamux.Client(cc, cfg.yamuxConfig(), nil)
	if err != nil {
		b.Fatal(err)
	}
	server, err := yamux.Server(sc, cfg.yamuxConfig(), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { client.Close(); server.Close() })
	ys, err := client.OpenStream(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	if _, err := ys.Write([]byte{0}); err != nil { // make the stream known to the server
		b.Fatal(err)
	}
	rs, err := server.AcceptStream()
	if err != nil {
		b.Fatal(err)
	}
	if _, err := io.ReadFull(rs, make([]byte, 1)); err != nil {
		b.Fatal(err)
	}
	rc, rsrv := rawPair(b)
	ySink, rSink := newByteSink(b, rs), newByteSink(b, rsrv)
	payload := make([]byte, size)
	write := func(w io.Writer, sink *byteSink) func(int) {
		return func(n int) {
			sink.expect(n * size)
			for i := 0; i < n; i++ {
				if _, err := w.Write(payload); err != nil {
					b.Fatal(err)
				}
			}
			sink.wait()
		}
	}
	b.SetBytes(size)
	benchratio.CompareRounds(b, "x-rawTCP", 64, write(ys, ySink), write(rc, rSink))
}
