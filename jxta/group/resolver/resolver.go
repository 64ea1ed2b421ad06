package resolver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"runtime/debug"
	"sync"
	"sync/atomic"

	"github.com/gojxta/gojxta/internal/logsum"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/metrics"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// MaxHopCount bounds the hop count a query may carry; queries beyond it
// (or with a negative count) are dropped.
const MaxHopCount = 200

// maxConcurrentQueries bounds the queries being processed at once, and
// maxQueriesPerPeer those that arrived from one peer: a peer that floods
// queries gets its share of the work and no more, and the others' queries
// still find room. Queries beyond either bound are dropped (counted, and
// summarised in the log).
const (
	maxConcurrentQueries = 64
	maxQueriesPerPeer    = maxConcurrentQueries / 4
)

// Query is a query delivered to a handler.
type Query struct {
	Handler  string      // the handler name
	ID       int64       // the query ID, echoed in responses
	Source   jxta.PeerID // the querier
	HopCount int
	// Body is the query document, flattened: decode it with
	// protocol.Unflatten.
	Body string
	// Peer is the peer the query arrived from (the querier, or a
	// rendezvous that forwarded it).
	Peer jxta.PeerID
	// Route is the querier's route (its addresses), or nil; Forward
	// passes it on so that the peers a query is forwarded to can answer
	// the querier directly.
	Route *advert.RouteAdv
}

// QueryHandler answers queries for one handler name. ProcessQuery runs on
// its own goroutine; it returns the flattened response document and true
// to answer, or false to stay silent (a query it has no answer for).
type QueryHandler interface {
	ProcessQuery(ctx context.Context, q *Query) (response string, ok bool)
}

// QueryHandlerFunc adapts a function to QueryHandler.
type QueryHandlerFunc func(ctx context.Context, q *Query) (string, bool)

// ProcessQuery calls f.
func (f QueryHandlerFunc) ProcessQuery(ctx context.Context, q *Query) (string, bool) {
	return f(ctx, q)
}

// Response is a response to a query.
type Response struct {
	Peer jxta.PeerID // the responder
	// Body is the response document, flattened.
	Body string
	// QueryID is the ID of the query answered: 0 for an unsolicited
	// response (Respond).
	QueryID int64
}

// Service is one group's resolver.
type Service struct {
	ep        *endpoint.Endpoint
	group     jxta.GroupID
	name      string // the endpoint service name: the resolver's class ID
	oRes      string // "<group>ORes"
	iRes      string // "<group>IRes"
	srdiParam string // "<group>Srdi"
	log       *slog.Logger
	metrics   *metrics.Set // the endpoint's; nil counts nothing
	nextID    atomic.Int64
	paths     returnPaths // of the queries this peer forwarded (relay.go)

	mu        sync.Mutex
	handlers  map[string]QueryHandler
	responses map[string]func(Response)
	srdi      map[string]SRDIHandler
	alongPath []string // handlers whose responses go back along the path
	// legacyForm rewrites, per handler, a response going to a legacy JXTA
	// peer into what it reads (SetLegacyForm).
	legacyForm map[string]func(body string) string
	pending    map[int64]*pendingQuery
	rdv        Rendezvous
	prospects  Prospects
	closed     bool
	// gate admits the peers whose messages the resolver reads (a password
	// group's members); nil admits everyone.
	gate endpoint.Gate

	slots    chan struct{}
	inflight map[jxta.PeerID]int // queries in progress per peer they came from; under mu
	// overload and malformed summarise the log lines of dropped queries.
	overload  *logsum.Summary
	malformed *logsum.Summary
	ctx       context.Context
	cancel    context.CancelFunc
	wg        sync.WaitGroup
}

// ErrClosed is returned by a closed Service.
var ErrClosed = errors.New("resolver closed")

// New starts the resolver of group on ep. log may be nil.
func New(ep *endpoint.Endpoint, group jxta.GroupID, log *slog.Logger) *Service {
	return NewGated(ep, group, nil, log)
}

