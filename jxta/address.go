package jxta

// Endpoint addresses (reference d.5, JXSE net.jxta.endpoint.EndpointAddress).
//
// An endpoint address names where a message goes: a transport address
// (tcp://10.0.0.2:9701), a peer (jxta://uuid-...03), and optionally a
// service listening there and a parameter for it:
//
//	protocol://address[/service[/param]]
//	urn:<namespace>:<nss>[#service[/param]]     (also '?' instead of '#')
//
// The URL form is what JXSE and JXTA-C write. The URN form is accepted on
// input: urn:jxta:<unique> becomes the jxta URL form, as JXSE does; a URN
// of any other namespace keeps the protocol "urn:<namespace>" and prints
// back in URN form with '#'.

import (
	"errors"
	"fmt"
	"net/netip"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxAddressLength bounds the text of an endpoint address accepted by
// ParseAddress.
const MaxAddressLength = 4096

// ErrBadAddress is wrapped by every error ParseAddress and the Address
// accessors return for malformed or unsuitable addresses.
var ErrBadAddress = errors.New("malformed endpoint address")

// AddressError describes text that is not a usable endpoint address.
type AddressError struct {
	Text   string // the offending text (shortened if long)
	Reason string
}

// Error returns the message.
func (e *AddressError) Error() string {
	return fmt.Sprintf("endpoint address %q: %s", e.Text, e.Reason)
}

// Unwrap returns ErrBadAddress.
func (e *AddressError) Unwrap() error { return ErrBadAddress }

func addressError(text string, format string, args ...any) *AddressError {
	if len(text) > 80 {
		// Cut on a rune boundary so the shortened text stays valid UTF-8.
		i := 77
		for i > 0 && !utf8.RuneStart(text[i]) {
			i--
		}
		text = text[:i] + "..."
	}
	return &AddressError{Text: text, Reason: fmt.Sprintf(format, args...)}
}

// ProtocolJXTA is the protocol of addresses that name a peer (or another
// JXTA ID) rather than a transport address: jxta://uuid-...03.
const ProtocolJXTA = "jxta"

// Address is a JXTA endpoint address: protocol://address[/service[/param]].
//
// The zero Address is "no address" (IsZero). Addresses are comparable with
// ==, but JXTA compares them with Equal (protocol and host ignore case);
// use Key for map keys.
type Address struct {
	// Protocol is the scheme, lower-cased by ParseAddress: "tcp", "http",
	// "jxta" (peer and other ID addresses, also from urn:jxta: input),
	// "jxtatls", "cbjx", "relay", "mcast", "mem" (the in-memory transport),
	// ... A URN of another namespace keeps "urn:<namespace>".
	Protocol string
	// Host is the "protocol address" part, as written: "10.0.0.2:9701",
	// "[fe80::1%eth0]:9701", "uuid-5961...03". It never contains '/'.
	Host string
	// Service is the destination service; it never contains '/'. May be
	// empty.
	Service string
	// Param is the entire remainder after service/ and may contain '/'.
	// May be empty.
	Param string
}

// ParseAddress parses an endpoint address in URL form
// (protocol://address[/service[/param]]) or URN form
// (urn:<ns>:<nss>[#service[/param]], with '?' also accepted in place of '#'
// as in the SPEC's examples).
//
// The protocol (letters, digits, '+', '-', '.') and the URN namespace are
// lower-cased; urn:jxta:<unique> becomes Protocol "jxta", Host <unique>.
// The address part must not be empty. After protocol://address the next
// segment is the service and everything after the following '/' is the
// parameter, '/' included; empty service and parameter are allowed
// ("tcp://h//p" has Service "" and Param "p"), and a trailing '/' with
// nothing after it is dropped (JXTA-C 1.x wrote tcp://10.10.10.91:9701/,
// meaning tcp://10.10.10.91:9701). No percent-decoding is done: IPv6 zones are
// written raw (tcp://[fe80::1%eth0]:9701), as JXSE writes them.
//
// The text is not trimmed: whitespace, control characters and invalid
// UTF-8 anywhere are errors, as is text longer than MaxAddressLength bytes.
// Every error wraps ErrBadAddress.
func ParseAddress(s string) (Address, error) {
	if s == "" {
		return Address{}, addressError(s, "empty")
	}
	if len(s) > MaxAddressLength {
		return Address{}, addressError(s, "longer than %d bytes", MaxAddressLength)
	}
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n == 1 {
				return Address{}, addressError(s, "invalid UTF-8 at offset %d", i)
			}
		}
		if unicode.IsSpace(r) || unicode.IsControl(r) {
			return Address{}, addressError(s, "character %q at offset %d not allowed", r, i)
		}
	}
	colon := strings.IndexByte(s, ':')
	if colon < 0 {
		return Address{}, addressError(s, `missing "://"`)
	}
	if strings.HasPrefix(s[colon:], "://") {
		return parseURL(s, s[:colon], s[colon+3:])
	}
	if strings.EqualFold(s[:colon], "urn") {
		return parseURN(s, s[colon+1:])
	}
	return Address{}, addressError(s, `missing "://" (only urn: addresses may omit it)`)
}

