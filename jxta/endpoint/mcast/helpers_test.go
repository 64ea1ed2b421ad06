package mcast

import (
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
	"github.com/stretchr/testify/require"
)

// newPeerAdv returns the advertisement of a new peer of the Net group
// reachable at addr.
func newPeerAdv(t testing.TB, name, addr string) *advert.PeerAdv {
	t.Helper()
	pa := &advert.PeerAdv{PeerID: jxta.NewPeerID(jxta.NetGroupID), GroupID: jxta.NetGroupID, Name: name}
	require.NoError(t, pa.SetEndpointAddresses([]string{addr}))
	return pa
}

// datagramOf frames m as a multicast datagram.
func datagramOf(m *jxta.Message) []byte {
	return framing.AppendPackage([]byte(magic), jxta.TypeMessage, jxta.EncodeBinary(m))
}

// beaconMessage builds an announcement message element by element; an
// empty argument leaves its element out.
func beaconMessage(src, dst string, pa []byte, k string) *jxta.Message {
	m := jxta.NewMessage()
	if src != "" {
		m.AddString(jxta.NamespaceJXTA, "EndpointSourceAddress", src)
	}
	if dst != "" {
		m.AddString(jxta.NamespaceJXTA, "EndpointDestinationAddress", dst)
	}
	if pa != nil {
		m.AddXML(jxta.NamespaceJXTA, elementPeerAdv, pa)
	}
	if k != "" {
		m.AddString(jxta.NamespaceJXTA, elementKind, k)
	}
	return m
}

// mustEncode returns the datagram announcing pa.
func mustEncode(t testing.TB, k kind, pa *advert.PeerAdv, group string) []byte {
	t.Helper()
	d, err := encodeDatagram(announcement{kind: k, pa: pa}, group)
	require.NoError(t, err)
	return d
}
