package pipe_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/pipe"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUnicastPipeFromManySenders(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			_, edges := nw.star(t, "alice", "bob", "carol")
			alice, bob, carol := edges[0], edges[1], edges[2]
			adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "inbox")
			in, err := pipes(alice).Bind(adv)
			require.NoError(t, err)
			defer in.Close()

			const perSender = 50
			var wg sync.WaitGroup
			for _, sender := range []string{"bob", "carol"} {
				n := bob
				if sender == "carol" {
					n = carol
				}
				out, err := pipes(n).Connect(ctxT(t, 15*time.Second), adv)
				require.NoError(t, err, sender)
				assert.Equal(t, alice.ID(), out.Peer(), "resolved to the peer that bound the pipe")
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := range perSender {
						m := jxta.NewMessage()
						m.AddString("", "from", sender)
						m.AddString("", "seq", strconv.Itoa(i))
						assert.NoError(t, out.Send(context.Background(), m))
					}
				}()
			}
			wg.Wait()
			next := map[string]int{}
			for range 2 * perSender {
				r, err := in.Recv(ctxT(t, 10*time.Second))
				require.NoError(t, err)
				from, _ := r.Message.String("", "from")
				seq, _ := r.Message.String("", "seq")
				assert.Equal(t, strconv.Itoa(next[from]), seq, "messages of one sender arrive in order")
				next[from]++
				assert.NotEqual(t, alice.ID(), r.Peer)
			}
			assert.Equal(t, map[string]int{"bob": perSender, "carol": perSender}, next)
			assert.Zero(t, in.Dropped())
		})
	}
}

func TestResolvingAPipeNobodyBoundTimesOut(t *testing.T) {
	nw := networks()[1]
	_, edges := nw.star(t, "alice")
	adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "nobody")
	start := time.Now()
	_, err := pipes(edges[0]).Connect(ctxT(t, 700*time.Millisecond), adv)
	require.Error(t, err)
	assert.ErrorIs(t, err, pipe.ErrNotResolved)
	assert.Contains(t, err.Error(), adv.PipeID.String())
	assert.Less(t, time.Since(start), 5*time.Second, "the deadline bounds resolution")
	_, err = pipes(edges[0]).Dial(ctxT(t, 300*time.Millisecond), adv)
	assert.ErrorIs(t, err, pipe.ErrNotResolved)
}

func TestOutputPipeFindsThePipeAgainWhenItsPeerGoesAway(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			rdv, edges := nw.star(t, "alice", "bob")
			alice, bob := edges[0], edges[1]
			adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "moving")
			_, err := pipes(alice).Bind(adv)
			require.NoError(t, err)
			out, err := pipes(bob).Connect(ctxT(t, 15*time.Second), adv)
			require.NoError(t, err)
			require.Equal(t, alice.ID(), out.Peer())

			alice.Close()
			carol := nw.peer(t, "carol", false, rdv)
			leased(t, carol.NetGroup(), rdv)
			in, err := pipes(carol).Bind(adv)
			require.NoError(t, err)
			// The rendezvous learns of carol's pipe shortly after.
			require.Eventually(t, func() bool {
				m := jxta.NewMessage()
				m.AddString("", "text", "hello again")
				return out.Send(ctxT(t, 2*time.Second), m) == nil && out.Peer() == carol.ID()
			}, 20*time.Second, 50*time.Millisecond)
			r, err := in.Recv(ctxT(t, 10*time.Second))
			require.NoError(t, err)
			text, _ := r.Message.String("", "text")
			assert.Equal(t, "hello again", text)
			assert.Equal(t, bob.ID(), r.Peer)
		})
	}
}

// TestSecurePipes: a JxtaUnicastSecure pipe carries messages from bob to
// alice over their TLS connection, alice learns bob's verified peer ID, a
// unicast pipe of the same ID does not find the secure binding, and a
// secure bidirectional pipe works as any other.
func TestSecurePipes(t *testing.T) {
	nw := networks()[0]
	_, edges := nw.star(t, "alice", "bob")
	alice, bob := edges[0], edges[1]
	adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicastSecure, "secret")
	in, err := pipes(alice).Bind(adv)
	require.NoError(t, err)
	defer in.Close()
	out, err := pipes(bob).Connect(ctxT(t, 15*time.Second), adv)
	require.NoError(t, err)
	m := jxta.NewMessage()
	m.AddString("", "text", "for alice only")
	require.NoError(t, out.Send(ctxT(t, 5*time.Second), m))
	r, err := in.Recv(ctxT(t, 10*time.Second))
	require.NoError(t, err)
	text, _ := r.Message.String("", "text")
	assert.Equal(t, "for alice only", text)
	assert.Equal(t, bob.ID(), r.Peer, "the sender, as proven on the connection")
	assert.True(t, alice.Endpoint().Verified(r.Peer))

	plain := *adv
	plain.Type = advert.PipeUnicast
	_, err = pipes(bob).Connect(ctxT(t, 700*time.Millisecond), &plain)
	assert.ErrorIs(t, err, pipe.ErrNotResolved, "a unicast query does not find a secure binding")

	ladv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicastSecure, "secret-stream")
	l, err := pipes(alice).Listen(context.Background(), ladv)
	require.NoError(t, err)
	defer l.Close()
	c, err := pipes(bob).Dial(ctxT(t, 15*time.Second), ladv)
	require.NoError(t, err)
	defer c.Close()
	a, err := l.AcceptPipe(ctxT(t, 5*time.Second))
	require.NoError(t, err)
	defer a.Close()
	assert.Equal(t, bob.ID(), a.Peer())

	unknown := *adv
	unknown.Type = "JxtaSomethingElse"
	_, err = pipes(alice).Bind(&unknown)
	assert.ErrorContains(t, err, "unknown pipe type")
}

