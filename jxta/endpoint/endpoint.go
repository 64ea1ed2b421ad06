package endpoint

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"github.com/gojxta/gojxta/internal/logsum"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/identity"
	"github.com/gojxta/gojxta/jxta/metrics"
)

// Message element names the endpoint adds to every message it sends and
// strips from every message it delivers.
const (
	SourceAddressElement      = "EndpointSourceAddress"
	DestinationAddressElement = "EndpointDestinationAddress"
)

// retireGrace is how long a redundant connection (the loser of two
// simultaneous dials) stays open so that messages in flight on it arrive.
const retireGrace = 2 * time.Second

// Endpoint is a peer's endpoint service.
type Endpoint struct {
	cfg        Config
	id         jxta.PeerID
	cert       tls.Certificate // this peer's certificate, for its key (secure.go)
	log        *slog.Logger
	mux        mux
	transports map[string]Transport
	listeners  []net.Listener
	addrs      []jxta.Address
	srcAddr    []byte // this peer's jxta:// address, as sent in EndpointSourceAddress

	streamMu sync.RWMutex
	streams  map[string]StreamHandler

	mu       sync.Mutex
	conns    map[jxta.PeerID]*conn // the connection used for each peer
	all      map[*conn]struct{}    // every live connection
	known    map[jxta.PeerID]*advert.PeerAdv
	verified map[jxta.PeerID]bool // peers that proved their key on a connection
	legacy   map[jxta.PeerID]bool // legacy peers heard without a connection (MarkLegacy)
	dials    map[jxta.PeerID]*dialCall
	// arriving holds, per peer, a channel closed when an incoming
	// connection from it finishes its handshake.
	arriving map[jxta.PeerID]chan struct{}
	traffic  map[jxta.PeerID]*peerTraffic
	closed   bool
	reaper   *time.Timer // runs reapIdle; set under mu

	// slots bounds the incoming connections in their handshake (overall
	// and per source); refused and failed summarise their log lines.
	slots   *handshakeSlots
	budget  *bodyBudget // the memory of partly received message bodies
	refused *logsum.Summary
	failed  *logsum.Summary
	dropped *logsum.Summary

	events eventHub
	ctx    context.Context // ends when the endpoint closes
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

type dialCall struct {
	done chan struct{}
	c    *conn
	err  error
}

// New starts an endpoint: it listens on cfg.Listen and serves connections
// until Close.
func New(cfg Config) (*Endpoint, error) {
	c := cfg.withDefaults()
	if c.Identity == nil {
		id, err := identity.New()
		if err != nil {
			return nil, fmt.Errorf("endpoint: %w", err)
		}
		c.Identity = id
	}
	cert, err := c.Identity.Certificate()
	if err != nil {
		return nil, fmt.Errorf("endpoint: %w", err)
	}
	e := &Endpoint{
		cfg: c, id: c.Identity.PeerID(), cert: cert, log: c.Logger,
		transports: make(map[string]Transport),
		streams:    make(map[string]StreamHandler),
		conns:      make(map[jxta.PeerID]*conn),
		all:        make(map[*conn]struct{}),
		known:      make(map[jxta.PeerID]*advert.PeerAdv),
		verified:   make(map[jxta.PeerID]bool),
		legacy:     make(map[jxta.PeerID]bool),
		dials:      make(map[jxta.PeerID]*dialCall),
		arriving:   make(map[jxta.PeerID]chan struct{}),
		traffic:    make(map[jxta.PeerID]*peerTraffic),
		slots:      newHandshakeSlots(c.MaxHandshakes, c.MaxHandshakesPerSource),
		budget:     &bodyBudget{max: c.MaxPendingBytes},
		refused:    logsum.New(c.Logger, slog.LevelWarn, "endpoint: incoming connections refused, too many in their handshake", 0),
		failed:     logsum.New(c.Logger, slog.LevelWarn, "endpoint: incoming connection refused", 0),
		dropped:    logsum.New(c.Logger, slog.LevelWarn, "endpoint: dropping connection", 0),
	}
	e.ctx, e.cancel = context.WithCancel(context.Background())
	e.srcAddr = []byte(jxta.PeerAddress(e.id).String())
	for _, t := range c.Transports {
		e.transports[t.Protocol()] = t
	}
	for _, a := range c.Listen {
		t := e.transports[a.Protocol]
		if t == nil {
			e.closeListeners()
			return nil, fmt.Errorf("endpoint: listen %s: %w", a, ErrNoTransport)
		}
		l, err := t.Listen(a)
		if err != nil {
			e.closeListeners()
			return nil, fmt.Errorf("endpoint: %w", err)
		}
		e.listeners = append(e.listeners, l)
		e.addrs = append(e.addrs, t.ListenerAddresses(l)...)
	}
	for _, l := range e.listeners {
		e.wg.Add(1)
		go e.acceptLoop(l)
	}
	if c.IdleTimeout > 0 {
		e.mu.Lock() // reapIdle reads e.reaper under e.mu
		e.reaper = time.AfterFunc(e.reapEvery(), e.reapIdle)
		e.mu.Unlock()
	}
	c.Metrics.ObserveEndpoint(e.gauges)
	return e, nil
}

func (e *Endpoint) closeListeners() {
	for _, l := range e.listeners {
		l.Close()
	}
}

// ID returns this peer's ID.
func (e *Endpoint) ID() jxta.PeerID { return e.id }

// Addresses returns the transport addresses this peer listens on, in order
// of preference.
func (e *Endpoint) Addresses() []jxta.Address { return append([]jxta.Address(nil), e.addrs...) }

// publicAddress is the address sent in welcome lines.
func (e *Endpoint) publicAddress() jxta.Address {
	if len(e.addrs) > 0 {
		return e.addrs[0]
	}
	return jxta.TCPAddress("0.0.0.0:0")
}

// PeerAdv returns a fresh copy of this peer's advertisement, listing its
// addresses.
func (e *Endpoint) PeerAdv() *advert.PeerAdv {
	pa := &advert.PeerAdv{PeerID: e.id, GroupID: e.cfg.GroupID, Name: e.cfg.Name, Key: e.cfg.Identity.PublicKey()}
	addrs := make([]string, len(e.addrs))
	for i, a := range e.addrs {
		addrs[i] = a.String()
	}
	if err := pa.SetEndpointAddresses(addrs); err != nil {
		e.log.Error("endpoint: building peer advertisement", "err", err)
	}
	return pa
}

// Handle registers h for messages addressed to service and param ("" for
// the whole service). A message is delivered to the handler of its
// service/param, else of its service. A nil h removes the registration.
func (e *Endpoint) Handle(service, param string, h Handler) {
	var svc *metrics.Service
	if h != nil {
		svc = e.cfg.Metrics.Service(service)
	}
	e.mux.handle(service, param, h, svc)
}

// Metrics returns the metric set of Config.Metrics (nil if none), for the
// services built on the endpoint to count into.
func (e *Endpoint) Metrics() *metrics.Set { return e.cfg.Metrics }

// HandleFunc registers a function as a Handler.
func (e *Endpoint) HandleFunc(service, param string, f func(in *Incoming)) {
	e.Handle(service, param, HandlerFunc(f))
}

// Subscribe returns a subscription to peer connect and disconnect events,
// buffering up to buffer events (64 if buffer <= 0).
func (e *Endpoint) Subscribe(buffer int) *Subscription { return e.events.subscribe(buffer) }

// Watch calls f with every peer event, on the goroutine that brought the
// connection up or saw it close, until the returned stop function is
// called; once stop returns, f is not running and is not called again.
// It costs no goroutine and no buffer, where Subscribe costs a buffer of
// events and a goroutine to read them: it suits a service that only
// updates its tables. f may run on several goroutines at once; it must be
// quick, must not block, and must not call Watch or a stop function.
func (e *Endpoint) Watch(f func(Event)) (stop func()) { return e.events.watch(f) }

// Done returns a channel that is closed when Close begins: a service
// driven by timers stops scheduling work once it is.
func (e *Endpoint) Done() <-chan struct{} { return e.ctx.Done() }

// AddPeer records a peer's advertisement, so that Send can reach it by ID.
func (e *Endpoint) AddPeer(pa *advert.PeerAdv) {
	if pa == nil || pa.PeerID.IsNull() || pa.PeerID == e.id {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	e.known[pa.PeerID] = pa
}

// Peer returns the advertisement of a known peer.
func (e *Endpoint) Peer(id jxta.PeerID) (*advert.PeerAdv, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	pa, ok := e.known[id]
	return pa, ok
}

// SignedPeerAdv returns the advertisement a connected peer sent when it
// connected, as it signed it: what another peer can verify, when this one
// passes it on (a rendezvous serving its edges' advertisements). It
// reports false for a peer not connected, or one that sent its
// advertisement unsigned.
func (e *Endpoint) SignedPeerAdv(id jxta.PeerID) (*advert.SignedAdv, bool) {
	e.mu.Lock()
	c := e.conns[id]
	e.mu.Unlock()
	if c == nil {
		return nil, false
	}
	sa := c.signedAdv.Load()
	return sa, sa != nil
}

// PeerInfo describes a peer this endpoint knows.
type PeerInfo struct {
	Adv       *advert.PeerAdv
	Connected bool
}

// Peers returns every known peer, sorted by name then ID.
func (e *Endpoint) Peers() []PeerInfo {
	e.mu.Lock()
	out := make([]PeerInfo, 0, len(e.known))
	for id, pa := range e.known {
		_, connected := e.conns[id]
		out = append(out, PeerInfo{Adv: pa, Connected: connected})
	}
	e.mu.Unlock()
	sort.Slice(out, func(i, j int) bool {
		if out[i].Adv.Name != out[j].Adv.Name {
			return out[i].Adv.Name < out[j].Adv.Name
		}
		return out[i].Adv.PeerID.String() < out[j].Adv.PeerID.String()
	})
	return out
}

// ConnInfo describes a live connection.
type ConnInfo struct {
	Peer     jxta.PeerID
	Name     string
	Remote   jxta.Address // the address dialed, or the peer's public address
	Outbound bool
	Since    time.Time
	Streams  int // open multiplexed streams, the two message streams included
}

// Connections returns the live connections, one per peer.
func (e *Endpoint) Connections() []ConnInfo {
	e.mu.Lock()
	out := make([]ConnInfo, 0, len(e.conns))
	for _, c := range e.conns {
		ci := ConnInfo{Peer: c.peer, Remote: c.remote, Outbound: c.outbound, Since: c.since, Streams: c.streams()}
		if pa := c.adv.Load(); pa != nil {
			ci.Name = pa.Name
		}
		out = append(out, ci)
	}
	e.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Since.Before(out[j].Since) })
	return out
}

