package metrics

import (
	"slices"
	"sync"
	"sync/atomic"

	"github.com/prometheus/client_golang/prometheus"
)

// Label values of the direction label: who opened a connection or stream.
const (
	Inbound  = "inbound"
	Outbound = "outbound"
)

// Reasons a connection failed (jxta_endpoint_connections_failed_total).
const (
	ConnDial      = "dial"      // the transport could not reach the address
	ConnHandshake = "handshake" // the handshake failed (see the handshake reasons)
	ConnOverload  = "overload"  // refused: too many connections in their handshake
)

// Reasons a handshake failed (jxta_endpoint_handshake_failures_total).
const (
	HandshakeWelcome  = "welcome"     // the welcome lines could not be exchanged, or were malformed
	HandshakeTimeout  = "timeout"     // the handshake timeout passed
	HandshakeLegacy   = "legacy_peer" // a JXSE or JXTA-C peer, whose framing gojxta does not speak yet
	HandshakeSelf     = "self"        // the connection reached this peer
	HandshakeTLS      = "tls"         // the TLS handshake failed
	HandshakeIdentity = "identity"    // the peer could not prove the key of its ID, or was not the one dialled
	HandshakeMux      = "mux"         // the multiplexer session or the message stream failed
	HandshakeIdentify = "identify"    // the peer advertisement was missing, bad, or another peer's
	HandshakeClosed   = "closed"      // the endpoint closed, or the connection did, during the handshake
)

// Reasons a resolver query was dropped
// (jxta_resolver_queries_dropped_total).
const (
	QueryMalformed = "malformed"  // no query element, or a bad document
	QueryHopCount  = "hop_count"  // a hop count out of range
	QueryOwn       = "own_query"  // this peer's own query, come back
	QueryNoHandler = "no_handler" // no handler of that name, or the resolver closed
	QueryOverload  = "overload"   // too many queries in progress
)

// Reasons a received advertisement was dropped by discovery
// (jxta_discovery_advertisements_dropped_total).
const (
	AdvUnsigned       = "unsigned"        // not a signed advertisement (jxta:SA), or unreadable
	AdvBadSignature   = "bad_signature"   // a jxta:SA whose key or signature does not hold
	AdvWrongSigner    = "wrong_signer"    // signed by another peer than the one it must be (a peer advertisement's own, a remote publisher)
	AdvNotReplaceable = "not_replaceable" // its key is held as this peer's own, or as another publisher's
	AdvQuota          = "quota"           // its publisher has its quota of entries in the group, or the group is full of own entries
	AdvUnsolicited    = "unsolicited"     // in a response to no query in flight
)

// Service label values that are not service names.
const (
	UnknownService = "unknown" // received for a service with no handler
	OtherService   = "other"   // beyond MaxServices distinct services
)

// MaxServices bounds the distinct values of the service label.
const MaxServices = 128

// Set is the metrics of one peer. Counting is a few atomic additions on
// counters of its own; the Prometheus registry that exposes them is made
// on the first call to Registry or Snapshot, so that a peer nobody
// scrapes (most of the peers of a process that runs many) pays for no
// Prometheus objects. The zero value is not usable: call New. A nil *Set
// does nothing.
type Set struct {
	connsIn, connsOut     atomic.Uint64
	streamsIn, streamsOut atomic.Uint64
	queriesSent           atomic.Uint64
	queriesAnswered       atomic.Uint64
	connsFailed           family
	handshakeFailed       family
	queriesDropped        family
	advsDropped           family
	endpointFn            atomic.Pointer[func() EndpointGauges]
	groupsFn              atomic.Pointer[func() []Group]
	servicesMu            sync.Mutex                          // serializes additions to services
	services              atomic.Pointer[map[string]*Service] // copied on write: lock-free reads
	unknown, other        Service

	regOnce sync.Once
	reg     *prometheus.Registry
}

// family is the counters of one metric with one label, by label value.
// The values given when it is made are shown (as 0) before they count.
type family struct {
	mu     sync.Mutex
	counts map[string]*atomic.Uint64
}

// init makes the counters of values.
func (f *family) init(values ...string) {
	f.counts = make(map[string]*atomic.Uint64, len(values))
	for _, v := range values {
		f.counts[v] = new(atomic.Uint64)
	}
}

