package discovery

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/group/resolver"
	"github.com/gojxta/gojxta/jxta/group/srdi"
	"github.com/gojxta/gojxta/jxta/metrics"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// MaxResponses caps the advertisements one response carries, whatever
// threshold a query asks for (JXSE caps at 50).
const MaxResponses = 50

// HandlerName is the resolver handler of discovery in standard groups:
// the discovery service's class ID.
var HandlerName = jxta.DiscoveryClassID.String()

// wireRegistry reads the discovery documents peers send, leaving the
// sender's advertisement unread until it is needed (see
// protocol.NewLazyRegistry).
var wireRegistry = protocol.NewLazyRegistry()

// Service is one group's discovery service.
type Service struct {
	group jxta.GroupID
	res   *resolver.Service
	cache *cache.Cache
	index *srdi.Index // what edges hold, when this peer is a rendezvous
	// shared is what the other rendezvous's edges hold, as they share
	// it (share.go).
	shared *srdi.Shared
	self   selfAdv
	// signer signs this peer's own publications when they are sent;
	// ownSigned remembers what it signed.
	signer    advert.Signer
	ownSigned signMemo
	metrics   *metrics.Set
	// maxRemote caps the lifetime of what other peers send
	maxRemote time.Duration
	// queriers are the querier advertisements stored lately.
	queriers *recentAdvs
	// announced are the peers this peer's advertisement was sent to
	// lately (announce.go).
	announced *recentAdvs
	// toKeep and queriersToKeep wait to be kept (keep.go).
	keepMu         sync.Mutex
	toKeep         []cache.Publication
	queriersToKeep []querierAdv
	// waiting are the queries this rendezvous's index had no peer for
	// lately.
	waiting waitingQueries
	log     *slog.Logger
	now     func() time.Time

	ctx    context.Context
	cancel context.CancelFunc
	mu     sync.Mutex
	closed bool
	wg     sync.WaitGroup
}

// Config assembles a Service.
type Config struct {
	Group    jxta.GroupID
	Resolver *resolver.Service
	Cache    *cache.Cache
	// Self returns this peer's advertisement, sent in queries and
	// responses, signed by Signer.
	Self func() *advert.PeerAdv
	// Signer is this peer's identity, which signs what it sends.
	Signer advert.Signer
	// Metrics counts the advertisements received and dropped; nil counts
	// nothing.
	Metrics *metrics.Set
	Logger  *slog.Logger
	// Clock is the time source; default time.Now.
	Clock func() time.Time
	// MaxRemoteLifetime caps how long this peer keeps what other peers
	// send (answers, remote publications), whatever lifetime they ask
	// for; default DefaultMaxRemoteLifetime.
	MaxRemoteLifetime time.Duration
}

// DefaultMaxRemoteLifetime is the longest this peer keeps an
// advertisement another peer sent, by default: JXSE's default expiration
// of remote entries (protocol.DefaultExpiration, 2 hours). A sender that
// asks for more (a year, a century) gets this.
const DefaultMaxRemoteLifetime = protocol.DefaultExpiration

// New starts the discovery service of cfg.Group: it answers queries and
// accepts remote publications through cfg.Resolver.
func New(cfg Config) (*Service, error) {
	if cfg.Resolver == nil || cfg.Cache == nil || cfg.Self == nil || cfg.Signer == nil {
		return nil, errors.New("discovery: Config needs Resolver, Cache, Self and Signer")
	}
	s := &Service{group: cfg.Group, res: cfg.Resolver, cache: cfg.Cache, self: selfAdv{build: cfg.Self, signer: cfg.Signer},
		signer: cfg.Signer, metrics: cfg.Metrics, log: cfg.Logger, now: cfg.Clock,
		queriers: newRecentAdvs(advRefresh), announced: newRecentAdvs(advRefresh)}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.maxRemote = cfg.MaxRemoteLifetime
	if s.maxRemote <= 0 {
		s.maxRemote = DefaultMaxRemoteLifetime
	}
	s.index = srdi.NewIndex(0, s.now)
	s.shared = srdi.NewShared(0, s.now)
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.res.Handle(HandlerName, resolver.QueryHandlerFunc(s.answer))
	// A querier rarely talks to the peers that answer it afterwards: an
	// answer goes back the way the query came rather than over a new
	// connection.
	s.res.RespondAlongPath(HandlerName, true)
	s.res.HandleResponses(HandlerName, s.accept)
	s.res.HandleSRDI(HandlerName, s.acceptIndex)
	s.res.SetLegacyForm(HandlerName, legacyForm)
	return s, nil
}

