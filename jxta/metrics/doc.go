// Package metrics is the one place where a peer's figures are defined: the
// Prometheus metrics of one peer, kept in a registry of its own (never
// prometheus.DefaultRegisterer), so that many peers run in one process.
// The counters are atomics of the Set; the registry, which reads them at
// each scrape, is made when first asked for, so that a peer costs no
// Prometheus objects until it is scraped.
//
// A Set holds every metric. The layers that count events call its small
// methods (ConnOpened, HandshakeFailed, QueryDropped, AdvDropped,
// Service(...).Received);
// figures that already exist elsewhere (open connections and streams, cache
// entries, leases and roles) are read at scrape time through the functions
// given to ObserveEndpoint and ObserveGroups, so no hot path maintains them.
// A nil *Set, and the nil *Service it hands out, do nothing: every layer
// works without metrics.
//
// The names follow Prometheus conventions (jxta_<layer>_<what>_total for
// counters, base units); labels have bounded values: reasons and
// directions are the constants below, services are the endpoint service
// names this peer registered or sent to (at most MaxServices of them, then
// "other"; messages for no handler count as "unknown"), groups are the
// groups this peer runs. Peer IDs are never labels.
//
// # Layering
//
// metrics is vocabulary-level: it imports only the Prometheus client and
// the standard library. The endpoint, the resolver, discovery and the
// embedding API
// (jxta/node, which creates one Set per peer, serves it over HTTP and
// observes its groups) import it; the shell reads it through the node.
package metrics
