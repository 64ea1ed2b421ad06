package discovery

import (
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/stretchr/testify/assert"
)

func TestRecentAdvsOncePerRefresh(t *testing.T) {
	r := newRecentAdvs(time.Minute)
	a, b := jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID)
	t0 := time.Unix(1000, 0)
	assert.True(t, r.stale(a, "<pa/>", t0), "first sight")
	assert.False(t, r.stale(a, "<pa/>", t0.Add(30*time.Second)), "same document within the period")
	assert.True(t, r.stale(b, "<pa/>", t0), "another peer")
	assert.True(t, r.stale(a, "<pa name='x'/>", t0.Add(31*time.Second)), "changed document")
	assert.False(t, r.stale(a, "<pa name='x'/>", t0.Add(61*time.Second)))
	assert.True(t, r.stale(a, "<pa name='x'/>", t0.Add(92*time.Second)), "refresh period over")
	r.forget()
	assert.True(t, r.stale(a, "<pa name='x'/>", t0.Add(93*time.Second)), "after forget")
	assert.True(t, r.stale(b, "<pa/>", t0.Add(93*time.Second)))
	r.forgetPeer(a)
	assert.True(t, r.stale(a, "<pa name='x'/>", t0.Add(94*time.Second)), "after forgetPeer")
	assert.False(t, r.stale(b, "<pa/>", t0.Add(95*time.Second)), "forgetPeer forgets one peer only")
}

func TestRecentAdvsBounded(t *testing.T) {
	r := newRecentAdvs(time.Hour)
	now := time.Now()
	for range maxRecent * 2 {
		r.stale(jxta.NewPeerID(jxta.NetGroupID), "x", now)
	}
	assert.LessOrEqual(t, len(r.kept), maxRecent)
}
