package node

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/metrics"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Metrics returns the gatherer of the peer's Prometheus metrics, for a
// program that serves them with its own HTTP server:
//
//	http.Handle("/metrics", promhttp.HandlerFor(n.Metrics(), promhttp.HandlerOpts{}))
//
// Every node has its own registry; the names are listed in jxta/metrics.
func (n *Node) Metrics() prometheus.Gatherer { return n.metrics.Registry() }

// MetricsAddr returns the address the metrics server listens on (the port
// chosen when Config.Metrics asked for port 0), or nil when there is none.
func (n *Node) MetricsAddr() net.Addr {
	if n.metricsSrv == nil {
		return nil
	}
	return n.metricsSrv.ln.Addr()
}

// Stats returns the peer's metrics now, as the shell's stats prints them.
func (n *Node) Stats() (metrics.Snapshot, error) { return n.metrics.Snapshot() }

// metricsServer serves /metrics over HTTP; stop ends it.
type metricsServer struct {
	ln   net.Listener
	srv  *http.Server
	done chan struct{} // closed when Serve returned
}

// startMetrics makes the metric set read the node's groups at scrape
// time, and serves it at addr unless addr is empty.
func (n *Node) startMetrics(addr string) error {
	n.metrics.ObserveGroups(n.groupFigures)
	if addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("metrics: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("/metrics", promhttp.HandlerFor(n.metrics.Registry(), promhttp.HandlerOpts{}))
	s := &metricsServer{ln: ln, done: make(chan struct{}),
		srv: &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}}
	go func() {
		defer close(s.done)
		if err := s.srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			n.log.Warn("node: metrics server stopped", "err", err)
		}
	}()
	n.metricsSrv = s
	n.log.Info("node: serving metrics", "addr", ln.Addr().String())
	return nil
}

// stopMetrics stops the metrics server, if any: it lets scrapes under way
// finish for up to a second, then closes what is left.
func (n *Node) stopMetrics() error {
	s := n.metricsSrv
	if s == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := s.srv.Shutdown(ctx); err != nil {
		s.srv.Close()
	}
	<-s.done
	return nil
}

// groupFigures reads, at scrape time, each group's cache entries, leases
// and rendezvous role: the groups joined, then those a rendezvous serves.
func (n *Node) groupFigures() []metrics.Group {
	if n.net == nil {
		return nil
	}
	groups := n.Groups()
	n.groupsMu.Lock()
	for _, g := range n.served {
		groups = append(groups, g)
	}
	n.groupsMu.Unlock()
	out := make([]metrics.Group, 0, len(groups))
	for _, g := range groups {
		out = append(out, n.groupFigure(g))
	}
	return out
}

func (n *Node) groupFigure(g *group.Group) metrics.Group {
	st := g.Rendezvous().Status()
	return metrics.Group{
		ID: g.ID().String(), Name: g.Name(), Role: st.Role.String(),
		CacheEntries: n.cache.Len(g.ID()),
		LeasesHeld:   len(st.RendezVous), LeasesGranted: len(st.Edges),
	}
}
