package mcast

import (
	"bytes"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDatagramRoundTrip(t *testing.T) {
	t.Parallel()
	pa := newPeerAdv(t, "alice", "tcp://192.0.2.10:9701")
	r := newDatagramReader()
	for _, k := range []kind{kindHello, kindAnnounce} {
		a, err := r.decode(mustEncode(t, k, pa, DefaultGroup))
		require.NoError(t, err, k)
		assert.Equal(t, k, a.kind)
		assert.Equal(t, pa.PeerID, a.pa.PeerID)
		assert.Equal(t, pa.GroupID, a.pa.GroupID)
		assert.Equal(t, "alice", a.pa.Name)
		assert.Equal(t, []string{"tcp://192.0.2.10:9701"}, a.pa.EndpointAddresses())
	}
}

// TestDatagramLayout checks the datagram against the format doc.go gives:
// JXSE's multicast framing around a message with the four elements.
func TestDatagramLayout(t *testing.T) {
	t.Parallel()
	pa := newPeerAdv(t, "alice", "tcp://192.0.2.10:9701")
	d := mustEncode(t, kindHello, pa, DefaultGroup)
	require.True(t, bytes.HasPrefix(d, []byte("JXTA")))
	ct, body, err := framing.NewReader(bytes.NewReader(d[4:]), 0).ReadPackage()
	require.NoError(t, err)
	assert.Equal(t, jxta.TypeMessage, ct)
	m, err := jxta.DecodeBinary(body, jxta.MessageLimits{})
	require.NoError(t, err)
	want := []struct{ name, typ, text string }{
		{"EndpointSourceAddress", jxta.TypeText, "jxta://" + pa.PeerID.Unique()},
		{"EndpointDestinationAddress", jxta.TypeText, "mcast://224.0.1.85:1234/PeerBeacon/jxta-NetGroup"},
		{"BeaconPeerAdv", jxta.TypeXML, string(advert.Marshal(pa))},
		{"BeaconKind", jxta.TypeText, "hello"},
	}
	require.Equal(t, len(want), m.Len())
	for i, w := range want {
		e := m.Elements()[i]
		assert.Equal(t, jxta.NamespaceJXTA, e.Namespace, w.name)
		assert.Equal(t, w.name, e.Name)
		assert.Equal(t, w.typ, e.MIMEType(), w.name)
		assert.Equal(t, w.text, e.Text(), w.name)
	}
}

func TestEncodeDatagramTooLarge(t *testing.T) {
	t.Parallel()
	pa := newPeerAdv(t, strings.Repeat("a", MaxDatagramSize), "tcp://192.0.2.10:9701")
	_, err := encodeDatagram(announcement{pa: pa}, DefaultGroup)
	assert.ErrorIs(t, err, ErrTooLarge)
}

func TestDecodeDatagramRejects(t *testing.T) {
	t.Parallel()
	pa := newPeerAdv(t, "alice", "tcp://192.0.2.10:9701")
	other := newPeerAdv(t, "bob", "tcp://192.0.2.11:9701")
	pipe := advert.Marshal(&advert.PipeAdv{PipeID: jxta.NewPipeID(jxta.NetGroupID), Type: "JxtaUnicast"})
	src := "jxta://" + pa.PeerID.Unique()
	dst := "mcast://224.0.1.85:1234/PeerBeacon/jxta-NetGroup"
	good := beaconMessage(src, dst, advert.Marshal(pa), "announce")
	valid := datagramOf(good)
	tests := []struct {
		name     string
		datagram []byte
		want     error
	}{
		{"empty", nil, ErrBadDatagram},
		{"short", []byte("JXT"), ErrBadDatagram},
		{"wrong magic", append([]byte("JXTB"), valid[4:]...), ErrBadDatagram},
		{"oversized", append(valid, make([]byte, MaxDatagramSize)...), ErrTooLarge},
		{"magic only", []byte("JXTA"), ErrBadDatagram},
		{"garbage header", []byte("JXTA\x05hello\xff\xff"), ErrBadDatagram},
		{"body cut short", valid[:len(valid)-10], ErrBadDatagram},
		{"wrong content type", framing.AppendPackage([]byte(magic), "text/plain", jxta.EncodeBinary(good)), ErrBadDatagram},
		{"body not a message", framing.AppendPackage([]byte(magic), jxta.TypeMessage, []byte("jxmgxxxxxxxx")), ErrBadDatagram},
		{"no source", datagramOf(beaconMessage("", dst, advert.Marshal(pa), "")), ErrBadDatagram},
		{"no destination", datagramOf(beaconMessage(src, "", advert.Marshal(pa), "")), ErrBadDatagram},
		{"bad destination", datagramOf(beaconMessage(src, "mcast:// x", advert.Marshal(pa), "")), ErrBadDatagram},
		{"JXSE propagation", datagramOf(beaconMessage(src, "mcast://224.0.1.85:1234/EndpointService:jxta-NetGroup/PeerView", nil, "")), ErrNotBeacon},
		{"tcp destination", datagramOf(beaconMessage(src, "tcp://224.0.1.85:1234/PeerBeacon/jxta-NetGroup", advert.Marshal(pa), "")), ErrNotBeacon},
		{"source not a peer", datagramOf(beaconMessage("tcp://192.0.2.10:9701", dst, advert.Marshal(pa), "")), ErrBadDatagram},
		{"no advertisement", datagramOf(beaconMessage(src, dst, nil, "hello")), ErrBadDatagram},
		{"advertisement not XML", datagramOf(beaconMessage(src, dst, []byte("<jxta:PA"), "")), ErrBadDatagram},
		{"pipe advertisement", datagramOf(beaconMessage(src, dst, pipe, "")), ErrBadDatagram},
		{"advertisement of another peer", datagramOf(beaconMessage(src, dst, advert.Marshal(other), "")), ErrBadDatagram},
		{"advertisement of another group", datagramOf(beaconMessage(src, "mcast://224.0.1.85:1234/PeerBeacon/jxta-WorldGroup", advert.Marshal(pa), "")), ErrBadDatagram},
	}
	r := newDatagramReader()
	for _, tt := range tests {
		_, err := r.decode(tt.datagram)
		assert.ErrorIs(t, err, tt.want, tt.name)
		// A failure leaves nothing behind for the next datagram.
		a, err := r.decode(valid)
		require.NoError(t, err, "after %s", tt.name)
		assert.Equal(t, pa.PeerID, a.pa.PeerID, "after %s", tt.name)
	}
}

func TestDecodeDatagramLenient(t *testing.T) {
	t.Parallel()
	pa := newPeerAdv(t, "alice", "tcp://192.0.2.10:9701")
	src := "jxta://" + pa.PeerID.Unique()
	dst := "mcast://239.1.2.3:4567/PeerBeacon/jxta-NetGroup"
	tests := []struct {
		name     string
		datagram []byte
		want     kind
	}{
		{"no kind", datagramOf(beaconMessage(src, dst, advert.Marshal(pa), "")), kindAnnounce},
		{"unknown kind", datagramOf(beaconMessage(src, dst, advert.Marshal(pa), "goodbye")), kindAnnounce},
		{"trailing bytes", append(datagramOf(beaconMessage(src, dst, advert.Marshal(pa), "hello")), "trailer"...), kindHello},
		{"content type with parameters", framing.AppendPackage([]byte(magic), "Application/X-JXTA-Msg; v=0",
			jxta.EncodeBinary(beaconMessage(src, dst, advert.Marshal(pa), "hello"))), kindHello},
		{"indented advertisement", datagramOf(beaconMessage(src, dst, advert.MarshalIndent(pa), "")), kindAnnounce},
	}
	r := newDatagramReader()
	for _, tt := range tests {
		a, err := r.decode(tt.datagram)
		require.NoError(t, err, tt.name)
		assert.Equal(t, tt.want, a.kind, tt.name)
		assert.Equal(t, pa.PeerID, a.pa.PeerID, tt.name)
	}
}