// NewGated starts the resolver of group on ep behind gate: it reads
// queries, responses and index pushes only from the peers gate admits,
// and sends nothing while gate is not ready (this peer has not joined).
// A nil gate admits everyone, as New.
func NewGated(ep *endpoint.Endpoint, group jxta.GroupID, gate endpoint.Gate, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	u := group.Unique()
	s := &Service{
		ep: ep, group: group, name: jxta.ResolverClassID.String(),
		oRes: u + "ORes", iRes: u + "IRes", srdiParam: u + "Srdi", log: log, metrics: ep.Metrics(),
		handlers:   make(map[string]QueryHandler),
		responses:  make(map[string]func(Response)),
		srdi:       make(map[string]SRDIHandler),
		pending:    make(map[int64]*pendingQuery),
		slots:      make(chan struct{}, maxConcurrentQueries),
		inflight:   make(map[jxta.PeerID]int),
		legacyForm: make(map[string]func(string) string),
		overload:   logsum.New(log, slog.LevelWarn, "resolver: too many queries in progress; queries dropped", 0),
		malformed:  logsum.New(log, slog.LevelWarn, "resolver: bad messages dropped", 0),
		gate:       gate,
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.nextID.Store(rand.Int64N(1 << 30)) // so that a restarted peer does not reuse recent IDs
	ep.HandleFunc(s.name, s.oRes, endpoint.Gated(gate, s.serveQuery))
	ep.HandleFunc(s.name, s.iRes, endpoint.Gated(gate, s.serveResponse))
	ep.HandleFunc(s.name, s.srdiParam, endpoint.Gated(gate, s.serveSRDI))
	return s
}

// Group returns the group the resolver serves.
func (s *Service) Group() jxta.GroupID { return s.group }

// Handle registers h for queries to the handler name; nil removes it.
func (s *Service) Handle(name string, h QueryHandler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if h == nil {
		delete(s.handlers, name)
		return
	}
	s.handlers[name] = h
}

// HandleResponses registers f for responses to the handler name that
// answer no pending query: JXTA's remote publication sends a discovery
// response nobody asked for. f runs on the endpoint's reader and must not
// block. nil removes the registration.
func (s *Service) HandleResponses(name string, f func(Response)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == nil {
		delete(s.responses, name)
		return
	}
	s.responses[name] = f
}

// Respond sends an unsolicited response for handler to peer (query ID 0),
// as JXTA's remote publication does.
func (s *Service) Respond(ctx context.Context, peer jxta.PeerID, handler, body string) error {
	r := &protocol.ResolverResponse{HandlerName: handler, Response: body}
	return s.send(ctx, peer, s.iRes, s.forPeer(peer, advert.Marshal(r)))
}

// Query sends a query for handler to peer and returns a channel of the
// responses, which is closed when ctx ends. The body is a flattened
// document (see protocol.Flatten). A null peer (jxta.PeerID{}) sends the
// query to the group: see QueryGroup. Responses that find the channel
// full (16 waiting) are dropped with a log line.
func (s *Service) Query(ctx context.Context, peer jxta.PeerID, handler, body string) (<-chan Response, error) {
	ch := make(chan Response, 16)
	err := s.QueryFunc(ctx, peer, handler, body, func(r Response) {
		select {
		case ch <- r:
		default:
			s.log.Warn("resolver: response dropped, the querier is not reading", "peer", r.Peer)
		}
	}, func() { close(ch) })
	if err != nil {
		return nil, err
	}
	return ch, nil
}

// QueryFunc sends a query as Query does, and calls f with each response
// on the goroutine that received it (so f must not block), one at a time,
// until ctx ends or the service closes; then it calls done, if not nil,
// once f has returned for the last time. It saves Query's hand-over of
// each response to another goroutine.
func (s *Service) QueryFunc(ctx context.Context, peer jxta.PeerID, handler, body string, f func(Response), done func()) error {
	if err := s.ready(); err != nil {
		return err
	}
	id := s.nextID.Add(1) & 0x7fffffff // JXSE reads query IDs as 32-bit ints
	p := &pendingQuery{f: f}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return ErrClosed
	}
	s.pending[id] = p
	s.wg.Add(1)
	s.mu.Unlock()
	end := func() { s.endQuery(id, p, done) }
	q := &protocol.ResolverQuery{HandlerName: handler, QueryID: id, SrcPeerID: s.ep.ID(), SrcPeerRoute: s.route(), Query: body}
	if err := s.sendQuery(ctx, peer, q); err != nil {
		end()
		return err
	}
	s.metrics.QuerySent()
	stops := []func() bool{context.AfterFunc(ctx, end), context.AfterFunc(s.ctx, end)}
	p.mu.Lock()
	ended := p.ended
	p.stops = stops
	p.mu.Unlock()
	if ended {
		for _, stop := range stops {
			stop()
		}
	}
	return nil
}

