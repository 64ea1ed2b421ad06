// Package rendezvous is a peer group's rendezvous service (the JXTA
// Rendezvous Protocol): the leases that tie edge peers to rendezvous
// peers, the propagation of messages through the group, and the peer view
// the rendezvous keep of each other. There is one Service per group per
// peer. It sits on the endpoint; the group's resolver and discovery use
// it (through the group package), and the shell shows its Status.
//
// # Roles
//
// An Edge holds a lease with one rendezvous and propagates through it. A
// Rendezvous grants leases, passes propagated messages on and keeps a
// peer view. An AdHoc peer has no rendezvous: it propagates to the peers
// it is connected to, with a TTL of at most 2.
//
// The role is Config.Role at start; SetRole changes it at run time (see
// Changing roles).
//
// # Leases
//
// As in JXSE and JXTA-C, lease messages go to the service named by the
// rendezvous class ID, with the group's unique value as parameter. An
// edge sends Connect (its peer advertisement); the rendezvous answers
// with ConnectedPeer (its peer ID), ConnectedLease (milliseconds) and
// RdvAdvReply (its advertisement), plus, ours, up to four RdvReferral
// elements: advertisements of other rendezvous from its peer view.
// Disconnect (the edge's advertisement) ends a lease.
//
// An edge asks the candidates in order: its current rendezvous (to
// renew), Config.Seeds, the rendezvous it learned of from grants, and
// last the one it just lost; it waits a quarter of the lease (100 ms to
// 5 s) for each grant. It renews at half the lease. When the endpoint
// reports its rendezvous disconnected, or a renewal goes unanswered, it
// asks the next candidate at once, so that it holds a new lease well
// within two lease periods; when it moves, it sends its former
// rendezvous a Disconnect.
//
// A rendezvous may end a lease itself, with a Disconnect carrying its
// own advertisement, as JXSE's does: the edge then asks the next
// candidate at once.
//
// A rendezvous grants at most Config.MaxEdges leases (it ignores, and
// logs, requests beyond), keeps each edge's advertisement in the
// endpoint, and ends a lease when the edge disconnects, sends Disconnect
// or lets it run out.
//
// # Propagation
//
// A propagated message carries the jxta:RendezVousPropagateMessage header
// in element RendezVousPropagate<group unique value> and goes to service
// JxtaPropagate, parameter the group's unique value. Propagate gives it a
// new message ID, the TTL clamped to 1..Config.MaxTTL and a path of this
// peer, and sends it: from an edge to its rendezvous, from a rendezvous to
// its edges and its peer view, from an ad-hoc peer to its connections.
//
// A receiver drops (and logs) a message with no or a bad header, a spent
// TTL (0 or less), a path longer than MaxTTL, itself on the path, or a
// message ID it saw in the last ten minutes (it remembers up to 20,000).
// It delivers the rest here to the header's DestSName/DestSParam, without
// the header, and a rendezvous passes it on with TTL min(TTL, MaxTTL)-1,
// if that is above 0, and itself added to the path, to its edges and peer
// view except the peers on the path and the one it came from. Every
// peer's handler so gets each message once.
//
// # Peer view
//
// Each gossip period a rendezvous probes a partner: a random view member
// or, one round in four, a seed not in its view. Gossip goes to service
// PeerView, parameter the group's unique value. A probe holds
// PeerView.PeerAdv (the sender's peer advertisement; a JXSE
// RdvAdvertisement is accepted too) and a digest of the sender's view
// (PeerView.Digest, ours: per entry, 8 bytes of the SHA-256 of its peer
// ID and the entry's age, the time since anyone last heard from the
// peer). The answer, PeerView.PeerAdv.Response, holds the responder's
// digest and up to 32 entries the prober's digest lacks; the prober then
// pushes up to 32 entries the responder's digest lacks, and the exchange
// ends. Entries travel as PeerView.Sample (the peer's advertisement, so
// that the receiver can reach it) followed by PeerView.SampleAge (its
// peer ID and age in milliseconds). Both sides keep the fresher age of
// each entry they share.
//
// A live rendezvous's age so stays near log2 of the view's size in
// periods; an entry older than 2 periods per bit of the view's size (at
// least 10) leaves the view. So does a member whose connection drops
// within 10 periods of a message from it and that cannot be re-dialed, or
// that cannot be reached as a gossip partner. A peer that left comes back
// only with news of it at least three periods newer than its leaving, or
// once this peer is connected to it again: a seed that left is then
// probed in the next seed round (a dead seed is left alone until its
// leaving is forgotten, after twice the expiry). The view holds at most
// 1000 entries.
//
// # Changing roles
//
// SetRole stops the old role's loop, then starts the new one's. An edge
// that stops being one sends its rendezvous a Disconnect. A rendezvous
// that stops being one ends every lease it granted and sends each edge a
// Disconnect (so they fail over at once to a seed or a rendezvous its
// grants referred them to, or, with none, run without a rendezvous:
// their group queries go to their connections), and forgets its peer
// view (the others drop it when its entry expires). Connect makes an
// edge ask a given rendezvous for a lease now and move its lease there;
// Disconnect ends one lease (an edge then asks that rendezvous no more
// until AddSeed or Connect names it again); AddSeed adds a candidate
// rendezvous beside Config.Seeds. The edge's lease work (asking,
// renewing, Connect, Disconnect) all runs on its loop, one at a time, so
// grants always meet the request they answer.
//
// # Differences from JXSE
//
// JXSE's peer view probes one seed or member at a time and learns about
// one entry per probe and answer; its watchdog kicks every few minutes
// (189 s between kicks was seen), so a view of hundreds of rendezvous
// takes hours to fill. Here, push-pull exchanges of digests and missing
// entries fill every view of R rendezvous in about log2(R) periods (in
// the package's simulation: 6 periods for 100, 18 for 580; goal G10
// allows 10 x log2(R)), and dead ones leave within the expiry. The gossip messages are ours beside JXSE's
// probe and answer elements: JXSE rendezvous do not join our peer views.
// There is no limited-range walker: queries are forwarded over the peer
// view directly.
//
// Leases and propagation follow JXSE on the wire; a forged TTL above
// MaxTTL is clamped, as JXSE does, and a path longer than MaxTTL is
// dropped.
package rendezvous