// Close stops answering queries and pushing index entries. The cache
// stays open: it is the peer's.
func (s *Service) Close() error {
	s.res.Handle(HandlerName, nil)
	s.res.RespondAlongPath(HandlerName, false)
	s.res.HandleResponses(HandlerName, nil)
	s.res.HandleSRDI(HandlerName, nil)
	s.res.SetLegacyForm(HandlerName, nil)
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
	return nil
}

// track counts a background goroutine about to start, unless the service
// is closed.
func (s *Service) track() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.wg.Add(1)
	return true
}

// Publish stores a in the cache, durably, and pushes its index entries to
// this edge's rendezvous: while the publication is written to the disk,
// so that the rendezvous reads them meanwhile (a second push withdraws
// them if storing fails). Publish returns once the push is handed to the
// connection and the publication is durable, so that a query the
// rendezvous gets afterwards finds it. A zero lifetime or expiration means
// JXSE's defaults (365 days, 2 hours).
func (s *Service) Publish(a advert.Advertisement, lifetime, expiration time.Duration) error {
	if lifetime <= 0 {
		lifetime = protocol.DefaultLifetime
	}
	if expiration <= 0 {
		expiration = protocol.DefaultExpiration
	}
	pushed := make(chan struct{})
	if s.track() {
		go func() {
			defer s.wg.Done()
			defer close(pushed)
			s.pushDelta(a, min(lifetime, expiration))
		}()
	} else {
		close(pushed) // closed: nothing to push to
	}
	err := s.cache.Publish(s.group, a, lifetime, expiration)
	<-pushed
	if err != nil {
		s.pushDelta(a, 0)
		return err
	}
	return nil
}

// Flush removes a from the cache (and from this edge's rendezvous's
// index).
func (s *Service) Flush(a advert.Advertisement) error {
	if err := s.cache.Remove(s.group, cache.Key(a)); err != nil {
		return err
	}
	s.queriers.forget()
	s.pushDelta(a, 0)
	return nil
}

// Local searches the cache: advertisements of category cat whose index
// field attr matches value ('*' wildcards at either end; "" for all), at
// most threshold of them (10 when threshold <= 0).
func (s *Service) Local(cat advert.Category, attr, value string, threshold int) ([]cache.Entry, error) {
	return s.cache.Search(s.group, cat, attr, value, threshold)
}

// Result is an advertisement found by a remote query.
type Result struct {
	Adv        advert.Advertisement // the advertisement, verified
	Peer       jxta.PeerID          // the peer that answered
	Publisher  jxta.PeerID          // the peer that signed it (for an unverified one, the legacy peer that sent it)
	Expiration time.Duration        // how long it may be kept
	// Unverified marks an advertisement a legacy JXTA peer (JXSE, JXTA-C)
	// sent, unsigned: nothing proves who published it.
	Unverified bool

	signed *advert.SignedAdv
}

// resultBuffer is how many responses' worth of results (threshold each)
// a Remote channel holds for a caller that does not read them at once;
// more are dropped.
const resultBuffer = 4

// Remote asks peer for advertisements of category cat matching attr and
// value, at most threshold of them. A threshold of 0 asks a peer for its
// own peer advertisement only (with cat Peers; for other categories, and
// for a negative threshold, 10 is used). Results
// arrive on the channel as responses come in; it closes when ctx ends. The
// channel holds the results of a few responses for a caller that does
// not read at once; beyond them, results are dropped with a log line.
// Only advertisements signed by their publisher are results (and a peer
// advertisement only when signed by its peer); the others are dropped and
// counted. Each result is also stored in the cache with the expiration
// its sender gave (at most Config.MaxRemoteLifetime), a moment after it
// is handed over, as a remote entry (see cache.Publication.Signed). The query carries this peer's
// advertisement when peer (or, for the null ID, the group) has not had
// it in the last 30 minutes (see announce).
func (s *Service) Remote(ctx context.Context, peer jxta.PeerID, cat advert.Category, attr, value string, threshold int) (<-chan Result, error) {
	if threshold < 0 || threshold == 0 && cat != advert.Peers {
		threshold = protocol.DefaultThreshold
	}
	q := protocol.NewDiscoveryQuery(cat, attr, value)
	q.Threshold = threshold
	q.PeerAdvText = s.announce(peer, s.now())
	out := make(chan Result, resultBuffer*min(max(threshold, 1), MaxResponses))
	// Responses are read where they arrive, and their results handed
	// straight to the caller; keeping them in the cache waits a little.
	err := s.res.QueryFunc(ctx, peer, HandlerName, protocol.Flatten(q), func(r resolver.Response) {
		results, _ := s.results(r)
		for _, res := range results {
			select {
			case out <- res:
			default:
				s.log.Warn("discovery: result dropped, the caller is not reading", "peer", res.Peer)
			}
		}
		s.keep(results)
	}, func() { close(out) })
	if err != nil {
		if q.PeerAdvText != "" {
			s.announced.forgetPeer(peer)
		}
		return nil, fmt.Errorf("discovery: %w", err)
	}
	return out, nil
}

