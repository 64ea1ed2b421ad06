package jxta

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	// Peer and pipe IDs of the SPEC's endpoint address examples.
	addrTestPeer = "uuid-59616261646162614A7874615032503369D1041721754AD18D7D9137C06F77DD03"
	addrTestPipe = "urn:jxta:uuid-59616261646162614E50472050325033D1D1D1D1D1D1D1D1D1D1D1D1D1D1D1D104"
	// Peers of the JXSE 2.6 capture (interop/captures).
	addrTestRdv  = "uuid-59616261646162614E50472050325033F1A68F7234834877BB5C94BD41B87DE303"
	addrTestEdge = "uuid-59616261646162614E50472050325033E480A6AFB47A4FCB83C4F8E937CC274D03"
)

// addressParseTests are the endpoint addresses of reference d.5, b.8 and
// e.5, the captures, and the corner cases of the parsing rules. want ""
// means the input prints back unchanged.
var addressParseTests = []struct {
	name, in string
	addr     Address
	want     string
}{
	// d.5
	{"d5 tcp", "tcp://10.0.0.2:9701", Address{"tcp", "10.0.0.2:9701", "", ""}, ""},
	{"d5 http service param", "http://192.168.0.11:9700/endpoint/resolver", Address{"http", "192.168.0.11:9700", "endpoint", "resolver"}, ""},
	{"d5 jxta pipe", "jxta://" + addrTestPeer + "/PipeService/" + addrTestPipe, Address{"jxta", addrTestPeer, "PipeService", addrTestPipe}, ""},
	{"d5 propagate", "tcp://224.0.1.85/JxtaPropagate/urn:jxta:jxta-NetGroup", Address{"tcp", "224.0.1.85", "JxtaPropagate", "urn:jxta:jxta-NetGroup"}, ""},
	// b.8
	{"b8 tcp", "tcp://1.2.3.4:9701", Address{"tcp", "1.2.3.4:9701", "", ""}, ""},
	{"b8 ipv6 bracketed", "tcp://[fe80:0:0:0:4876:6b37:697:b6e3]:9701", Address{"tcp", "[fe80:0:0:0:4876:6b37:697:b6e3]:9701", "", ""}, ""},
	{"ipv6 bracketed zone", "tcp://[fe80::1%eth0]:9701", Address{"tcp", "[fe80::1%eth0]:9701", "", ""}, ""},
	{"b8 ipv6 unbracketed zone", "tcp://fe80:0:0:0:8e5:24f:3f57:f27d%13:9701", Address{"tcp", "fe80:0:0:0:8e5:24f:3f57:f27d%13:9701", "", ""}, ""},
	{"b8 http", "http://192.168.0.89:9700", Address{"http", "192.168.0.89:9700", "", ""}, ""},
	{"b8 jxtatls", "jxtatls://" + addrTestPeer, Address{"jxtatls", addrTestPeer, "", ""}, ""},
	{"jxtatls service", "jxtatls://" + addrTestPeer + "/TlsTransport/jxta-WorldGroup", Address{"jxtatls", addrTestPeer, "TlsTransport", "jxta-WorldGroup"}, ""},
	{"b8 cbjx", "cbjx://" + addrTestPeer, Address{"cbjx", addrTestPeer, "", ""}, ""},
	{"b8 relay", "relay://uuid-59616261646162614E504720503250334578616D706C4520B330B003", Address{"relay", "uuid-59616261646162614E504720503250334578616D706C4520B330B003", "", ""}, ""},
	{"b8 pluggable", "pluggable://144.115.122.224:9719", Address{"pluggable", "144.115.122.224:9719", "", ""}, ""},
	{"b8 tcp without port", "tcp://192.168.0.89", Address{"tcp", "192.168.0.89", "", ""}, ""},
	// e.5 and the captures
	{"e5 group-qualified", "tcp://127.0.0.1:44010/EndpointService:jxta-NetGroup/urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000605/jxta-NetGroup",
		Address{"tcp", "127.0.0.1:44010", "EndpointService:jxta-NetGroup", "urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000605/jxta-NetGroup"}, ""},
	{"e5 router", "tcp://127.0.0.1:44010/EndpointService:jxta-NetGroup/EndpointRouter", Address{"tcp", "127.0.0.1:44010", "EndpointService:jxta-NetGroup", "EndpointRouter"}, ""},
	{"capture resolver", "jxta://" + addrTestRdv + "/urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000205/jxta-NetGroupIRes",
		Address{"jxta", addrTestRdv, "urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000205", "jxta-NetGroupIRes"}, ""},
	{"capture propagate", "jxta://" + addrTestEdge + "/JxtaPropagate/jxta-NetGroup", Address{"jxta", addrTestEdge, "JxtaPropagate", "jxta-NetGroup"}, ""},
	{"mcast", "mcast://224.0.1.85:1234", Address{"mcast", "224.0.1.85:1234", "", ""}, ""},
	{"mem", "mem://peer1/svc", Address{"mem", "peer1", "svc", ""}, ""},
	// SPEC examples (interop/ids/spec_example_endpoint_addresses.txt)
	{"spec urn ?", "urn:jxta:uuid-59616261646162614E50472050325033D1D1D1D1D1D1D1D1D1D1D1D1D1D1D1D104?pipeService",
		Address{"jxta", "uuid-59616261646162614E50472050325033D1D1D1D1D1D1D1D1D1D1D1D1D1D1D1D104", "pipeService", ""},
		"jxta://uuid-59616261646162614E50472050325033D1D1D1D1D1D1D1D1D1D1D1D1D1D1D1D104/pipeService"},
	{"spec urn ? param", "urn:jxta:jxta-NetGroup?relay/" + addrTestPeer, Address{"jxta", "jxta-NetGroup", "relay", addrTestPeer}, "jxta://jxta-NetGroup/relay/" + addrTestPeer},
	{"spec http ping", "jxta://urn:jxta:" + addrTestPeer, Address{"jxta", "urn:jxta:" + addrTestPeer, "", ""}, ""},
	// URN form
	{"urn #", "urn:jxta:" + addrTestPeer + "#PipeService/" + addrTestPipe, Address{"jxta", addrTestPeer, "PipeService", addrTestPipe}, "jxta://" + addrTestPeer + "/PipeService/" + addrTestPipe},
	{"urn bare", "urn:jxta:" + addrTestPeer, Address{"jxta", addrTestPeer, "", ""}, "jxta://" + addrTestPeer},
	{"urn upper case", "URN:JXTA:" + addrTestPeer, Address{"jxta", addrTestPeer, "", ""}, "jxta://" + addrTestPeer},
	{"urn param slashes", "urn:jxta:a:b#s/p/q?r#t", Address{"jxta", "a:b", "s", "p/q?r#t"}, "jxta://a:b/s/p/q?r#t"},
	{"urn other namespace", "urn:Foo:bar#svc/p/q", Address{"urn:foo", "bar", "svc", "p/q"}, "urn:foo:bar#svc/p/q"},
	{"urn other namespace ?", "urn:foo:bar?svc", Address{"urn:foo", "bar", "svc", ""}, "urn:foo:bar#svc"},
	{"urn empty service", "urn:foo:bar#/p", Address{"urn:foo", "bar", "", "p"}, ""},
	{"urn empty after #", "urn:foo:bar#", Address{"urn:foo", "bar", "", ""}, "urn:foo:bar"},
	// URL corner cases
	{"upper-case protocol", "TCP://Host:1/Svc/P", Address{"tcp", "Host:1", "Svc", "P"}, "tcp://Host:1/Svc/P"},
	{"urn as URL protocol", "urn://x", Address{"urn", "x", "", ""}, ""},
	{"empty service", "tcp://x//p", Address{"tcp", "x", "", "p"}, ""},
	{"trailing slash", "tcp://x/", Address{"tcp", "x", "", ""}, "tcp://x"},
	{"trailing slash after service", "tcp://x/s/", Address{"tcp", "x", "s", ""}, "tcp://x/s"},
	{"param keeps slashes", "tcp://x/s/p/q/", Address{"tcp", "x", "s", "p/q/"}, ""},
	{"param triple slash", "tcp://x///", Address{"tcp", "x", "", "/"}, ""},
	{"host with ? and #", "http://h?q#f/s", Address{"http", "h?q#f", "s", ""}, ""},
	{"protocol chars", "a+b-c.1://x", Address{"a+b-c.1", "x", "", ""}, ""},
	{"non-ASCII", "tcp://x/sérvice/参数", Address{"tcp", "x", "sérvice", "参数"}, ""},
}