// Verified reports whether peer proved, on a connection since this
// endpoint started, that it holds the key of its ID (every connection
// does; a peer known only from discovery has not).
func (e *Endpoint) Verified(peer jxta.PeerID) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.verified[peer]
}

// Connected reports whether there is a live connection to peer, as
// Connections would list it, without building the list.
func (e *Endpoint) Connected(peer jxta.PeerID) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.conns[peer]
	return ok
}

// Connect dials a transport address (a seed, say), runs the handshake and
// returns the ID of the peer found there, which has proven it holds the
// key of that ID.
func (e *Endpoint) Connect(ctx context.Context, addr jxta.Address) (jxta.PeerID, error) {
	return e.ConnectExpecting(ctx, addr, jxta.PeerID{})
}

// ConnectExpecting is Connect to the peer expect at addr: another peer
// there (one that cannot prove it holds expect's key) is refused with
// ErrUnexpectedPeer. A null expect accepts any peer.
func (e *Endpoint) ConnectExpecting(ctx context.Context, addr jxta.Address, expect jxta.PeerID) (jxta.PeerID, error) {
	c, err := e.dialAddress(ctx, addr.Base(), expect)
	if err != nil {
		return jxta.PeerID{}, err
	}
	return c.peer, nil
}

// Identity returns the peer's key pair.
func (e *Endpoint) Identity() *identity.Identity { return e.cfg.Identity }

