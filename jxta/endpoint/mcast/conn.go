package mcast

import (
	"fmt"
	"net"

	"golang.org/x/net/ipv4"
)

// listen opens a socket that receives the datagrams sent to group on ifi
// (the system's choice when nil) and sends to group through ifi, with
// multicast loopback on so that peers on the same machine hear each other.
//
// net.ListenMulticastUDP sets SO_REUSEADDR, so that several beacons (of
// several processes or of one) share the group's port, but it turns
// multicast loopback off; ipv4 turns it back on.
func listen(group *net.UDPAddr, ifi *net.Interface) (*net.UDPConn, error) {
	c, err := net.ListenMulticastUDP("udp4", ifi, group)
	if err != nil {
		return nil, fmt.Errorf("mcast: joining %s: %w", group, err)
	}
	if err := ipv4.NewPacketConn(c).SetMulticastLoopback(true); err != nil {
		c.Close()
		return nil, fmt.Errorf("mcast: enabling multicast loopback: %w", err)
	}
	return c, nil
}
