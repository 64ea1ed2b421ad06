package srdi

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

func push(pkey string, exp time.Duration, kv ...string) *protocol.SRDIMessage {
	m := &protocol.SRDIMessage{PrimaryKey: pkey}
	for i := 0; i+1 < len(kv); i += 2 {
		m.Entries = append(m.Entries, protocol.SRDIEntry{SKey: kv[i], Value: kv[i+1], Expiration: exp})
	}
	return m
}

func TestLookup(t *testing.T) {
	c := &clock{now: time.Unix(1000, 0)}
	x := NewIndex(0, c.Now)
	a, b := jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID)
	require.Equal(t, 2, x.Add(a, push("Adv", time.Hour, "Name", "chat", "Id", "urn:jxta:1")))
	require.Equal(t, 1, x.Add(b, push("Adv", time.Hour, "Name", "chatter")))
	require.Equal(t, 1, x.Add(b, push("Peers", time.Hour, "Name", "bob")))

	assert.Equal(t, []jxta.PeerID{a}, x.Lookup("Adv", "Name", "chat", 0))
	assert.ElementsMatch(t, []jxta.PeerID{a, b}, x.Lookup("Adv", "Name", "chat*", 0))
	assert.Equal(t, []jxta.PeerID{b}, x.Lookup("Adv", "Name", "*tter", 0))
	assert.Empty(t, x.Lookup("Adv", "Name", "Chat", 0), "values are case-sensitive")
	assert.Empty(t, x.Lookup("Groups", "Name", "chat", 0))
	assert.ElementsMatch(t, []jxta.PeerID{a, b}, x.Lookup("Adv", "", "", 0), "no attribute: any entry of the category")
	assert.Len(t, x.Lookup("Adv", "", "", 1), 1, "limit")
	assert.Equal(t, []jxta.PeerID{b}, x.Lookup("Peers", "Name", "*", 0))
	assert.Equal(t, 4, x.Len())
	assert.Equal(t, 2, x.Peers())
}

func TestExpirationAndRemoval(t *testing.T) {
	c := &clock{now: time.Unix(1000, 0)}
	x := NewIndex(0, c.Now)
	a := jxta.NewPeerID(jxta.NetGroupID)
	x.Add(a, push("Adv", time.Minute, "Name", "short"))
	x.Add(a, push("Adv", protocol.Forever, "Name", "forever"))
	x.Add(a, push("Adv", time.Hour, "Name", "removed"))
	x.Add(a, push("Adv", 0, "Name", "removed"))
	assert.Empty(t, x.Lookup("Adv", "Name", "removed", 0), "expiration 0 removes")
	c.advance(2 * time.Minute)
	assert.Empty(t, x.Lookup("Adv", "Name", "short", 0), "expired")
	assert.Equal(t, []jxta.PeerID{a}, x.Lookup("Adv", "Name", "forever", 0))
	x.RemovePeer(a)
	assert.Empty(t, x.Lookup("Adv", "", "", 0))
	assert.Zero(t, x.Len())
	assert.Zero(t, x.Peers())
}

func TestIndexIsBoundedAndRefusesJunk(t *testing.T) {
	c := &clock{now: time.Unix(1000, 0)}
	x := NewIndex(10, c.Now)
	a, b := jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID)
	var kv []string
	for i := range 20 {
		kv = append(kv, "Name", fmt.Sprint("v", i))
	}
	assert.Equal(t, 10, x.Add(a, push("Adv", time.Minute, kv...)))
	assert.Equal(t, 10, x.Len())
	assert.Zero(t, x.Add(b, push("Adv", time.Hour, "Name", "late")), "full of live entries")
	c.advance(time.Hour)
	assert.Equal(t, 1, x.Add(b, push("Adv", time.Hour, "Name", "late")), "expired entries make room")
	assert.Equal(t, 1, x.Len())

	long := make([]byte, MaxValueLength+1)
	for i := range long {
		long[i] = 'x'
	}
	assert.Zero(t, x.Add(a, push("Adv", time.Hour, "Name", string(long), "Name", "  ", "Na\x00me", "v")))
	assert.Zero(t, x.Add(jxta.PeerID{}, push("Adv", time.Hour, "Name", "v")), "no peer")
	assert.Zero(t, x.Add(a, push("", time.Hour, "Name", "v")), "no primary key")
}

func TestPushesIndexOnlyTheSender(t *testing.T) {
	x := NewIndex(0, nil)
	sender, victim := jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID)
	m := push("Adv", time.Hour, "Name", "x")
	m.PeerID = victim
	x.Add(sender, m)
	assert.Equal(t, []jxta.PeerID{sender}, x.Lookup("Adv", "Name", "x", 0))
}

func TestEntries(t *testing.T) {
	pipe := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "chat")
	pkey, entries := Entries(pipe, time.Hour)
	assert.Equal(t, "Adv", pkey)
	names := map[string]string{}
	for _, e := range entries {
		names[e.SKey] = e.Value
		assert.Equal(t, time.Hour, e.Expiration)
	}
	assert.Equal(t, "chat", names["Name"])
	assert.Equal(t, pipe.PipeID.String(), names["Id"])
}
