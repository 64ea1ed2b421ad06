package mcast

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jxseQuery is a datagram a JXSE 2.6 ad-hoc peer multicast
// (-Dmode=ADHOC -Dmcast=true -Dfind=nothing-here): a discovery query
// through the resolver, propagated in the Net group.
const jxseQuery = "testdata/jxse26_adhoc_discovery_query.bin"

func TestLegacyOfJXSEDatagram(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(jxseQuery)
	require.NoError(t, err)
	m, src, dst, err := newDatagramReader().decodeMessage(data)
	require.NoError(t, err)
	assert.False(t, isBeacon(dst))
	assert.Equal(t, "mcast://224.0.1.85:1234/EndpointService:jxta-NetGroup/JxtaPropagate/jxta-NetGroup", dst.String())

	lm, err := legacyOf(m, src, dst, jxta.NetGroupID.Unique())
	require.NoError(t, err)
	assert.Equal(t, "urn:jxta:uuid-59616261646162614E50472050325033B6E8BCE3509F4D3DA8EB8C6003A8BD3D03", lm.Peer.String())
	assert.Equal(t, PropagateService, lm.Dest.Service, "the group qualification is gone")
	assert.Equal(t, "jxta-NetGroup", lm.Dest.Param)
	assert.Equal(t, "jxta://uuid-59616261646162614E50472050325033B6E8BCE3509F4D3DA8EB8C6003A8BD3D03", lm.Source.String())
	_, ok := lm.Message.Get(jxta.NamespaceJXTA, "EndpointDestinationAddress")
	assert.False(t, ok, "address elements removed")
	_, ok = lm.Message.Get(jxta.NamespaceJXTA, "RendezVousPropagatejxta-NetGroup")
	assert.True(t, ok, "the propagation header stays, for the rendezvous service")
	_, ok = lm.Message.Get(jxta.NamespaceJXTA, "jxta-NetGroupORes")
	assert.True(t, ok, "and the resolver query")

	// The announcement reader still calls it another service's.
	_, err = newDatagramReader().decode(data)
	assert.ErrorIs(t, err, ErrNotBeacon)
}

func TestLegacyOfRefuses(t *testing.T) {
	t.Parallel()
	src := "jxta://uuid-59616261646162614E50472050325033B6E8BCE3509F4D3DA8EB8C6003A8BD3D03"
	tests := []struct {
		name string
		src  string
		dst  string
		mark bool
		want error
	}{
		{"another group", src, "mcast://224.0.1.85:1234/EndpointService:uuid-AB/JxtaPropagate/uuid-AB", false, ErrNotBeacon},
		{"a gojxta beacon's", src, "mcast://224.0.1.85:1234/EndpointService:jxta-NetGroup/JxtaPropagate/jxta-NetGroup", true, ErrNotBeacon},
		{"not multicast", src, "tcp://127.0.0.1:9701/EndpointService:jxta-NetGroup/JxtaPropagate/jxta-NetGroup", false, ErrBadDatagram},
		{"no service", src, "mcast://224.0.1.85:1234", false, ErrBadDatagram},
		{"source not a peer", "tcp://127.0.0.1:9701", "mcast://224.0.1.85:1234/JxtaPropagate/jxta-NetGroup", false, ErrBadDatagram},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := beaconMessage(tt.src, tt.dst, nil, "")
			if tt.mark {
				m.AddString(jxta.NamespaceJXTA, elementLegacy, "gojxta")
			}
			_, src, dst, err := newDatagramReader().decodeMessage(datagramOf(m))
			require.NoError(t, err)
			_, err = legacyOf(m, src, dst, jxta.NetGroupID.Unique())
			assert.ErrorIs(t, err, tt.want)
		})
	}
}

