package xfer_test

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/benchratio"
	"github.com/gojxta/gojxta/internal/xfer"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/node"
)

// BenchmarkXfer sends a file of 16 MiB from disk with xfer between two
// peers on TCP loopback, each time over a new bidirectional pipe
// connection: the sender hashes it (sub-benchmark "send": once, before
// the benchmark), the receiver hashes, writes and syncs it, and the file
// is removed after. The baseline copies the same file into a raw TCP
// connection on loopback, read and discarded on the other side. The ratio
// (x-rawTCP, above 1 means faster than the baseline) tells what hashing,
// the disk, the pipe and the protocol cost.
func BenchmarkXfer(b *testing.B) {
	b.Run("whole", func(b *testing.B) { benchmarkXfer(b, true) })
	b.Run("send", func(b *testing.B) { benchmarkXfer(b, false) })
}

// benchmarkXfer runs BenchmarkXfer, hashing the file for each transfer if
// hashEach.
func benchmarkXfer(b *testing.B, hashEach bool) {
	const size = 16 << 20
	path := filepath.Join(b.TempDir(), "bench.bin")
	if err := os.WriteFile(path, randomBytes(20, size), 0o644); err != nil {
		b.Fatal(err)
	}
	file, err := os.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { file.Close() })

	alice, bob := benchPeers(b)
	adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "xfer-bench")
	ctx := context.Background()
	l, err := bob.NetGroup().Pipes().Listen(ctx, adv)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { l.Close() })
	r, err := xfer.NewReceiver(filepath.Join(b.TempDir(), "in"), xfer.ReceiverConfig{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.Close() })
	received := make(chan error)
	go func() {
		for {
			conn, err := l.AcceptPipe(ctx)
			if err != nil {
				close(received)
				return
			}
			rec, err := r.Receive(ctx, conn)
			conn.Close()
			if err == nil {
				err = os.Remove(filepath.Join(r.Dir(), rec.SavedAs))
			}
			received <- err
		}
	}()
	b.Cleanup(func() {
		l.Close()
		for range received {
		}
	})

	offer, err := xfer.OfferFile(ctx, file, "alice")
	if err != nil {
		b.Fatal(err)
	}
	ours := func(n int) {
		for range n {
			dctx, cancel := context.WithTimeout(ctx, 10*time.Second)
			conn, err := alice.NetGroup().Pipes().Dial(dctx, adv)
			cancel()
			if err != nil {
				b.Fatal(err)
			}
			if hashEach {
				if offer, err = xfer.OfferFile(ctx, file, "alice"); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := xfer.Send(ctx, conn, offer, file, xfer.SendOptions{}); err != nil {
				b.Fatal(err)
			}
			conn.Close()
			if err := <-received; err != nil {
				b.Fatal(err)
			}
		}
	}
	client, server := benchratio.TCPPair(b)
	sink := benchratio.NewSink(b, server)
	baseline := func(n int) {
		sink.Expect(n * size)
		for range n {
			if _, err := io.Copy(client, io.NewSectionReader(file, 0, size)); err != nil {
				b.Fatal(err)
			}
		}
		sink.Wait()
	}
	b.SetBytes(size)
	benchratio.CompareRounds(b, "x-rawTCP", 1, ours, baseline)
}

// benchPeers starts alice and bob on loopback, connected.
func benchPeers(b *testing.B) (alice, bob *node.Node) {
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
	return alice, bob
}
