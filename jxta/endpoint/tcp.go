package endpoint

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"syscall"

	"github.com/gojxta/gojxta/jxta"
)

// JXSE's TCP port and the range it falls back to when that port is taken.
const (
	DefaultTCPPort  = 9701
	LastFallbackTCP = 9799
)

// TCPTransport is the TCP transport. Its zero value is ready to use.
type TCPTransport struct {
	// Dialer dials outgoing connections; the zero value is the default
	// net.Dialer.
	Dialer net.Dialer
}

// Protocol returns "tcp".
func (*TCPTransport) Protocol() string { return "tcp" }

// Listen listens on addr (tcp://host:port). Port 0 picks a free port. The
// default port 9701 falls back through 9702-9799 when taken, as JXSE does.
func (t *TCPTransport) Listen(addr jxta.Address) (net.Listener, error) {
	host, portStr, err := addr.HostPort()
	if err != nil {
		return nil, err
	}
	if portStr == "" {
		portStr = strconv.Itoa(DefaultTCPPort)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil || port < 0 || port > 65535 {
		return nil, fmt.Errorf("listen %s: bad port %q", addr, portStr)
	}
	last := port
	if port == DefaultTCPPort {
		last = LastFallbackTCP
	}
	var lastErr error
	for p := port; p <= last; p++ {
		l, err := net.Listen("tcp", net.JoinHostPort(host, strconv.Itoa(p)))
		if err == nil {
			return tcpListener{l}, nil
		}
		lastErr = err
		if !errors.Is(err, syscall.EADDRINUSE) {
			break
		}
	}
	return nil, fmt.Errorf("listen %s: %w", addr, lastErr)
}

// Dial connects to addr.
func (t *TCPTransport) Dial(ctx context.Context, addr jxta.Address) (net.Conn, error) {
	host, port, err := addr.HostPort()
	if err != nil {
		return nil, err
	}
	if port == "" {
		port = strconv.Itoa(DefaultTCPPort)
	}
	c, err := t.Dialer.DialContext(ctx, "tcp", net.JoinHostPort(host, port))
	if err != nil {
		return nil, err
	}
	tuneTCP(c)
	return c, nil
}

// ListenerAddresses returns the listener's address, or, for a listener on
// an unspecified address (0.0.0.0 or ::), the unicast addresses of the
// machine's interfaces (see wildcardAddresses).
func (t *TCPTransport) ListenerAddresses(l net.Listener) []jxta.Address {
	ta, ok := l.Addr().(*net.TCPAddr)
	if !ok {
		return nil
	}
	port := strconv.Itoa(ta.Port)
	if !ta.IP.IsUnspecified() {
		return []jxta.Address{jxta.TCPAddress(net.JoinHostPort(ta.IP.String(), port))}
	}
	ifAddrs, err := net.InterfaceAddrs()
	if err != nil {
		return []jxta.Address{jxta.TCPAddress(net.JoinHostPort("127.0.0.1", port))}
	}
	return wildcardAddresses(ifAddrs, port, ta.IP.To4() != nil)
}

// wildcardAddresses returns the addresses a listener on an unspecified
// address announces, given the interfaces' addresses: the unicast ones
// that are not link-local (IPv4 only if v4only), and loopback only when
// there is nothing else. These addresses go to other peers, and another
// host's loopback is the dialer's own: a peer that dialed it when the
// others failed would reach itself, or whichever peer listens on that
// port of its own machine.
func wildcardAddresses(ifAddrs []net.Addr, port string, v4only bool) []jxta.Address {
	var out, loopback []jxta.Address
	for _, a := range ifAddrs {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLinkLocalUnicast() || ipn.IP.IsMulticast() {
			continue
		}
		if v4only && ipn.IP.To4() == nil {
			continue
		}
		addr := jxta.TCPAddress(net.JoinHostPort(ipn.IP.String(), port))
		if ipn.IP.IsLoopback() {
			loopback = append(loopback, addr)
		} else {
			out = append(out, addr)
		}
	}
	if len(out) == 0 {
		return loopback
	}
	return out
}
