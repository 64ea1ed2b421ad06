// Package group assembles a peer group: the services a group runs on the
// peer's endpoint and cache, scoped by the group's ID, so that messages and
// advertisements of one group never reach another's. A peer runs the Net
// group by default; the group tree (World, Net, user groups), membership,
// rendezvous and peer info arrive with the rest of the group layer.
//
// The services live in sub-packages: resolver, discovery and cache.
// group imports them; the embedding API (node) creates the groups.
package group
