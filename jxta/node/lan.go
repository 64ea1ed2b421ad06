package node

import (
	"context"
	"net"
	"time"

	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint/mcast"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// DefaultMulticastGroup is JXSE's LAN multicast group and port.
const DefaultMulticastGroup = "224.0.1.85:1234"

// maxLANConnections bounds the connections a peer opens by itself to the
// peers it learns of on the LAN.
const maxLANConnections = 8

// startLAN starts announcing this peer on the LAN and learning of others.
func (n *Node) startLAN() error {
	addr := n.cfg.MulticastGroup
	if addr == "" {
		addr = DefaultMulticastGroup
	}
	group, err := net.ResolveUDPAddr("udp4", addr)
	if err != nil {
		return err
	}
	b, err := mcast.Start(n.ctx, mcast.Config{Group: group, Self: n.ep.PeerAdv, OnPeer: n.lanPeer, Logger: n.log})
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
