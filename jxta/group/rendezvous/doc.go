// Package rendezvous is a peer group's rendezvous service (the Rendezvous
// Protocol): the leases that tie edge peers to rendezvous peers, the
// propagation of messages through the group, and the peer view the
// rendezvous keep of each other.
//
// Roles. An edge holds a lease with one rendezvous. A rendezvous grants
// leases (at most Config.MaxEdges), relays propagated messages and keeps
// a peer view. An ad-hoc peer has no rendezvous and propagates to the
// peers it is connected to.
//
// Leases follow JXSE and JXTA-C: messages to the service named by the
// rendezvous class ID with the group's unique value as parameter; an edge
// sends Connect (its peer advertisement); the rendezvous answers with
// ConnectedPeer, ConnectedLease (milliseconds) and RdvAdvReply (its own
// advertisement); Disconnect ends a lease. An edge renews at half the
// lease and, when its rendezvous disconnects or stops granting, asks the
// next candidate (Config.Seeds) at once, so it holds a new lease well
// within two lease periods.
//
// Propagation: a message carries the jxta:RendezVousPropagateMessage
// header (element RendezVousPropagate<group>) and goes to service
// JxtaPropagate. A receiver drops it if it has seen its message ID (a
// bounded, time-windowed memory), finds itself on its path, or its TTL is
// spent; else it delivers it to its destination service on this peer and,
// if it is a rendezvous, passes it on (TTL-1, itself added to the path) to
// its edges and its peer view, skipping the path.
//
// Peer view: each gossip period a rendezvous sends a random view member
// (or a seed) its advertisement and a sample of its view, each entry with
// the time it was last heard of; the receiver merges and answers with its
// own sample (push-pull). Entries not heard of for 30 periods leave the
// view. JXSE's peer view adds one entry per 189 s probe; push-pull
// sampling converges in a few periods per doubling of the view. There is
// no limited-range walker: discovery uses the view directly.
//
// rendezvous sits on the endpoint; the resolver and the group use it.
package rendezvous