// ConnectPeer makes sure there is a connection to peer, dialing the
// addresses of its advertisement (see AddPeer) if there is none.
func (e *Endpoint) ConnectPeer(ctx context.Context, peer jxta.PeerID) error {
	_, err := e.connFor(ctx, peer)
	return err
}

// Disconnect closes the connection to peer, if any.
func (e *Endpoint) Disconnect(peer jxta.PeerID) {
	e.mu.Lock()
	c := e.conns[peer]
	e.mu.Unlock()
	if c != nil {
		c.close(errors.New("disconnected locally"))
	}
}

// Send delivers msg to dst, an address of the form
// jxta://<peer unique ID>/service[/param]. It connects to the peer first if
// needed, dialing the addresses of its advertisement in order. msg itself
// is not modified: the endpoint adds its address elements to a copy.
//
// A nil error means the message was accepted for delivery: written to the
// connection or queued behind messages being written, in order. The
// peer's endpoint then hands it to its handler unless the connection fails
// first (the peer goes away or stops reading for Config.SendTimeout, a
// side drops the connection with Disconnect or for bad input), or unless,
// when either endpoint closes the connection (Close, idle, redundant), the
// peer does not read it within Config.CloseTimeout. So Close returns once
// every accepted message has been handed to the peer's handler, or after
// CloseTimeout. A nil error does not mean that the peer has received or
// processed the message yet: delivery is not acknowledged. Send waits
// while the connection's queue is full (1 MiB), for at most SendTimeout.
func (e *Endpoint) Send(ctx context.Context, dst jxta.Address, msg *jxta.Message) error {
	peer, err := dst.PeerID()
	if err != nil {
		return fmt.Errorf("send to %s: %w", dst, err)
	}
	return e.send(ctx, peer, []byte(dst.String()), msg, e.cfg.Metrics.Service(dst.Service))
}

