package pipe_test

import (
	"context"
	"io"
	"net"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/benchratio"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/node"
	"github.com/gojxta/gojxta/jxta/pipe"
)

// The pipe benchmarks run two peers on TCP loopback and compare each
// workload with raw TCP (and, for bulk data, a bare go-yamux stream)
// doing the same work alternately in the same benchmark; see
// internal/benchratio.

// benchPeers starts alice and bob on loopback, connected, with bob
// listening on a pipe.
func benchPeers(b *testing.B) (alice, bob *node.Node, l *pipe.Listener, adv *advert.PipeAdv) {
	b.Helper()
	ctx := context.Background()
	start := func(name string) *node.Node {
		n, err := node.Start(ctx, node.Config{Name: name, Listen: []string{"tcp://127.0.0.1:0"}})
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { n.Close() })
		return n
	}
	alice, bob = start("alice"), start("bob")
	if _, err := alice.Endpoint().Connect(ctx, bob.Addresses()[0]); err != nil {
		b.Fatal(err)
	}
	adv = advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "bench")
	l, err := pipes(bob).Listen(ctx, adv)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	return alice, bob, l, adv
}

// benchConn dials bob's pipe from alice and returns both ends.
func benchConn(b *testing.B, alice *node.Node, l *pipe.Listener, adv *advert.PipeAdv) (dialed, accepted net.Conn) {
	b.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := pipes(alice).Dial(ctx, adv)
	if err != nil {
		b.Fatal(err)
	}
	a, err := l.AcceptPipe(ctx)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close(); a.Close() })
	return c, a
}

// BenchmarkPipeBulk64KiB writes 64 KiB chunks on one bidirectional pipe
// (over TLS 1.3, as every gojxta connection) against a bare yamux stream
// with the same configuration over a crypto/tls TLS 1.3 connection, the
// floor (goal: at least 0.9), and, for reference, against raw TCP and a
// bare yamux stream over plain TCP.
func BenchmarkPipeBulk64KiB(b *testing.B) {
	const size = 64 << 10
	for _, base := range []string{"bareYamuxTLS", "rawTCP", "bareYamux"} {
		b.Run("vs="+base, func(b *testing.B) {
			alice, _, l, adv := benchPeers(b)
			c, a := benchConn(b, alice, l, adv)
			ours := benchratio.Writes(b, c, benchratio.NewSink(b, a), size)
			var bw io.Writer
			var br io.Reader
			switch base {
			case "rawTCP":
				bw, br = benchratio.TCPPair(b)
			case "bareYamux":
				bw, br = benchratio.YamuxPair(b, endpoint.Config{}.MuxConfig())
			default:
				bw, br = benchratio.YamuxTLSPair(b, endpoint.Config{}.MuxConfig())
			}
			baseline := benchratio.Writes(b, bw, benchratio.NewSink(b, br), size)
			b.SetBytes(size)
			benchratio.CompareRounds(b, "x-"+base, 64, ours, baseline)
		})
	}
}

// messagePump returns a function sending n messages carrying size bytes
// through mc and waiting until the other side has read them all.
func messagePump(b *testing.B, mc *pipe.MessageConn, peer *pipe.MessageConn, size int) func(int) {
	m := jxta.NewMessage()
	m.AddBytes("", "p", make([]byte, size))
	want := make(chan int)
	done := make(chan struct{})
	go func() {
		for n := range want {
			for range n {
				if _, err := peer.Recv(); err != nil {
					close(done)
					return
				}
			}
			done <- struct{}{}
		}
	}()
	b.Cleanup(func() { close(want) })
	return func(n int) {
		want <- n
		for range n {
			if err := mc.Send(m); err != nil {
				b.Fatal(err)
			}
		}
		<-done
	}
}

