package metrics

import (
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

// Set is the metrics of one peer, registered in a registry of its own.
// The zero value is not usable: call New. A nil *Set does nothing.
type Set struct {
	reg *prometheus.Registry

	connsOpened                        *prometheus.CounterVec
	connsIn, connsOut                  prometheus.Counter
	connsFailed, handshakeFailed       *prometheus.CounterVec
	streamsOpened                      *prometheus.CounterVec
	streamsIn, streamsOut              prometheus.Counter
	msgsIn, msgsOut, bytesIn, bytesOut *prometheus.CounterVec
	queriesSent, queriesAnswered       prometheus.Counter
	queriesDropped                     *prometheus.CounterVec
	advsDropped                        *prometheus.CounterVec
	connsOpenDesc, streamsOpenDesc     *prometheus.Desc
	cacheDesc, leasesDesc, roleDesc    *prometheus.Desc
	endpointFn                         atomic.Pointer[func() EndpointGauges]
	groupsFn                           atomic.Pointer[func() []Group]
	servicesMu                         sync.Mutex                          // serializes additions to services
	services                           atomic.Pointer[map[string]*Service] // copied on write: lock-free reads
	unknown, other                     *Service
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

// New returns a Set with every metric registered in a new registry.
func New() *Set {
	s := &Set{reg: prometheus.NewRegistry()}
	counterVec := func(name, help string, label string) *prometheus.CounterVec {
		v := prometheus.NewCounterVec(prometheus.CounterOpts{Name: name, Help: help}, []string{label})
		s.reg.MustRegister(v)
		return v
	}
	counter := func(name, help string) prometheus.Counter {
		c := prometheus.NewCounter(prometheus.CounterOpts{Name: name, Help: help})
		s.reg.MustRegister(c)
		return c
	}
	s.connsOpened = counterVec("jxta_endpoint_connections_opened_total",
		"Connections that completed their handshake, by who dialed.", "direction")
	s.connsIn, s.connsOut = s.connsOpened.WithLabelValues(Inbound), s.connsOpened.WithLabelValues(Outbound)
	s.connsFailed = counterVec("jxta_endpoint_connections_failed_total",
		"Connections that failed before they were up, by reason.", "reason")
	for _, r := range []string{ConnDial, ConnHandshake, ConnOverload} {
		s.connsFailed.WithLabelValues(r)
	}
	s.handshakeFailed = counterVec("jxta_endpoint_handshake_failures_total",
		"Handshakes that failed, by reason.", "reason")
	for _, r := range []string{HandshakeWelcome, HandshakeTimeout, HandshakeLegacy, HandshakeSelf, HandshakeTLS, HandshakeIdentity, HandshakeMux, HandshakeIdentify, HandshakeClosed} {
		s.handshakeFailed.WithLabelValues(r)
	}
	s.streamsOpened = counterVec("jxta_endpoint_streams_opened_total",
		"Pipe streams opened on connections, by who opened them.", "direction")
	s.streamsIn, s.streamsOut = s.streamsOpened.WithLabelValues(Inbound), s.streamsOpened.WithLabelValues(Outbound)
	s.msgsIn = counterVec("jxta_endpoint_messages_received_total",
		"Messages received from other peers, by endpoint service.", "service")
	s.msgsOut = counterVec("jxta_endpoint_messages_sent_total",
		"Messages sent to other peers (written or queued), by endpoint service.", "service")
	s.bytesIn = counterVec("jxta_endpoint_received_bytes_total",
		"Bytes of the messages received, as encoded on the wire without framing, by endpoint service.", "service")
	s.bytesOut = counterVec("jxta_endpoint_sent_bytes_total",
		"Bytes of the messages sent, as encoded on the wire without framing, by endpoint service.", "service")
	s.queriesSent = counter("jxta_resolver_queries_sent_total",
		"Resolver queries this peer sent (to a peer or to the group), all groups.")
	s.queriesAnswered = counter("jxta_resolver_queries_answered_total",
		"Resolver queries this peer answered, all groups.")
	s.queriesDropped = counterVec("jxta_resolver_queries_dropped_total",
		"Resolver queries received and dropped, by reason, all groups.", "reason")
	for _, r := range []string{QueryMalformed, QueryHopCount, QueryOwn, QueryNoHandler, QueryOverload} {
		s.queriesDropped.WithLabelValues(r)
	}
	s.advsDropped = counterVec("jxta_discovery_advertisements_dropped_total",
		"Advertisements received by discovery (responses, remote publications, queriers' advertisements) and dropped, by reason, all groups.", "reason")
	for _, r := range []string{AdvUnsigned, AdvBadSignature, AdvWrongSigner, AdvNotReplaceable, AdvQuota, AdvUnsolicited} {
		s.advsDropped.WithLabelValues(r)
	}
	s.connsOpenDesc = prometheus.NewDesc("jxta_endpoint_connections_open",
		"Live connections, one per peer.", nil, nil)
	s.streamsOpenDesc = prometheus.NewDesc("jxta_endpoint_streams_open",
		"Open pipe streams on the live connections.", nil, nil)
	groupLabels := []string{"group", "group_name"}
	s.cacheDesc = prometheus.NewDesc("jxta_discovery_cache_entries",
		"Advertisements in the group's discovery cache.", groupLabels, nil)
	s.leasesDesc = prometheus.NewDesc("jxta_rendezvous_leases",
		"Rendezvous leases this peer holds (edge) or granted (rendezvous) in the group.", append(groupLabels, "lease"), nil)
	s.roleDesc = prometheus.NewDesc("jxta_rendezvous_role",
		"The peer's rendezvous role in the group: 1 for its role, 0 for the others.", append(groupLabels, "role"), nil)
	s.reg.MustRegister(scraped{s})
	m := make(map[string]*Service)
	s.services.Store(&m)
	s.unknown = s.newService(UnknownService)
	s.other = s.newService(OtherService)
	return s
}

// Registry returns the registry of the set, for adding collectors (the
// Go runtime's, say) or serving it.
func (s *Set) Registry() *prometheus.Registry {
	if s == nil {
		return nil
	}
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
		s.connsOut.Inc()
	default:
		s.connsIn.Inc()
	}
}

// ConnFailed counts a connection that failed, for one of the Conn
// reasons.
func (s *Set) ConnFailed(reason string) {
	if s != nil {
		s.connsFailed.WithLabelValues(reason).Inc()
	}
}

// HandshakeFailed counts a failed handshake, for one of the Handshake
// reasons.
func (s *Set) HandshakeFailed(reason string) {
	if s != nil {
		s.handshakeFailed.WithLabelValues(reason).Inc()
	}
}

// StreamOpened counts a pipe stream opened by this peer (outbound) or by
// the other (inbound).
func (s *Set) StreamOpened(outbound bool) {
	switch {
	case s == nil:
	case outbound:
		s.streamsOut.Inc()
	default:
		s.streamsIn.Inc()
	}
}

// QuerySent counts a resolver query this peer sent.
func (s *Set) QuerySent() {
	if s != nil {
		s.queriesSent.Inc()
	}
}

// QueryAnswered counts a resolver query this peer answered.
func (s *Set) QueryAnswered() {
	if s != nil {
		s.queriesAnswered.Inc()
	}
}

// QueryDropped counts a received query dropped for one of the Query
// reasons.
func (s *Set) QueryDropped(reason string) {
	if s != nil {
		s.queriesDropped.WithLabelValues(reason).Inc()
	}
}

// AdvDropped counts n received advertisements that discovery dropped for
// one of the Adv reasons.
func (s *Set) AdvDropped(reason string, n int) {
	if s != nil && n > 0 {
		s.advsDropped.WithLabelValues(reason).Add(float64(n))
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
		return s.other
	}
	sv := s.newService(name)
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
	return s.unknown
}

func (s *Set) newService(name string) *Service {
	return &Service{
		msgsIn: s.msgsIn.WithLabelValues(name), bytesIn: s.bytesIn.WithLabelValues(name),
		msgsOut: s.msgsOut.WithLabelValues(name), bytesOut: s.bytesOut.WithLabelValues(name),
	}
}

// Service counts the traffic of one endpoint service. A nil *Service
// counts nothing.
type Service struct {
	msgsIn, bytesIn, msgsOut, bytesOut prometheus.Counter
}

// Received counts a message of n bytes received for the service.
func (v *Service) Received(n int) {
	if v != nil {
		v.msgsIn.Inc()
		v.bytesIn.Add(float64(n))
	}
}

// Sent counts a message of n bytes sent to the service.
func (v *Service) Sent(n int) {
	if v != nil {
		v.msgsOut.Inc()
		v.bytesOut.Add(float64(n))
	}
}

// scraped collects the gauges read at scrape time.
type scraped struct{ s *Set }

func (c scraped) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.s.connsOpenDesc, c.s.streamsOpenDesc, c.s.cacheDesc, c.s.leasesDesc, c.s.roleDesc} {
		ch <- d
	}
}

func (c scraped) Collect(ch chan<- prometheus.Metric) {
	s := c.s
	var eg EndpointGauges
	if f := s.endpointFn.Load(); f != nil {
		eg = (*f)()
	}
	ch <- prometheus.MustNewConstMetric(s.connsOpenDesc, prometheus.GaugeValue, float64(eg.Connections))
	ch <- prometheus.MustNewConstMetric(s.streamsOpenDesc, prometheus.GaugeValue, float64(eg.Streams))
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
		ch <- prometheus.MustNewConstMetric(s.cacheDesc, prometheus.GaugeValue, float64(g.CacheEntries), g.ID, g.Name)
		ch <- prometheus.MustNewConstMetric(s.leasesDesc, prometheus.GaugeValue, float64(g.LeasesHeld), g.ID, g.Name, "held")
		ch <- prometheus.MustNewConstMetric(s.leasesDesc, prometheus.GaugeValue, float64(g.LeasesGranted), g.ID, g.Name, "granted")
		for _, r := range []string{"edge", "rendezvous", "ad-hoc"} {
			v := 0.0
			if r == g.Role {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(s.roleDesc, prometheus.GaugeValue, v, g.ID, g.Name, r)
		}
	}
}