// add adds n to the counter of value.
func (f *family) add(value string, n uint64) {
	f.mu.Lock()
	c := f.counts[value]
	if c == nil {
		c = new(atomic.Uint64)
		f.counts[value] = c
	}
	f.mu.Unlock()
	c.Add(n)
}

// collect sends a series per value (the registry sorts them); the
// counting paths are not held up while the registry reads them.
func (f *family) collect(ch chan<- prometheus.Metric, d *prometheus.Desc) {
	f.mu.Lock()
	series := make([]prometheus.Metric, 0, len(f.counts))
	for v, n := range f.counts {
		series = append(series, prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(n.Load()), v))
	}
	f.mu.Unlock()
	for _, m := range series {
		ch <- m
	}
}

// EndpointGauges are the endpoint's figures read at scrape time.
type EndpointGauges struct {
	Connections int // live connections, one per peer
	Streams     int // open pipe streams (the message streams not counted)
}

// Group is one group's figures read at scrape time.
type Group struct {
	ID, Name      string
	Role          string // the rendezvous role: edge, rendezvous or ad-hoc
	CacheEntries  int    // entries of the group's discovery cache
	LeasesHeld    int    // edge: leases held with a rendezvous (0 or 1)
	LeasesGranted int    // rendezvous: leases granted to edges
}

// The metrics' descriptions, shared by every Set (a Desc is immutable).
var (
	groupLabels     = []string{"group", "group_name"}
	connsOpenedDesc = prometheus.NewDesc("jxta_endpoint_connections_opened_total",
		"Connections that completed their handshake, by who dialed.", []string{"direction"}, nil)
	connsFailedDesc = prometheus.NewDesc("jxta_endpoint_connections_failed_total",
		"Connections that failed before they were up, by reason.", []string{"reason"}, nil)
	handshakeFailedDesc = prometheus.NewDesc("jxta_endpoint_handshake_failures_total",
		"Handshakes that failed, by reason.", []string{"reason"}, nil)
	streamsOpenedDesc = prometheus.NewDesc("jxta_endpoint_streams_opened_total",
		"Pipe streams opened on connections, by who opened them.", []string{"direction"}, nil)
	msgsInDesc = prometheus.NewDesc("jxta_endpoint_messages_received_total",
		"Messages received from other peers, by endpoint service.", []string{"service"}, nil)
	msgsOutDesc = prometheus.NewDesc("jxta_endpoint_messages_sent_total",
		"Messages sent to other peers (written or queued), by endpoint service.", []string{"service"}, nil)
	bytesInDesc = prometheus.NewDesc("jxta_endpoint_received_bytes_total",
		"Bytes of the messages received, as encoded on the wire without framing, by endpoint service.", []string{"service"}, nil)
	bytesOutDesc = prometheus.NewDesc("jxta_endpoint_sent_bytes_total",
		"Bytes of the messages sent, as encoded on the wire without framing, by endpoint service.", []string{"service"}, nil)
	queriesSentDesc = prometheus.NewDesc("jxta_resolver_queries_sent_total",
		"Resolver queries this peer sent (to a peer or to the group), all groups.", nil, nil)
	queriesAnsweredDesc = prometheus.NewDesc("jxta_resolver_queries_answered_total",
		"Resolver queries this peer answered, all groups.", nil, nil)
	queriesDroppedDesc = prometheus.NewDesc("jxta_resolver_queries_dropped_total",
		"Resolver queries received and dropped, by reason, all groups.", []string{"reason"}, nil)
	advsDroppedDesc = prometheus.NewDesc("jxta_discovery_advertisements_dropped_total",
		"Advertisements received by discovery (responses, remote publications, queriers' advertisements) and dropped, by reason, all groups.", []string{"reason"}, nil)
	connsOpenDesc = prometheus.NewDesc("jxta_endpoint_connections_open",
		"Live connections, one per peer.", nil, nil)
	streamsOpenDesc = prometheus.NewDesc("jxta_endpoint_streams_open",
		"Open pipe streams on the live connections.", nil, nil)
	cacheDesc = prometheus.NewDesc("jxta_discovery_cache_entries",
		"Advertisements in the group's discovery cache.", groupLabels, nil)
	leasesDesc = prometheus.NewDesc("jxta_rendezvous_leases",
		"Rendezvous leases this peer holds (edge) or granted (rendezvous) in the group.", append(slices.Clone(groupLabels), "lease"), nil)
	roleDesc = prometheus.NewDesc("jxta_rendezvous_role",
		"The peer's rendezvous role in the group: 1 for its role, 0 for the others.", append(slices.Clone(groupLabels), "role"), nil)
)