// oneWayMessages sends messages of size bytes in format one way through
// the message API, against writes of size bytes on a raw pipe connection
// between the same peers (base "rawPipe") or on raw TCP ("rawTCP").
func oneWayMessages(b *testing.B, format pipe.Format, size int) {
	for _, base := range []string{"rawPipe", "rawTCP"} {
		b.Run("vs="+base, func(b *testing.B) {
			alice, _, l, adv := benchPeers(b)
			c, a := benchConn(b, alice, l, adv)
			ours := messagePump(b, pipe.NewMessageConn(c, format, 0), pipe.NewMessageConn(a, format, 0), size)
			var rc, rs net.Conn
			if base == "rawPipe" {
				rc, rs = benchConn(b, alice, l, adv)
			} else {
				rc, rs = benchratio.TCPPair(b)
			}
			baseline := benchratio.Writes(b, rc, benchratio.NewSink(b, rs), size)
			b.SetBytes(int64(size))
			d := benchratio.CompareRounds(b, "x-"+base, 256, ours, baseline)
			b.ReportMetric(float64(b.N)/d.Seconds(), "msgs/s")
		})
	}
}

// BenchmarkPipeMessages1KiB: 1 KiB binary messages one way (goals: at
// least 0.9 of a raw pipe writing 1 KiB per write, at least 0.8 of raw
// TCP).
func BenchmarkPipeMessages1KiB(b *testing.B) { oneWayMessages(b, pipe.Binary, 1<<10) }

// BenchmarkPipeBulkXML64KiB: 64 KiB of binary data in XML messages
// (base64) one way (goal: at least 0.2 of raw TCP).
func BenchmarkPipeBulkXML64KiB(b *testing.B) { oneWayMessages(b, pipe.XML, 64<<10) }

// roundTrip measures a 64-byte message and its echo through the message
// API against a 64-byte echo on a raw pipe connection between the same
// peers (goal: p50 at most 1.05 for binary) or on raw TCP (goal: p50 at
// most 1.5 for binary, 3 for XML).
func roundTrip(b *testing.B, format pipe.Format) {
	for _, base := range []string{"rawPipe", "rawTCP"} {
		b.Run("vs="+base, func(b *testing.B) {
			alice, _, l, adv := benchPeers(b)
			c, a := benchConn(b, alice, l, adv)
			mc, peer := pipe.NewMessageConn(c, format, 0), pipe.NewMessageConn(a, format, 0)
			go func() {
				for {
					m, err := peer.Recv()
					if err != nil || peer.Send(m) != nil {
						return
					}
				}
			}()
			m := jxta.NewMessage()
			m.AddBytes("", "p", make([]byte, 64))
			ours := func() {
				if err := mc.Send(m); err != nil {
					b.Fatal(err)
				}
				if _, err := mc.Recv(); err != nil {
					b.Fatal(err)
				}
			}
			var rc, rs net.Conn
			if base == "rawPipe" {
				rc, rs = benchConn(b, alice, l, adv)
			} else {
				rc, rs = benchratio.TCPPair(b)
			}
			benchratio.Echo(rs)
			benchratio.CompareLatency(b, "x-"+base+"-p50", ours, benchratio.EchoRound(b, rc, 64))
		})
	}
}

// BenchmarkPipeRoundTrip64 is the binary message round trip.
func BenchmarkPipeRoundTrip64(b *testing.B) { roundTrip(b, pipe.Binary) }

// BenchmarkPipeRoundTrip64XML is the XML message round trip.
func BenchmarkPipeRoundTrip64XML(b *testing.B) { roundTrip(b, pipe.XML) }

// BenchmarkPipeOpenEcho opens a pipe connection to a known peer, echoes
// one byte and closes it, against a bare go-yamux stream over TLS 1.3 with
// the endpoint's configuration doing the same (the floor: no protocol
// line, no pipe; goal: at least 1.0), and against a new TCP connection
// (goal: at least 1.3).
func BenchmarkPipeOpenEcho(b *testing.B) {
	for _, base := range []string{"bareYamuxTLS", "newTCP"} {
		b.Run("vs="+base, func(b *testing.B) {
			alice, bob, l, adv := benchPeers(b)
			serveEcho(func() (io.ReadWriteCloser, error) { return l.Accept() })
			ours := openEcho(b, func() (io.ReadWriteCloser, error) {
				return pipes(alice).DialPeer(context.Background(), adv.PipeID, bob.ID())
			})
			baseline := newTCPEcho(b)
			if base == "bareYamuxTLS" {
				baseline = bareYamuxEcho(b, true)
			}
			benchratio.Compare(b, "x-"+base, ours, baseline)
		})
	}
}

