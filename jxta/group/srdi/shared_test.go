package srdi

import (
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPushesGiveBackAPeersEntries(t *testing.T) {
	c := &clock{now: time.Unix(1000, 0)}
	x := NewIndex(0, c.Now)
	a, b := jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID)
	x.Add(a, push("Adv", time.Hour, "Name", "chat", "Id", "urn:jxta:1"))
	x.Add(a, push("Peers", protocol.Forever, "Name", "alice"))
	x.Add(a, push("Groups", time.Minute, "Name", "soon gone"))
	x.Add(b, push("Adv", time.Hour, "Name", "other"))
	c.advance(2 * time.Minute)

	got := x.Pushes(a)
	require.Len(t, got, 2, "one push per primary key, the expired entry left out")
	assert.Equal(t, "Adv", got[0].PrimaryKey)
	assert.Equal(t, a, got[0].PeerID)
	assert.Equal(t, []protocol.SRDIEntry{{SKey: "Id", Value: "urn:jxta:1", Expiration: 58 * time.Minute}, {SKey: "Name", Value: "chat", Expiration: 58 * time.Minute}}, got[0].Entries)
	assert.Equal(t, []protocol.SRDIEntry{{SKey: "Name", Value: "alice", Expiration: protocol.Forever}}, got[1].Entries)
	assert.Empty(t, x.Pushes(jxta.NewPeerID(jxta.NetGroupID)))
	assert.ElementsMatch(t, []jxta.PeerID{a, b}, x.PeerList())

	// What Pushes gives, added to another index, is the same entries.
	y := NewIndex(0, c.Now)
	for _, m := range got {
		y.Add(a, m)
	}
	assert.Equal(t, []jxta.PeerID{a}, y.Lookup("Adv", "Id", "urn:jxta:1", 0))
	assert.Equal(t, 3, y.Len())
}

// shared returns a push of rdv's edge.
func sharedPush(edge jxta.PeerID, pkey string, exp time.Duration, kv ...string) *protocol.SRDIMessage {
	m := push(pkey, exp, kv...)
	m.PeerID = edge
	return m
}

func TestSharedNamesTheRendezvousOfAnEdge(t *testing.T) {
	c := &clock{now: time.Unix(1000, 0)}
	s := NewShared(0, c.Now)
	r1, r2 := jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID)
	e1, e2, e3 := jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID)
	assert.Equal(t, 1, s.Add(r1, sharedPush(e1, "Adv", time.Hour, "Name", "chat")))
	assert.Equal(t, 1, s.Add(r1, sharedPush(e2, "Adv", time.Hour, "Name", "chat")))
	assert.Equal(t, 1, s.Add(r2, sharedPush(e3, "Adv", time.Hour, "Name", "chatter")))

	assert.Equal(t, []jxta.PeerID{r1}, s.Lookup("Adv", "Name", "chat", 0), "two edges, one rendezvous")
	assert.ElementsMatch(t, []jxta.PeerID{r1, r2}, s.Lookup("Adv", "Name", "chat*", 0))
	assert.Len(t, s.Lookup("Adv", "Name", "chat*", 1), 1, "limit")
	assert.Empty(t, s.Lookup("Adv", "Name", "nothing", 0))

	assert.Zero(t, s.Add(r1, push("Adv", time.Hour, "Name", "x")), "a push naming no edge")
	assert.Zero(t, s.Add(r1, sharedPush(r1, "Adv", time.Hour, "Name", "x")), "a rendezvous's own entries are not shared ones")

	// e1 moves to r2; e2 withdraws its entry.
	s.Add(r2, sharedPush(e1, "Adv", time.Hour, "Name", "chat"))
	s.Add(r1, sharedPush(e2, "Adv", 0, "Name", "chat"))
	assert.Equal(t, []jxta.PeerID{r2}, s.Lookup("Adv", "Name", "chat", 0))

	// r2 leaves the view: what it shared goes.
	s.RemoveRendezvous(r2)
	assert.Empty(t, s.Lookup("Adv", "Name", "chat*", 0))
	assert.Zero(t, s.Len())

	// Shared entries expire as the index's do.
	s.Add(r1, sharedPush(e1, "Adv", time.Minute, "Name", "brief"))
	c.advance(2 * time.Minute)
	assert.Empty(t, s.Lookup("Adv", "Name", "brief", 0))
}
