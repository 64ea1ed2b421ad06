package discovery

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/group/resolver"
	"github.com/gojxta/gojxta/jxta/metrics"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

type peer struct {
	ep    *endpoint.Endpoint
	res   *resolver.Service
	disc  *Service
	cache *cache.Cache
}

func newPeer(t *testing.T, name string, mem *endpoint.MemNetwork) *peer {
	t.Helper()
	return newPeerWithClock(t, name, mem, nil)
}

// newPeerWithClock is newPeer with a discovery service reading clock (nil
// for time.Now).
func newPeerWithClock(t *testing.T, name string, mem *endpoint.MemNetwork, clock func() time.Time) *peer {
	t.Helper()
	return newPeerWith(t, name, mem, clock, cache.Options{CollectInterval: -1})
}

// newPeerWith is newPeerWithClock with the cache's options.
func newPeerWith(t *testing.T, name string, mem *endpoint.MemNetwork, clock func() time.Time, opts cache.Options) *peer {
	t.Helper()
	cfg := endpoint.Config{Name: name, Metrics: metrics.New()}
	if mem != nil {
		cfg.Listen = []jxta.Address{{Protocol: "mem", Host: name}}
		cfg.Transports = []endpoint.Transport{mem}
	} else {
		cfg.Listen = []jxta.Address{jxta.MustParseAddress("tcp://127.0.0.1:0")}
	}
	ep, err := endpoint.New(cfg)
	require.NoError(t, err)
	c, err := cache.Open(filepath.Join(t.TempDir(), "cm.db"), opts)
	require.NoError(t, err)
	res := resolver.New(ep, jxta.NetGroupID, nil)
	d, err := New(Config{Group: jxta.NetGroupID, Resolver: res, Cache: c, Self: ep.PeerAdv, Signer: ep.Identity(), Metrics: ep.Metrics(), Clock: clock})
	require.NoError(t, err)
	t.Cleanup(func() {
		d.Close()
		res.Close()
		ep.Close()
		c.Close()
	})
	return &peer{ep: ep, res: res, disc: d, cache: c}
}

func both(t *testing.T, f func(t *testing.T, mem *endpoint.MemNetwork)) {
	t.Run("tcp", func(t *testing.T) { f(t, nil) })
	t.Run("mem", func(t *testing.T) { f(t, endpoint.NewMemNetwork()) })
}

func TestRemoteQueryFindsPublishedPipe(t *testing.T) {
	both(t, func(t *testing.T, mem *endpoint.MemNetwork) {
		alice, bob := newPeer(t, "alice", mem), newPeer(t, "bob", mem)
		pipe := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "chat-room")
		require.NoError(t, alice.disc.Publish(pipe, 0, 0))
		require.NoError(t, alice.disc.Publish(advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "other"), 0, 0))
		_, err := bob.ep.Connect(context.Background(), alice.ep.Addresses()[0])
		require.NoError(t, err)

		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ch, err := bob.disc.Remote(ctx, alice.ep.ID(), advert.Adv, "Name", "chat-*", 10)
		require.NoError(t, err)
		results := Collect(ch, 1)
		require.Len(t, results, 1)
		assert.Equal(t, alice.ep.ID(), results[0].Peer)
		got, ok := results[0].Adv.(*advert.PipeAdv)
		require.True(t, ok)
		assert.Equal(t, pipe.PipeID, got.PipeID)
		assert.Equal(t, protocol.DefaultExpiration, results[0].Expiration)

		// The result is kept in bob's cache (just after it is handed
		// over), and the query taught alice bob's advertisement (a little
		// after she answered).
		require.Eventually(t, func() bool {
			local, err := bob.disc.Local(advert.Adv, "Name", "chat-room", 10)
			return err == nil && len(local) == 1
		}, 5*time.Second, 5*time.Millisecond)
		assert.Eventually(t, func() bool { // kept in the background too
			peers, err := alice.disc.Local(advert.Peers, "Name", "bob", 10)
			return err == nil && len(peers) == 1
		}, 5*time.Second, 5*time.Millisecond, "alice keeps the querier's advertisement")
	})
}

func TestRemotePublishAndPeerQuery(t *testing.T) {
	both(t, func(t *testing.T, mem *endpoint.MemNetwork) {
		alice, bob := newPeer(t, "alice", mem), newPeer(t, "bob", mem)
		_, err := bob.ep.Connect(context.Background(), alice.ep.Addresses()[0])
		require.NoError(t, err)
		g := &advert.GroupAdv{GroupID: jxta.NewGroupIDWithParent(jxta.NetGroupID), SpecID: jxta.StdGroupSpecID, Name: "club"}
		require.NoError(t, alice.disc.RemotePublish(context.Background(), bob.ep.ID(), g, time.Hour))
		require.Eventually(t, func() bool {
			e, _ := bob.disc.Local(advert.Groups, "Name", "club", 1)
			return len(e) == 1
		}, 5*time.Second, 10*time.Millisecond)
		e, _ := bob.disc.Local(advert.Groups, "Name", "club", 1)
		assert.Equal(t, time.Hour, e[0].Expiration, "kept with the expiration its sender gave")

		// A sender asking for a year gets DefaultMaxRemoteLifetime.
		greedy := &advert.GroupAdv{GroupID: jxta.NewGroupIDWithParent(jxta.NetGroupID), SpecID: jxta.StdGroupSpecID, Name: "forever"}
		require.NoError(t, alice.disc.RemotePublish(context.Background(), bob.ep.ID(), greedy, 8760*time.Hour))
		require.Eventually(t, func() bool {
			e, _ := bob.disc.Local(advert.Groups, "Name", "forever", 1)
			return len(e) == 1
		}, 5*time.Second, 10*time.Millisecond)
		e, _ = bob.disc.Local(advert.Groups, "Name", "forever", 1)
		assert.Equal(t, DefaultMaxRemoteLifetime, e[0].Expiration, "the remote lifetime is capped")
		assert.WithinDuration(t, time.Now().Add(DefaultMaxRemoteLifetime), e[0].Expires, time.Minute)

		// Threshold 0 on peers: the responder's own advertisement only.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		ch, err := bob.disc.Remote(ctx, alice.ep.ID(), advert.Peers, "", "", 0)
		require.NoError(t, err)
		r := Collect(ch, 1)
		require.Len(t, r, 1)
		assert.Equal(t, alice.ep.ID().ID, r[0].Adv.ID())
	})
}