// Collect reads results until n have arrived (n <= 0: no limit) or the
// channel closes, and returns them.
func Collect(ch <-chan Result, n int) []Result {
	var out []Result
	for r := range ch {
		out = append(out, r)
		if n > 0 && len(out) >= n {
			break
		}
	}
	return out
}

// RemotePublish sends a, signed by this peer, to peer, which stores it for
// expiration (2 hours when zero, at most its Config.MaxRemoteLifetime):
// an unsolicited discovery response (query ID 0), as JXSE's
// remotePublish. The receiver keeps it as a remote entry of this peer's:
// not when it holds an advertisement of the same key of its own or from
// another publisher, nor beyond this peer's quota there.
func (s *Service) RemotePublish(ctx context.Context, peer jxta.PeerID, a advert.Advertisement, expiration time.Duration) error {
	if expiration <= 0 {
		expiration = protocol.DefaultExpiration
	}
	resp := &protocol.DiscoveryResponse{Type: advert.CategoryOf(a), PeerAdvText: s.self.flattened(s.now())}
	resp.Add(advert.Sign(a, s.signer), expiration)
	if err := s.res.Respond(ctx, peer, HandlerName, protocol.Flatten(resp)); err != nil {
		return fmt.Errorf("discovery: %w", err)
	}
	return nil
}

// answer is the resolver handler: it answers a discovery query from the
// cache and, on a rendezvous, forwards it to the peers its index names.
func (s *Service) answer(ctx context.Context, q *resolver.Query) (string, bool) {
	dq, err := protocol.UnflattenAs[*protocol.DiscoveryQuery](q.Body, wireRegistry)
	if err != nil {
		s.log.Warn("discovery: bad query dropped", "peer", q.Peer, "err", err)
		return "", false
	}
	s.forward(ctx, q, dq)
	s.keepQuerier(q.Source, dq)
	now := s.now()
	resp := &protocol.DiscoveryResponse{Type: dq.Type, Attr: dq.Attr, Value: dq.Value}
	if dq.Threshold == 0 && dq.Type == advert.Peers {
		// "Reply with your own peer advertisement only."
		self := s.self.flattened(now)
		resp.PeerAdvText = self
		resp.Responses = append(resp.Responses, protocol.Response{Raw: self, Expiration: protocol.DefaultExpiration})
		return protocol.Flatten(resp), true
	}
	entries, err := s.cache.Search(s.group, dq.Type, dq.Attr, dq.Value, min(dq.Threshold, MaxResponses))
	if err != nil {
		s.log.Warn("discovery: searching the cache", "err", err)
		return "", false
	}
	if len(entries) == 0 {
		return "", false // JXSE stays silent when it has nothing
	}
	legacy := s.res.IsLegacy(q.Source)
	for _, e := range entries {
		if e.Unverified && !legacy {
			continue // what a legacy peer said is no answer for a peer that checks signatures
		}
		resp.Responses = append(resp.Responses, protocol.Response{Raw: s.signedDoc(e), Expiration: e.RemoteExpiration(now)})
	}
	if len(resp.Responses) == 0 {
		return "", false
	}
	resp.PeerAdvText = s.announce(q.Source, now)
	return protocol.Flatten(resp), true
}