func parseURL(s, protocol, rest string) (Address, error) {
	if protocol == "" {
		return Address{}, addressError(s, "missing protocol before \"://\"")
	}
	if err := checkName(s, "protocol", protocol); err != nil {
		return Address{}, err
	}
	var a Address
	a.Protocol = lowerASCII(protocol)
	host, rest, hasService := strings.Cut(rest, "/")
	if host == "" {
		return Address{}, addressError(s, "missing address after \"://\"")
	}
	a.Host = host
	if hasService {
		a.Service, a.Param, _ = strings.Cut(rest, "/")
	}
	return a, nil
}

func parseURN(s, rest string) (Address, error) {
	ns, nss, ok := strings.Cut(rest, ":")
	if !ok {
		return Address{}, addressError(s, "URN has no namespace-specific part (want urn:<ns>:<nss>)")
	}
	if ns == "" {
		return Address{}, addressError(s, "URN has an empty namespace")
	}
	if err := checkName(s, "URN namespace", ns); err != nil {
		return Address{}, err
	}
	var a Address
	if strings.EqualFold(ns, "jxta") {
		a.Protocol = ProtocolJXTA
	} else {
		a.Protocol = "urn:" + lowerASCII(ns)
	}
	host, rest := nss, ""
	hasService := false
	if i := strings.IndexAny(nss, "#?"); i >= 0 {
		host, rest, hasService = nss[:i], nss[i+1:], true
	}
	if host == "" {
		return Address{}, addressError(s, "URN has an empty namespace-specific part")
	}
	if strings.IndexByte(host, '/') >= 0 {
		return Address{}, addressError(s, `'/' in a URN address; the service follows '#'`)
	}
	a.Host = host
	if hasService {
		a.Service, a.Param, _ = strings.Cut(rest, "/")
	}
	return a, nil
}

// checkName checks a protocol or URN namespace: letters, digits, '+', '-'
// and '.', as in a URI scheme.
func checkName(s, what, name string) error {
	for i := 0; i < len(name); i++ {
		c := name[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '+' || c == '-' || c == '.') {
			return addressError(s, "%s %q: character %q not allowed", what, name, rune(c))
		}
	}
	return nil
}

// MustParseAddress is like ParseAddress but panics on error. It is for
// addresses written in source code.
func MustParseAddress(s string) Address {
	a, err := ParseAddress(s)
	if err != nil {
		panic(err)
	}
	return a
}

// String returns the address in URL form, protocol://host[/service[/param]],
// or "" for the zero Address. An address of protocol urn:jxta prints as
// jxta://; an address of another URN namespace (Protocol "urn:<ns>") prints
// in URN form, urn:<ns>:host[#service[/param]]. "/service" is written when
// Service or Param is set, "/param" when Param is set. For any address
// ParseAddress returns, the result parses back to an Equal address.
func (a Address) String() string {
	if a.IsZero() {
		return ""
	}
	return string(a.appendText(make([]byte, 0, len(a.Protocol)+len(a.Host)+len(a.Service)+len(a.Param)+5), a.Protocol, a.Host))
}

func (a Address) appendText(b []byte, protocol, host string) []byte {
	urn := false
	switch {
	case isURNJXTA(protocol):
		protocol = ProtocolJXTA
	case strings.IndexByte(protocol, ':') >= 0:
		urn = true
	}
	b = append(b, protocol...)
	if urn {
		b = append(b, ':')
	} else {
		b = append(b, "://"...)
	}
	b = append(b, host...)
	if a.Service != "" || a.Param != "" {
		if urn {
			b = append(b, '#')
		} else {
			b = append(b, '/')
		}
		b = append(b, a.Service...)
		if a.Param != "" {
			b = append(b, '/')
			b = append(b, a.Param...)
		}
	}
	return b
}

