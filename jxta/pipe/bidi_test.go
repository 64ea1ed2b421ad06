package pipe_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/pipe"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echo accepts connections on l and echoes each until its writer
// half-closes.
func echo(t testing.TB, l net.Listener) *sync.WaitGroup {
	return serve(l, func(c net.Conn) { _, _ = io.Copy(c, c) })
}

// serve accepts connections on l until it closes, and runs handle on each,
// on a goroutine of its own, closing the connection after it.
func serve(l net.Listener, handle func(net.Conn)) *sync.WaitGroup {
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer c.Close()
				handle(c)
			}()
		}
	}()
	return &wg
}

func TestBidirectionalPipe(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			_, edges := nw.star(t, "alice", "bob")
			alice, bob := edges[0], edges[1]
			adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "echo")
			l, err := pipes(alice).Listen(context.Background(), adv)
			require.NoError(t, err)
			wg := echo(t, l)
			defer wg.Wait()
			defer l.Close()
			assert.Equal(t, pipe.Addr{Pipe: adv.PipeID, Peer: alice.ID()}, l.Addr())

			c, err := pipes(bob).Dial(ctxT(t, 15*time.Second), adv)
			require.NoError(t, err)
			assert.Equal(t, pipe.Addr{Pipe: adv.PipeID, Peer: alice.ID()}, c.RemoteAddr())
			assert.Equal(t, pipe.Addr{Pipe: adv.PipeID, Peer: bob.ID()}, c.LocalAddr())
			assert.Equal(t, "jxta-pipe", c.RemoteAddr().Network())
			assert.Equal(t, alice.ID(), c.Peer(), "the dialer learns the verified listener")
			mc := pipe.NewMessageConn(c, pipe.Binary, 0)
			peer, ok := mc.Peer()
			assert.True(t, ok)
			assert.Equal(t, alice.ID(), peer)
			_, ok = pipe.NewMessageConn(&net.TCPConn{}, pipe.Binary, 0).Peer()
			assert.False(t, ok, "no peer for a plain net.Conn")

			// Far beyond JXTA's 64 KB messages and one flow-control window.
			payload := make([]byte, 3<<20)
			for i := range payload {
				payload[i] = byte(i * 7)
			}
			go func() {
				_, _ = c.Write(payload)
				_ = c.CloseWrite() // half-close: the echo ends when we stop
			}()
			got, err := io.ReadAll(c)
			require.NoError(t, err)
			assert.True(t, bytes.Equal(payload, got), "echoed %d of %d bytes", len(got), len(payload))

			// Deadlines.
			c2, err := pipes(bob).Dial(ctxT(t, 5*time.Second), adv)
			require.NoError(t, err)
			require.NoError(t, c2.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
			_, err = c2.Read(make([]byte, 1))
			assert.ErrorIs(t, err, os.ErrDeadlineExceeded)
			require.NoError(t, c2.Close())
			require.NoError(t, c.Close())

			// Many pipes, one connection, no new resolution.
			for range 20 {
				c, err := pipes(bob).Dial(ctxT(t, 5*time.Second), adv)
				require.NoError(t, err)
				c.Close()
			}
			assert.Len(t, bob.Endpoint().Connections(), 2, "bob's connections: the rendezvous and alice")
		})
	}
}