// New returns a Set with every counter at zero.
func New() *Set {
	s := new(Set)
	s.connsFailed.init(ConnDial, ConnHandshake, ConnOverload)
	s.handshakeFailed.init(HandshakeWelcome, HandshakeTimeout, HandshakeLegacy, HandshakeSelf, HandshakeTLS, HandshakeIdentity, HandshakeMux, HandshakeIdentify, HandshakeClosed)
	s.queriesDropped.init(QueryMalformed, QueryHopCount, QueryOwn, QueryNoHandler, QueryOverload)
	s.advsDropped.init(AdvUnsigned, AdvBadSignature, AdvWrongSigner, AdvNotReplaceable, AdvQuota, AdvUnsolicited)
	m := make(map[string]*Service)
	s.services.Store(&m)
	return s
}

// Registry returns the registry of the set (made on the first call), for
// adding collectors (the Go runtime's, say) or serving it.
func (s *Set) Registry() *prometheus.Registry {
	if s == nil {
		return nil
	}
	s.regOnce.Do(func() {
		s.reg = prometheus.NewRegistry()
		s.reg.MustRegister(collector{s})
	})
	return s.reg
}

// ObserveEndpoint makes f the source of the endpoint's gauges, read at
// each scrape; f must be quick and safe to call from any goroutine.
func (s *Set) ObserveEndpoint(f func() EndpointGauges) {
	if s != nil {
		s.endpointFn.Store(&f)
	}
}

// ObserveGroups makes f the source of the per-group gauges, read at each
// scrape.
func (s *Set) ObserveGroups(f func() []Group) {
	if s != nil {
		s.groupsFn.Store(&f)
	}
}

// ConnOpened counts a connection that completed its handshake.
func (s *Set) ConnOpened(outbound bool) {
	switch {
	case s == nil:
	case outbound:
		s.connsOut.Add(1)
	default:
		s.connsIn.Add(1)
	}
}

// ConnFailed counts a connection that failed, for one of the Conn
// reasons.
func (s *Set) ConnFailed(reason string) {
	if s != nil {
		s.connsFailed.add(reason, 1)
	}
}

// HandshakeFailed counts a failed handshake, for one of the Handshake
// reasons.
func (s *Set) HandshakeFailed(reason string) {
	if s != nil {
		s.handshakeFailed.add(reason, 1)
	}
}

// StreamOpened counts a pipe stream opened by this peer (outbound) or by
// the other (inbound).
func (s *Set) StreamOpened(outbound bool) {
	switch {
	case s == nil:
	case outbound:
		s.streamsOut.Add(1)
	default:
		s.streamsIn.Add(1)
	}
}

// QuerySent counts a resolver query this peer sent.
func (s *Set) QuerySent() {
	if s != nil {
		s.queriesSent.Add(1)
	}
}

// QueryAnswered counts a resolver query this peer answered.
func (s *Set) QueryAnswered() {
	if s != nil {
		s.queriesAnswered.Add(1)
	}
}

// QueryDropped counts a received query dropped for one of the Query
// reasons.
func (s *Set) QueryDropped(reason string) {
	if s != nil {
		s.queriesDropped.add(reason, 1)
	}
}

// AdvDropped counts n received advertisements that discovery dropped for
// one of the Adv reasons.
func (s *Set) AdvDropped(reason string, n int) {
	if s != nil && n > 0 {
		s.advsDropped.add(reason, uint64(n))
	}
}

// Service returns the traffic counters of an endpoint service, to be kept
// by the caller (a handler's registration, say) so that counting a message
// costs no lookup. Beyond MaxServices distinct names it returns the
// counters of "other". It returns nil, which counts nothing, on a nil Set.
func (s *Set) Service(name string) *Service {
	if s == nil {
		return nil
	}
	if sv := (*s.services.Load())[name]; sv != nil {
		return sv
	}
	s.servicesMu.Lock()
	defer s.servicesMu.Unlock()
	old := *s.services.Load()
	if sv := old[name]; sv != nil {
		return sv
	}
	if len(old) >= MaxServices {
		return &s.other
	}
	sv := new(Service)
	m := make(map[string]*Service, len(old)+1)
	for k, v := range old {
		m[k] = v
	}
	m[name] = sv
	s.services.Store(&m)
	return sv
}

