package mcast

import (
	"errors"
	"fmt"
	"net"
	"net/netip"
)

// ErrNoInterface reports an interface name or address that names no
// interface of this host.
var ErrNoInterface = errors.New("no such network interface")

// InterfaceFor returns the network interface that spec names: an
// interface name (lo, eth0) or an address of the interface (127.0.0.1,
// as JXSE's MulticastInterface). "" returns nil, the system's choice.
// The interface must be up and able to multicast.
func InterfaceFor(spec string) (*net.Interface, error) {
	if spec == "" {
		return nil, nil
	}
	ifi, err := findInterface(spec)
	if err != nil {
		return nil, err
	}
	switch {
	case ifi.Flags&net.FlagUp == 0:
		return nil, fmt.Errorf("mcast: interface %s is down", ifi.Name)
	case ifi.Flags&(net.FlagMulticast|net.FlagLoopback) == 0:
		return nil, fmt.Errorf("mcast: interface %s cannot multicast", ifi.Name)
	}
	return ifi, nil
}

func findInterface(spec string) (*net.Interface, error) {
	ip, err := netip.ParseAddr(spec)
	if err != nil {
		ifi, err := net.InterfaceByName(spec)
		if err != nil {
			return nil, fmt.Errorf("mcast: interface %q: %w", spec, ErrNoInterface)
		}
		return ifi, nil
	}
	ifs, err := net.Interfaces()
	if err != nil {
		return nil, fmt.Errorf("mcast: listing interfaces: %w", err)
	}
	for i := range ifs {
		addrs, err := ifs[i].Addrs()
		if err != nil {
			continue
		}
		for _, a := range addrs {
			if p, ok := a.(*net.IPNet); ok {
				if q, ok := netip.AddrFromSlice(p.IP); ok && q.Unmap() == ip.Unmap() {
					return &ifs[i], nil
				}
			}
		}
	}
	return nil, fmt.Errorf("mcast: no interface has address %s: %w", spec, ErrNoInterface)
}
