package pipe_test

import (
	"context"
	"io"
	"net"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/node"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// blackHole forwards TCP connections to target until frozen, then keeps
// them open and silent: a peer that died without closing anything.
type blackHole struct {
	l      net.Listener
	target string
	frozen atomic.Bool
	mu     sync.Mutex
	conns  []net.Conn
	wg     sync.WaitGroup
}

func newBlackHole(t *testing.T, target string) *blackHole {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	b := &blackHole{l: l, target: target}
	b.wg.Add(1)
	go b.serve()
	t.Cleanup(b.close)
	return b
}

func (b *blackHole) serve() {
	defer b.wg.Done()
	for {
		in, err := b.l.Accept()
		if err != nil {
			return
		}
		out, err := net.Dial("tcp", b.target)
		if err != nil {
			in.Close()
			continue
		}
		b.mu.Lock()
		b.conns = append(b.conns, in, out)
		b.mu.Unlock()
		b.wg.Add(2)
		go b.pump(in, out)
		go b.pump(out, in)
	}
}

func (b *blackHole) pump(dst, src net.Conn) {
	defer b.wg.Done()
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if err != nil {
			return
		}
		if b.frozen.Load() {
			continue // swallow: nothing gets through any more
		}
		if _, err := dst.Write(buf[:n]); err != nil {
			return
		}
	}
}

func (b *blackHole) close() {
	b.l.Close()
	b.mu.Lock()
	for _, c := range b.conns {
		c.Close()
	}
	b.mu.Unlock()
	b.wg.Wait()
}

func TestRemoteDiesMidStream(t *testing.T) {
	ctx := ctxT(t, 30*time.Second)
	fast := endpoint.Config{KeepAliveInterval: 200 * time.Millisecond, SendTimeout: 500 * time.Millisecond}
	alice, err := node.Start(ctx, node.Config{Name: "alice", Listen: []string{"tcp://127.0.0.1:0"}, Endpoint: fast})
	require.NoError(t, err)
	defer alice.Close()
	host, port, err := alice.Addresses()[0].HostPort()
	require.NoError(t, err)
	hole := newBlackHole(t, net.JoinHostPort(host, port))
	bob, err := node.Start(ctx, node.Config{Name: "bob", Listen: []string{"tcp://127.0.0.1:0"}, Endpoint: fast})
	require.NoError(t, err)
	defer bob.Close()
	addr, err := jxta.ParseAddress("tcp://" + hole.l.Addr().String())
	require.NoError(t, err)
	_, err = bob.Endpoint().Connect(ctx, addr)
	require.NoError(t, err)

	adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "fragile")
	l, err := pipes(alice).Listen(ctx, adv)
	require.NoError(t, err)
	wg := echo(t, l)
	defer wg.Wait()
	defer l.Close()
	c, err := pipes(bob).Dial(ctx, adv)
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Write([]byte("ping"))
	require.NoError(t, err)
	_, err = io.ReadFull(c, make([]byte, 4))
	require.NoError(t, err)

	hole.frozen.Store(true)
	start := time.Now()
	readErr := make(chan error, 1)
	go func() {
		_, err := c.Read(make([]byte, 1))
		readErr <- err
	}()
	select {
	case err := <-readErr:
		assert.Error(t, err)
	case <-time.After(15 * time.Second):
		t.Fatal("a read on a dead peer's pipe hangs")
	}
	assert.Less(t, time.Since(start), 10*time.Second, "bounded by the keep-alive")
	_, err = c.Write(make([]byte, 1<<20))
	assert.Error(t, err, "writes fail too")
}

func TestSlowReaderDoesNotStallOtherPipes(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			_, edges := nw.star(t, "alice", "bob")
			alice, bob := edges[0], edges[1]
			stuck := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "stuck")
			lively := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "lively")
			ls, err := pipes(alice).Listen(context.Background(), stuck)
			require.NoError(t, err)
			defer ls.Close()
			ll, err := pipes(alice).Listen(context.Background(), lively)
			require.NoError(t, err)
			wg := echo(t, ll)
			defer wg.Wait()
			defer ll.Close()

			// Nobody reads the stuck pipe: its writer fills the window
			// and blocks.
			cs, err := pipes(bob).Dial(ctxT(t, 15*time.Second), stuck)
			require.NoError(t, err)
			accepted, err := ls.Accept()
			require.NoError(t, err)
			defer accepted.Close()
			writerDone := make(chan struct{})
			go func() {
				defer close(writerDone)
				chunk := make([]byte, 64<<10)
				for {
					if _, err := cs.Write(chunk); err != nil {
						return
					}
				}
			}()
			time.Sleep(100 * time.Millisecond)

			cl, err := pipes(bob).Dial(ctxT(t, 15*time.Second), lively)
			require.NoError(t, err)
			defer cl.Close()
			require.NoError(t, cl.SetDeadline(time.Now().Add(10*time.Second)))
			for range 100 {
				_, err := cl.Write([]byte("x"))
				require.NoError(t, err)
				_, err = io.ReadFull(cl, make([]byte, 1))
				require.NoError(t, err, "the other pipe still flows")
			}
			cs.Close()
			<-writerDone
		})
	}
}

func TestTenThousandPipesLeaveNothingBehind(t *testing.T) {
	nw := networks()[1]
	_, edges := nw.star(t, "alice", "bob")
	alice, bob := edges[0], edges[1]
	adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "many")
	l, err := pipes(alice).Listen(context.Background(), adv)
	require.NoError(t, err)
	wg := echo(t, l)
	c, err := pipes(bob).Dial(ctxT(t, 15*time.Second), adv) // resolve once
	require.NoError(t, err)
	c.Close()
	runtime.GC()
	before := runtime.NumGoroutine()
	n := 10000
	if testing.Short() || raceEnabled {
		n = 2000
	}
	buf := make([]byte, 1)
	for i := range n {
		c, err := pipes(bob).DialPeer(ctxT(t, 10*time.Second), adv.PipeID, alice.ID())
		require.NoError(t, err, "pipe %d", i)
		_, err = c.Write([]byte{byte(i)})
		require.NoError(t, err)
		_, err = io.ReadFull(c, buf)
		require.NoError(t, err)
		require.Equal(t, byte(i), buf[0])
		require.NoError(t, c.Close())
	}
	assert.Eventually(t, func() bool { return runtime.NumGoroutine() <= before+2 }, 10*time.Second, 20*time.Millisecond,
		"goroutines: %d before, %d after", before, runtime.NumGoroutine())
	l.Close()
	wg.Wait()
}
