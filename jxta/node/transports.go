package node

import "github.com/gojxta/gojxta/jxta"

// Transport describes one of the peer's message transports.
type Transport struct {
	Protocol string         // the address protocol: "tcp", or "mem" on a MemNetwork
	Listen   []jxta.Address // the addresses it listens on; none: it only dials
}

// Transports returns the peer's message transports: TCP, or the
// in-memory network of Config.Network.
func (n *Node) Transports() []Transport {
	t := Transport{Protocol: "tcp"}
	if n.cfg.Network != nil {
		t.Protocol = "mem"
	}
	for _, a := range n.ep.Addresses() {
		if a.Protocol == t.Protocol {
			t.Listen = append(t.Listen, a)
		}
	}
	return []Transport{t}
}

// Multicast returns the IP multicast group the peer announces itself to
// and learns of LAN peers from, and whether LAN discovery runs.
func (n *Node) Multicast() (string, bool) {
	if n.lan == nil {
		return "", false
	}
	if n.cfg.MulticastGroup != "" {
		return n.cfg.MulticastGroup, true
	}
	return DefaultMulticastGroup, true
}
