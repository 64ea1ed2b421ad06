// Package mcast finds the peers of a LAN without seeds: a Beacon announces
// this peer's advertisement over IP multicast and reports the
// advertisements other peers announce, so that the node can add them to
// its endpoint and cache and connect to the TCP addresses they list.
//
// # Wire format
//
// Announcements travel in JXSE's multicast datagram format (JXSE
// McastTransport, protocol name mcast), by default to group 224.0.1.85,
// port 1234, at most MaxDatagramSize (16384) bytes each:
//
//	datagram := "JXTA" | message package header | binary message (version 0)
//
// The header is that of the TCP framing (package framing): content-length
// and content-type application/x-jxta-msg. The message holds, in the jxta
// namespace:
//
//	EndpointSourceAddress       text/plain  jxta://<sender's peer ID unique value>
//	EndpointDestinationAddress  text/plain  mcast://<group>:<port>/PeerBeacon/<group unique value>
//	BeaconPeerAdv               text/xml    the sender's jxta:PA
//	BeaconKind                  text/plain  "hello" or "announce"
//
// for example mcast://224.0.1.85:1234/PeerBeacon/jxta-NetGroup. The
// source and destination addresses are what JXSE's transport puts in every
// multicast message, so JXSE peers on the group read announcements as
// messages for a service they do not have and drop them; beacons likewise
// drop JXSE's propagated messages, whose destination names another
// service, unless in legacy mode.
//
// # Legacy mode
//
// With Config.Legacy, a beacon also speaks JXSE's multicast, in which
// JXSE peers propagate the messages of their rendezvous service (JXSE
// announces nothing): a message from jxta://<peer> to
//
//	mcast://224.0.1.85:1234/EndpointService:jxta-NetGroup/JxtaPropagate/jxta-NetGroup
//
// is handed to Config.OnLegacy, the group qualification removed, as a
// LegacyMessage from the (unverified) peer its source names, unless the
// qualification names another group or the message carries the
// BeaconLegacy element of a gojxta beacon. It counts as a hello. Each
// announcement is followed by a datagram in that form, a propagated
// discovery query (resolver, type 0, threshold 0) with this peer's
// advertisement and route, which JXSE keeps and answers over TCP. See
// legacy.go and spec/README.md §10. Without legacy mode such datagrams
// are dropped with a debug line, and none is sent.
//
// Config.Interface chooses the interface; InterfaceFor reads one from a
// name or an address.
//
// An announcement is accepted when it is well formed, its source address
// names the peer its advertisement describes, and its destination
// parameter is the group of that advertisement. Beacons drop their own
// announcements, which multicast loopback brings back (it is on, so that
// peers on one machine hear each other), and those of peers of other
// groups. Bytes after the message are ignored, as JXSE does. Anything else
// is dropped with a debug log line.
//
// # Timing
//
// A beacon sends a hello when it starts and an announcement every
// Config.Interval (default 30 s) give or take a tenth. Peers that hear a
// hello answer with an announcement after a random delay of up to a
// twentieth of their interval (at most 1 s), and no sooner than a sixth
// of their interval (at most 5 s) after their previous announcement (their
// own hello aside), so a burst of hellos costs each peer one answer.
//
// Only IPv4 groups are supported. mcast sits beside the endpoint's
// transports: it imports jxta, advert, protocol (for the legacy query)
// and framing; the node uses it.
package mcast
