package endpoint

import (
	"context"
	"encoding/binary"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// counter counts the distinct sequence numbers delivered to a service.
type counter struct {
	mu   sync.Mutex
	seen map[uint32]bool
}

func count(e *Endpoint, service string) *counter {
	c := &counter{seen: make(map[uint32]bool)}
	e.HandleFunc(service, "", func(in *Incoming) {
		el, ok := in.Message.Get("", "seq")
		if !ok || len(el.Data) != 4 {
			return
		}
		c.mu.Lock()
		c.seen[binary.BigEndian.Uint32(el.Data)] = true
		c.mu.Unlock()
	})
	return c
}

func (c *counter) n() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.seen)
}

func seqMessage(i int, payload []byte) *jxta.Message {
	m := jxta.NewMessage()
	m.AddBytes("", "seq", binary.BigEndian.AppendUint32(nil, uint32(i)))
	if payload != nil {
		m.AddBytes("", "data", payload)
	}
	return m
}

// TestCloseDeliversWhatSendAccepted sends 1,000 messages and closes the
// sender at once: every message Send accepted reaches the live receiver.
func TestCloseDeliversWhatSendAccepted(t *testing.T) {
	for _, nw := range networks() {
		for _, size := range []int{0, 4 << 10} {
			t.Run(nw.name+"/"+map[int]string{0: "small", 4 << 10: "4KiB"}[size], func(t *testing.T) {
				sender, receiver := newPeer(t, nw, "sender"), newPeer(t, nw, "receiver")
				got := count(receiver.Endpoint, "svc")
				sender.AddPeer(receiver.PeerAdv())
				require.NoError(t, sender.ConnectPeer(ctxT(t, 5*time.Second), receiver.ID()))

				const n = 1000
				payload := make([]byte, size)
				for i := range n {
					require.NoError(t, sender.SendTo(context.Background(), receiver.ID(), "svc", "", seqMessage(i, payload)))
				}
				start := time.Now()
				require.NoError(t, sender.Close())
				took := time.Since(start)
				assert.Less(t, took, DefaultCloseTimeout, "Close waits for the receiver, not for the timeout")
				assert.Eventually(t, func() bool { return got.n() == n }, 5*time.Second, 5*time.Millisecond)
				t.Logf("Close took %v; %d of %d delivered", took, got.n(), n)

				err := sender.SendTo(context.Background(), receiver.ID(), "svc", "", seqMessage(n, nil))
				assert.ErrorIs(t, err, ErrClosed, "a closed endpoint takes no message")
				stillServesAfterPeerLeft(t, nw, receiver)
			})
		}
	}
}

// stillServesAfterPeerLeft checks that receiver, whose peer closed,
// answers a new peer.
func stillServesAfterPeerLeft(t *testing.T, nw network, receiver *testPeer) {
	t.Helper()
	ch := collect(receiver.Endpoint, "ping", "")
	late := newPeer(t, nw, "late")
	late.AddPeer(receiver.PeerAdv())
	require.NoError(t, late.SendTo(ctxT(t, 5*time.Second), receiver.ID(), "ping", "", jxta.NewMessage()))
	assert.Equal(t, late.ID(), recv(t, ch).Peer)
}

// TestCloseBothWays closes two peers that send to each other at the same
// time: what each Send accepted arrives before the connection ends.
func TestCloseBothWays(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			a, b := newPeer(t, nw, "a"), newPeer(t, nw, "b")
			atA, atB := count(a.Endpoint, "svc"), count(b.Endpoint, "svc")
			a.AddPeer(b.PeerAdv())
			require.NoError(t, a.ConnectPeer(ctxT(t, 5*time.Second), b.ID()))
			const n = 500
			for i := range n {
				require.NoError(t, a.SendTo(context.Background(), b.ID(), "svc", "", seqMessage(i, nil)))
				require.NoError(t, b.SendTo(context.Background(), a.ID(), "svc", "", seqMessage(i, nil)))
			}
			// b closes first, so that a's messages to b still arrive while b
			// drains; then a.
			done := make(chan struct{})
			go func() {
				defer close(done)
				assert.NoError(t, b.Close())
			}()
			require.NoError(t, a.Close())
			<-done
			assert.Equal(t, n, atB.n(), "a to b")
			assert.Equal(t, n, atA.n(), "b to a")
		})
	}
}

// TestCloseIsBoundedWhenThePeerStopsReading fills the connection to a peer
// whose handler never returns: Close gives up after CloseTimeout.
func TestCloseIsBoundedWhenThePeerStopsReading(t *testing.T) {
	nw := networks()[0]
	const timeout = 300 * time.Millisecond
	sender := newPeer(t, nw, "sender", func(c *Config) { c.CloseTimeout = timeout })
	stuck := newPeer(t, nw, "stuck")
	block := make(chan struct{})
	defer close(block)
	stuck.HandleFunc("svc", "", func(*Incoming) { <-block })
	sender.AddPeer(stuck.PeerAdv())
	require.NoError(t, sender.ConnectPeer(ctxT(t, 5*time.Second), stuck.ID()))

	// Send until the queue is full and a Send waits for room.
	sent := make(chan error, 1)
	go func() {
		payload := make([]byte, 64<<10)
		for i := 0; ; i++ {
			if err := sender.SendTo(context.Background(), stuck.ID(), "svc", "", seqMessage(i, payload)); err != nil {
				sent <- err
				return
			}
		}
	}()
	time.Sleep(300 * time.Millisecond)
	start := time.Now()
	require.NoError(t, sender.Close())
	took := time.Since(start)
	t.Logf("Close took %v with CloseTimeout %v", took, timeout)
	assert.GreaterOrEqual(t, took, timeout, "Close waited for the stuck peer")
	assert.Less(t, took, timeout+time.Second, "and no longer than CloseTimeout")
	select {
	case err := <-sent:
		// Refused (ErrClosed) if it waited for room, or failed with the
		// connection if it was writing.
		assert.Error(t, err)
	case <-time.After(time.Second):
		t.Fatal("a Send still waits after Close")
	}
}