func TestDialIsRefusedWithoutAListener(t *testing.T) {
	nw := networks()[1]
	_, edges := nw.star(t, "alice", "bob")
	alice, bob := edges[0], edges[1]
	adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "inbox-only")
	in, err := pipes(alice).Bind(adv) // an input pipe, not a listener
	require.NoError(t, err)
	defer in.Close()
	// Dial does not wait for the listener's verdict: the refusal is the
	// error of the first Read, and of every call after it.
	c, err := pipes(bob).Dial(ctxT(t, 5*time.Second), adv)
	require.NoError(t, err)
	_, err = c.Read(make([]byte, 1))
	require.ErrorIs(t, err, pipe.ErrRefused)
	assert.ErrorContains(t, err, "no listener")
	_, err = c.Write([]byte("x"))
	assert.ErrorIs(t, err, pipe.ErrRefused, "and of every Write after it")
	assert.ErrorIs(t, c.Close(), pipe.ErrRefused)

	l, err := pipes(alice).Listen(context.Background(), adv)
	require.NoError(t, err)
	c, err = pipes(bob).Dial(ctxT(t, 5*time.Second), adv)
	require.NoError(t, err)
	c.Close()
	require.NoError(t, l.Close())
	_, err = l.Accept()
	assert.ErrorIs(t, err, net.ErrClosed)
	c, err = pipes(bob).DialPeer(ctxT(t, 5*time.Second), adv.PipeID, alice.ID())
	require.NoError(t, err)
	// The Write does not wait for the verdict; in memory the refusal may
	// still come first, and then the Write reports it.
	if _, err = c.Write([]byte("lost")); err != nil {
		require.ErrorIs(t, err, pipe.ErrRefused, "a write that fails fails with the refusal")
	}
	assert.ErrorIs(t, c.Close(), pipe.ErrRefused, "a closed listener refuses, and Close tells what was written went nowhere")

	propagate := advert.NewPipeAdv(jxta.NetGroupID, advert.PipePropagate, "room")
	_, err = pipes(alice).Listen(context.Background(), propagate)
	assert.ErrorContains(t, err, "bidirectional pipes need a JxtaUnicast")
}

func TestMessagesOverABidirectionalPipe(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			_, edges := nw.star(t, "alice", "bob")
			alice, bob := edges[0], edges[1]
			adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "messages")
			l, err := pipes(alice).Listen(context.Background(), adv)
			require.NoError(t, err)
			defer l.Close()
			for _, format := range []pipe.Format{pipe.Binary, pipe.XML} {
				t.Run(format.String(), func(t *testing.T) {
					done := make(chan error, 1)
					go func() {
						c, err := l.Accept()
						if err != nil {
							done <- err
							return
						}
						mc := pipe.NewMessageConn(c, format, 0)
						defer mc.Close()
						for {
							m, err := mc.Recv()
							if err != nil {
								if errors.Is(err, io.EOF) {
									err = nil
								}
								done <- err
								return
							}
							m.AddString("", "echoed-by", "alice")
							if err := mc.Send(m); err != nil {
								done <- err
								return
							}
						}
					}()
					c, err := pipes(bob).Dial(ctxT(t, 15*time.Second), adv)
					require.NoError(t, err)
					mc := pipe.NewMessageConn(c, format, 0)
					big := bytes.Repeat([]byte{0, 1, 2, 0xff}, 256<<10) // 1 MiB of binary
					for i, body := range [][]byte{[]byte("hi"), big} {
						m := jxta.NewMessage()
						m.AddBytes("app", "body", body)
						m.AddString("", "i", string(rune('a'+i)))
						require.NoError(t, mc.Send(m))
						got, err := mc.Recv()
						require.NoError(t, err)
						el, ok := got.Get("app", "body")
						require.True(t, ok)
						assert.True(t, bytes.Equal(body, el.Data))
						by, _ := got.String("", "echoed-by")
						assert.Equal(t, "alice", by)
					}
					require.NoError(t, c.CloseWrite())
					require.NoError(t, <-done)
					mc.Close()
				})
			}
		})
	}
}

// TestPipeEndsKnowTheVerifiedPeer: each end of a bidirectional pipe knows
// the peer at the other end, which proved its key on the connection.
func TestPipeEndsKnowTheVerifiedPeer(t *testing.T) {
	nw := networks()[0]
	_, edges := nw.star(t, "alice", "bob")
	alice, bob := edges[0], edges[1]
	adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "who")
	l, err := pipes(alice).Listen(context.Background(), adv)
	require.NoError(t, err)
	defer l.Close()
	c, err := pipes(bob).Dial(ctxT(t, 15*time.Second), adv)
	require.NoError(t, err)
	defer c.Close()
	a, err := l.AcceptPipe(ctxT(t, 5*time.Second))
	require.NoError(t, err)
	defer a.Close()
	assert.Equal(t, alice.ID(), c.Peer())
	assert.Equal(t, bob.ID(), a.Peer())
	assert.True(t, alice.Endpoint().Verified(bob.ID()))
	assert.True(t, bob.Endpoint().Verified(alice.ID()))
	peer, ok := pipe.NewMessageConn(a, pipe.Binary, 0).Peer()
	assert.True(t, ok)
	assert.Equal(t, bob.ID(), peer)
}