// Unknown returns the counters of messages received for no handler.
func (s *Set) Unknown() *Service {
	if s == nil {
		return nil
	}
	return &s.unknown
}

// Service counts the traffic of one endpoint service. A nil *Service
// counts nothing.
type Service struct {
	msgsIn, bytesIn, msgsOut, bytesOut atomic.Uint64
}

// Received counts a message of n bytes received for the service.
func (v *Service) Received(n int) {
	if v != nil {
		v.msgsIn.Add(1)
		v.bytesIn.Add(uint64(n))
	}
}

// Sent counts a message of n bytes sent to the service.
func (v *Service) Sent(n int) {
	if v != nil {
		v.msgsOut.Add(1)
		v.bytesOut.Add(uint64(n))
	}
}

// collector exposes a Set to Prometheus: its counters as they stand, and
// the gauges read at scrape time.
type collector struct{ s *Set }

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{
		connsOpenedDesc, connsFailedDesc, handshakeFailedDesc, streamsOpenedDesc,
		msgsInDesc, msgsOutDesc, bytesInDesc, bytesOutDesc,
		queriesSentDesc, queriesAnsweredDesc, queriesDroppedDesc, advsDroppedDesc,
		connsOpenDesc, streamsOpenDesc, cacheDesc, leasesDesc, roleDesc,
	} {
		ch <- d
	}
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	s := c.s
	count := func(d *prometheus.Desc, v *atomic.Uint64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.CounterValue, float64(v.Load()), labels...)
	}
	count(connsOpenedDesc, &s.connsIn, Inbound)
	count(connsOpenedDesc, &s.connsOut, Outbound)
	count(streamsOpenedDesc, &s.streamsIn, Inbound)
	count(streamsOpenedDesc, &s.streamsOut, Outbound)
	count(queriesSentDesc, &s.queriesSent)
	count(queriesAnsweredDesc, &s.queriesAnswered)
	s.connsFailed.collect(ch, connsFailedDesc)
	s.handshakeFailed.collect(ch, handshakeFailedDesc)
	s.queriesDropped.collect(ch, queriesDroppedDesc)
	s.advsDropped.collect(ch, advsDroppedDesc)
	services := map[string]*Service{UnknownService: &s.unknown, OtherService: &s.other}
	for name, sv := range *s.services.Load() {
		services[name] = sv
	}
	for name, sv := range services {
		count(msgsInDesc, &sv.msgsIn, name)
		count(bytesInDesc, &sv.bytesIn, name)
		count(msgsOutDesc, &sv.msgsOut, name)
		count(bytesOutDesc, &sv.bytesOut, name)
	}

	var eg EndpointGauges
	if f := s.endpointFn.Load(); f != nil {
		eg = (*f)()
	}
	ch <- prometheus.MustNewConstMetric(connsOpenDesc, prometheus.GaugeValue, float64(eg.Connections))
	ch <- prometheus.MustNewConstMetric(streamsOpenDesc, prometheus.GaugeValue, float64(eg.Streams))
	f := s.groupsFn.Load()
	if f == nil {
		return
	}
	seen := make(map[string]bool)
	for _, g := range (*f)() {
		if seen[g.ID] { // a registry refuses a series twice
			continue
		}
		seen[g.ID] = true
		ch <- prometheus.MustNewConstMetric(cacheDesc, prometheus.GaugeValue, float64(g.CacheEntries), g.ID, g.Name)
		ch <- prometheus.MustNewConstMetric(leasesDesc, prometheus.GaugeValue, float64(g.LeasesHeld), g.ID, g.Name, "held")
		ch <- prometheus.MustNewConstMetric(leasesDesc, prometheus.GaugeValue, float64(g.LeasesGranted), g.ID, g.Name, "granted")
		for _, r := range []string{"edge", "rendezvous", "ad-hoc"} {
			v := 0.0
			if r == g.Role {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(roleDesc, prometheus.GaugeValue, v, g.ID, g.Name, r)
		}
	}
}
