package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gojxta/gojxta/internal/shell"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/node"
)

// greeting is the line an interactive shell starts with: the peer's name
// and ID and where it listens, and whether the default port was busy.
func greeting(n *node.Node, listen []string) string {
	var addrs []string
	moved := ""
	for _, a := range n.Addresses() {
		addrs = append(addrs, a.String())
		if _, port, err := a.HostPort(); err == nil && a.Protocol == "tcp" && wantsDefaultPort(listen) {
			if p, _ := strconv.Atoi(port); p > endpoint.DefaultTCPPort && p <= endpoint.LastFallbackTCP && moved == "" {
				moved = fmt.Sprintf(" (port %d was busy, so port %d)", endpoint.DefaultTCPPort, p)
			}
		}
	}
	where := "not listening"
	if len(addrs) > 0 {
		where = "listening on " + strings.Join(addrs, ", ")
	}
	return fmt.Sprintf("peer %s %s, %s%s", n.Name(), n.ID(), where, moved)
}

// wantsDefaultPort reports whether the listen addresses asked for JXSE's
// port, which falls back through the next ones when busy: by default, or
// by naming it.
func wantsDefaultPort(listen []string) bool {
	if listen == nil {
		return true
	}
	for _, l := range listen {
		if strings.HasSuffix(l, ":"+strconv.Itoa(endpoint.DefaultTCPPort)) {
			return true
		}
	}
	return false
}

// tellEvent prints a node's event for the user: a seed that cannot be
// reached always (one warning line an outage); in an interactive session
// also a rendezvous lost and a lease taken.
func tellEvent(sh *shell.Shell, ev node.Event, interactive bool) {
	switch {
	case ev.Kind == node.SeedUnreachable:
		sh.Warn("jxtashell: warning: " + ev.String())
	case ev.Kind == node.PeerIDChanged:
		sh.Warn("jxtashell: " + ev.String())
	case !interactive:
	case ev.Kind == node.RendezvousLost, ev.Kind == node.RendezvousLeased:
		sh.Notify("jxtashell: " + ev.String())
	}
}
