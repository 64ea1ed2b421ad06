// Package group assembles a peer group: the services a group runs on the
// peer's endpoint and cache, scoped by the group's ID, so that messages and
// advertisements of one group never reach another's: membership (who may
// join), rendezvous (leases, propagation, peer view), resolver, discovery
// (with SRDI) and peer info.
//
// NewGroupAdv writes the advertisements of a new group (its PGA and, for a
// group with its own membership, the MSA and MIA of its implementation);
// the PGA alone is enough for another peer to join.
//
// The services live in sub-packages. group imports them; the embedding API
// (node) keeps the group tree (World, Net, user groups) and creates the
// groups.
package group
