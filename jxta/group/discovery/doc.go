// Package discovery is a peer group's discovery service (the Peer Discovery
// Protocol): it publishes advertisements into the peer's persistent cache
// with JXSE's lifetimes, answers local searches by index field, answers
// other peers' discovery queries through the resolver, and sends remote
// queries whose results arrive on a channel as they come, instead of
// JXSE's fire-and-poll. Advertisements received in responses are kept in
// the cache with the expiration their sender gave (remembered, without a
// disk sync of their own: their senders have them).
//
// A remote query goes to one peer, or, to the null peer, to the group
// through its rendezvous network (see package resolver). Edges push index
// entries (SRDI) for what they publish or flush to their rendezvous
// (PushIndex sends everything, on a new lease); a rendezvous answers from
// its own cache, forwards a query to the edges whose entries match (package
// srdi), and, when the query comes straight from its querier, to the other
// rendezvous of its peer view, which do the same with their edges. So a
// query reaches the peers that can answer it instead of every edge. An
// edge's push and a query for what it just published travel on different
// connections, and the query may arrive first: a rendezvous whose index
// names no peer for a query keeps it for a second and forwards it to an
// edge whose push matches it in that time.
//
// discovery builds on the resolver and the cache; the group and the
// embedding API assemble it.
package discovery
