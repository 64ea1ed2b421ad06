package node

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/group/discovery"
	"github.com/gojxta/gojxta/jxta/metrics"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The attacks of issue 14 on the advertisement cache, over TCP on
// loopback: each was possible before discovery signed what it sends and
// the cache told its own entries from what others send.

// dropped returns how many received advertisements n dropped for reason.
func dropped(t *testing.T, n *Node, reason string) float64 {
	t.Helper()
	sn, err := n.Endpoint().Metrics().Snapshot()
	require.NoError(t, err)
	return sn.Value("jxta_discovery_advertisements_dropped_total", "reason", reason)
}

// waitDropped waits until n has dropped at least want advertisements for
// reason.
func waitDropped(t *testing.T, n *Node, reason string, want float64) {
	t.Helper()
	require.Eventually(t, func() bool { return dropped(t, n, reason) >= want }, 10*time.Second, 10*time.Millisecond,
		"%s: %v dropped, want %v", reason, dropped(t, n, reason), want)
}

// connect connects from to to directly.
func connect(t *testing.T, from, to *Node) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, err := from.Endpoint().Connect(ctx, to.Addresses()[0])
	require.NoError(t, err)
}

// response is a discovery response carrying docs (flattened documents)
// with expiration exp.
func response(exp time.Duration, docs ...advert.Advertisement) *protocol.DiscoveryResponse {
	r := &protocol.DiscoveryResponse{Type: advert.Adv}
	for _, d := range docs {
		r.Responses = append(r.Responses, protocol.Response{Raw: protocol.Flatten(d), Expiration: exp})
	}
	return r
}

// publishRaw sends r from from to to as a remote publication (an
// unsolicited response, query ID 0) through from's resolver.
func publishRaw(t *testing.T, from, to *Node, r *protocol.DiscoveryResponse) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, from.NetGroup().Resolver().Respond(ctx, to.ID(), discovery.HandlerName, protocol.Flatten(r)))
}

// respondRaw sends r from from to to as a response to query queryID,
// which to never sent.
func respondRaw(t *testing.T, from, to *Node, queryID int64, r *protocol.DiscoveryResponse) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	rr := &protocol.ResolverResponse{HandlerName: discovery.HandlerName, QueryID: queryID, Response: protocol.Flatten(r)}
	param := jxta.NetGroupID.Unique() + "IRes"
	m := jxta.NewMessage()
	m.AddXML(jxta.NamespaceJXTA, param, advert.Marshal(rr))
	require.NoError(t, from.Endpoint().SendTo(ctx, to.ID(), jxta.ResolverClassID.String(), param, m))
}

// local returns n's entries of category cat whose attr is value.
func local(t *testing.T, n *Node, cat advert.Category, attr, value string) []cache.Entry {
	t.Helper()
	got, err := n.NetGroup().Discovery().Local(cat, attr, value, 100)
	require.NoError(t, err)
	return got
}

// Attack 1: a remote publication replaced the rendezvous's own pipe
// advertisement (same ID, another name). Now the rendezvous keeps its
// own, and another peer's remote entry is replaced only by that peer.
func TestRemotePublishCannotReplace(t *testing.T) {
	nw := network{"tcp", nil}
	rdv := nw.peer(t, "rdv", true)
	mallory := nw.peer(t, "mallory", false, rdv)
	eve := nw.peer(t, "eve", false, rdv)
	leased(t, mallory.NetGroup(), rdv)
	leased(t, eve.NetGroup(), rdv)

	own := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "rdv-pipe")
	require.NoError(t, rdv.NetGroup().Discovery().Publish(own, 0, 0))
	evil := *own
	evil.Name = "evil-replaced"
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, mallory.NetGroup().Discovery().RemotePublish(ctx, rdv.ID(), &evil, 0))
	waitDropped(t, rdv, metrics.AdvNotReplaceable, 1)
	got := local(t, rdv, advert.Adv, "Name", "rdv-pipe")
	require.Len(t, got, 1, "the rendezvous keeps its own")
	assert.True(t, got[0].Own)
	assert.Empty(t, local(t, rdv, advert.Adv, "Name", "evil-replaced"))

	// Remote publication still works, for what is the publisher's.
	theirs := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "mallory-pipe")
	require.NoError(t, mallory.NetGroup().Discovery().RemotePublish(ctx, rdv.ID(), theirs, 0))
	require.Eventually(t, func() bool { return len(local(t, rdv, advert.Adv, "Name", "mallory-pipe")) == 1 },
		10*time.Second, 10*time.Millisecond)
	assert.Equal(t, mallory.ID(), local(t, rdv, advert.Adv, "Name", "mallory-pipe")[0].Publisher)
	// Served with mallory's signature: eve finds it, verified.
	found := find(t, eve.NetGroup(), advert.Adv, "Name", "mallory-pipe")
	assert.Equal(t, mallory.ID(), found[0].Publisher)

	// Nobody else replaces it.
	stolen := *theirs
	stolen.Name = "eve-replaced"
	require.NoError(t, eve.NetGroup().Discovery().RemotePublish(ctx, rdv.ID(), &stolen, 0))
	waitDropped(t, rdv, metrics.AdvNotReplaceable, 2)
	assert.Len(t, local(t, rdv, advert.Adv, "Name", "mallory-pipe"), 1)
	assert.Empty(t, local(t, rdv, advert.Adv, "Name", "eve-replaced"))
}

