package endpoint

import (
	"net"
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/stretchr/testify/assert"
)

// TestWildcardAddresses: a listener on 0.0.0.0 or :: announces the
// machine's unicast addresses, and its loopback ones only when it has no
// other: another host's loopback is the dialer's own.
func TestWildcardAddresses(t *testing.T) {
	ipn := func(s string) net.Addr {
		ip, n, err := net.ParseCIDR(s)
		if err != nil {
			t.Fatal(err)
		}
		n.IP = ip
		return n
	}
	lo, lo6 := ipn("127.0.0.1/8"), ipn("::1/128")
	eth, eth6, link6 := ipn("10.77.0.3/24"), ipn("2001:db8::3/64"), ipn("fe80::1/64")
	tcp := func(hostport ...string) []jxta.Address {
		var out []jxta.Address
		for _, h := range hostport {
			out = append(out, jxta.TCPAddress(h))
		}
		return out
	}
	for _, c := range []struct {
		name   string
		ifs    []net.Addr
		v4only bool
		want   []jxta.Address
	}{
		{"loopback and a LAN address", []net.Addr{lo, eth, lo6, link6}, false, tcp("10.77.0.3:9701")},
		{"IPv6 too", []net.Addr{lo, eth, lo6, eth6}, false, tcp("10.77.0.3:9701", "[2001:db8::3]:9701")},
		{"IPv4 only", []net.Addr{lo, eth, lo6, eth6}, true, tcp("10.77.0.3:9701")},
		{"loopback alone", []net.Addr{lo, lo6, link6}, false, tcp("127.0.0.1:9701", "[::1]:9701")},
		{"IPv4 loopback alone", []net.Addr{lo, lo6}, true, tcp("127.0.0.1:9701")},
		{"nothing", nil, false, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.want, wildcardAddresses(c.ifs, "9701", c.v4only))
		})
	}
}
