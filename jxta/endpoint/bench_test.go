package endpoint

import (
	"context"
	"crypto/tls"
	"io"
	"net"
	"sync/atomic"
	"testing"

	"github.com/gojxta/gojxta/internal/benchratio"
	"github.com/gojxta/gojxta/jxta"
)

// The endpoint benchmarks compare two peers on TCP loopback with a raw TCP
// connection on loopback doing the same work, alternately in the same
// benchmark, and report the ratio (see internal/benchratio for why).

// benchPair starts two endpoints on loopback, connected.
func benchPair(b *testing.B) (a, z *Endpoint) {
	b.Helper()
	mk := func(name string) *Endpoint {
		e, err := New(Config{Name: name,
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

	client, server := benchratio.TCPPair(b)
	benchratio.Echo(server)
	benchratio.CompareLatency(b, "x-rawTCP-p50", ours, benchratio.EchoRound(b, client, 64))
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

	client, server := benchratio.TCPPair(b)
	rawSink := benchratio.NewSink(b, server)
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
		benchratio.Writes(b, client, rawSink, size))
	b.ReportMetric(float64(b.N)/oursD.Seconds(), "msgs/s")
}

// BenchmarkOneWay1KiB: 1 KiB messages one way over one connection.
func BenchmarkOneWay1KiB(b *testing.B) { oneWay(b, 1<<10) }

// BenchmarkBulk64KiB: 64 KiB messages one way over one connection.
func BenchmarkBulk64KiB(b *testing.B) { oneWay(b, 64<<10) }

// BenchmarkRoundTrip64BareYamux is the floor the endpoint stands on: a
// 64-byte echo over a bare go-yamux stream (same configuration) on TCP
// loopback, against raw TCP in the same run.
func BenchmarkRoundTrip64BareYamux(b *testing.B) {
	ys, server := benchratio.YamuxPair(b, Config{}.MuxConfig())
	benchratio.Echo(server)
	rc, rs := benchratio.TCPPair(b)
	benchratio.Echo(rs)
	benchratio.CompareLatency(b, "x-rawTCP-p50", benchratio.EchoRound(b, ys, 64), benchratio.EchoRound(b, rc, 64))
}

// BenchmarkBulk64KiBBareYamux writes 64 KiB chunks on a bare go-yamux
// stream (same configuration) against raw TCP in the same run: the
// ceiling for bulk messages and pipes.
func BenchmarkBulk64KiBBareYamux(b *testing.B) { bareYamuxWrites(b, 64<<10, 64) }

// BenchmarkOneWay1KiBBareYamux writes 1 KiB chunks, one write each, on a
// bare go-yamux stream against raw TCP in the same run: the ceiling for
// small messages on the endpoint and on pipes.
func BenchmarkOneWay1KiBBareYamux(b *testing.B) { bareYamuxWrites(b, 1<<10, 256) }

// bareYamuxWrites writes size-byte chunks on a bare go-yamux stream with
// the endpoint's configuration, and on raw TCP, in rounds of round writes,
// each round waiting until the reader has everything.
func bareYamuxWrites(b *testing.B, size, round int) {
	ys, rs := benchratio.YamuxPair(b, Config{}.MuxConfig())
	rc, rsrv := benchratio.TCPPair(b)
	b.SetBytes(int64(size))
	benchratio.CompareRounds(b, "x-rawTCP", round,
		benchratio.Writes(b, ys, benchratio.NewSink(b, rs), size), benchratio.Writes(b, rc, benchratio.NewSink(b, rsrv), size))
}

// BenchmarkConnectSetup times a connection's set-up, from dial to the
// first message answered (welcome lines, TLS 1.3 with both keys proven,
// yamux, identification, a request and its reply), against a bare TLS
// 1.3 handshake from crypto/tls on a fresh TCP connection plus one round
// trip on it (goal: at most 2x), alternately, one of each at a time.
func BenchmarkConnectSetup(b *testing.B) {
	newEP := func(name string) *Endpoint {
		e, err := New(Config{Name: name, Listen: []jxta.Address{jxta.MustParseAddress("tcp://127.0.0.1:0")}, IdleTimeout: -1})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { e.Close() })
		return e
	}
	server := newEP("server")
	server.HandleFunc("echo", "", func(in *Incoming) {
		_ = server.SendTo(context.Background(), in.Peer, "reply", "", jxta.NewMessage())
	})
	ctx := context.Background()
	// Each round needs a peer that never connected: they are made first,
	// so that making keys and certificates is not timed.
	got := make(chan struct{}, 1)
	clients := make([]*Endpoint, 0, b.N+benchratio.WarmUp)
	for range b.N + benchratio.WarmUp {
		c, err := New(Config{Name: "client", IdleTimeout: -1, CloseTimeout: -1})
		if err != nil {
			b.Fatal(err)
		}
		c.HandleFunc("reply", "", func(*Incoming) { got <- struct{}{} })
		clients = append(clients, c)
	}
	b.Cleanup(func() {
		for _, c := range clients {
			c.Close()
		}
	})
	next := 0
	ours := func() {
		client := clients[next]
		next++
		if _, err := client.Connect(ctx, server.Addresses()[0]); err != nil {
			b.Fatal(err)
		}
		if err := client.SendTo(ctx, server.ID(), "echo", "", jxta.NewMessage()); err != nil {
			b.Fatal(err)
		}
		<-got
	}

	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	serverTLS := benchratio.TLSConfig(b)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				tc := tls.Server(c, serverTLS)
				buf := make([]byte, 1)
				if _, err := io.ReadFull(tc, buf); err == nil {
					_, _ = tc.Write(buf)
				}
			}()
		}
	}()
	clientTLS := benchratio.TLSConfig(b)
	baseline := func() {
		c, err := net.Dial("tcp", l.Addr().String())
		if err != nil {
			b.Fatal(err)
		}
		tc := tls.Client(c, clientTLS)
		buf := []byte{1}
		if _, err := tc.Write(buf); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(tc, buf); err != nil {
			b.Fatal(err)
		}
		tc.Close()
	}
	benchratio.CompareLatency(b, "x-TLS-handshake+RTT", ours, baseline)
}
