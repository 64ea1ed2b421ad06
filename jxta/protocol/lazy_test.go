package protocol_test

import (
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/identity"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLazyRegistryLeavesPeerAdvertisementsUnread(t *testing.T) {
	t.Parallel()
	lazy := protocol.NewLazyRegistry()
	paA := peerAdv(t, alice, "alice & <co>", "tcp://127.0.0.1:9712")
	dq := protocol.NewDiscoveryQuery(advert.Adv, "Name", "chat*")
	dq.PeerAdv = paA
	dr := &protocol.DiscoveryResponse{Type: advert.Adv, PeerAdv: paA, PeerAdvExpiration: protocol.DefaultExpiration}
	dr.Add(&advert.PipeAdv{PipeID: pipe, Type: advert.PipeUnicast, Name: "chat"}, protocol.DefaultExpiration)

	q, err := protocol.UnflattenAs[*protocol.DiscoveryQuery](protocol.Flatten(dq), lazy)
	require.NoError(t, err)
	assert.Nil(t, q.PeerAdv)
	assert.Equal(t, protocol.Flatten(paA), q.PeerAdvText)
	assert.Equal(t, "chat*", q.Value)
	assert.Equal(t, protocol.Flatten(dq), protocol.Flatten(q), "written back as it came")
	pa, err := q.ReadPeerAdv(lazy)
	require.NoError(t, err)
	assert.Equal(t, paA.PeerID, pa.PeerID)
	assert.Equal(t, paA.Name, pa.Name)

	r, err := protocol.UnflattenAs[*protocol.DiscoveryResponse](protocol.Flatten(dr), lazy)
	require.NoError(t, err)
	assert.Nil(t, r.PeerAdv)
	assert.Equal(t, protocol.Flatten(paA), r.PeerAdvText)
	assert.Equal(t, protocol.DefaultExpiration, r.PeerAdvExpiration)
	require.Len(t, r.Responses, 1)
	assert.IsType(t, &advert.PipeAdv{}, r.Responses[0].Adv, "the advertisements found are read")
	assert.Equal(t, protocol.Flatten(dr), protocol.Flatten(r))

	// An eager read gives the same advertisement, and ReadPeerAdv returns it.
	eager, err := protocol.UnflattenAs[*protocol.DiscoveryQuery](protocol.Flatten(dq), nil)
	require.NoError(t, err)
	assert.Empty(t, eager.PeerAdvText)
	pa2, err := eager.ReadPeerAdv(nil)
	require.NoError(t, err)
	assert.Same(t, eager.PeerAdv, pa2)

	// An unreadable advertisement fails when read.
	bad, err := protocol.UnflattenAs[*protocol.DiscoveryQuery](dq0(`&lt;jxta:PA>&lt;PID>garbage&lt;/PID>&lt;/jxta:PA>`), lazy)
	require.NoError(t, err, "not read yet")
	_, err = bad.ReadPeerAdv(lazy)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "jxta:DiscoveryQuery: <PeerAdv>: flattened document: jxta:PA")
	none, err := protocol.UnflattenAs[*protocol.DiscoveryQuery](dq0(""), lazy)
	require.NoError(t, err)
	pa, err = none.ReadPeerAdv(lazy)
	assert.NoError(t, err)
	assert.Nil(t, pa)
}

// dq0 returns a flattened peer discovery query whose PeerAdv element holds
// text (escaped already).
func dq0(text string) string {
	return `<?xml version="1.0"?><jxta:DiscoveryQuery><Type>0</Type><PeerAdv>` + text + `</PeerAdv></jxta:DiscoveryQuery>`
}

func TestSignedPeerAdvertisementInQueries(t *testing.T) {
	t.Parallel()
	id, err := identity.New()
	require.NoError(t, err)
	pa := &advert.PeerAdv{PeerID: id.PeerID(), GroupID: jxta.NetGroupID, Name: "signed", Key: id.PublicKey()}
	dq := protocol.NewDiscoveryQuery(advert.Adv, "Name", "x")
	dq.PeerAdvText = protocol.Flatten(advert.Sign(pa, id))
	for _, reg := range []*advert.Registry{nil, protocol.NewLazyRegistry()} {
		q, err := protocol.UnflattenAs[*protocol.DiscoveryQuery](protocol.Flatten(dq), reg)
		require.NoError(t, err)
		got, err := q.ReadPeerAdv(reg)
		require.NoError(t, err, "a jxta:SA of a peer advertisement reads as the peer advertisement")
		assert.Equal(t, "signed", got.Name)
	}
	sa := advert.Sign(pa, id)
	sa.Signature[0] ^= 1
	dq.PeerAdvText = protocol.Flatten(sa)
	q, err := protocol.UnflattenAs[*protocol.DiscoveryQuery](protocol.Flatten(dq), nil)
	require.NoError(t, err)
	_, err = q.ReadPeerAdv(nil)
	assert.ErrorIs(t, err, advert.ErrBadSignature)
}
