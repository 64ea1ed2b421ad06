package discovery

import (
	"context"
	"sync/atomic"
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

// TestOwnAdvertisementOncePerPeriod checks that queries and answers carry
// their sender's advertisement the first time they go to a peer in a
// refresh period, and not again until the period is over.
func TestOwnAdvertisementOncePerPeriod(t *testing.T) {
	both(t, func(t *testing.T, mem *endpoint.MemNetwork) {
		var ahead atomic.Int64 // how far the peers' clock is ahead of time.Now
		clock := func() time.Time { return time.Now().Add(time.Duration(ahead.Load())) }
		alice, bob := newPeerWithClock(t, "alice", mem, clock), newPeerWithClock(t, "bob", mem, clock)
		require.NoError(t, alice.disc.Publish(advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "p"), 0, 0))
		_, err := bob.ep.Connect(context.Background(), alice.ep.Addresses()[0])
		require.NoError(t, err)

		// What bob's queries carry, as alice reads them.
		carried := make(chan string, 1)
		alice.res.Handle(HandlerName, resolver.QueryHandlerFunc(func(ctx context.Context, q *resolver.Query) (string, bool) {
			dq, err := protocol.UnflattenAs[*protocol.DiscoveryQuery](q.Body, wireRegistry)
			require.NoError(t, err)
			carried <- dq.PeerAdvText
			return alice.disc.answer(ctx, q)
		}))
		query := func() string {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			ch, err := bob.disc.Remote(ctx, alice.ep.ID(), advert.Adv, "Name", "p", 1)
			require.NoError(t, err)
			require.Len(t, Collect(ch, 1), 1)
			return <-carried
		}
		// What alice's answers carry, read from a plain resolver query
		// (which carries no advertisement of bob's).
		answer := func() string {
			dq := protocol.NewDiscoveryQuery(advert.Adv, "Name", "p")
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			ch, err := bob.res.Query(ctx, alice.ep.ID(), HandlerName, protocol.Flatten(dq))
			require.NoError(t, err)
			r, ok := <-ch
			require.True(t, ok, "no answer")
			<-carried
			dr, err := protocol.UnflattenAs[*protocol.DiscoveryResponse](r.Body, wireRegistry)
			require.NoError(t, err)
			require.Len(t, dr.Responses, 1)
			return dr.PeerAdvText
		}
		peerOf := func(text string) jxta.PeerID {
			sa, err := protocol.UnflattenAs[*advert.SignedAdv](text, nil)
			require.NoError(t, err)
			pa := sa.Adv.(*advert.PeerAdv)
			assert.Equal(t, pa.PeerID, sa.Publisher, "signed by its peer")
			return pa.PeerID
		}

		first := answer()
		require.NotEmpty(t, first, "alice's first answer to bob carries her advertisement")
		assert.Equal(t, alice.ep.ID(), peerOf(first))
		assert.Empty(t, answer(), "her next answer within the period does not")

		sent := query()
		require.NotEmpty(t, sent, "bob's first query to alice carries his advertisement")
		assert.Equal(t, bob.ep.ID(), peerOf(sent))
		assert.Empty(t, query(), "his next query within the period does not")

		ahead.Store(int64(advRefresh))
		assert.NotEmpty(t, answer(), "once the period is over, answers carry it again")
		assert.NotEmpty(t, query(), "and queries too")
		assert.Empty(t, query())
	})
}
