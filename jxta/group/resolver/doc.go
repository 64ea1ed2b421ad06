// Package resolver is a peer group's resolver service (the Peer Resolver
// Protocol): named query handlers, queries sent to a peer, and responses
// routed back to the querier, over the endpoint service.
//
// Addressing follows JXSE and JXTA-C: queries go to the endpoint service
// named by the resolver's module class ID with the parameter
// "<group unique value>ORes", in a jxta message element of that same name
// holding a jxta:ResolverQuery; responses go to "<group unique value>IRes".
// Each group has its own resolver, so one group's queries never reach
// another group's handlers.
//
// Unlike JXSE, whose sendQuery fires and forgets, Query returns the
// responses as they arrive on a channel until its context ends.
//
// A query to the group (the null peer) goes through the group's
// rendezvous network (SetRendezvous): an edge sends it to its rendezvous;
// a rendezvous runs it as if an edge had sent it; a peer with no
// rendezvous sends it to every peer it is connected to. Handlers on a
// rendezvous pass queries on with Forward (discovery forwards to the peers
// its SRDI index names), keeping the query ID and querier and raising the
// hop count. A peer reached answers the querier directly: every query
// carries the querier's route (SrcPeerRoute), from which it learns its
// addresses. For the handlers that ask for it (RespondAlongPath:
// discovery), a peer without a connection to the querier sends its
// response back along the query's path instead, each rendezvous passing
// it to the peer it got the query from, which costs a hop instead of a
// new connection (see relay.go for the message elements). Index pushes (SRDI, "<group unique value>Srdi") are
// delivered to the handler registered with HandleSRDI; gzipped ones, as
// JXSE may send, are accepted.
//
// Queries sent and answered, and received queries dropped (by reason),
// count into the endpoint's metric set (endpoint.Config.Metrics), summed
// over groups.
//
// resolver sits on the endpoint and the protocol documents; the group
// services (discovery, peer info, pipe binding) build on it.
package resolver