// Attack 2: one unsolicited discovery response stored a pipe, a group and
// a forged peer advertisement of the rendezvous in an edge's cache, for
// the 8,760 hours its sender chose. Now: a response to no query in flight
// is dropped; a remote publication carrying a peer advertisement not
// signed by its peer is dropped whole; what is kept is kept 2 hours at
// most.
func TestUnsolicitedResponseCannotFillTheCache(t *testing.T) {
	nw := network{"tcp", nil}
	rdv := nw.peer(t, "rdv", true)
	edge := nw.peer(t, "edge", false, rdv)
	leased(t, edge.NetGroup(), rdv)
	mallory := nw.peer(t, "mallory", false)
	connect(t, mallory, edge)
	year := 8760 * time.Hour
	id := mallory.Endpoint().Identity()

	pipe := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "evil-pipe")
	grp := &advert.GroupAdv{GroupID: jxta.NewGroupID(), SpecID: jxta.StdGroupSpecID, Name: "evil-group"}
	forged := rdv.Endpoint().PeerAdv() // the rendezvous's ID and key, mallory's name
	forged.Name = "evil-rdv"

	// As a response to a query the edge never sent: dropped unread.
	respondRaw(t, mallory, edge, 4242, response(year, advert.Sign(pipe, id), advert.Sign(grp, id), advert.Sign(forged, id)))
	waitDropped(t, edge, metrics.AdvUnsolicited, 1)

	// As a remote publication: the forged peer advertisement is signed by
	// mallory, not by the rendezvous; the whole publication goes.
	publishRaw(t, mallory, edge, response(year, advert.Sign(pipe, id), advert.Sign(grp, id), advert.Sign(forged, id)))
	waitDropped(t, edge, metrics.AdvWrongSigner, 1)
	waitDropped(t, edge, metrics.AdvUnsolicited, 3)

	// Unsigned, and with a broken signature: dropped.
	broken := advert.Sign(pipe, id)
	broken.Signature = append([]byte(nil), broken.Signature...)
	broken.Signature[0] ^= 1
	publishRaw(t, mallory, edge, response(year, forged))
	publishRaw(t, mallory, edge, response(year, broken))
	waitDropped(t, edge, metrics.AdvUnsigned, 1)
	waitDropped(t, edge, metrics.AdvBadSignature, 1)

	time.Sleep(300 * time.Millisecond) // what would have been kept is kept 100 ms after it arrives
	assert.Empty(t, local(t, edge, advert.Adv, "Name", "evil-pipe"))
	assert.Empty(t, local(t, edge, advert.Groups, "Name", "evil-group"))
	assert.Empty(t, local(t, edge, advert.Peers, "Name", "evil-rdv"))

	// Mallory's own pipe and group, signed by mallory, as a remote
	// publication: kept, for 2 hours, not a year.
	publishRaw(t, mallory, edge, response(year, advert.Sign(pipe, id), advert.Sign(grp, id)))
	require.Eventually(t, func() bool { return len(local(t, edge, advert.Adv, "Name", "evil-pipe")) == 1 },
		10*time.Second, 10*time.Millisecond)
	for _, e := range append(local(t, edge, advert.Adv, "Name", "evil-pipe"), local(t, edge, advert.Groups, "Name", "evil-group")...) {
		assert.False(t, e.Own)
		assert.Equal(t, mallory.ID(), e.Publisher)
		assert.WithinDuration(t, time.Now().Add(discovery.DefaultMaxRemoteLifetime), e.Expires, time.Minute, "kept 2 hours at most")
	}
	assert.Empty(t, local(t, edge, advert.Peers, "Name", "evil-rdv"))
}

// Attack 3: 101,000 unsolicited advertisements with a 100-year lifetime
// were accepted and evicted the edge's own durable publication. Now a
// publisher's entries stop at its quota, remote entries evict only each
// other, and the drops are counted. Scaled down for speed: a group room
// of 40 entries and a quota of 30 per publisher, against 1,000
// advertisements from one peer and 100 from another.
func TestFloodCannotEvictOwnPublication(t *testing.T) {
	victim := start(t, Config{Name: "victim", Cache: cache.Options{MaxEntries: 40, PublisherQuota: 30}})
	mallory := start(t, Config{Name: "mallory"})
	trudy := start(t, Config{Name: "trudy"})
	connect(t, mallory, victim)
	connect(t, trudy, victim)
	mine := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "mine")
	require.NoError(t, victim.NetGroup().Discovery().Publish(mine, cache.Forever, 0))

	century := 100 * 365 * 24 * time.Hour
	flood := func(from *Node, n int) {
		id := from.Endpoint().Identity()
		for first := 0; first < n; first += discovery.MaxResponses {
			var docs []advert.Advertisement
			for i := first; i < min(first+discovery.MaxResponses, n); i++ {
				docs = append(docs, advert.Sign(advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, fmt.Sprintf("%s-%04d", from.Name(), i)), id))
			}
			publishRaw(t, from, victim, response(century, docs...))
		}
	}
	flood(mallory, 1000)
	waitDropped(t, victim, metrics.AdvQuota, 970)
	assert.Len(t, local(t, victim, advert.Adv, "Name", "mallory-*"), 30, "mallory's quota")

	flood(trudy, 100)
	waitDropped(t, victim, metrics.AdvQuota, 970+70)
	require.Eventually(t, func() bool { return victim.cache.Len(jxta.NetGroupID) <= 40 },
		10*time.Second, 10*time.Millisecond, "the group keeps its room")
	got := local(t, victim, advert.Adv, "Name", "mine")
	require.Len(t, got, 1, "the victim's own publication survives")
	assert.True(t, got[0].Own)
	assert.Positive(t, len(local(t, victim, advert.Adv, "Name", "trudy-*")), "remote entries evict each other")
}