func TestParseAddress(t *testing.T) {
	t.Parallel()
	for _, tt := range addressParseTests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := ParseAddress(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.addr, a)
			want := tt.want
			if want == "" {
				want = tt.in
			}
			assert.Equal(t, want, a.String())
			again, err := ParseAddress(a.String())
			require.NoError(t, err)
			assert.True(t, again.Equal(a), "%q re-parses as %#v", a.String(), again)
			assert.Equal(t, a.Key(), again.Key())
			assert.False(t, a.IsZero())
		})
	}
}

func TestParseAddressErrors(t *testing.T) {
	t.Parallel()
	tests := []struct{ name, in, reason string }{
		{"empty", "", "empty"},
		{"no scheme", "foo", `missing "://"`},
		{"colon no slashes", "tcp:10.0.0.2", `missing "://"`},
		{"one slash", "tcp:/x", `missing "://"`},
		{"empty protocol", "://x", "missing protocol"},
		{"empty address", "tcp://", "missing address"},
		{"empty address with service", "tcp:///svc", "missing address"},
		{"bad protocol char", "t_p://x", `character '_'`},
		{"slash in protocol", "a/b://x", `character '/'`},
		{"space", "tcp://a b", "not allowed"},
		{"leading space", " tcp://x", "not allowed"},
		{"trailing newline", "tcp://x\n", "not allowed"},
		{"tab", "tcp://x/s\tp", "not allowed"},
		{"NUL", "tcp://x\x00", "not allowed"},
		{"DEL", "tcp://x\x7f", "not allowed"},
		{"C1 control", "tcp://x\u0085", "not allowed"},
		{"no-break space", "tcp://x\u00a0y", "not allowed"},
		{"line separator", "tcp://x\u2028", "not allowed"},
		{"invalid UTF-8", "tcp://x\xff", "invalid UTF-8"},
		{"too long", "tcp://x/" + strings.Repeat("a", 10*1024), "longer than"},
		{"urn only", "urn:", "no namespace-specific part"},
		{"urn no nss", "urn:jxta", "no namespace-specific part"},
		{"urn empty nss", "urn:jxta:", "empty namespace-specific part"},
		{"urn empty nss with service", "urn:jxta:#svc", "empty namespace-specific part"},
		{"urn empty namespace", "urn::x", "empty namespace"},
		{"urn bad namespace", "urn:f_o:x", `character '_'`},
		{"urn slash in address", "urn:jxta:" + addrTestPeer + "/PipeService", `'/' in a URN address`},
		{"other scheme without slashes", "mailto:x@y", `only urn:`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			a, err := ParseAddress(tt.in)
			require.Error(t, err)
			assert.True(t, a.IsZero())
			assert.ErrorIs(t, err, ErrBadAddress)
			var ae *AddressError
			require.True(t, errors.As(err, &ae))
			assert.Contains(t, ae.Reason, tt.reason)
			assert.LessOrEqual(t, len(ae.Text), 80)
			assert.Contains(t, err.Error(), "endpoint address ")
			assert.Panics(t, func() { MustParseAddress(tt.in) })
		})
	}
}

