package node

import (
	"context"

	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/pipe"
)

// Listen listens for bidirectional connections on the pipe called name in
// the Net group. Use a group's Listen for other groups.
func (n *Node) Listen(ctx context.Context, name string) (*pipe.Listener, error) {
	return n.net.Listen(ctx, name)
}

// Dial connects to the listener of the pipe called name in the Net group.
// Finding the listener waits for the seeds that are still connecting,
// and ends with ctx or after pipe.DefaultResolveTimeout, whichever comes
// first, with an error that says whom this peer asked and for how long.
func (n *Node) Dial(ctx context.Context, name string) (*pipe.Conn, error) {
	return n.net.Dial(ctx, name)
}

// ListenAdv listens for bidirectional connections on the pipe of adv in
// the Net group.
func (n *Node) ListenAdv(ctx context.Context, adv *advert.PipeAdv) (*pipe.Listener, error) {
	return n.net.Pipes().Listen(ctx, adv)
}

// DialAdv connects to the listener of the pipe of adv in the Net group.
func (n *Node) DialAdv(ctx context.Context, adv *advert.PipeAdv) (*pipe.Conn, error) {
	return n.net.Pipes().Dial(ctx, adv)
}
