package endpoint

import (
	"context"
	"net"

	"github.com/gojxta/gojxta/jxta"
)

// Transport carries raw connections for one address protocol. The endpoint
// runs the JXTA handshake and the multiplexer over what it returns.
type Transport interface {
	// Protocol returns the address protocol the transport serves, such as
	// "tcp" or "mem".
	Protocol() string
	// Listen starts listening on addr. The listener's addresses are
	// reported through ListenerAddresses.
	Listen(addr jxta.Address) (net.Listener, error)
	// Dial opens a connection to addr, giving up when ctx ends.
	Dial(ctx context.Context, addr jxta.Address) (net.Conn, error)
	// ListenerAddresses returns the addresses other peers can use to reach
	// l, in order of preference.
	ListenerAddresses(l net.Listener) []jxta.Address
}