func TestParseAddressErrorMessage(t *testing.T) {
	t.Parallel()
	_, err := ParseAddress("foo")
	assert.EqualError(t, err, `endpoint address "foo": missing "://"`)
}

func TestParseAddressLengthLimit(t *testing.T) {
	t.Parallel()
	ok := "tcp://x/" + strings.Repeat("a", MaxAddressLength-len("tcp://x/"))
	_, err := ParseAddress(ok)
	assert.NoError(t, err)
	_, err = ParseAddress(ok + "a")
	assert.ErrorIs(t, err, ErrBadAddress)
}

func TestAddressEqual(t *testing.T) {
	t.Parallel()
	tests := []struct {
		a, b  string
		equal bool
	}{
		{"TCP://X:1", "tcp://x:1", true},
		{"tcp://x:1/Svc/P", "tcp://X:1/Svc/P", true},
		{"tcp://x:1/Svc/P", "tcp://x:1/svc/P", false},
		{"tcp://x:1/Svc/P", "tcp://x:1/Svc/p", false},
		{"tcp://x:1/Svc", "tcp://x:1/Svc/P", false},
		{"tcp://x:1", "tcp://x:1/Svc", false},
		{"tcp://x:1", "tcp://x:2", false},
		{"tcp://x:1", "http://x:1", false},
		{"tcp://x:1/", "tcp://x:1", true},
		{"jxta://" + addrTestPeer, "jxta://" + strings.ToLower(addrTestPeer), true},
		{"urn:jxta:" + addrTestPeer + "#PipeService/" + addrTestPipe, "jxta://" + addrTestPeer + "/PipeService/" + addrTestPipe, true},
		{"urn:jxta:" + addrTestPeer + "?PipeService", "JXTA://" + addrTestPeer + "/PipeService", true},
		{"urn:foo:bar#s", "urn:FOO:BAR?s", true},
		{"urn:foo:bar", "foo://bar", false},
		{"jxta://urn:jxta:" + addrTestPeer, "jxta://" + addrTestPeer, false}, // textual, as JXSE
		{"tcp://[fe80::1]:1", "tcp://[FE80::1]:1", true},
		{"tcp://[fe80::1]:1", "tcp://[fe80:0:0:0:0:0:0:1]:1", false}, // textual, as JXSE
	}
	for _, tt := range tests {
		t.Run(tt.a+" "+tt.b, func(t *testing.T) {
			t.Parallel()
			a, b := MustParseAddress(tt.a), MustParseAddress(tt.b)
			assert.Equal(t, tt.equal, a.Equal(b))
			assert.Equal(t, tt.equal, b.Equal(a))
			assert.Equal(t, tt.equal, a.Key() == b.Key(), "keys %q %q", a.Key(), b.Key())
		})
	}
}

