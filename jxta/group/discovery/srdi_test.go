package discovery

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// fixedRendezvous is a peer's rendezvous state, set by the test.
type fixedRendezvous struct {
	mu   sync.Mutex
	rdv  bool
	to   []jxta.PeerID
	view []jxta.PeerID
}

func (f *fixedRendezvous) IsRendezvous() bool { f.mu.Lock(); defer f.mu.Unlock(); return f.rdv }
func (f *fixedRendezvous) RendezVous() []jxta.PeerID {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.to
}
func (f *fixedRendezvous) PeerView() []jxta.PeerID { f.mu.Lock(); defer f.mu.Unlock(); return f.view }

// rdvNetwork starts rendezvous r1 and r2 (each in the other's view) and
// edges: a and b lease with r1, c with r2.
func rdvNetwork(t *testing.T, mem *endpoint.MemNetwork) (r1, r2, a, b, c *peer) {
	r1, r2 = newPeer(t, "r1", mem), newPeer(t, "r2", mem)
	a, b, c = newPeer(t, "a", mem), newPeer(t, "b", mem), newPeer(t, "c", mem)
	connect := func(from, to *peer) {
		_, err := from.ep.Connect(context.Background(), to.ep.Addresses()[0])
		require.NoError(t, err)
	}
	connect(r2, r1)
	r1.res.SetRendezvous(&fixedRendezvous{rdv: true, view: []jxta.PeerID{r2.ep.ID()}})
	r2.res.SetRendezvous(&fixedRendezvous{rdv: true, view: []jxta.PeerID{r1.ep.ID()}})
	for _, e := range []struct{ edge, rdv *peer }{{a, r1}, {b, r1}, {c, r2}} {
		connect(e.edge, e.rdv)
		e.edge.res.SetRendezvous(&fixedRendezvous{to: []jxta.PeerID{e.rdv.ep.ID()}})
	}
	return
}

func TestGroupQueryFollowsTheIndex(t *testing.T) {
	both(t, func(t *testing.T, mem *endpoint.MemNetwork) {
		r1, r2, a, b, c := rdvNetwork(t, mem)
		pipe := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "chat-room")
		require.NoError(t, c.disc.Publish(pipe, 0, 0))
		require.Eventually(t, func() bool { return r2.disc.IndexSize() > 0 }, 5*time.Second, 10*time.Millisecond, "c's publication reaches its rendezvous's index")
		assert.Zero(t, r1.disc.IndexSize())

		before, _ := b.ep.Traffic(r1.ep.ID())
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ch, err := a.disc.Remote(ctx, jxta.PeerID{}, advert.Adv, "Name", "chat-*", 10)
		require.NoError(t, err)
		results := Collect(ch, 1)
		require.Len(t, results, 1, "a, leased with r1, finds what c published under r2")
		assert.Equal(t, c.ep.ID(), results[0].Peer, "c answers a directly")
		assert.Equal(t, pipe.PipeID.ID, results[0].Adv.ID())

		time.Sleep(100 * time.Millisecond)
		after, _ := b.ep.Traffic(r1.ep.ID())
		assert.Equal(t, before.MessagesIn, after.MessagesIn, "b, which has no match, was not asked")

		// Flushing removes the entry from the index.
		require.NoError(t, c.disc.Flush(pipe))
		require.Eventually(t, func() bool { return r2.disc.IndexSize() == 0 }, 5*time.Second, 10*time.Millisecond)
	})
}

func TestPushIndexAndForgetPeer(t *testing.T) {
	mem := endpoint.NewMemNetwork()
	r1, _, a, _, _ := rdvNetwork(t, mem)
	// Published while a had no rendezvous: nothing pushed.
	a.res.SetRendezvous(&fixedRendezvous{})
	for _, name := range []string{"x", "y"} {
		require.NoError(t, a.disc.Publish(advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, name), 0, 0))
	}
	time.Sleep(50 * time.Millisecond)
	assert.Zero(t, r1.disc.IndexSize())

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, a.disc.PushIndex(ctx, r1.ep.ID()))
	require.Eventually(t, func() bool { return r1.disc.IndexSize() >= 4 }, 5*time.Second, 10*time.Millisecond, "name and ID of both pipes")
	r1.disc.ForgetPeer(a.ep.ID())
	assert.Zero(t, r1.disc.IndexSize())
}

func TestEdgesIgnoreIndexPushes(t *testing.T) {
	mem := endpoint.NewMemNetwork()
	_, _, a, b, _ := rdvNetwork(t, mem)
	_, err := a.ep.Connect(context.Background(), b.ep.Addresses()[0])
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, a.disc.Publish(advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "x"), 0, 0))
	require.NoError(t, a.disc.PushIndex(ctx, b.ep.ID()))
	time.Sleep(50 * time.Millisecond)
	assert.Zero(t, b.disc.IndexSize())
}

func TestHostileQueriesAreBounded(t *testing.T) {
	mem := endpoint.NewMemNetwork()
	alice, bob := newPeer(t, "alice", mem), newPeer(t, "bob", mem)
	for i := range MaxResponses + 20 {
		require.NoError(t, alice.disc.Publish(advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "p"+string(rune('a'+i%26))+string(rune('a'+i/26))), 0, 0))
	}
	_, err := bob.ep.Connect(context.Background(), alice.ep.Addresses()[0])
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	ch, err := bob.disc.Remote(ctx, alice.ep.ID(), advert.Adv, "", "", 1<<30)
	require.NoError(t, err)
	assert.Len(t, Collect(ch, 0), MaxResponses, "a huge threshold gets at most MaxResponses")

	ctx2, cancel2 := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel2()
	ch, err = bob.disc.Remote(ctx2, alice.ep.ID(), advert.Adv, "NoSuchField", "x", 10)
	require.NoError(t, err)
	assert.Empty(t, Collect(ch, 0), "an attribute that is no index field finds nothing")
}

func TestFailedPublishWithdrawsItsIndexPush(t *testing.T) {
	mem := endpoint.NewMemNetwork()
	r1, _, a, _, _ := rdvNetwork(t, mem)
	var before endpoint.Traffic
	require.Eventually(t, func() bool {
		before, _ = r1.ep.Traffic(a.ep.ID())
		return before.MessagesIn >= 1 // a's advertisement, which opens the connection
	}, 5*time.Second, time.Millisecond)
	err := a.disc.Publish(&advert.PipeAdv{Name: "no ID, so it does not parse back"}, 0, 0)
	require.Error(t, err)
	require.Eventually(t, func() bool {
		after, _ := r1.ep.Traffic(a.ep.ID())
		return after.MessagesIn >= before.MessagesIn+2
	}, 5*time.Second, time.Millisecond, "the push and its withdrawal")
	assert.Eventually(t, func() bool { return r1.disc.IndexSize() == 0 }, 5*time.Second, time.Millisecond)
}
