package discovery

import (
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/identity"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSelfAdvertisementIsReusedForAWhile(t *testing.T) {
	builds := 0
	name := "first"
	id, err := identity.New()
	require.NoError(t, err)
	a := selfAdv{signer: id, build: func() *advert.PeerAdv {
		builds++
		return &advert.PeerAdv{PeerID: id.PeerID(), GroupID: jxta.NetGroupID, Name: name, Key: id.PublicKey()}
	}}
	t0 := time.Unix(1000, 0)
	first := a.flattened(t0)
	sa, err := protocol.UnflattenAs[*advert.SignedAdv](first, nil)
	require.NoError(t, err)
	assert.Equal(t, id.PeerID(), sa.Publisher, "signed by this peer")
	assert.Equal(t, "first", sa.Adv.(*advert.PeerAdv).Name)
	name = "second"
	assert.Equal(t, first, a.flattened(t0.Add(selfRefresh/2)), "reused")
	assert.Equal(t, 1, builds)
	assert.NotEqual(t, first, a.flattened(t0.Add(selfRefresh)), "built again")
	assert.Equal(t, 2, builds)
	a.flattened(t0) // the clock went back
	assert.Equal(t, 3, builds)
}