// SendTo is Send to service/param of peer.
func (e *Endpoint) SendTo(ctx context.Context, peer jxta.PeerID, service, param string, msg *jxta.Message) error {
	dst := make([]byte, 0, 96+len(service)+len(param))
	dst = append(dst, "jxta://"...)
	dst, _ = peer.ID.AppendText(dst)
	dst = append(dst[:7], dst[7+len("urn:jxta:"):]...) // the unique value, without urn:jxta:
	if service != "" {
		dst = append(append(dst, '/'), service...)
		if param != "" {
			dst = append(append(dst, '/'), param...)
		}
	}
	return e.send(ctx, peer, dst, msg, e.cfg.Metrics.Service(service))
}

// svc counts the message's traffic, when it leaves this peer.
func (e *Endpoint) send(ctx context.Context, peer jxta.PeerID, dst []byte, msg *jxta.Message, svc *metrics.Service) error {
	if peer == e.id {
		e.dispatch(nil, e.addressed(msg, dst), parseAddress, 0)
		return nil
	}
	c, err := e.connFor(ctx, peer)
	if err == nil {
		err = c.send(ctx, withoutAddresses(msg), dst, svc)
	}
	if err != nil {
		return fmt.Errorf("send to %s: %w", dst, err)
	}
	return nil
}

// withoutAddresses returns msg, or a copy of it without the address
// elements when it carries some (a message being forwarded): the send
// queue writes the addresses itself.
func withoutAddresses(msg *jxta.Message) *jxta.Message {
	for _, el := range msg.Elements() {
		if el.Namespace == jxta.NamespaceJXTA && (el.Name == SourceAddressElement || el.Name == DestinationAddressElement) {
			m := msg.Clone()
			m.Remove(jxta.NamespaceJXTA, SourceAddressElement)
			m.Remove(jxta.NamespaceJXTA, DestinationAddressElement)
			return m
		}
	}
	return msg
}

