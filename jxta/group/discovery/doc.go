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
// rendezvous whose edges hold a match, which do the same with their edges.
// Rendezvous share their edges' entries with the rest of their peer view
// for this (share.go): a query costs a few messages whatever the number of
// rendezvous, and only one that no rendezvous is known to match goes to
// the whole view. So a query reaches the peers that can answer it instead
// of every edge or every rendezvous. An
// edge's push and a query for what it just published travel on different
// connections, and the query may arrive first: a rendezvous whose index
// names no peer for a query keeps it for a second and forwards it to an
// edge whose push matches it in that time.
//
// Every advertisement discovery sends is signed (a jxta:SA): this peer's
// own publications with its identity (Config.Signer) as they are sent,
// what it keeps from others with their publisher's signature, as
// received (signed.go). What it receives is kept only when signed, as
// remote entries of the cache (cache.Publication.Signed), which never
// replace or evict this peer's own and count against their publisher's
// quota: a peer advertisement only when signed by its peer, a remote
// publication only when every document in it is signed by the peer that
// sent it, and a response to no query in flight not at all. What is
// dropped is counted (metrics.Set.AdvDropped). See spec/README.md 8.7.
//
// discovery builds on the resolver and the cache; the group and the
// embedding API assemble it.
package discovery
