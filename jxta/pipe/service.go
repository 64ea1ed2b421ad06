package pipe

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group/resolver"
	"github.com/gojxta/gojxta/jxta/group/srdi"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// Endpoint service names of pipe messages.
const (
	// UnicastService receives unicast pipe messages; the parameter is
	// the group's unique value, "/", and the pipe ID.
	UnicastService = "PipeService"
	// WireService receives propagate pipe messages (JXSE's name); the
	// parameter is the group's unique value.
	WireService = "jxta.service.wirepipe"
	// StreamProtocol, followed by "/" and the group's unique value, names
	// the streams of bidirectional pipes; the stream's argument is the
	// pipe ID.
	StreamProtocol = "/gojxta/pipe/1"
)

// Defaults.
const (
	DefaultQueueSize = 1024
	DefaultBacklog   = 128
	// DefaultTTL is the hop limit of propagate pipe messages.
	DefaultTTL = 10
)

// Propagator spreads a message through the group: the group's rendezvous
// service.
type Propagator interface {
	Propagate(ctx context.Context, msg *jxta.Message, service, param string, ttl int) error
}

// Config assembles a Service.
type Config struct {
	Group    jxta.GroupID
	Endpoint *endpoint.Endpoint
	Resolver *resolver.Service
	// Propagator carries propagate pipe messages; without it they reach
	// only this peer.
	Propagator Propagator
	// Self returns this peer's advertisement in the group, sent in
	// answers so that the querier can connect.
	Self func() *advert.PeerAdv
	// QueueSize bounds the messages waiting in one input pipe; default
	// DefaultQueueSize.
	QueueSize int
	// Backlog bounds the connections waiting in one listener; default
	// DefaultBacklog.
	Backlog int
	// ResolveTimeout bounds a resolution whose context has no earlier
	// deadline; default DefaultResolveTimeout.
	ResolveTimeout time.Duration
	Logger         *slog.Logger
	// Gate admits the peers whose pipe messages and connections the
	// service accepts (a password group's members), and says whether this
	// peer may use the group's pipes; nil admits everyone.
	Gate endpoint.Gate
}

// Service is one group's pipe service.
type Service struct {
	group     jxta.GroupID
	ep        *endpoint.Endpoint
	res       *resolver.Service
	prop      Propagator
	self      func() *advert.PeerAdv
	log       *slog.Logger
	queueSize int
	backlog   int
	resolveIn time.Duration // Config.ResolveTimeout
	wireParam string        // WireService's parameter
	streams   string        // the stream protocol of this group's pipes
	resolved  *resolvedPeers
	index     *srdi.Index // on a rendezvous: the pipes its edges bound
	seen      *seenMsgIDs // wire message IDs of propagated messages
	gate      endpoint.Gate

	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup
	// stopWatch ends the calls of peerEvent.
	stopWatch func()

	mu        sync.Mutex
	closed    bool
	inputs    map[jxta.PipeID]*InputPipe
	listeners map[jxta.PipeID]*Listener
}

// New starts the pipe service of cfg.Group: it answers pipe binding
// queries through cfg.Resolver and receives pipe messages and streams
// from cfg.Endpoint.
func New(cfg Config) (*Service, error) {
	if cfg.Endpoint == nil || cfg.Resolver == nil || cfg.Self == nil {
		return nil, errors.New("pipe: Config needs Endpoint, Resolver and Self")
	}
	s := &Service{
		group: cfg.Group, ep: cfg.Endpoint, res: cfg.Resolver, prop: cfg.Propagator, self: cfg.Self,
		log: cfg.Logger, queueSize: cfg.QueueSize, backlog: cfg.Backlog,
		resolveIn: cfg.ResolveTimeout,
		gate:      cfg.Gate,
		wireParam: cfg.Group.Unique(),
		streams:   StreamProtocol + "/" + cfg.Group.Unique(),
		resolved:  newResolvedPeers(),
		index:     srdi.NewIndex(0, nil),
		seen:      newSeenMsgIDs(),
		inputs:    make(map[jxta.PipeID]*InputPipe),
		listeners: make(map[jxta.PipeID]*Listener),
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.queueSize <= 0 {
		s.queueSize = DefaultQueueSize
	}
	if s.backlog <= 0 {
		s.backlog = DefaultBacklog
	}
	if s.resolveIn <= 0 {
		s.resolveIn = DefaultResolveTimeout
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.res.Handle(protocol.PipeResolverHandler, resolver.QueryHandlerFunc(s.answer))
	s.res.HandleSRDI(protocol.PipeResolverHandler, s.acceptIndex)
	s.ep.Handle(WireService, s.wireParam, endpoint.HandlerFunc(endpoint.Gated(s.gate, s.serveWire)))
	s.ep.Handle(UnicastService, s.wireParam+unboundParam, endpoint.HandlerFunc(endpoint.Gated(s.gate, s.serveUnbound)))
	s.ep.HandleStream(s.streams, endpoint.StreamHandlerFunc(s.serveStream))
	s.stopWatch = s.ep.Watch(s.peerEvent)
	return s, nil
}

// Group returns the group the service serves.
func (s *Service) Group() jxta.GroupID { return s.group }

// peerEvent forgets where pipes were bound on peers that disconnect, so
// that the next send or dial resolves the pipe again.
func (s *Service) peerEvent(ev endpoint.Event) {
	if ev.Kind == endpoint.PeerDisconnected {
		s.ForgetPeer(ev.Peer)
	}
}

// ForgetPeer drops what this peer knows of pipes bound on peer: an edge of
// this rendezvous that left.
func (s *Service) ForgetPeer(peer jxta.PeerID) {
	s.index.RemovePeer(peer)
	s.resolved.forgetPeer(peer)
}

// Close unbinds every pipe of the service, closes its listeners and their
// connections waiting to be accepted, and stops its goroutines.
// Connections already accepted or dialed stay open until their owners
// close them.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	inputs := make([]*InputPipe, 0, len(s.inputs))
	for _, in := range s.inputs {
		inputs = append(inputs, in)
	}
	listeners := make([]*Listener, 0, len(s.listeners))
	for _, l := range s.listeners {
		listeners = append(listeners, l)
	}
	s.mu.Unlock()
	for _, in := range inputs {
		in.Close()
	}
	for _, l := range listeners {
		l.Close()
	}
	s.res.Handle(protocol.PipeResolverHandler, nil)
	s.res.HandleSRDI(protocol.PipeResolverHandler, nil)
	s.ep.Handle(WireService, s.wireParam, nil)
	s.ep.Handle(UnicastService, s.wireParam+unboundParam, nil)
	s.ep.HandleStream(s.streams, nil)
	s.cancel()
	s.stopWatch()
	s.wg.Wait()
	return nil
}

// checkType refuses unknown types; "" reads as JxtaUnicast, as JXSE
// does.
func checkType(adv *advert.PipeAdv) (string, error) {
	if adv == nil || adv.PipeID.IsNull() {
		return "", errors.New("pipe: an advertisement with a pipe ID is required")
	}
	switch adv.Type {
	case "", advert.PipeUnicast:
		return advert.PipeUnicast, nil
	case advert.PipePropagate:
		return advert.PipePropagate, nil
	case advert.PipeUnicastSecure:
		return advert.PipeUnicastSecure, nil
	default:
		return "", fmt.Errorf("pipe %s: unknown pipe type %q", adv.PipeID, adv.Type)
	}
}

// bind records an input pipe or listener for id, refusing a second one
// of the same kind.
func (s *Service) bind(id jxta.PipeID, in *InputPipe, l *Listener) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return ErrClosed
	}
	if in != nil {
		if s.inputs[id] != nil {
			return fmt.Errorf("pipe %s: %w (an input pipe)", id, ErrAlreadyBound)
		}
		s.inputs[id] = in
	}
	if l != nil {
		if s.listeners[id] != nil {
			return fmt.Errorf("pipe %s: %w (a listener)", id, ErrAlreadyBound)
		}
		s.listeners[id] = l
	}
	return nil
}

