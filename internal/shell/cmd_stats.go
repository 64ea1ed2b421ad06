package shell

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"text/tabwriter"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/metrics"
)

// statsCommands is stats: the peer's metrics, read from its registry.
func statsCommands() []*Command {
	return []*Command{{
		Name:     "stats",
		Synopsis: "stats",
		Summary:  "show what this peer is doing: connections, traffic, queries, groups",
		Details: `Prints the figures this peer keeps as Prometheus metrics (jxtashell --metrics
host:port serves the same figures over HTTP at /metrics), grouped:

    Connections    open now; opened since start, by who dialed; failed,
                   by reason (dial, handshake, overload)
    Handshakes     failed, by reason (welcome, timeout, legacy_peer,
                   self, mux, identify, closed)
    Streams        pipe streams open now; opened, by who opened them
    Resolver       queries sent and answered, and received queries
                   dropped, by reason (malformed, hop_count, own_query,
                   no_handler, overload), over all groups
    Traffic        for each endpoint service that carried messages:
                   messages and bytes in and out (bytes as encoded,
                   without framing; "unknown" is messages for no handler)
    Groups         for each group: this peer's rendezvous role, the
                   entries of its discovery cache, the leases it holds
                   (edge) and granted (rendezvous)

Counts run from the peer's start. Reasons are listed only when not zero.

Example:
    stats`,
		Run: runStats,
	}}
}

func runStats(c *Call) error {
	if err := c.ParseOptions(c.Flags()); err != nil {
		return err
	}
	n, err := c.Peer()
	if err != nil {
		return err
	}
	sn, err := n.Stats()
	if err != nil {
		return fmt.Errorf("stats: %w", err)
	}
	writeStats(c.Out, sn)
	return nil
}

// writeStats prints a snapshot of the metrics of jxta/metrics, grouped.
func writeStats(w io.Writer, sn metrics.Snapshot) {
	v := func(name string, labels ...string) string { return count(sn.Value(name, labels...)) }
	fmt.Fprintf(w, "Connections : %s open; %s opened (%s outbound, %s inbound); %s failed%s\n",
		v("jxta_endpoint_connections_open"), v("jxta_endpoint_connections_opened_total"),
		v("jxta_endpoint_connections_opened_total", "direction", metrics.Outbound),
		v("jxta_endpoint_connections_opened_total", "direction", metrics.Inbound),
		v("jxta_endpoint_connections_failed_total"), reasons(sn, "jxta_endpoint_connections_failed_total"))
	fmt.Fprintf(w, "Handshakes  : %s failed%s\n",
		v("jxta_endpoint_handshake_failures_total"), reasons(sn, "jxta_endpoint_handshake_failures_total"))
	fmt.Fprintf(w, "Streams     : %s open; %s opened (%s outbound, %s inbound)\n",
		v("jxta_endpoint_streams_open"), v("jxta_endpoint_streams_opened_total"),
		v("jxta_endpoint_streams_opened_total", "direction", metrics.Outbound),
		v("jxta_endpoint_streams_opened_total", "direction", metrics.Inbound))
	fmt.Fprintf(w, "Resolver    : %s queries sent, %s answered, %s dropped%s\n",
		v("jxta_resolver_queries_sent_total"), v("jxta_resolver_queries_answered_total"),
		v("jxta_resolver_queries_dropped_total"), reasons(sn, "jxta_resolver_queries_dropped_total"))

	fmt.Fprintln(w)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Traffic by service\tMessages in\tBytes in\tMessages out\tBytes out")
	rows := 0
	for _, svc := range sn.LabelValues("jxta_endpoint_messages_received_total", "service") {
		in, out := sn.Value("jxta_endpoint_messages_received_total", "service", svc), sn.Value("jxta_endpoint_messages_sent_total", "service", svc)
		if in == 0 && out == 0 {
			continue
		}
		rows++
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", serviceLabel(svc), count(in), v("jxta_endpoint_received_bytes_total", "service", svc),
			count(out), v("jxta_endpoint_sent_bytes_total", "service", svc))
	}
	if rows == 0 {
		fmt.Fprintln(tw, "(none yet)")
	}
	tw.Flush()

	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Group\tRole\tCache entries\tLeases held\tLeases granted")
	groups := sn.Select("jxta_discovery_cache_entries")
	sort.SliceStable(groups, func(i, j int) bool { return groupOrder(groups[i].Labels) < groupOrder(groups[j].Labels) })
	for _, g := range groups {
		id := g.Labels["group"]
		role := "-"
		for _, r := range sn.Select("jxta_rendezvous_role", "group", id) {
			if r.Value == 1 {
				role = r.Labels["role"]
			}
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", g.Labels["group_name"], role, count(g.Value),
			v("jxta_rendezvous_leases", "group", id, "lease", "held"), v("jxta_rendezvous_leases", "group", id, "lease", "granted"))
	}
	tw.Flush()
}

// groupOrder keeps the World and Net groups first, then sorts by name.
func groupOrder(labels map[string]string) string {
	switch labels["group"] {
	case "urn:jxta:jxta-WorldGroup":
		return "0"
	case "urn:jxta:jxta-NetGroup":
		return "1"
	}
	return "2" + labels["group_name"] + " " + labels["group"]
}

// reasons lists the non-zero series of a counter by reason: " (dial 2,
// overload 1)", or "" if there is none.
func reasons(sn metrics.Snapshot, name string) string {
	var parts []string
	for _, s := range sn.Select(name) {
		if s.Value != 0 {
			parts = append(parts, s.Labels["reason"]+" "+count(s.Value))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (" + strings.Join(parts, ", ") + ")"
}

// count prints a counter's value, a whole number.
func count(f float64) string { return fmt.Sprintf("%.0f", f) }

// serviceNames name the JXTA services whose endpoint service name is
// their module class ID.
var serviceNames = map[string]string{
	jxta.ResolverClassID.String():   "resolver",
	jxta.DiscoveryClassID.String():  "discovery",
	jxta.PipeClassID.String():       "pipe",
	jxta.MembershipClassID.String(): "membership",
	jxta.RendezvousClassID.String(): "rendezvous",
	jxta.PeerInfoClassID.String():   "peer info",
	jxta.EndpointClassID.String():   "endpoint",
	jxta.RouterClassID.String():     "router",
}

// serviceLabel names an endpoint service for stats: "resolver" for the
// resolver's class ID; other names as they are.
func serviceLabel(svc string) string {
	if name, ok := serviceNames[svc]; ok {
		return name
	}
	return svc
}
