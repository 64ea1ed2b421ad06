// Package srdi is the Shared Resource Distributed Index of a rendezvous:
// which of its edges hold advertisements with which index values, so that
// a query goes to the peers that can answer it instead of to every edge.
//
// Edges push index entries (jxta:GenSRDI, see protocol.SRDIMessage) for
// the advertisements they publish: a primary key (the discovery category:
// Peers, Groups or Adv), and per entry a secondary key (the index field,
// such as Name) and value, with a relative expiration; an expiration of 0
// removes the entry. Index keeps them in memory, bounded in size, and
// answers lookups with JXSE's value matching ('*' wildcards). Entries
// expire on their own; a departed edge's entries are dropped at once with
// RemovePeer.
//
// Rendezvous share their edges' entries with each other: Shared keeps
// what the other rendezvous of the peer view share, by edge and by the
// rendezvous each edge is reached through, so that a query goes to the
// rendezvous whose edges can answer it (see package discovery). Unlike
// JXSE, a rendezvous does not replicate entries to one replica peer
// chosen by hashing: every rendezvous of the view holds them, so that
// a query takes no more hops than to the edge's rendezvous and no two
// views need to agree on a replica.
//
// srdi sits beside the cache; the discovery service uses it.
package srdi
