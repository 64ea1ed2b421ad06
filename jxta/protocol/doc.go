// Package protocol reads and writes the JXTA protocol documents: the XML
// messages of the resolver (jxta:ResolverQuery, jxta:ResolverResponse,
// jxta:ResolverSRDI and the SRDI index push jxta:GenSRDI), discovery
// (jxta:DiscoveryQuery, jxta:DiscoveryResponse), rendezvous propagation and
// leases (jxta:RendezVousPropagateMessage, jxta:LeaseRequest,
// jxta:LeaseResponse), peer information (jxta:PeerInfoQueryMessage,
// jxta:PeerInfoResponseMessage) and pipes (jxta:PipeResolver and the
// propagate-pipe header JxtaWire).
//
// Every document is a Go type implementing advert.Advertisement, so the
// advert machinery applies unchanged: NewRegistry returns a registry of the
// built-in advertisements plus these types, advert.Marshal writes JXSE's
// compact form, advert.MarshalIndent an indented one, and Parse and
// Validate read with the registry. Documents keep what their type does not
// define (advert.Unknown), so JXTA-C extensions such as <ExtendedQuery>
// survive a round trip.
//
// # Flattened documents
//
// JXTA nests documents as escaped text: a resolver query carries its
// discovery query, a discovery response its advertisements, each as a whole
// serialized document (prolog, DOCTYPE, root) inside one element. Flatten
// writes such a text and Unflatten reads it back. The writer escapes & and <
// once per level, so a resolver response carrying a discovery response
// carrying an advertisement holds "&amp;lt;" for the advertisement's "<".
//
// Reading follows JXSE (reference c.1–c.6) with three documented choices:
//
//   - The Query, Response and Payload of the resolver documents stay text:
//     the resolver hands them to the handler named by HandlerName, which
//     calls Unflatten. Parse reads the flattened advertisements of
//     discovery documents and pipe answers, and nothing deeper.
//   - A flattened peer advertisement (PeerAdv) that cannot be read does not
//     make the enclosing document unreadable (≠JXSE, which refuses the whole
//     document): the PA only serves to cache the sender's addresses. PeerAdv
//     is then nil, the reason is kept in PeerAdvErr and the element itself
//     in Unknown, so that it is written back as received.
//   - Each advertisement of a discovery response is read on its own; one
//     that cannot be read keeps its text and the reason (Response.Raw and
//     Response.Err) instead of failing the response, as JXSE skips bad
//     responses. A discovery response carries advertisements only: a
//     protocol document in a Response is such an error, which also bounds
//     how deep reading goes.
//
// Validate is the strict check: it reads every flattened document at every
// level (at most MaxNesting deep) and fails on anything Parse tolerated.
//
// A registry made by NewLazyRegistry reads discovery documents without the
// peer advertisement they carry, which most peers that receive one have no
// use for: it stays text (PeerAdvText), is written back as it came, and
// DiscoveryQuery.ReadPeerAdv reads it on demand.
//
// # Expiration
//
// Durations on the wire are milliseconds. Java's Long.MAX_VALUE
// (9223372036854775807 ms, "never expires") is more than a time.Duration
// holds: it reads as Forever, and Forever writes as that value. See
// ResponseExpiration and the lifetime constants.
//
// protocol sits in the documents layer, above the jxta vocabulary, xmldoc
// and advert; the resolver, discovery, rendezvous, peer information and
// pipe services import it.
package protocol