func isURNJXTA(protocol string) bool { return strings.EqualFold(protocol, "urn:jxta") }

// canonicalProtocol is the protocol as Equal and Key compare it.
func canonicalProtocol(p string) string {
	if isURNJXTA(p) {
		return ProtocolJXTA
	}
	return lowerASCII(p)
}

// Equal reports whether a and b are the same endpoint address: protocol and
// host compared ignoring ASCII case (so uuid-... hex matches in either case),
// service and param compared exactly. Protocol "urn:jxta" equals "jxta".
// Hosts are compared as text: [fe80::1]:9701 and [fe80:0:0:0:0:0:0:1]:9701
// differ, as in JXSE.
func (a Address) Equal(b Address) bool {
	return a.Service == b.Service && a.Param == b.Param &&
		equalFoldASCII(a.Host, b.Host) &&
		canonicalProtocol(a.Protocol) == canonicalProtocol(b.Protocol)
}

// Key returns a canonical string for a: the String form with protocol and
// host lower-cased. For addresses ParseAddress accepts, Key(a) == Key(b)
// exactly when a.Equal(b), so it can key a map.
func (a Address) Key() string {
	if a.IsZero() {
		return ""
	}
	return string(a.appendText(nil, canonicalProtocol(a.Protocol), lowerASCII(a.Host)))
}

// IsZero reports whether a is the zero Address.
func (a Address) IsZero() bool { return a == Address{} }

// Base returns the address without service and param: the transport (or
// peer) address.
func (a Address) Base() Address { return Address{Protocol: a.Protocol, Host: a.Host} }

// WithService returns a copy of a with the given service and param. The
// service must not contain '/' (the param may).
func (a Address) WithService(service, param string) Address {
	a.Service, a.Param = service, param
	return a
}

// PeerAddress returns the endpoint address of a peer, jxta://uuid-...03.
func PeerAddress(id PeerID) Address { return IDAddress(id.ID) }

// IDAddress returns the jxta:// endpoint address of any ID, for example
// jxta://jxta-NetGroup.
func IDAddress(id ID) Address { return Address{Protocol: ProtocolJXTA, Host: id.Unique()} }

// ID returns the ID a jxta:// address names. The host is an ID's unique
// value (uuid-...); the full URN (jxta://urn:jxta:uuid-..., as in a SPEC
// example of the HTTP transport) is accepted too. Other protocols are an
// error wrapping ErrBadAddress; a host that is no ID, an *IDError.
func (a Address) ID() (ID, error) {
	if canonicalProtocol(a.Protocol) != ProtocolJXTA {
		return ID{}, addressError(a.String(), "not a jxta:// address")
	}
	if len(a.Host) >= len(urnPrefix) && strings.EqualFold(a.Host[:len(urnPrefix)], urnPrefix) {
		return Parse(a.Host)
	}
	return ParseUnique(a.Host)
}

// PeerID returns the peer a jxta:// address names. Errors are as for ID;
// an ID that is not a peer ID is an *IDError wrapping ErrWrongKind.
func (a Address) PeerID() (PeerID, error) {
	id, err := a.ID()
	if err != nil {
		return PeerID{}, err
	}
	return AsPeerID(id)
}

// HostPort splits the host of a transport address (tcp, http, mem, ...)
// into host and port. The host comes back without brackets, an IPv6 zone
// kept ("fe80::1%eth0"). Accepted forms: host:port, [v6]:port,
// [v6%zone]:port, and the unbracketed IPv6 form JXSE wrote,
// fe80:0:0:0:8e5:24f:3f57:f27d%13:9701, where the last colon separates the
// port. A host without a port (tcp://192.168.0.89, seen in the wild) gives
// port "": the caller applies its transport's default. The port, when
// present, is 0 to 65535 in decimal. jxta:// and URN addresses have no
// host and port. Errors wrap ErrBadAddress.
func (a Address) HostPort() (host, port string, err error) {
	if p := canonicalProtocol(a.Protocol); p == ProtocolJXTA || strings.IndexByte(p, ':') >= 0 {
		return "", "", addressError(a.String(), "a %s address has no host and port", a.Protocol)
	}
	host, port, reason := splitHostPort(a.Host)
	if reason != "" {
		return "", "", addressError(a.String(), "%s", reason)
	}
	return host, port, nil
}