// TestLegacyQuery: the query a beacon sends in legacy mode reads as
// JXSE's do: propagated to the Net group's JxtaPropagate, for the
// resolver, holding a discovery query for peer advertisements with
// threshold 0, this peer's advertisement and route.
func TestLegacyQuery(t *testing.T) {
	t.Parallel()
	pa := newPeerAdv(t, "g1", "tcp://127.0.0.1:9701")
	d, err := encodeLegacyQuery(pa, DefaultGroup, 42)
	require.NoError(t, err)
	m, src, dst, err := newDatagramReader().decodeMessage(d)
	require.NoError(t, err)
	assert.Equal(t, "mcast://224.0.1.85:1234/EndpointService:jxta-NetGroup/JxtaPropagate/jxta-NetGroup", dst.String())
	assert.Equal(t, jxta.PeerAddress(pa.PeerID), src)
	_, err = legacyOf(m.Clone(), src, dst, jxta.NetGroupID.Unique())
	assert.ErrorIs(t, err, ErrNotBeacon, "beacons drop each other's")

	el, ok := m.Get(jxta.NamespaceJXTA, "RendezVousPropagatejxta-NetGroup")
	require.True(t, ok)
	h, err := protocol.ParseAs[*protocol.RendezVousPropagateMessage](el.Data)
	require.NoError(t, err)
	assert.Equal(t, jxta.ResolverClassID.String(), h.DestSName)
	assert.Equal(t, "jxta-NetGroupORes", h.DestSParam)
	assert.Equal(t, []jxta.PeerID{pa.PeerID}, h.Path)
	assert.Equal(t, legacyTTL, h.TTL)

	el, ok = m.Get(jxta.NamespaceJXTA, "jxta-NetGroupORes")
	require.True(t, ok)
	rq, err := protocol.ParseAs[*protocol.ResolverQuery](el.Data)
	require.NoError(t, err)
	assert.Equal(t, jxta.DiscoveryClassID.String(), rq.HandlerName)
	assert.EqualValues(t, 42, rq.QueryID)
	assert.Equal(t, pa.PeerID, rq.SrcPeerID)
	require.NotNil(t, rq.SrcPeerRoute)
	assert.Equal(t, []string{"tcp://127.0.0.1:9701"}, rq.SrcPeerRoute.Dst.Addresses)
	dq, err := protocol.UnflattenAs[*protocol.DiscoveryQuery](rq.Query, nil)
	require.NoError(t, err)
	assert.Equal(t, 0, dq.Threshold)
	require.NotNil(t, dq.PeerAdv)
	assert.Equal(t, pa.PeerID, dq.PeerAdv.PeerID)
}

func TestInterfaceFor(t *testing.T) {
	t.Parallel()
	ifi, err := InterfaceFor("")
	assert.NoError(t, err)
	assert.Nil(t, ifi, "the system's choice")
	_, err = InterfaceFor("nosuchif0")
	assert.ErrorIs(t, err, ErrNoInterface)
	_, err = InterfaceFor("198.51.100.254")
	assert.ErrorIs(t, err, ErrNoInterface)
	lo, err := InterfaceFor("127.0.0.1")
	if err != nil {
		t.Skipf("no loopback interface: %v", err)
	}
	byName, err := InterfaceFor(lo.Name)
	require.NoError(t, err)
	assert.Equal(t, lo.Index, byName.Index, "by address and by name")
}

// TestBeaconLegacyMode: a beacon in legacy mode hands what a JXSE peer
// propagates on the group to OnLegacy, and follows its announcements
// with a query in JXSE's form; without legacy mode, it drops the first
// and sends no second.
func TestBeaconLegacyMode(t *testing.T) {
	ifi, ok := multicastLAN(t)
	if !ok {
		return
	}
	jxse, err := os.ReadFile(jxseQuery)
	require.NoError(t, err)
	for _, legacy := range []bool{true, false} {
		group := freeGroup()
		probe, err := listen(group, ifi) // plays the JXSE peer
		require.NoError(t, err)
		got := make(chan LegacyMessage, 16)
		pa := newPeerAdv(t, "g1", "tcp://127.0.0.1:9701")
		b, err := Start(context.Background(), Config{
			Group: group, Interface: ifi, Self: func() *advert.PeerAdv { return pa },
			Legacy: legacy, OnLegacy: func(lm LegacyMessage) { got <- lm },
		})
		require.NoError(t, err)

		// The beacon's hello, then (legacy mode) its query.
		var queries int
		buf := make([]byte, MaxDatagramSize+1)
		require.NoError(t, probe.SetReadDeadline(time.Now().Add(time.Second)))
		for {
			n, _, err := probe.ReadFromUDP(buf)
			if err != nil {
				break
			}
			_, _, dst, err := newDatagramReader().decodeMessage(buf[:n])
			require.NoError(t, err)
			if !isBeacon(dst) {
				queries++
			}
		}
		assert.Equal(t, map[bool]int{true: 1, false: 0}[legacy], queries, "legacy %v: queries in JXSE's form", legacy)

		_, err = probe.WriteToUDP(jxse, group)
		require.NoError(t, err)
		if legacy {
			select {
			case lm := <-got:
				assert.Equal(t, PropagateService, lm.Dest.Service)
			case <-time.After(waitFor):
				t.Fatal("OnLegacy not called")
			}
		} else {
			select {
			case lm := <-got:
				t.Fatalf("OnLegacy called without legacy mode: %+v", lm)
			case <-time.After(300 * time.Millisecond):
			}
		}
		require.NoError(t, b.Close())
		require.NoError(t, probe.Close())
	}
}