// addressed returns a copy of msg's element list with the source and
// destination address elements set.
func (e *Endpoint) addressed(msg *jxta.Message, dst []byte) *jxta.Message {
	src := jxta.Element{Namespace: jxta.NamespaceJXTA, Name: SourceAddressElement, Type: jxta.TypeText, Data: e.srcAddr}
	dstEl := jxta.Element{Namespace: jxta.NamespaceJXTA, Name: DestinationAddressElement, Type: jxta.TypeText, Data: dst}
	els := msg.Elements()
	for i := range els {
		if els[i].Namespace == jxta.NamespaceJXTA && (els[i].Name == SourceAddressElement || els[i].Name == DestinationAddressElement) {
			m := msg.Clone()
			m.Replace(src)
			m.Replace(dstEl)
			return m
		}
	}
	out := make([]jxta.Element, len(els), len(els)+2)
	copy(out, els)
	return jxta.NewMessage(append(out, src, dstEl)...)
}

// dispatch strips the address elements of m and hands it to the handler
// of its destination. c is nil for messages sent to ourselves; size is the
// encoded size of a message received, counted as its service's traffic.
func (e *Endpoint) dispatch(c *conn, m *jxta.Message, parse func([]byte) (jxta.Address, error), size int) {
	from := e.id
	if c != nil {
		from = c.peer
	}
	dstEl, ok := m.Get(jxta.NamespaceJXTA, DestinationAddressElement)
	if !ok {
		e.log.Warn("endpoint: message without destination dropped", "peer", from)
		return
	}
	dst, err := parse(dstEl.Data)
	if err != nil {
		e.log.Warn("endpoint: message with bad destination dropped", "peer", from, "err", err)
		return
	}
	var src jxta.Address
	if el, ok := m.Get(jxta.NamespaceJXTA, SourceAddressElement); ok {
		src, _ = parse(el.Data)
	}
	m.Remove(jxta.NamespaceJXTA, DestinationAddressElement)
	m.Remove(jxta.NamespaceJXTA, SourceAddressElement)
	r := e.mux.lookup(dst.Service, dst.Param)
	if c != nil {
		if r.h != nil {
			r.svc.Received(size)
		} else {
			e.cfg.Metrics.Unknown().Received(size)
		}
	}
	if !e.deliver(r, &Incoming{Message: m, Peer: from, Source: src, Dest: dst}) {
		e.log.Debug("endpoint: no handler", "service", dst.Service, "param", dst.Param, "peer", from)
	}
}

// Deliver hands in to the local handler of in.Dest's service and
// parameter, as if it had arrived from in.Peer, and reports whether there
// was one. Services that relay messages (rendezvous propagation) use it to
// deliver what they relay to this peer too. A handler's panic is logged,
// not passed on.
func (e *Endpoint) Deliver(in *Incoming) (found bool) {
	return e.deliver(e.mux.lookup(in.Dest.Service, in.Dest.Param), in)
}

// deliver is Deliver to the handler of r, found already.
func (e *Endpoint) deliver(r route, in *Incoming) (found bool) {
	h := r.h
	if h == nil {
		return false
	}
	found = true
	defer func() {
		// A handler's panic is its bug, not the peer's: log it and keep
		// serving, as net/http does.
		if r := recover(); r != nil {
			e.log.Error("endpoint: handler panicked", "service", in.Dest.Service, "param", in.Dest.Param, "peer", in.Peer, "panic", r, "stack", string(debug.Stack()))
		}
	}()
	h.HandleMessage(in)
	return found
}

// parseAddress parses address bytes, for local delivery.
func parseAddress(b []byte) (jxta.Address, error) { return jxta.ParseAddress(string(b)) }

