// Package node is the embedding API of gojxta: a whole JXTA peer in a few
// lines.
//
//	n, err := node.Start(ctx, node.Config{Name: "alice", Home: dir})
//	defer n.Close()
//	n.Handle("chat", "", endpoint.HandlerFunc(func(in *endpoint.Incoming) { ... }))
//	err = n.Send(ctx, bob, "chat", "", msg)
//
// A Node owns its endpoint (connections and message delivery), keeps its
// peer ID and name in its home directory so that they survive restarts,
// and keeps connections to its seed peers. Many nodes can run in one
// process: there is no global state.
//
// Every node runs the World and Net groups; CreateGroup, JoinGroup and
// LeaveGroup manage user groups (with password membership if wanted). A
// node started with Rendezvous serves edges: it grants leases, relays
// group queries by its SRDI index, gossips a peer view with the other
// rendezvous, and serves the user groups of its edges without joining
// them (MaxServedGroups). SetRendezvous changes the role at run time,
// and AddSeed adds a seed. Multicast turns on zero-configuration LAN
// discovery.
//
// Each node keeps Prometheus metrics in a registry of its own (see
// jxta/metrics for the names): Config.Metrics serves them over HTTP at
// /metrics, Metrics returns the gatherer for a program's own server, and
// Stats a snapshot.
//
// node sits above the endpoint and the group layer; the shell builds on
// it.
package node