func (s *Service) unbindInput(id jxta.PipeID, in *InputPipe) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inputs[id] == in {
		delete(s.inputs, id)
	}
}

func (s *Service) unbindListener(id jxta.PipeID, l *Listener) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.listeners[id] == l {
		delete(s.listeners, id)
	}
}

// boundHere reports whether this peer bound pipe id with type typ, as an
// input pipe or a listener.
func (s *Service) boundHere(id jxta.PipeID, typ string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if in := s.inputs[id]; in != nil && in.typ == typ {
		return true
	}
	l := s.listeners[id]
	return l != nil && l.typ == typ
}

// ErrLegacySecure reports a secure pipe's message to or from a legacy JXTA
// peer: its connection is in the clear and its ID unproven, so it never
// gets a secure pipe.
var ErrLegacySecure = errors.New("a legacy JXTA peer gets no secure pipe")

// checkSecure returns ErrLegacySecure for a secure pipe's traffic with a
// legacy peer.
func (s *Service) checkSecure(typ string, peer jxta.PeerID) error {
	if typ == advert.PipeUnicastSecure && s.ep.IsLegacy(peer) {
		return fmt.Errorf("peer %s: %w", peer, ErrLegacySecure)
	}
	return nil
}

// isUnicast reports whether typ is one of the one-to-one pipe types:
// JxtaUnicast, or JxtaUnicastSecure, which gojxta delivers the same way
// (every connection is authenticated and encrypted, and a unicast message
// goes straight to the bound peer over its connection), kept apart in
// binding and resolution.
func isUnicast(typ string) bool {
	return typ == advert.PipeUnicast || typ == advert.PipeUnicastSecure
}

func (s *Service) input(id jxta.PipeID) *InputPipe {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inputs[id]
}

func (s *Service) listener(id jxta.PipeID) *Listener {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.listeners[id]
}

// unicastParam is the endpoint parameter of a unicast pipe's messages.
func (s *Service) unicastParam(id jxta.PipeID) string { return s.wireParam + "/" + id.String() }

// legacyUnicastParam is the parameter JXSE gives a unicast pipe's
// messages: the pipe ID alone.
func legacyUnicastParam(id jxta.PipeID) string { return id.String() }

// unicastParamFor is the parameter of a unicast pipe's messages to peer:
// JXSE's form for a legacy peer.
func (s *Service) unicastParamFor(peer jxta.PeerID, id jxta.PipeID) string {
	if s.ep.IsLegacy(peer) {
		return legacyUnicastParam(id)
	}
	return s.unicastParam(id)
}

// track counts a background goroutine, unless the service is closing.
func (s *Service) track() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	return true
}

// indexExpiration is how long a rendezvous keeps an input pipe's index
// entry; edges push their entries again with every new lease.
const indexExpiration = 2 * time.Hour

// ready returns why this peer may not use the group's pipes (it has not
// joined a password group), or nil.
func (s *Service) ready() error {
	if s.gate == nil {
		return nil
	}
	return s.gate.Ready()
}
