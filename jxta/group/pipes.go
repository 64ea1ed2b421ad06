package group

import (
	"context"
	"fmt"

	"github.com/gojxta/gojxta/jxta/pipe"
)

// Listen listens for bidirectional connections on the pipe called name in
// the group (see pipe.NamedAdv), and publishes its advertisement in the
// cache so that searches for the name find it.
func (g *Group) Listen(ctx context.Context, name string) (*pipe.Listener, error) {
	adv := pipe.NamedAdv(g.id, name)
	l, err := g.pipes.Listen(ctx, adv)
	if err != nil {
		return nil, err
	}
	if err := g.discovery.Publish(adv, 0, 0); err != nil {
		l.Close()
		return nil, fmt.Errorf("group %s: publishing pipe %q: %w", g.name, name, err)
	}
	return l, nil
}

// Dial connects to the listener of the pipe called name in the group.
func (g *Group) Dial(ctx context.Context, name string) (*pipe.Conn, error) {
	return g.pipes.Dial(ctx, pipe.NamedAdv(g.id, name))
}
