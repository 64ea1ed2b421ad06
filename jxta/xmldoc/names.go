package xmldoc

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
