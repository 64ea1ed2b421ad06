// Package peerinfo is a peer group's peer information service (the Peer
// Information Protocol): how long this peer has run and the messages and
// bytes it exchanged with each peer, locally and, through the resolver,
// from another peer; and a ping that measures the round trip of such a
// query.
//
// peerinfo builds on the resolver and the endpoint's traffic counters; the
// group and the shell use it.
package peerinfo
