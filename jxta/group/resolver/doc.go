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
// Propagation through the rendezvous network comes with the rendezvous
// service.
//
// resolver sits on the endpoint and the protocol documents; the group
// services (discovery, peer info, pipe binding) build on it.
package resolver
