package discovery

import (
	"context"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group/resolver"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWaitingQueriesMatchLatePushes(t *testing.T) {
	var w waitingQueries
	now := time.Unix(1000, 0)
	exact, prefix, anyPeer := &resolver.Query{ID: 1}, &resolver.Query{ID: 2}, &resolver.Query{ID: 3}
	w.add(exact, "Adv", "Name", "chat", now)
	w.add(prefix, "Adv", "Name", "ch*", now)
	w.add(anyPeer, "Peers", "", "", now)
	a, b := jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID)
	push := func(pkey string, entries ...protocol.SRDIEntry) *protocol.SRDIMessage {
		return &protocol.SRDIMessage{PrimaryKey: pkey, Entries: entries}
	}
	live := func(skey, value string) protocol.SRDIEntry {
		return protocol.SRDIEntry{SKey: skey, Value: value, Expiration: time.Hour}
	}

	assert.Empty(t, w.matched(a, push("Adv", live("Name", "other")), now))
	assert.Empty(t, w.matched(a, push("Adv", protocol.SRDIEntry{SKey: "Name", Value: "chat"}), now), "a removal")
	assert.Empty(t, w.matched(a, push("Groups", live("Name", "chat")), now), "another index")
	assert.ElementsMatch(t, []*resolver.Query{exact, prefix}, w.matched(a, push("Adv", live("Id", "x"), live("Name", "chat")), now))
	assert.Empty(t, w.matched(a, push("Adv", live("Name", "chat")), now), "forwarded to a once")
	assert.Equal(t, []*resolver.Query{prefix}, w.matched(b, push("Adv", live("Name", "chess")), now))
	assert.Equal(t, []*resolver.Query{anyPeer}, w.matched(b, push("Peers", live("PID", "p")), now))
	assert.Empty(t, w.matched(b, push("Adv", live("Name", "chat")), now.Add(waitFor)), "waited long enough")
	assert.Zero(t, w.len())
	assert.Empty(t, w.exact)
	assert.Empty(t, w.other)

	for i := range maxWaiting + 10 {
		w.add(&resolver.Query{ID: int64(i)}, "Adv", "Name", "x", now)
	}
	assert.Equal(t, maxWaiting, w.len())
	got := w.matched(a, push("Adv", live("Name", "x")), now)
	require.Len(t, got, maxWaiting)
	assert.Equal(t, int64(10), got[0].ID, "the oldest went first")
}

// TestQueryOvertakingTheIndexPush makes the query for c's pipe reach the
// rendezvous before c's index push: the rendezvous forwards it to c when
// the push arrives.
func TestQueryOvertakingTheIndexPush(t *testing.T) {
	both(t, func(t *testing.T, mem *endpoint.MemNetwork) {
		_, r2, a, _, c := rdvNetwork(t, mem)
		c.res.SetRendezvous(&fixedRendezvous{}) // publish without pushing
		pipe := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "late")
		require.NoError(t, c.disc.Publish(pipe, 0, 0))
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		ch, err := a.disc.Remote(ctx, jxta.PeerID{}, advert.Adv, "Name", "late", 1)
		require.NoError(t, err)
		require.Eventually(t, func() bool { return r2.disc.waiting.len() > 0 }, 5*time.Second, time.Millisecond,
			"the query waits at c's rendezvous")
		require.NoError(t, c.disc.PushIndex(ctx, r2.ep.ID()))
		results := Collect(ch, 1)
		require.Len(t, results, 1)
		assert.Equal(t, c.ep.ID(), results[0].Peer)
		assert.Equal(t, pipe.PipeID.ID, results[0].Adv.ID())
	})
}