// connFor returns the connection to peer, dialing it if there is none.
// Concurrent calls for the same peer share one dial.
func (e *Endpoint) connFor(ctx context.Context, peer jxta.PeerID) (*conn, error) {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil, ErrClosed
	}
	if c := e.conns[peer]; c != nil {
		e.mu.Unlock()
		return c, nil
	}
	if ch := e.arriving[peer]; ch != nil {
		e.mu.Unlock()
		select {
		case <-ch:
			return e.connFor(ctx, peer)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	call := e.dials[peer]
	if call == nil {
		call = &dialCall{done: make(chan struct{})}
		e.dials[peer] = call
		pa := e.known[peer]
		e.wg.Add(1) // under e.mu with e.closed false: Close has not begun waiting
		e.mu.Unlock()
		go e.dialPeer(peer, pa, call)
	} else {
		e.mu.Unlock()
	}
	select {
	case <-call.done:
		return call.c, call.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// dialPeer dials the addresses of pa in order, on behalf of every caller
// waiting on call. It bounds itself by the handshake timeout per address
// rather than any one caller's context.
func (e *Endpoint) dialPeer(peer jxta.PeerID, pa *advert.PeerAdv, call *dialCall) {
	defer e.wg.Done()
	defer func() {
		e.mu.Lock()
		delete(e.dials, peer)
		e.mu.Unlock()
		close(call.done)
	}()
	if pa == nil {
		call.err = fmt.Errorf("%w %s", ErrUnknownPeer, peer)
		return
	}
	var errs []error
	for _, s := range pa.EndpointAddresses() {
		addr, err := jxta.ParseAddress(s)
		if err != nil || e.transports[addr.Protocol] == nil {
			continue
		}
		ctx, cancel := context.WithTimeout(e.ctx, e.cfg.HandshakeTimeout)
		c, err := e.dialAddress(ctx, addr, jxta.PeerID{})
		cancel()
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if c.peer != peer {
			errs = append(errs, fmt.Errorf("%s is now peer %s", addr, c.peer))
			continue
		}
		call.c = c
		return
	}
	if len(errs) == 0 {
		call.err = fmt.Errorf("%w %s (none of its addresses has a transport here)", ErrUnknownPeer, peer)
		return
	}
	call.err = fmt.Errorf("dial %s: %w", peer, errors.Join(errs...))
}

// dialAddress dials one transport address and runs the handshake; when
// expect is not null, the peer there must be expect.
func (e *Endpoint) dialAddress(ctx context.Context, addr jxta.Address, expect jxta.PeerID) (*conn, error) {
	t := e.transports[addr.Protocol]
	if t == nil {
		return nil, fmt.Errorf("dial %s: %w", addr, ErrNoTransport)
	}
	if _, ok := ctx.Deadline(); !ok {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, e.cfg.HandshakeTimeout)
		defer cancel()
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop := context.AfterFunc(e.ctx, cancel) // Close ends dials in progress
	defer stop()
	raw, err := t.Dial(ctx, addr)
	if err != nil {
		e.cfg.Metrics.ConnFailed(metrics.ConnDial)
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	c, err := e.handshake(ctx, raw, addr, expect)
	if err != nil {
		e.cfg.Metrics.ConnFailed(metrics.ConnHandshake)
		return nil, fmt.Errorf("dial %s: %w", addr, err)
	}
	return e.register(c)
}

// acceptLoop accepts incoming connections on l until it closes. A
// connection beyond the handshake limits (Config.MaxHandshakes, and
// Config.MaxHandshakesPerSource from one source) is closed at once.
func (e *Endpoint) acceptLoop(l net.Listener) {
	defer e.wg.Done()
	for {
		raw, err := l.Accept()
		if err != nil {
			if !errors.Is(err, net.ErrClosed) {
				e.log.Warn("endpoint: accept", "err", err)
			}
			return
		}
		release, refusal := e.slots.acquire(raw.RemoteAddr())
		if release == nil {
			e.refused.Event("remote", raw.RemoteAddr().String(), "reason", refusal)
			e.cfg.Metrics.ConnFailed(metrics.ConnOverload)
			raw.Close()
			continue
		}
		e.wg.Add(1)
		go func() {
			defer e.wg.Done()
			defer release()
			ctx, cancel := context.WithTimeout(e.ctx, e.cfg.HandshakeTimeout)
			defer cancel()
			c, err := e.handshake(ctx, raw, jxta.Address{}, jxta.PeerID{})
			if err != nil {
				e.cfg.Metrics.ConnFailed(metrics.ConnHandshake)
				e.failed.Event("remote", raw.RemoteAddr().String(), "err", err)
				return
			}
			if _, err := e.register(c); err != nil {
				e.log.Warn("endpoint: incoming connection dropped", "peer", c.peer, "err", err)
			}
			c.arrived()
		}()
	}
}

// expectArrival notes that an incoming connection from peer is in its
// handshake and returns the function that ends the note.
func (e *Endpoint) expectArrival(peer jxta.PeerID) func() {
	e.mu.Lock()
	defer e.mu.Unlock()
	ch := e.arriving[peer]
	if ch == nil {
		ch = make(chan struct{})
		e.arriving[peer] = ch
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			e.mu.Lock()
			defer e.mu.Unlock()
			if e.arriving[peer] == ch {
				delete(e.arriving, peer)
				close(ch)
			}
		})
	}
}

// track records a live connection; it reports false once the endpoint is
// closed.
func (e *Endpoint) track(c *conn) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.closed {
		return false
	}
	e.all[c] = struct{}{}
	return true
}

// register makes an identified connection the one used for its peer, or
// retires it when the peer already has a connection that wins: the one
// dialled by the peer with the smaller ID, so that both ends agree.
func (e *Endpoint) register(c *conn) (*conn, error) {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		c.close(ErrClosed)
		return nil, ErrClosed
	}
	if c.isClosed() {
		e.mu.Unlock()
		return nil, fmt.Errorf("connection to %s closed during the handshake", c.peer)
	}
	pa := c.adv.Load()
	defer c.markRegistered()
	if c.wire != nil {
		return e.registerLegacy(c, pa)
	}
	e.known[c.peer] = pa
	e.verified[c.peer] = true
	if old := e.conns[c.peer]; old != nil && old.wire != nil {
		// A legacy connection claimed this ID: the proven one wins.
		e.conns[c.peer] = c
		old.retire.Store(time.AfterFunc(0, func() { e.finishConn(old) }))
		e.mu.Unlock()
		return c, nil
	}
	old := e.conns[c.peer]
	if old == nil {
		e.conns[c.peer] = c
		e.mu.Unlock()
		e.events.publish(Event{Kind: PeerConnected, Peer: c.peer, Adv: pa})
		return c, nil
	}
	keep, drop := old, c
	switch {
	case c.dialer == old.dialer:
		// The same side dialled again: it no longer counts on the old
		// connection (it restarted, or lost it without this side
		// noticing). The new one, proven as the old one was, replaces it.
		keep, drop = c, old
	case c.dialer.String() < old.dialer.String():
		// Both dialled at once: both sides keep the connection dialled
		// by the smaller ID.
		keep, drop = c, old
	}
	e.conns[c.peer] = keep
	drop.retire.Store(time.AfterFunc(retireGrace, func() { e.finishConn(drop) }))
	e.mu.Unlock()
	return keep, nil
}

