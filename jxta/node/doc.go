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
// node sits above the endpoint (and, as they arrive, the group and pipe
// layers); the shell builds on it.
package node
