package endpoint

import (
	"sync"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/metrics"
)

// Incoming is a message delivered to a handler.
type Incoming struct {
	Message *jxta.Message
	// Peer is the peer at the other end of the connection the message
	// arrived on (authenticated by the handshake, unlike Source).
	Peer jxta.PeerID
	// Source is the sender's EndpointSourceAddress.
	Source jxta.Address
	// Dest is the EndpointDestinationAddress: its Service and Param chose
	// the handler.
	Dest jxta.Address
}

// Handler receives messages addressed to a service. Handlers run on the
// connection's reader: messages from one peer are delivered one at a time,
// in order, and a slow handler holds back that peer's next messages (not
// other peers'). Handlers that block should hand the message to their own
// goroutine.
type Handler interface {
	HandleMessage(in *Incoming)
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(in *Incoming)

// HandleMessage calls f(in).
func (f HandlerFunc) HandleMessage(in *Incoming) { f(in) }

// mux maps service names and parameters to handlers.
type mux struct {
	mu       sync.RWMutex
	handlers map[string]route
}

// route is a registered handler and the traffic counters of its service,
// resolved once at registration.
type route struct {
	h   Handler
	svc *metrics.Service
}

func muxKey(service, param string) string {
	if param == "" {
		return service
	}
	return service + "/" + param
}

func (m *mux) handle(service, param string, h Handler, svc *metrics.Service) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.handlers == nil {
		m.handlers = make(map[string]route)
	}
	if h == nil {
		delete(m.handlers, muxKey(service, param))
		return
	}
	m.handlers[muxKey(service, param)] = route{h: h, svc: svc}
}

// lookup finds the handler for service/param, then for service alone, then
// JXSE's legacy key, the service and parameter concatenated; the zero
// route if none.
func (m *mux) lookup(service, param string) route {
	m.mu.RLock()
	defer m.mu.RUnlock()
	if r, ok := m.handlers[muxKey(service, param)]; ok {
		return r
	}
	if r, ok := m.handlers[service]; ok {
		return r
	}
	return m.handlers[service+param]
}