// registerLegacy records a legacy connection, with e.mu held (and
// released here). Only a connection this peer dialled carries its
// messages to the legacy peer; one the peer dialled is only read. A
// legacy connection never displaces one to a peer that proved its key.
func (e *Endpoint) registerLegacy(c *conn, pa *advert.PeerAdv) (*conn, error) {
	if e.verified[c.peer] {
		e.mu.Unlock()
		c.close(ErrClosed)
		return nil, fmt.Errorf("legacy connection claims %s, a peer that proved its key: refused", c.peer)
	}
	if known := e.known[c.peer]; known == nil || len(known.EndpointAddresses()) == 0 {
		e.known[c.peer] = pa
	}
	if !c.outbound {
		e.mu.Unlock()
		return c, nil
	}
	old := e.conns[c.peer]
	e.conns[c.peer] = c
	e.mu.Unlock()
	if old != nil {
		e.finishConn(old)
		return c, nil
	}
	e.events.publish(Event{Kind: PeerConnected, Peer: c.peer, Adv: pa})
	return c, nil
}

// untrack forgets a closed connection and reports the peer gone when it
// was the peer's connection.
func (e *Endpoint) untrack(c *conn, err error) {
	e.mu.Lock()
	delete(e.all, c)
	primary := e.conns[c.peer] == c
	if primary {
		delete(e.conns, c.peer)
	}
	e.mu.Unlock()
	if primary {
		e.log.Info("endpoint: peer disconnected", "peer", c.peer, "err", err)
		e.events.publish(Event{Kind: PeerDisconnected, Peer: c.peer, Adv: c.adv.Load()})
	}
}

