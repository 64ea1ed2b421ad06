package rendezvous

import (
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func peerAdv(t *testing.T) (*advert.PeerAdv, []byte) {
	pa := &advert.PeerAdv{PeerID: jxta.NewPeerID(jxta.NetGroupID), GroupID: jxta.NetGroupID, Name: "p"}
	require.NoError(t, pa.SetEndpointAddresses([]string{"tcp://10.0.0.1:9701"}))
	return pa, advert.Marshal(pa)
}

func TestGrantMessage(t *testing.T) {
	rdv, rdvDoc := peerAdv(t)
	var refs [][]byte
	for range maxReferrals + 2 {
		_, doc := peerAdv(t)
		refs = append(refs, doc)
	}
	refs = append(refs, []byte("<garbage"))
	m := grantMessage(rdv.PeerID, 90*time.Second, rdvDoc, refs)
	require.True(t, isGrant(m))
	lease, _ := m.String(jxta.NamespaceJXTA, elementConnectedLease)
	assert.Equal(t, "90000", lease, "milliseconds, as JXSE writes them")

	g, err := parseGrant(m, rdv.PeerID)
	require.NoError(t, err)
	assert.Equal(t, rdv.PeerID, g.rdv)
	assert.Equal(t, 90*time.Second, g.lease)
	require.NotNil(t, g.adv)
	assert.Equal(t, rdv.PeerID, g.adv.PeerID)
	assert.Len(t, g.referrals, maxReferrals)

	_, err = parseGrant(m, jxta.NewPeerID(jxta.NetGroupID))
	assert.ErrorIs(t, err, errBadLease, "ConnectedPeer names another peer")
}

func TestGrantLeaseBounds(t *testing.T) {
	from := jxta.NewPeerID(jxta.NetGroupID)
	grant := func(lease string) (leaseGrant, error) {
		m := jxta.NewMessage()
		m.AddString(jxta.NamespaceJXTA, elementConnectedLease, lease)
		return parseGrant(m, from)
	}
	for _, bad := range []string{"", "x", "-5", "0", "99999999999999999999"} {
		_, err := grant(bad)
		assert.ErrorIs(t, err, errBadLease, bad)
	}
	g, err := grant(" 1 ")
	require.NoError(t, err)
	assert.Equal(t, minLease, g.lease, "a forged tiny lease")
	g, err = grant("9223372036854775807")
	require.NoError(t, err)
	assert.Equal(t, maxLease, g.lease)
	assert.Nil(t, g.adv, "RdvAdvReply is optional")
}

func TestLeaseRequest(t *testing.T) {
	pa, doc := peerAdv(t)
	for _, kind := range []string{elementConnect, elementDisconnect} {
		got, read, err := parseLeaseRequest(leaseRequest(kind, doc), pa.PeerID)
		require.NoError(t, err)
		assert.Equal(t, kind, got)
		assert.Equal(t, pa.PeerID, read.PeerID)
	}
	_, _, err := parseLeaseRequest(leaseRequest(elementConnect, doc), jxta.NewPeerID(jxta.NetGroupID))
	assert.ErrorIs(t, err, errBadLease, "someone else's advertisement")
	_, _, err = parseLeaseRequest(leaseRequest(elementConnect, []byte("<jxta:PA>")), pa.PeerID)
	assert.ErrorIs(t, err, errBadLease)
	_, _, err = parseLeaseRequest(jxta.NewMessage(), pa.PeerID)
	assert.ErrorIs(t, err, errBadLease)
	_, _, err = parseLeaseRequest(leaseRequest(elementConnect, make([]byte, maxAdvSize+1)), pa.PeerID)
	assert.ErrorIs(t, err, errBadLease, "too large")
}
