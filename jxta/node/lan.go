package node

import (
	"context"
	"net"
	"time"

	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/endpoint/mcast"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// DefaultMulticastGroup is JXSE's LAN multicast group and port.
const DefaultMulticastGroup = "224.0.1.85:1234"

// maxLANConnections bounds the connections a peer opens by itself to the
// peers it learns of on the LAN.
const maxLANConnections = 8

// startLAN starts announcing this peer on the LAN, through ifi (nil: the
// system's choice), and learning of others. In legacy mode it also
// speaks JXSE's multicast (see package mcast).
func (n *Node) startLAN(ifi *net.Interface) error {
	addr := n.cfg.MulticastGroup
	if addr == "" {
		addr = DefaultMulticastGroup
	}
	group, err := net.ResolveUDPAddr("udp4", addr)
	if err != nil {
		return err
	}
	cfg := mcast.Config{Group: group, Interface: ifi, Self: n.ep.PeerAdv, OnPeer: n.lanPeer, Logger: n.log}
	if n.cfg.Legacy {
		cfg.Legacy, cfg.OnLegacy = true, n.lanLegacy
	}
	b, err := mcast.Start(n.ctx, cfg)
	if err != nil {
		return err
	}
	n.lan = b
	return nil
}

// lanPeer learns of a peer announced on the LAN: the endpoint can reach it,
// its advertisement goes into the Net group's cache, and, while this peer
// has few connections, it connects so that group queries reach it.
func (n *Node) lanPeer(pa *advert.PeerAdv) {
	n.ep.AddPeer(pa)
	if err := n.net.Discovery().Publish(pa, protocol.DefaultExpiration, protocol.DefaultExpiration); err != nil {
		n.log.Debug("node: keeping a LAN peer's advertisement", "peer", pa.PeerID, "err", err)
	}
	if len(n.ep.Connections()) >= maxLANConnections || n.ep.Connected(pa.PeerID) {
		return
	}
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		ctx, cancel := context.WithTimeout(n.ctx, 10*time.Second)
		defer cancel()
		if err := n.ep.ConnectPeer(ctx, pa.PeerID); err != nil && n.ctx.Err() == nil {
			n.log.Debug("node: connecting to a LAN peer", "peer", pa.PeerID, "err", err)
		}
	}()
}

// lanLegacy delivers a message a JXSE peer propagated on the LAN (a
// discovery query, through the resolver) as if it had come on a
// connection from that peer, marked legacy: unverified. The resolver
// learns the peer's route from the query and answers over TCP.
func (n *Node) lanLegacy(lm mcast.LegacyMessage) {
	n.ep.MarkLegacy(lm.Peer)
	in := &endpoint.Incoming{Message: lm.Message, Peer: lm.Peer, Source: lm.Source, Dest: lm.Dest}
	if !n.ep.Deliver(in) {
		n.log.Debug("node: no handler for a LAN peer's message", "peer", lm.Peer, "service", lm.Dest.Service, "param", lm.Dest.Param)
	}
}