// finishConn closes c as Close does, delivering what Send accepted, on
// behalf of the idle reaper and the retirement of redundant connections.
// Once Close has begun, Close finishes c instead.
func (e *Endpoint) finishConn(c *conn) {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return
	}
	e.wg.Add(1) // under e.mu with e.closed false: Close has not begun waiting
	e.mu.Unlock()
	defer e.wg.Done()
	c.finish(e.cfg.CloseTimeout)
}

// reapEvery is how often the idle reaper looks: a quarter of the idle
// timeout, within 10 ms..30 s.
func (e *Endpoint) reapEvery() time.Duration {
	return min(max(e.cfg.IdleTimeout/4, 10*time.Millisecond), 30*time.Second)
}

// reapIdle closes connections that stayed idle for the idle timeout. It
// runs on its timer (e.reaper), which it sets again until Close: the
// reaper costs no goroutine between its rounds.
func (e *Endpoint) reapIdle() {
	now := time.Now()
	var idle []*conn
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return
	}
	for _, c := range e.conns {
		if n := c.activity.Load(); n != c.lastSeen || c.idleSince.IsZero() || c.streams() > 2 {
			c.lastSeen, c.idleSince = n, now
			continue
		}
		if now.Sub(c.idleSince) >= e.cfg.IdleTimeout && !c.finishing.Load() {
			idle = append(idle, c)
		}
	}
	e.reaper.Reset(e.reapEvery()) // under e.mu with e.closed false: Close stops it after
	e.mu.Unlock()
	for _, c := range idle {
		go e.finishConn(c)
	}
}

// Close stops the endpoint. It refuses new sends at once and closes the
// listeners; then each connection, in parallel, writes out every message
// Send accepted and waits until the peer has read them (see conn.finish),
// for at most Config.CloseTimeout, after which what is left is dropped.
// Close then waits for all the goroutines the endpoint started. Against
// live peers it takes about a round trip; against a peer that stopped
// reading, CloseTimeout.
func (e *Endpoint) Close() error {
	e.mu.Lock()
	if e.closed {
		e.mu.Unlock()
		return nil
	}
	e.closed = true
	e.cancel()
	if e.reaper != nil {
		e.reaper.Stop()
	}
	conns := make([]*conn, 0, len(e.all))
	for c := range e.all {
		conns = append(conns, c)
	}
	e.mu.Unlock()
	e.closeListeners()
	var finishing sync.WaitGroup
	for _, c := range conns {
		finishing.Go(func() { c.finish(e.cfg.CloseTimeout) })
	}
	finishing.Wait()
	e.wg.Wait()
	e.refused.Stop()
	e.failed.Stop()
	e.dropped.Stop()
	e.events.closeAll()
	return nil
}

// Logger returns the endpoint's logger, for the handlers registered on it.
func (e *Endpoint) Logger() *slog.Logger { return e.log }