// pendingQuery is a query waiting for responses.
type pendingQuery struct {
	mu    sync.Mutex // held while f runs
	f     func(Response)
	ended bool
	stops []func() bool // what ends it: its context, and the service's
}

// deliver calls f with r, unless the query ended.
func (p *pendingQuery) deliver(r Response) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.ended {
		p.f(r)
	}
}

// endQuery ends the query id, once: its function is called no more (after
// a call under way returns), it leaves the pending queries, and done runs.
func (s *Service) endQuery(id int64, p *pendingQuery, done func()) {
	p.mu.Lock()
	if p.ended {
		p.mu.Unlock()
		return
	}
	p.ended = true
	stops := p.stops
	p.mu.Unlock()
	for _, stop := range stops {
		stop()
	}
	s.mu.Lock()
	if s.pending[id] == p {
		delete(s.pending, id)
	}
	s.mu.Unlock()
	if done != nil {
		done()
	}
	s.wg.Done()
}

// IsLegacy reports whether peer is a legacy JXTA peer (JXSE, JXTA-C),
// connected in the clear, whose documents are unsigned.
func (s *Service) IsLegacy(peer jxta.PeerID) bool { return s.ep.IsLegacy(peer) }

// LegacyPeers returns the legacy JXTA peers this peer is connected with.
func (s *Service) LegacyPeers() []jxta.PeerID { return s.ep.LegacyPeers() }

// SetLegacyForm has the responses for handler name that go to a legacy
// JXTA peer rewritten by f first (discovery sends them plain documents
// rather than signed ones); nil removes it.
func (s *Service) SetLegacyForm(name string, f func(body string) string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if f == nil {
		delete(s.legacyForm, name)
		return
	}
	s.legacyForm[name] = f
}

// forPeer returns the response document doc as it goes to peer: for a
// legacy peer, rewritten by its handler's legacy form.
func (s *Service) forPeer(peer jxta.PeerID, doc []byte) []byte {
	if !s.ep.IsLegacy(peer) {
		return doc
	}
	r, err := protocol.ParseAs[*protocol.ResolverResponse](doc)
	if err != nil {
		return doc
	}
	s.mu.Lock()
	f := s.legacyForm[r.HandlerName]
	s.mu.Unlock()
	if f == nil {
		return doc
	}
	r.Response = f(r.Response)
	return advert.Marshal(r)
}

// ready returns why this peer may not send in the group, or nil.
func (s *Service) ready() error {
	if s.gate == nil {
		return nil
	}
	if err := s.gate.Ready(); err != nil {
		return fmt.Errorf("resolver: %w", err)
	}
	return nil
}

func (s *Service) send(ctx context.Context, peer jxta.PeerID, param string, doc []byte) error {
	if err := s.ready(); err != nil {
		return err
	}
	m := jxta.NewMessage()
	m.AddXML(jxta.NamespaceJXTA, param, doc)
	return s.ep.SendTo(ctx, peer, s.name, param, m)
}

// serveQuery reads a query and runs its handler on a goroutine of its own.
func (s *Service) serveQuery(in *endpoint.Incoming) {
	// The peer's share is taken first, so that a flood beyond it costs
	// no parsing.
	if !s.takeShare(in.Peer) {
		s.overload.Event("peer", in.Peer)
		s.metrics.QueryDropped(metrics.QueryOverload)
		return
	}
	started := false
	defer func() {
		if !started {
			s.releaseShare(in.Peer)
		}
	}()
	el, ok := in.Message.Get(jxta.NamespaceJXTA, s.oRes)
	if !ok {
		s.malformed.Event("peer", in.Peer, "err", "no query element")
		s.metrics.QueryDropped(metrics.QueryMalformed)
		return
	}
	q, err := protocol.ParseAs[*protocol.ResolverQuery](el.Data)
	if err != nil {
		s.malformed.Event("peer", in.Peer, "err", err)
		s.metrics.QueryDropped(metrics.QueryMalformed)
		return
	}
	if q.HopCount < 0 || q.HopCount > MaxHopCount {
		s.malformed.Event("peer", in.Peer, "err", "bad hop count", "hops", q.HopCount)
		s.metrics.QueryDropped(metrics.QueryHopCount)
		return
	}
	src := q.Source()
	if src.IsNull() {
		src = in.Peer
	}
	if src == s.ep.ID() && in.Peer != s.ep.ID() {
		s.log.Debug("resolver: own query came back; dropped", "peer", in.Peer)
		s.metrics.QueryDropped(metrics.QueryOwn)
		return
	}
	s.mu.Lock()
	h := s.handlers[q.HandlerName]
	closed := s.closed
	if h != nil && !closed {
		s.wg.Add(1)
	}
	s.mu.Unlock()
	if h == nil || closed {
		s.log.Debug("resolver: no handler", "handler", q.HandlerName, "peer", in.Peer)
		s.metrics.QueryDropped(metrics.QueryNoHandler)
		return
	}
	started = true
	go func() {
		defer s.wg.Done()
		defer s.releaseShare(in.Peer)
		_ = growStack()
		s.answer(h, q, &Query{Handler: q.HandlerName, ID: q.QueryID, Source: src, HopCount: q.HopCount, Body: q.Query, Peer: in.Peer, Route: q.SrcPeerRoute})
	}()
}