// splitHostPort implements HostPort; it returns a reason on failure.
func splitHostPort(hp string) (host, port, reason string) {
	if hp == "" {
		return "", "", "missing host"
	}
	if hp[0] == '[' {
		end := strings.IndexByte(hp, ']')
		if end < 0 {
			return "", "", "missing ']' after IPv6 address"
		}
		host, rest := hp[1:end], hp[end+1:]
		if !isIPv6(host) {
			return "", "", fmt.Sprintf("%q in brackets is not an IPv6 address", host)
		}
		if rest == "" {
			return host, "", ""
		}
		if rest[0] != ':' {
			return "", "", fmt.Sprintf("unexpected %q after ']'", rest)
		}
		if r := checkPort(rest[1:]); r != "" {
			return "", "", r
		}
		return host, rest[1:], ""
	}
	if strings.ContainsAny(hp, "[]") {
		return "", "", "misplaced '[' or ']'"
	}
	switch strings.Count(hp, ":") {
	case 0:
		return hp, "", ""
	case 1:
		host, port, _ := strings.Cut(hp, ":")
		if host == "" {
			return "", "", "missing host before the port"
		}
		if r := checkPort(port); r != "" {
			return "", "", r
		}
		return host, port, ""
	}
	// Unbracketed IPv6: the last colon separates the port when what is
	// before it is an IPv6 address; otherwise the whole is one without a
	// port.
	i := strings.LastIndexByte(hp, ':')
	if h, p := hp[:i], hp[i+1:]; isIPv6(h) && checkPort(p) == "" {
		return h, p, ""
	}
	if isIPv6(hp) {
		return hp, "", ""
	}
	return "", "", fmt.Sprintf("%q is neither host:port nor an IPv6 address", hp)
}

// isIPv6 reports whether s is an IPv6 address, with an optional zone that
// holds none of the characters that delimit it in a host ("fe80::1%eth0:x"
// is not one).
func isIPv6(s string) bool {
	ip, err := netip.ParseAddr(s)
	return err == nil && ip.Is6() && !strings.ContainsAny(ip.Zone(), ":[]%/")
}

func checkPort(p string) string {
	if p == "" {
		return "empty port"
	}
	if len(p) > 5 {
		return fmt.Sprintf("port %q out of range", p)
	}
	n := 0
	for i := 0; i < len(p); i++ {
		c := p[i]
		if c < '0' || c > '9' {
			return fmt.Sprintf("port %q is not a decimal number", p)
		}
		n = n*10 + int(c-'0')
	}
	if n > 65535 {
		return fmt.Sprintf("port %q out of range", p)
	}
	return ""
}

// TCPAddress returns the tcp:// address of hostport ("10.0.0.2:9701",
// "[fe80::1%eth0]:9701", as net.Addr.String writes them). An IPv6 host
// given without brackets (in any form HostPort accepts) is bracketed, as
// net.JoinHostPort does.
func TCPAddress(hostport string) Address { return NetAddress("tcp", hostport) }

// NetAddress returns the address protocol://hostport for an IP transport
// (tcp, http, mcast), bracketing an IPv6 host as TCPAddress does. Text
// HostPort cannot split is used as it is.
func NetAddress(protocol, hostport string) Address {
	host, port, reason := splitHostPort(hostport)
	if reason != "" {
		return Address{Protocol: protocol, Host: hostport}
	}
	if strings.IndexByte(host, ':') >= 0 {
		host = "[" + host + "]"
	}
	if port != "" {
		host += ":" + port
	}
	return Address{Protocol: protocol, Host: host}
}

// MarshalText returns the String form. The zero Address marshals as empty
// text; an address that would not parse back to an Equal one is an error.
func (a Address) MarshalText() ([]byte, error) {
	if a.IsZero() {
		return []byte{}, nil
	}
	s := a.String()
	b, err := ParseAddress(s)
	if err != nil {
		return nil, err
	}
	if !b.Equal(a) {
		return nil, addressError(s, "fields do not survive printing (a '/' in the host or service?)")
	}
	return []byte(s), nil
}

// UnmarshalText parses text as ParseAddress does; empty text gives the zero
// Address, so optional address fields round-trip.
func (a *Address) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*a = Address{}
		return nil
	}
	v, err := ParseAddress(string(text))
	if err != nil {
		return err
	}
	*a = v
	return nil
}

// lowerASCII lower-cases ASCII letters only, so that Key agrees with
// equalFoldASCII on any text.
func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if c := s[i]; 'A' <= c && c <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if c := b[j]; 'A' <= c && c <= 'Z' {
					b[j] = c + 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
