// Package discovery is a peer group's discovery service (the Peer Discovery
// Protocol): it publishes advertisements into the peer's persistent cache
// with JXSE's lifetimes, answers local searches by index field, answers
// other peers' discovery queries through the resolver, and sends remote
// queries whose results arrive on a channel as they come, instead of
// JXSE's fire-and-poll. Advertisements received in responses are kept in
// the cache with the expiration their sender gave.
//
// Remote queries go to one peer here; propagation through the rendezvous
// network and SRDI-directed queries come with the rendezvous service.
//
// discovery builds on the resolver and the cache; the group and the
// embedding API assemble it.
package discovery
