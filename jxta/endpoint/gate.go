package endpoint

import (
	"context"

	"github.com/gojxta/gojxta/jxta"
)

// Gate decides which peers' traffic a service accepts: a password group's
// services accept traffic only from peers that proved their membership
// (package admission). A nil Gate admits everyone.
type Gate interface {
	// Admit calls deliver once peer is admitted: at once for a peer
	// already admitted, later (on another goroutine, in the order of the
	// calls) for one whose admission is under way, never for one refused.
	// It does not block: it is called on the connection's reader.
	Admit(peer jxta.PeerID, deliver func())
	// AdmitStream waits until peer is admitted, refused (an error saying
	// why) or ctx ends. It is for stream handlers, which run on their own
	// goroutines.
	AdmitStream(ctx context.Context, peer jxta.PeerID) error
	// Ready returns nil when this peer may send traffic under the gate,
	// and otherwise an error saying why not (it has not joined the group).
	Ready() error
}

// Gated returns f behind g: each message is handed to f once g admits its
// peer. A nil g returns f.
func Gated(g Gate, f func(in *Incoming)) func(in *Incoming) {
	if g == nil {
		return f
	}
	return func(in *Incoming) { g.Admit(in.Peer, func() { f(in) }) }
}
