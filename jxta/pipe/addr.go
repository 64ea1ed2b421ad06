package pipe

import "github.com/gojxta/gojxta/jxta"

// Network is the network name of pipe addresses.
const Network = "jxta-pipe"

// Addr is the address of one end of a bidirectional pipe connection: a
// pipe on a peer.
type Addr struct {
	Pipe jxta.PipeID
	Peer jxta.PeerID
}

// Network returns "jxta-pipe".
func (Addr) Network() string { return Network }

// String returns "<pipe ID>@<peer ID>".
func (a Addr) String() string { return a.Pipe.String() + "@" + a.Peer.String() }