// TestRemoteFloodKeepsOwnPublications: a peer sending more advertisements
// than the cache holds, each with a century's lifetime, evicts only what
// other peers sent (capped at two hours), never this peer's own
// publication.
func TestRemoteFloodKeepsOwnPublications(t *testing.T) {
	edge := newPeerWith(t, "edge", nil, nil, cache.Options{CollectInterval: -1, MaxEntries: 20})
	flood := newPeer(t, "flood", nil)
	_, err := flood.ep.Connect(context.Background(), edge.ep.Addresses()[0])
	require.NoError(t, err)
	own := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "mine")
	require.NoError(t, edge.disc.Publish(own, 0, 0))
	for i := range 60 {
		a := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, fmt.Sprintf("junk-%02d", i))
		require.NoError(t, flood.disc.RemotePublish(context.Background(), edge.ep.ID(), a, 100*365*24*time.Hour))
	}
	require.Eventually(t, func() bool {
		e, _ := edge.disc.Local(advert.Adv, "Name", "junk-59", 1)
		return len(e) == 1
	}, 10*time.Second, 10*time.Millisecond, "the flood arrived")
	require.Eventually(t, func() bool { // once moved from pending into the store, the room is kept
		junk, err := edge.disc.Local(advert.Adv, "Name", "junk-*", 100)
		return err == nil && len(junk) < 20
	}, 10*time.Second, 10*time.Millisecond, "the cache holds what it has room for")
	mine, err := edge.disc.Local(advert.Adv, "Name", "mine", 1)
	require.NoError(t, err)
	assert.Len(t, mine, 1, "this peer's own publication stays")
}

func TestQueryForNothingTimesOutQuietly(t *testing.T) {
	mem := endpoint.NewMemNetwork()
	alice, bob := newPeer(t, "alice", mem), newPeer(t, "bob", mem)
	_, err := bob.ep.Connect(context.Background(), alice.ep.Addresses()[0])
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	ch, err := bob.disc.Remote(ctx, alice.ep.ID(), advert.Adv, "Name", "nothing*", 10)
	require.NoError(t, err)
	start := time.Now()
	assert.Empty(t, Collect(ch, 0))
	assert.Less(t, time.Since(start), 3*time.Second)
}

func TestKeepingSkipsAdvertisementsTheCacheRefuses(t *testing.T) {
	mem := endpoint.NewMemNetwork()
	alice := newPeer(t, "alice", mem)
	good := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "good")
	bob := alice.ep.Identity() // any signer
	alice.disc.keepNow([]cache.Publication{
		{Signed: advert.Sign(&advert.PipeAdv{Name: "no ID, so it does not parse back"}, bob), Lifetime: time.Hour, Expiration: time.Hour},
		{Signed: advert.Sign(good, bob), Lifetime: time.Hour, Expiration: time.Hour},
	}, nil)
	got, err := alice.disc.Local(advert.Adv, "Name", "*", 10)
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, cache.Key(good), got[0].Key)
}

func TestQuerierAdvertisementMustBeSignedByTheQuerier(t *testing.T) {
	mem := endpoint.NewMemNetwork()
	alice, bob := newPeer(t, "alice", mem), newPeer(t, "bob", mem)
	_, err := bob.ep.Connect(context.Background(), alice.ep.Addresses()[0])
	require.NoError(t, err)
	dropped := func(reason string) float64 {
		sn, err := alice.ep.Metrics().Snapshot()
		require.NoError(t, err)
		return sn.Value("jxta_discovery_advertisements_dropped_total", "reason", reason)
	}
	ask := func(peerAdv string) {
		dq := protocol.NewDiscoveryQuery(advert.Adv, "Name", "nothing")
		dq.PeerAdvText = peerAdv
		ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
		defer cancel()
		ch, err := bob.res.Query(ctx, alice.ep.ID(), HandlerName, protocol.Flatten(dq))
		require.NoError(t, err)
		for range ch {
		}
	}
	bobs := bob.ep.PeerAdv()
	bobs.Name = "bob, unsigned"
	ask(protocol.Flatten(bobs))
	carol := newPeer(t, "carol", mem)
	bobs.Name = "bob, signed by carol"
	ask(protocol.Flatten(advert.Sign(bobs, carol.ep.Identity())))
	require.Eventually(t, func() bool { return dropped("unsigned") == 1 && dropped("wrong_signer") == 1 },
		5*time.Second, 10*time.Millisecond)

	bobs.Name = "bob, signed"
	ask(protocol.Flatten(advert.Sign(bobs, bob.ep.Identity())))
	require.Eventually(t, func() bool {
		got, err := alice.disc.Local(advert.Peers, "Name", "bob*", 10)
		return err == nil && len(got) == 1 && got[0].Publisher == bob.ep.ID()
	}, 5*time.Second, 10*time.Millisecond, "only bob's own, signed, is kept")
}