// accept reads a response that answers no query in flight. One whose
// query ID is 0 is a remote publication (RemotePublish): its
// advertisements are kept when every one is signed by the peer that sent
// it (the peer at the other end of the connection it came by); otherwise
// it is dropped whole. A response with another query ID answers a query
// that ended, or none this peer sent: it is dropped, unread, and counted
// once as unsolicited.
func (s *Service) accept(r resolver.Response) {
	if r.QueryID != 0 {
		s.metrics.AdvDropped(metrics.AdvUnsolicited, 1)
		s.log.Debug("discovery: response to no query in flight dropped", "peer", r.Peer, "query", r.QueryID)
		return
	}
	results, bad := s.results(r)
	for i, res := range results {
		if res.Publisher != r.Peer {
			s.dropped(r.Peer, fmt.Errorf("%w: a remote publication from %s signed by %s", errWrongSigner, r.Peer, res.Publisher))
			results = slices.Delete(results, i, i+1)
			bad++
			break
		}
	}
	if bad > 0 {
		// The others go with them, counted as unsolicited.
		s.metrics.AdvDropped(metrics.AdvUnsolicited, len(results))
		return
	}
	s.keep(results)
}

// results reads the advertisements of a response: those signed as
// checkSigned requires. The others are dropped and counted; bad is how
// many.
func (s *Service) results(r resolver.Response) (out []Result, bad int) {
	dr, err := protocol.UnflattenAs[*protocol.DiscoveryResponse](r.Body, wireRegistry)
	if err != nil {
		s.log.Warn("discovery: bad response dropped", "peer", r.Peer, "err", err)
		return nil, 1
	}
	for _, resp := range dr.Responses {
		if resp.Expiration <= 0 {
			continue
		}
		sa, err := checkSigned(resp.Adv, resp.Err)
		if errors.Is(err, errUnsigned) && s.res.IsLegacy(r.Peer) {
			// A legacy peer signs nothing: what it sends is kept as
			// unverified, and a peer advertisement only its own.
			if pa, ok := resp.Adv.(*advert.PeerAdv); ok && pa.PeerID != r.Peer {
				s.dropped(r.Peer, fmt.Errorf("%w: a legacy peer's document about %s", errWrongSigner, pa.PeerID))
				bad++
				continue
			}
			out = append(out, Result{Adv: resp.Adv, Peer: r.Peer, Publisher: r.Peer, Expiration: resp.Expiration, Unverified: true})
			continue
		}
		if err != nil {
			s.dropped(r.Peer, err)
			bad++
			continue
		}
		out = append(out, Result{Adv: sa.Adv, Peer: r.Peer, Publisher: sa.Publisher, Expiration: resp.Expiration, signed: sa})
	}
	return out, bad
}

// keep has results kept in the cache as remote entries, each with the
// expiration its sender gave as lifetime and expiration (at most
// Config.MaxRemoteLifetime), a little later (see keepLater): their
// senders have them.
func (s *Service) keep(results []Result) {
	if len(results) == 0 {
		return
	}
	pubs := make([]cache.Publication, len(results))
	for i, r := range results {
		life := min(r.Expiration, s.maxRemote)
		pubs[i] = cache.Publication{Signed: r.signed, Lifetime: life, Expiration: life}
		if r.Unverified {
			pubs[i] = cache.Publication{Adv: r.Adv, From: r.Publisher, Lifetime: life, Expiration: life}
		}
	}
	s.keepLater(pubs, nil)
}

// Keep stores sa, an advertisement received from another peer and signed
// by its publisher, as a remote entry for lifetime (at most
// Config.MaxRemoteLifetime), as the results of queries are kept: a peer
// advertisement only when signed by its peer, and not in place of an
// entry of this peer's own or of another publisher's. A rendezvous keeps
// its edges' advertisements this way (endpoint.Endpoint.SignedPeerAdv),
// to serve them with their own signatures.
func (s *Service) Keep(sa *advert.SignedAdv, lifetime time.Duration) error {
	if _, err := checkSigned(sa, nil); err != nil {
		return fmt.Errorf("discovery: %w", err)
	}
	life := min(lifetime, s.maxRemote)
	if life <= 0 {
		life = s.maxRemote
	}
	err := s.cache.Remember(s.group, []cache.Publication{{Signed: sa, Lifetime: life, Expiration: life}})
	if err != nil {
		return fmt.Errorf("discovery: %w", err)
	}
	return nil
}

// FlushCategory removes every advertisement of category cat from this
// group's part of the cache and returns how many went.
func (s *Service) FlushCategory(cat advert.Category) (int, error) {
	s.queriers.forget()
	return s.cache.Flush(s.group, cat)
}
