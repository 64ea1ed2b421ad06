package mcast

import (
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// JXSE's multicast (McastTransport) carries the messages JXSE peers
// propagate in a group, with JXSE's group-qualified destination:
//
//	mcast://224.0.1.85:1234/EndpointService:jxta-NetGroup/JxtaPropagate/jxta-NetGroup
//
// from jxta://<sender's peer ID unique value>, with the rendezvous
// propagation header (RendezVousPropagatejxta-NetGroup), the sender's
// EndpointHeaderSrcPeer and the payload (a resolver query, for a
// discovery query). A JXSE peer ignores gojxta's announcements (it has no
// PeerBeacon listener); in legacy mode a beacon also sends, after each of
// its announcements, a datagram in JXSE's form that JXSE acts on: a
// propagated discovery query for peer advertisements, threshold 0 (each
// peer answers with its own advertisement only), carrying this peer's
// advertisement (JXSE keeps it) and route (JXSE answers there, over TCP).

// Names of JXSE's multicast messages.
const (
	// legacyQualifier starts the group qualification of a JXSE
	// destination's service: EndpointService:<group unique value>.
	legacyQualifier = "EndpointService:"
	// PropagateService is the service of propagated messages.
	PropagateService = "JxtaPropagate"
	// elementSrcPeer names the sender, on every propagated message JXSE
	// sends.
	elementSrcPeer = "EndpointHeaderSrcPeer"
	// elementLegacy marks a datagram in JXSE's form that a gojxta beacon
	// sent: other beacons drop it (they read the announcement beside it).
	elementLegacy = "BeaconLegacy"
	// legacyTTL is the TTL of the propagated query, JXSE's ad-hoc limit.
	legacyTTL = 2
)

// LegacyMessage is a message a legacy JXTA peer (JXSE) propagated on the
// multicast group: its sender and addresses, as the endpoint reads them,
// with the group qualification removed.
type LegacyMessage struct {
	// Peer is the sender, as its source address says: nothing proves it.
	Peer jxta.PeerID
	// Source is its EndpointSourceAddress (jxta://<peer>).
	Source jxta.Address
	// Dest is its destination without the group qualification:
	// mcast://<group>/JxtaPropagate/<group unique value>.
	Dest jxta.Address
	// Message is the message, its address elements removed.
	Message *jxta.Message
}

// legacyOf reads the JXSE message m, addressed from src to dst, for a
// beacon of the group whose unique value is groupUnique. Errors wrap
// ErrBadDatagram or ErrNotBeacon (another group, or a gojxta peer's).
func legacyOf(m *jxta.Message, src, dst jxta.Address, groupUnique string) (LegacyMessage, error) {
	if dst.Protocol != "mcast" {
		return LegacyMessage{}, bad("destination %s is not a multicast address", dst)
	}
	if _, ok := m.Get(jxta.NamespaceJXTA, elementLegacy); ok {
		return LegacyMessage{}, fmt.Errorf("%w: a gojxta beacon's message in JXSE's form", ErrNotBeacon)
	}
	if g, ok := strings.CutPrefix(dst.Service, legacyQualifier); ok {
		if g != groupUnique {
			return LegacyMessage{}, fmt.Errorf("%w: to %s, a group not ours", ErrNotBeacon, dst)
		}
		dst.Service, dst.Param, _ = strings.Cut(dst.Param, "/")
	}
	if dst.Service == "" {
		return LegacyMessage{}, bad("destination %s names no service", dst)
	}
	from, err := src.PeerID()
	if err != nil {
		return LegacyMessage{}, bad("source address %s: %v", src, err)
	}
	m.Remove(jxta.NamespaceJXTA, "EndpointSourceAddress")
	m.Remove(jxta.NamespaceJXTA, "EndpointDestinationAddress")
	return LegacyMessage{Peer: from, Source: src, Dest: dst, Message: m}, nil
}

// legacyDestination is the destination of a message propagated in the
// group whose unique value is groupUnique, in JXSE's form.
func legacyDestination(group, groupUnique string) jxta.Address {
	return jxta.Address{Protocol: "mcast", Host: group, Service: legacyQualifier + groupUnique,
		Param: PropagateService + "/" + groupUnique}
}

// encodeLegacyQuery returns the datagram that makes JXSE peers learn pa:
// a discovery query for peer advertisements with threshold 0 and pa,
// through the resolver, propagated to group in JXSE's form. queryID is
// the resolver query's ID (JXSE reads it as a 32-bit int).
func encodeLegacyQuery(pa *advert.PeerAdv, group string, queryID int32) ([]byte, error) {
	u := pa.GroupID.Unique()
	dq := &protocol.DiscoveryQuery{Type: advert.Peers, Threshold: 0, PeerAdv: pa}
	rq := &protocol.ResolverQuery{
		HandlerName: jxta.DiscoveryClassID.String(), QueryID: int64(queryID),
		SrcPeerID: pa.PeerID, Query: protocol.Flatten(dq),
	}
	if addrs := pa.EndpointAddresses(); len(addrs) > 0 {
		rq.SrcPeerRoute = &advert.RouteAdv{DstPeerID: pa.PeerID, Dst: &advert.AccessPointAdv{Addresses: addrs}}
	}
	h := &protocol.RendezVousPropagateMessage{
		MessageID: protocol.NewMessageID(), DestSName: jxta.ResolverClassID.String(), DestSParam: u + "ORes",
		TTL: legacyTTL, Path: []jxta.PeerID{pa.PeerID},
	}
	m := jxta.NewMessage()
	m.AddXML(jxta.NamespaceJXTA, u+"ORes", advert.Marshal(rq))
	m.AddXML(jxta.NamespaceJXTA, protocol.PropagateElementPrefix+u, advert.Marshal(h))
	m.AddString(jxta.NamespaceJXTA, elementSrcPeer, pa.PeerID.String())
	m.AddString(jxta.NamespaceJXTA, elementLegacy, "gojxta")
	m.AddString(jxta.NamespaceJXTA, "EndpointSourceAddress", jxta.PeerAddress(pa.PeerID).String())
	m.AddString(jxta.NamespaceJXTA, "EndpointDestinationAddress", legacyDestination(group, u).String())
	d := framing.AppendPackage([]byte(magic), jxta.TypeMessage, jxta.EncodeBinary(m))
	if len(d) > MaxDatagramSize {
		return nil, fmt.Errorf("mcast: legacy query of %d bytes: %w (at most %d)", len(d), ErrTooLarge, MaxDatagramSize)
	}
	return d, nil
}

// newQueryID returns a positive resolver query ID.
func newQueryID() int32 { return rand.Int32N(1 << 30) }
