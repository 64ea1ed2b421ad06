package xmldoc

import "strings"

// commonStrings are the element and attribute names, and the attribute
// values, that JXTA documents repeat. The scanner hands out these strings
// instead of allocating a copy for every occurrence.
var commonStrings = func() map[string]string {
	m := make(map[string]string)
	for _, s := range []string{
		// Roots and embedded documents.
		"jxta:PA", "jxta:PGA", "jxta:PipeAdvertisement", "jxta:MCA", "jxta:MSA", "jxta:MIA",
		"jxta:RA", "jxta:APA", "jxta:RdvAdvertisement", "jxta:Cred",
		"jxta:ResolverQuery", "jxta:ResolverResponse", "jxta:ResolverSRDI", "jxta:GenSRDI",
		"jxta:DiscoveryQuery", "jxta:DiscoveryResponse", "jxta:RendezVousPropagateMessage",
		"jxta:LeaseRequest", "jxta:LeaseResponse", "jxta:PeerInfoQueryMessage",
		"jxta:PeerInfoResponseMessage", "jxta:PipeResolver", "JxtaWire",
		// Elements.
		"PID", "GID", "MCID", "MSID", "Name", "Desc", "Svc", "Parm", "Id", "Type", "Vers",
		"Comp", "Code", "PURI", "Prov", "Crtr", "SURI", "Dst", "DstPID", "EA", "Hops",
		"HandlerName", "QueryID", "HC", "SrcPeerID", "SrcPeerRoute", "Query", "Response",
		"Payload", "Threshold", "PeerAdv", "Attr", "Value", "Count", "Ttl", "Entry", "PKey",
		"SKey", "TTL", "MsgId", "Path", "Peer", "PeerID", "Cached", "Found",
		// Attributes and their usual values.
		"xmlns:jxta", "http://jxta.org", "xml:space", "preserve", "type", "Expiration",
	} {
		m[s] = s
	}
	return m
}()

// intern returns b as a string, shared when it is a common one.
func intern(b []byte) string {
	if s, ok := commonStrings[string(b)]; ok {
		return s
	}
	return string(b)
}

// prefixedNames are the common strings with a prefix, by prefix and local
// part.
var prefixedNames = func() map[[2]string]string {
	m := make(map[[2]string]string)
	for s := range commonStrings {
		if space, local, ok := strings.Cut(s, ":"); ok {
			m[[2]string{space, local}] = s
		}
	}
	return m
}()

// FullName returns space:local, or local when space is empty, as etree's
// FullTag and FullKey do, without allocating for the names JXTA documents
// use.
func FullName(space, local string) string {
	if space == "" {
		return local
	}
	if s, ok := prefixedNames[[2]string{space, local}]; ok {
		return s
	}
	return space + ":" + local
}