// takeShare takes a slot for a query from peer: one of the
// maxConcurrentQueries, and one of peer's maxQueriesPerPeer. It reports
// false when either is exhausted.
func (s *Service) takeShare(peer jxta.PeerID) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inflight[peer] >= maxQueriesPerPeer {
		return false
	}
	select {
	case s.slots <- struct{}{}:
	default:
		return false
	}
	s.inflight[peer]++
	return true
}

// releaseShare gives back a slot takeShare took.
func (s *Service) releaseShare(peer jxta.PeerID) {
	s.mu.Lock()
	defer s.mu.Unlock()
	<-s.slots
	if s.inflight[peer]--; s.inflight[peer] <= 0 {
		delete(s.inflight, peer)
	}
}

func (s *Service) answer(h QueryHandler, rq *protocol.ResolverQuery, q *Query) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Error("resolver: handler panicked", "handler", q.Handler, "panic", r, "stack", string(debug.Stack()))
		}
	}()
	body, ok := h.ProcessQuery(s.ctx, q)
	if !ok {
		return
	}
	doc := advert.Marshal(rq.MakeResponse(body))
	if s.respondBack(s.ctx, q, doc) {
		s.metrics.QueryAnswered()
		return
	}
	s.learnRoute(q.Source, q.Route)
	if err := s.send(s.ctx, q.Source, s.iRes, s.forPeer(q.Source, doc)); err != nil {
		s.log.Warn("resolver: sending a response", "handler", q.Handler, "to", q.Source, "err", err)
		return
	}
	s.metrics.QueryAnswered()
}

// serveResponse hands a response to the query waiting for it, or, for a
// relayed one, see serveRelayed.
func (s *Service) serveResponse(in *endpoint.Incoming) {
	el, ok := in.Message.Get(jxta.NamespaceJXTA, s.iRes)
	if !ok {
		s.malformed.Event("peer", in.Peer, "err", "no response element")
		return
	}
	if to, ok := in.Message.String(jxta.NamespaceJXTA, relayToElement); ok {
		s.serveRelayed(in, el.Data, to)
		return
	}
	s.deliverResponse(in, el.Data, in.Peer, false)
}

// deliverResponse reads the response document doc, from the responder
// from, and hands it to the query waiting for it. A response to no
// pending query goes to the handler of HandleResponses, unless it was
// relayed.
func (s *Service) deliverResponse(in *endpoint.Incoming, doc []byte, from jxta.PeerID, relayed bool) {
	r, err := protocol.ParseAs[*protocol.ResolverResponse](doc)
	if err != nil {
		s.malformed.Event("peer", in.Peer, "err", fmt.Errorf("bad response: %w", err))
		return
	}
	resp := Response{Peer: from, Body: r.Response, QueryID: r.QueryID}
	s.mu.Lock()
	p := s.pending[r.QueryID]
	f := s.responses[r.HandlerName]
	s.mu.Unlock()
	if p != nil {
		p.deliver(resp)
		return
	}
	if f == nil || relayed {
		s.log.Debug("resolver: response to no pending query", "id", r.QueryID, "peer", in.Peer)
		return
	}
	f(resp)
}

// Close stops the resolver: it unregisters from the endpoint, ends the
// pending queries and waits for running handlers.
func (s *Service) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()
	s.ep.Handle(s.name, s.oRes, nil)
	s.ep.Handle(s.name, s.iRes, nil)
	s.ep.Handle(s.name, s.srdiParam, nil)
	s.cancel()
	s.wg.Wait()
	s.overload.Stop()
	s.malformed.Stop()
	return nil
}

// String describes the service.
func (s *Service) String() string { return fmt.Sprintf("resolver of %s", s.group) }