func TestAddressEqualUnparsed(t *testing.T) {
	t.Parallel()
	// Built by hand: protocol urn:jxta is jxta, protocol case is ignored.
	a := Address{Protocol: "urn:jxta", Host: addrTestPeer}
	assert.True(t, a.Equal(PeerAddress(MustParsePeerIDForTest(t, "urn:jxta:"+addrTestPeer))))
	assert.Equal(t, "jxta://"+addrTestPeer, a.String())
	assert.Equal(t, "jxta://"+strings.ToLower(addrTestPeer), a.Key())
	assert.True(t, Address{Protocol: "TCP", Host: "X"}.Equal(Address{Protocol: "tcp", Host: "x"}))
	// Case folding is ASCII-only, so Key and Equal agree on any text.
	assert.False(t, Address{Protocol: "tcp", Host: "\u212a"}.Equal(Address{Protocol: "tcp", Host: "k"})) // Kelvin sign
}

func MustParsePeerIDForTest(t *testing.T, s string) PeerID {
	t.Helper()
	p, err := ParsePeerID(s)
	require.NoError(t, err)
	return p
}

func TestAddressKeyAsMapKey(t *testing.T) {
	t.Parallel()
	m := map[string]int{}
	for _, s := range []string{"TCP://Host:1/Svc/P", "tcp://host:1/Svc/P", "tcp://HOST:1/Svc/P/", "urn:jxta:X#s"} {
		m[MustParseAddress(s).Key()]++
	}
	assert.Equal(t, map[string]int{"tcp://host:1/Svc/P": 2, "tcp://host:1/Svc/P/": 1, "jxta://x/s": 1}, m)
	assert.Equal(t, "", Address{}.Key())
}

func TestAddressBaseAndWithService(t *testing.T) {
	t.Parallel()
	a := MustParseAddress("tcp://127.0.0.1:44010/EndpointService:jxta-NetGroup/EndpointRouter")
	base := a.Base()
	assert.Equal(t, Address{Protocol: "tcp", Host: "127.0.0.1:44010"}, base)
	assert.Equal(t, "tcp://127.0.0.1:44010", base.String())
	b := base.WithService("EndpointService:jxta-NetGroup", "urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000605/jxta-NetGroup")
	assert.Equal(t, "tcp://127.0.0.1:44010/EndpointService:jxta-NetGroup/urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000605/jxta-NetGroup", b.String())
	assert.Equal(t, "tcp://127.0.0.1:44010/EndpointService:jxta-NetGroup/EndpointRouter", a.String(), "WithService must not change its receiver")
	assert.True(t, Address{}.IsZero())
	assert.Equal(t, "", Address{}.String())
	assert.True(t, Address{}.Base().IsZero())
}