func TestOneInputPipePerPipeAndPeer(t *testing.T) {
	nw := networks()[1]
	a := nw.peer(t, "a", false)
	adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "once")
	in, err := pipes(a).Bind(adv)
	require.NoError(t, err)
	_, err = pipes(a).Bind(adv)
	assert.ErrorIs(t, err, pipe.ErrAlreadyBound)
	require.NoError(t, in.Close())
	again, err := pipes(a).Bind(adv)
	require.NoError(t, err, "a closed pipe can be bound again")
	again.Close()
	_, err = again.Recv(context.Background())
	assert.ErrorIs(t, err, pipe.ErrClosed)
}

func TestSendingToOwnInputPipe(t *testing.T) {
	nw := networks()[1]
	a := nw.peer(t, "a", false)
	adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "loop")
	in, err := pipes(a).Bind(adv)
	require.NoError(t, err)
	out, err := pipes(a).Connect(ctxT(t, time.Second), adv)
	require.NoError(t, err)
	m := jxta.NewMessage()
	m.AddString("", "x", "self")
	require.NoError(t, out.Send(context.Background(), m))
	r, err := in.Recv(ctxT(t, time.Second))
	require.NoError(t, err)
	got, _ := r.Message.String("", "x")
	assert.Equal(t, "self", got)
	require.NoError(t, out.Close())
	assert.ErrorIs(t, out.Send(context.Background(), m), pipe.ErrClosed)
}

func TestPipesOfOneGroupAreNotSeenInAnother(t *testing.T) {
	nw := networks()[1]
	_, edges := nw.star(t, "alice", "bob")
	alice, bob := edges[0], edges[1]
	adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "net-only")
	_, err := pipes(alice).Bind(adv)
	require.NoError(t, err)
	// bob asks in the World group, where alice bound nothing.
	_, err = bob.WorldGroup().Pipes().Connect(ctxT(t, 500*time.Millisecond), adv)
	assert.ErrorIs(t, err, pipe.ErrNotResolved)
	_, err = pipes(bob).Connect(ctxT(t, 15*time.Second), adv)
	assert.NoError(t, err, "found in the Net group")
}

func TestAnOutputPipeLearnsThatItsPipeWasClosed(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			_, edges := nw.star(t, "alice", "bob", "carol")
			alice, bob, carol := edges[0], edges[1], edges[2]
			adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "moved")
			in, err := pipes(alice).Bind(adv)
			require.NoError(t, err)
			out, err := pipes(bob).Connect(ctxT(t, 15*time.Second), adv)
			require.NoError(t, err)
			require.Equal(t, alice.ID(), out.Peer())

			// alice stays up but closes the pipe; carol binds it.
			require.NoError(t, in.Close())
			moved, err := pipes(carol).Bind(adv)
			require.NoError(t, err)
			m := jxta.NewMessage()
			m.AddString("", "text", "where are you?")
			require.Eventually(t, func() bool {
				return out.Send(ctxT(t, 2*time.Second), m) == nil && out.Peer() == carol.ID()
			}, 20*time.Second, 50*time.Millisecond, "bob's pipe never found carol")
			r, err := moved.Recv(ctxT(t, 10*time.Second))
			require.NoError(t, err)
			got, _ := r.Message.String("", "text")
			assert.Equal(t, "where are you?", got)
		})
	}
}

func TestInputPipesAreIndexedAtTheRendezvous(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			rdv, edges := nw.star(t, "alice")
			adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "indexed")
			in, err := pipes(edges[0]).Bind(adv)
			require.NoError(t, err)
			require.Eventually(t, func() bool { return pipes(rdv).IndexSize() == 1 }, 10*time.Second, 10*time.Millisecond,
				"the binding reaches the rendezvous")
			require.NoError(t, in.Close())
			require.Eventually(t, func() bool { return pipes(rdv).IndexSize() == 0 }, 10*time.Second, 10*time.Millisecond,
				"closing the pipe withdraws it")
		})
	}
}
