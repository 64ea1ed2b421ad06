package discovery

import (
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
)

func TestSelfAdvertisementIsReusedForAWhile(t *testing.T) {
	builds := 0
	name := "first"
	a := selfAdv{build: func() *advert.PeerAdv {
		builds++
		return &advert.PeerAdv{PeerID: jxta.NewPeerID(jxta.NetGroupID), GroupID: jxta.NetGroupID, Name: name}
	}}
	t0 := time.Unix(1000, 0)
	first := a.flattened(t0)
	pa, err := protocol.UnflattenAs[*advert.PeerAdv](first, nil)
	assert.NoError(t, err)
	assert.Equal(t, "first", pa.Name)
	name = "second"
	assert.Equal(t, first, a.flattened(t0.Add(selfRefresh/2)), "reused")
	assert.Equal(t, 1, builds)
	assert.NotEqual(t, first, a.flattened(t0.Add(selfRefresh)), "built again")
	assert.Equal(t, 2, builds)
	a.flattened(t0) // the clock went back
	assert.Equal(t, 3, builds)
}