func TestPeerAddressRoundTrip(t *testing.T) {
	t.Parallel()
	for _, id := range []PeerID{NewPeerID(NetGroupID), NewPeerID(NewGroupID()), MustParsePeerIDForTest(t, "urn:jxta:"+addrTestPeer)} {
		a := PeerAddress(id)
		assert.Equal(t, "jxta://"+id.Unique(), a.String())
		got, err := a.PeerID()
		require.NoError(t, err)
		assert.Equal(t, id, got)

		// With a service, in lower case, and in URN form.
		for _, s := range []string{
			a.WithService("PipeService", addrTestPipe).String(),
			strings.ToLower(a.String()),
			"urn:jxta:" + id.Unique() + "#EndpointRouter",
			"jxta://" + id.String(), // the SPEC's HTTP example form
		} {
			b, err := ParseAddress(s)
			require.NoError(t, err)
			got, err := b.PeerID()
			require.NoError(t, err, s)
			assert.Equal(t, id, got, s)
		}
	}
}

func TestAddressPeerIDErrors(t *testing.T) {
	t.Parallel()
	_, err := MustParseAddress("tcp://10.0.0.2:9701").PeerID()
	assert.ErrorIs(t, err, ErrBadAddress)
	_, err = MustParseAddress("urn:foo:" + addrTestPeer).PeerID()
	assert.ErrorIs(t, err, ErrBadAddress)
	_, err = MustParseAddress("jxta://jxta-NetGroup").PeerID()
	assert.ErrorIs(t, err, ErrWrongKind)
	_, err = MustParseAddress("jxta://nodash").PeerID()
	assert.ErrorIs(t, err, ErrBadID)
	// Opaque ID formats are accepted as any kind of ID (see AsPeerID).
	_, err = MustParseAddress("jxta://idform-1234").PeerID()
	assert.NoError(t, err)
	_, err = MustParseAddress("jxta://uuid-XYZ").PeerID()
	assert.ErrorIs(t, err, ErrBadID)
	id, err := MustParseAddress("jxta://jxta-NetGroup").ID()
	require.NoError(t, err)
	assert.Equal(t, NetGroupID.ID, id)
	assert.Equal(t, "jxta://jxta-NetGroup", IDAddress(NetGroupID.ID).String())
}

func TestAddressHostPort(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, host, port string }{
		{"tcp://10.0.0.2:9701", "10.0.0.2", "9701"},
		{"http://192.168.0.11:9700/endpoint/resolver", "192.168.0.11", "9700"},
		{"tcp://example.org:9701", "example.org", "9701"},
		{"tcp://192.168.0.89", "192.168.0.89", ""},
		{"tcp://[fe80:0:0:0:4876:6b37:697:b6e3]:9701", "fe80:0:0:0:4876:6b37:697:b6e3", "9701"},
		{"tcp://[fe80::1%eth0]:9701", "fe80::1%eth0", "9701"},
		{"tcp://[2001:db8::1]", "2001:db8::1", ""},
		{"tcp://[::ffff:1.2.3.4]:1", "::ffff:1.2.3.4", "1"},
		{"tcp://fe80:0:0:0:8e5:24f:3f57:f27d%13:9701", "fe80:0:0:0:8e5:24f:3f57:f27d%13", "9701"},
		{"tcp://2001:db8:0:0:0:0:0:1:9701", "2001:db8:0:0:0:0:0:1", "9701"},
		{"tcp://fe80::1", "fe80::1", ""},
		{"tcp://0.0.0.0:0", "0.0.0.0", "0"},
		{"tcp://h:65535", "h", "65535"},
		{"mem://peer1", "peer1", ""},
		{"mem://peer1:7", "peer1", "7"},
		{"relay://" + addrTestPeer, addrTestPeer, ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			host, port, err := MustParseAddress(tt.in).HostPort()
			require.NoError(t, err)
			assert.Equal(t, tt.host, host)
			assert.Equal(t, tt.port, port)
		})
	}
}

func TestAddressHostPortErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{
		"jxta://" + addrTestPeer,
		"urn:jxta:" + addrTestPeer,
		"urn:foo:bar",
		"tcp://:9701",
		"tcp://h:",
		"tcp://h:x1",
		"tcp://h:65536",
		"tcp://h:123456",
		"tcp://h:-1",
		"tcp://[fe80::1",
		"tcp://[fe80::1]x",
		"tcp://[fe80::1]:",
		"tcp://[1.2.3.4]:1",
		"tcp://[host]:1",
		"tcp://h]:1",
		"tcp://a:b:c",
		"tcp://fe80::1%eth0:x",
	} {
		t.Run(in, func(t *testing.T) {
			t.Parallel()
			_, _, err := MustParseAddress(in).HostPort()
			assert.ErrorIs(t, err, ErrBadAddress)
		})
	}
}

func TestTCPAddress(t *testing.T) {
	t.Parallel()
	tests := []struct{ in, want string }{
		{"10.0.0.2:9701", "tcp://10.0.0.2:9701"},
		{"[fe80::1%eth0]:9701", "tcp://[fe80::1%eth0]:9701"},
		{"fe80::1%eth0:9701", "tcp://[fe80::1%eth0]:9701"},
		{"fe80:0:0:0:8e5:24f:3f57:f27d%13:9701", "tcp://[fe80:0:0:0:8e5:24f:3f57:f27d%13]:9701"},
		{"fe80::1", "tcp://[fe80::1]"},
		{"0.0.0.0:0", "tcp://0.0.0.0:0"},
		{"example.org", "tcp://example.org"},
		{":9701", "tcp://:9701"}, // not splittable: kept as given
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			t.Parallel()
			a := TCPAddress(tt.in)
			assert.Equal(t, tt.want, a.String())
			assert.True(t, MustParseAddress(tt.want).Equal(a))
		})
	}
	assert.Equal(t, "http://[2001:db8::1]:9700", NetAddress("http", "2001:db8::1:9700").String())
}

func TestAddressText(t *testing.T) {
	t.Parallel()
	type doc struct {
		Dst Address   `json:"dst"`
		Opt Address   `json:"opt"`
		All []Address `json:"all"`
	}
	in := doc{Dst: MustParseAddress("jxta://" + addrTestPeer + "/PipeService/" + addrTestPipe), All: []Address{TCPAddress("[::1]:9701"), MustParseAddress("urn:foo:x#y")}}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `{"dst":"jxta://`+addrTestPeer+`/PipeService/`+addrTestPipe+`","opt":"","all":["tcp://[::1]:9701","urn:foo:x#y"]}`, string(b))
	var out doc
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, out)

	var a Address
	assert.ErrorIs(t, a.UnmarshalText([]byte("no scheme")), ErrBadAddress)
	_, err = Address{Protocol: "tcp", Host: "a/b"}.MarshalText()
	assert.ErrorIs(t, err, ErrBadAddress)
	_, err = Address{Protocol: "tcp"}.MarshalText()
	assert.ErrorIs(t, err, ErrBadAddress)
	_, err = Address{Protocol: "tcp", Host: "x", Service: "a/b"}.MarshalText()
	assert.ErrorIs(t, err, ErrBadAddress)
}

// TestInteropSpecEndpointAddresses parses the SPEC's example endpoint
// addresses.
func TestInteropSpecEndpointAddresses(t *testing.T) {
	t.Parallel()
	lines := specExampleAddresses(t)
	want := []Address{
		{"http", "192.168.0.11:9700", "endpoint", "resolver"},
		{"jxta", "uuid-59616261646162614E50472050325033D1D1D1D1D1D1D1D1D1D1D1D1D1D1D1D104", "pipeService", ""},
		{"jxta", "jxta-NetGroup", "relay", addrTestPeer},
	}
	require.Len(t, lines, len(want))
	for i, s := range lines {
		a, err := ParseAddress(s)
		require.NoError(t, err, s)
		assert.Equal(t, want[i], a)
	}
}

func specExampleAddresses(tb testing.TB) []string {
	tb.Helper()
	f, err := os.Open(filepath.Join(interop.Dir(tb), "ids", "spec_example_endpoint_addresses.txt"))
	require.NoError(tb, err)
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			out = append(out, s)
		}
	}
	require.NoError(tb, sc.Err())
	return out
}

