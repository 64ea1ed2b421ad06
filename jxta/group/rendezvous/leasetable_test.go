package rendezvous

import (
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/stretchr/testify/assert"
)

func TestLeaseTable(t *testing.T) {
	a, b, c := jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID), jxta.NewPeerID(jxta.NetGroupID)
	lt := newLeaseTable(2)
	granted, isNew := lt.grant(a, epoch, time.Minute)
	assert.True(t, granted)
	assert.True(t, isNew)
	granted, isNew = lt.grant(b, epoch, 2*time.Minute)
	assert.True(t, granted && isNew)
	granted, _ = lt.grant(c, epoch, time.Minute)
	assert.False(t, granted, "full")

	granted, isNew = lt.grant(a, epoch.Add(time.Minute/2), time.Minute)
	assert.True(t, granted, "a renewal while full")
	assert.False(t, isNew)
	assert.Len(t, lt.leases(), 2)

	assert.Empty(t, lt.expire(epoch.Add(time.Minute)), "a was renewed")
	assert.Equal(t, []jxta.PeerID{a}, lt.expire(epoch.Add(time.Minute+time.Minute/2)))
	assert.True(t, lt.cancel(b))
	assert.False(t, lt.cancel(b))
	assert.Empty(t, lt.leases())

	lt.grant(a, epoch, time.Minute)
	lt.grant(b, epoch, time.Minute)
	assert.ElementsMatch(t, []jxta.PeerID{a, b}, lt.clear())
	assert.Empty(t, lt.leases())
	assert.Empty(t, lt.clear())
	granted, isNew = lt.grant(c, epoch, time.Minute)
	assert.True(t, granted && isNew, "room again")
}
