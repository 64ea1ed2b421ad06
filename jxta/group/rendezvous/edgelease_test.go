package rendezvous

import (
	"fmt"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/stretchr/testify/assert"
)

func TestEdgeLease(t *testing.T) {
	self, r1, r2, r3 := jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID)
	var e edgeLease
	due, _ := e.due(epoch)
	assert.True(t, due, "no lease")
	assert.Equal(t, []jxta.PeerID{r1, r2}, e.candidates([]jxta.PeerID{r1, self, {}, r2, r1}, self), "seeds once, never self or null")

	assert.True(t, e.granted(r1, time.Minute, epoch).IsNull())
	due, wait := e.due(epoch)
	assert.False(t, due)
	assert.Equal(t, 30*time.Second, wait, "renew at half the lease")
	due, _ = e.due(epoch.Add(30 * time.Second))
	assert.True(t, due)
	assert.False(t, e.expired(epoch.Add(59*time.Second)))
	assert.True(t, e.expired(epoch.Add(time.Minute)))

	e.learn(r3) // a referral
	assert.Equal(t, []jxta.PeerID{r1, r2, r3}, e.candidates([]jxta.PeerID{r2}, self), "the current rendezvous first, then seeds, then learned")

	assert.Equal(t, r1, e.lose())
	assert.True(t, e.lose().IsNull(), "nothing more to lose")
	assert.Equal(t, []jxta.PeerID{r2, r3, r1}, e.candidates([]jxta.PeerID{r1, r2}, self), "the lost rendezvous last")

	assert.True(t, e.granted(r2, time.Minute, epoch).IsNull())
	assert.Equal(t, r2, e.granted(r3, time.Minute, epoch), "a lease elsewhere replaces r2's")

	for i := range 2 * maxLearned {
		e.learn(jxta.NewPeerID(jxta.NetGroupID))
		assert.LessOrEqual(t, len(e.learned), maxLearned, fmt.Sprint(i))
	}
}

func TestEdgeLeaseLeaveAndShun(t *testing.T) {
	self, r1, r2, r3 := jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID)
	var e edgeLease
	e.granted(r1, time.Minute, epoch)
	assert.Equal(t, r1, e.leave())
	assert.True(t, e.rdv.IsNull())
	assert.True(t, e.lost.IsNull(), "leaving is no loss")
	assert.Equal(t, []jxta.PeerID{r1, r2}, e.candidates([]jxta.PeerID{r1, r2}, self), "a left rendezvous stays a candidate, first")

	e.granted(r1, time.Minute, epoch)
	e.learn(r3)
	assert.True(t, e.shun(r1), "the lease is left")
	assert.True(t, e.rdv.IsNull())
	assert.Equal(t, []jxta.PeerID{r2, r3}, e.candidates([]jxta.PeerID{r1, r2}, self), "a shunned rendezvous is never asked")
	assert.False(t, e.shun(r3), "no lease with r3")
	assert.False(t, e.shun(jxta.PeerID{}))
	assert.Equal(t, []jxta.PeerID{r2}, e.candidates([]jxta.PeerID{r1, r2}, self))

	e.granted(r2, time.Minute, epoch)
	assert.Equal(t, r2, e.lose())
	e.shun(r2)
	assert.True(t, e.lost.IsNull(), "a shunned rendezvous is not asked last either")
	assert.Empty(t, e.candidates([]jxta.PeerID{r1, r2}, self))

	e.allow(r1)
	assert.Equal(t, []jxta.PeerID{r1}, e.candidates([]jxta.PeerID{r1, r2}, self))
	for range 2 * maxShunned {
		e.shun(jxta.NewPeerID(jxta.NetGroupID))
	}
	assert.Len(t, e.shunned, maxShunned, "bounded")
}