// eaPattern finds the endpoint addresses of access point advertisements
// (<EA>) and of configuration documents (<Addr>), also inside flattened
// (escaped) documents. Pretty-printed documents put the value on its own
// line, hence the trimming.
var eaPattern = regexp.MustCompile(`(?s)(?:<|&lt;|&amp;lt;)(EA|Addr)(?:\s[^>]*)?>(.*?)(?:<|&lt;|&amp;lt;)/(?:EA|Addr)\s*>`)

func interopEndpointAddresses(tb testing.TB) map[string]string {
	tb.Helper()
	out := map[string]string{} // address -> first file
	for _, file := range interop.Files(tb, "", ".xml", ".adv") {
		data, err := os.ReadFile(file)
		require.NoError(tb, err)
		for _, m := range eaPattern.FindAllStringSubmatch(string(data), -1) {
			s := strings.TrimSpace(m[2])
			if _, ok := out[s]; !ok {
				out[s] = file
			}
		}
	}
	return out
}

// TestInteropEndpointAddresses parses every <EA> and <Addr> of the shared
// documents and checks that each prints back to itself (less a trailing
// '/') and re-parses to an Equal address.
func TestInteropEndpointAddresses(t *testing.T) {
	t.Parallel()
	addrs := interopEndpointAddresses(t)
	require.NotEmpty(t, addrs)
	protocols := map[string]bool{}
	trailing := 0
	for s, file := range addrs {
		a, err := ParseAddress(s)
		if !assert.NoError(t, err, "%s: %q", file, s) {
			continue
		}
		protocols[a.Protocol] = true
		if out := a.String(); out != s {
			// JXTA-C 1.x peer advertisements end addresses with '/'
			// (tcp://10.10.10.91:9701/): an empty service, dropped.
			assert.Equal(t, strings.TrimRight(s, "/"), out, file)
			trailing++
		}
		again, err := ParseAddress(a.String())
		require.NoError(t, err)
		assert.True(t, again.Equal(a), "%s: %q", file, s)
		if a.Protocol == "tcp" || a.Protocol == "http" {
			_, _, err := a.HostPort()
			assert.NoError(t, err, "%s: %q", file, s)
		}
		if a.Protocol == "relay" || a.Protocol == "cbjx" || a.Protocol == "jxtatls" {
			_, err := Address{Protocol: ProtocolJXTA, Host: a.Host}.PeerID()
			assert.NoError(t, err, "%s: %q", file, s)
		}
	}
	t.Logf("%d distinct endpoint addresses (%d with a trailing '/'), protocols %v", len(addrs), trailing, protocols)
	assert.Greater(t, len(addrs), 30)
	for _, p := range []string{"tcp", "http", "relay", "cbjx", "jxtatls"} {
		assert.True(t, protocols[p], "no %s:// address found", p)
	}
}