// BenchmarkOpenEchoBareYamux opens a stream on a bare go-yamux session
// (the endpoint's configuration, over TCP), echoes one byte and closes
// it, against a new TCP connection doing the same: the ceiling for
// BenchmarkPipeOpenEcho, with no protocol header and no TLS.
func BenchmarkOpenEchoBareYamux(b *testing.B) {
	benchratio.Compare(b, "x-newTCP", bareYamuxEcho(b, false), newTCPEcho(b))
}

// bareYamuxEcho returns one round of the open-echo benchmarks on a bare
// go-yamux session pair with the endpoint's configuration, over TLS 1.3
// (secure) or plain TCP.
func bareYamuxEcho(b *testing.B, secure bool) func() {
	sessions := benchratio.YamuxSessions
	if secure {
		sessions = benchratio.YamuxTLSSessions
	}
	cs, ss := sessions(b, endpoint.Config{}.MuxConfig())
	serveEcho(func() (io.ReadWriteCloser, error) { return ss.AcceptStream() })
	return openEcho(b, func() (io.ReadWriteCloser, error) { return cs.OpenStream(context.Background()) })
}

// newTCPEcho starts a TCP echo server on loopback and returns the
// baseline of the open-echo benchmarks: dial it, echo one byte, close.
func newTCPEcho(b *testing.B) func() {
	tl, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { tl.Close() })
	serveEcho(func() (io.ReadWriteCloser, error) { return tl.Accept() })
	return openEcho(b, func() (io.ReadWriteCloser, error) { return net.Dial("tcp", tl.Addr().String()) })
}

// serveEcho echoes everything on each connection accept returns, until
// accept fails.
func serveEcho(accept func() (io.ReadWriteCloser, error)) {
	go func() {
		for {
			c, err := accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = io.Copy(c, c)
			}()
		}
	}()
}

// openEcho returns one round of the open-echo benchmarks: open a
// connection, write a byte, read it back, close.
func openEcho(b *testing.B, open func() (io.ReadWriteCloser, error)) func() {
	one := make([]byte, 1)
	return func() {
		c, err := open()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Write(one); err != nil {
			b.Fatal(err)
		}
		if _, err := io.ReadFull(c, one); err != nil {
			b.Fatal(err)
		}
		c.Close()
	}
}

// BenchmarkPipeHeadOfLine measures the 64-byte round trip on one pipe
// while 8 other pipes on the same connection move bulk data, against the
// same round trip with the connection otherwise idle, measured first. It
// reports both p99s and busy-p99/idle-p99 (goal: at most 20, and under
// 2 ms).
func BenchmarkPipeHeadOfLine(b *testing.B) {
	alice, _, l, adv := benchPeers(b)
	c, a := benchConn(b, alice, l, adv)
	benchratio.Echo(a)
	round := benchratio.EchoRound(b, c, 64)
	ping := func() time.Duration {
		t0 := time.Now()
		round()
		return time.Since(t0)
	}
	p99 := func(n int) time.Duration {
		d := make([]time.Duration, n)
		for i := range d {
			d[i] = ping()
		}
		slices.Sort(d)
		return d[(len(d)-1)*99/100]
	}
	n := max(b.N, 200)
	idle := p99(n)

	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range 8 {
		bc, ba := benchConn(b, alice, l, adv)
		wg.Add(2)
		go func() {
			defer wg.Done()
			_, _ = io.Copy(io.Discard, ba)
		}()
		go func() {
			defer wg.Done()
			chunk := make([]byte, 64<<10)
			for {
				select {
				case <-stop:
					bc.Close()
					return
				default:
				}
				if _, err := bc.Write(chunk); err != nil {
					return
				}
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	b.ResetTimer()
	busy := p99(n)
	b.StopTimer()
	close(stop)
	wg.Wait()
	b.ReportMetric(float64(idle)/1e3, "idle-p99-µs")
	b.ReportMetric(float64(busy)/1e3, "busy-p99-µs")
	b.ReportMetric(float64(busy)/float64(idle), "x-idle-p99")
}