// FuzzParseAddress checks that ParseAddress never panics and that every
// address it accepts prints as text that parses back to an Equal address,
// prints the same and has the same Key. Seeded with the addresses of the
// tests above, the SPEC examples and every <EA>/<Addr> of the shared
// documents.
func FuzzParseAddress(f *testing.F) {
	for _, tt := range addressParseTests {
		f.Add(tt.in)
	}
	for _, s := range []string{
		"", "foo", "://x", "tcp://", "tcp:///s", "tcp://a b", "tcp://x\x00", "urn:", "urn:jxta:", "urn:jxta:#s",
		"urn:jxta:x/y", "tcp://x\xff", "tcp://[fe80::1", "tcp://h:65536", "urn:foo:a?b#c/d",
		"0://[0::0:0]", "tcp://fe80::1:9701", "tcp://fe80::1%eth0:x",
	} {
		f.Add(s)
	}
	if interop.Locate() != "" {
		for _, s := range specExampleAddresses(f) {
			f.Add(s)
		}
		for s := range interopEndpointAddresses(f) {
			f.Add(s)
		}
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := ParseAddress(s)
		if err != nil {
			if !errors.Is(err, ErrBadAddress) {
				t.Fatalf("%q: error %v does not wrap ErrBadAddress", s, err)
			}
			return
		}
		out := a.String()
		if len(out) > len(s) {
			t.Fatalf("%q printed longer: %q", s, out)
		}
		again, err := ParseAddress(out)
		if err != nil {
			t.Fatalf("%q printed as %q, which does not parse: %v", s, out, err)
		}
		if !again.Equal(a) || again.String() != out || again.Key() != a.Key() {
			t.Fatalf("%q -> %#v -> %q -> %#v: not stable", s, a, out, again)
		}
		// Changing the case of protocol and host keeps the address Equal.
		upper := Address{Protocol: upperASCII(a.Protocol), Host: upperASCII(a.Host), Service: a.Service, Param: a.Param}
		if !upper.Equal(a) || upper.Key() != a.Key() {
			t.Fatalf("%#v and %#v differ", a, upper)
		}
		text, err := a.MarshalText()
		if err != nil {
			t.Fatalf("%q: MarshalText: %v", s, err)
		}
		var un Address
		if err := un.UnmarshalText(text); err != nil || un != again {
			t.Fatalf("%q: text round trip gave %#v, %v", s, un, err)
		}
		base := a.Base()
		if base.Service != "" || base.Param != "" || !base.WithService(a.Service, a.Param).Equal(a) {
			t.Fatalf("%q: Base/WithService do not round-trip", s)
		}
		if host, port, err := a.HostPort(); err == nil {
			b := NetAddress(a.Protocol, joinForTest(host, port))
			if h2, p2, err := b.HostPort(); err != nil || h2 != host || p2 != port {
				t.Fatalf("%q: HostPort %q %q, rebuilt %v gives %q %q %v", s, host, port, b, h2, p2, err)
			}
		}
		_, _ = a.PeerID()
	})
}

func joinForTest(host, port string) string {
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == "" {
		return host
	}
	return host + ":" + port
}

func upperASCII(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'a' <= c && c <= 'z' {
			b[i] = c - 'a' + 'A'
		}
	}
	return string(b)
}

func ExampleParseAddress() {
	a, err := ParseAddress("tcp://127.0.0.1:44010/EndpointService:jxta-NetGroup/urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000605/jxta-NetGroup")
	if err != nil {
		panic(err)
	}
	fmt.Println(a.Protocol)
	fmt.Println(a.Host)
	fmt.Println(a.Service)
	fmt.Println(a.Param)
	fmt.Println(a.Base())
	// Output:
	// tcp
	// 127.0.0.1:44010
	// EndpointService:jxta-NetGroup
	// urn:jxta:uuid-DEADBEEFDEAFBABAFEEDBABE0000000605/jxta-NetGroup
	// tcp://127.0.0.1:44010
}

func ExampleParseAddress_urn() {
	a := MustParseAddress("urn:jxta:jxta-NetGroup?relay/uuid-59616261646162614A7874615032503369D1041721754AD18D7D9137C06F77DD03")
	fmt.Println(a)
	// Output:
	// jxta://jxta-NetGroup/relay/uuid-59616261646162614A7874615032503369D1041721754AD18D7D9137C06F77DD03
}

func ExamplePeerAddress() {
	peer, _ := ParsePeerID("urn:jxta:uuid-59616261646162614A7874615032503369D1041721754AD18D7D9137C06F77DD03")
	dst := PeerAddress(peer).WithService("PipeService", "urn:jxta:uuid-59616261646162614E50472050325033D1D1D1D1D1D1D1D1D1D1D1D1D1D1D1D104")
	fmt.Println(dst)
	back, _ := dst.PeerID()
	fmt.Println(back == peer)
	// Output:
	// jxta://uuid-59616261646162614A7874615032503369D1041721754AD18D7D9137C06F77DD03/PipeService/urn:jxta:uuid-59616261646162614E50472050325033D1D1D1D1D1D1D1D1D1D1D1D1D1D1D1D104
	// true
}

func ExampleAddress_HostPort() {
	host, port, _ := MustParseAddress("tcp://fe80:0:0:0:8e5:24f:3f57:f27d%13:9701").HostPort()
	fmt.Println(host, port)
	fmt.Println(TCPAddress("[fe80::1%eth0]:9701"))
	// Output:
	// fe80:0:0:0:8e5:24f:3f57:f27d%13 9701
	// tcp://[fe80::1%eth0]:9701
}
