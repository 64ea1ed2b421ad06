package mcast

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"time"

	"github.com/gojxta/gojxta/jxta/advert"
)

// Config configures a Beacon. The zero value of each optional field means
// the default documented on it.
type Config struct {
	// Group is the IPv4 multicast group and port announcements go to;
	// default DefaultGroup, JXSE's.
	Group *net.UDPAddr
	// Interface is the network interface to join the group on and send
	// through; nil lets the system choose (the interface of its route to
	// the group).
	Interface *net.Interface
	// Self returns this peer's advertisement, listing the addresses other
	// peers reach it at (required). It is called for every announcement,
	// from more than one goroutine, and must describe the same peer and
	// group each time; the addresses may change.
	Self func() *advert.PeerAdv
	// OnPeer is called with the advertisement of every valid announcement
	// heard from another peer of the same group, repeats included, so
	// that the caller can refresh what it knows. Calls come one at a time
	// from the beacon's receiving goroutine; a slow OnPeer delays the
	// datagrams behind it, and OnPeer must not call Close. Nil ignores
	// what is heard.
	OnPeer func(*advert.PeerAdv)
	// Interval is how often the beacon announces itself, give or take a
	// tenth; default DefaultInterval.
	Interval time.Duration
	// Legacy also speaks to JXSE's multicast (see the package doc): each
	// announcement is followed by a propagated discovery query JXSE
	// answers, and the messages JXSE peers propagate on the group go to
	// OnLegacy instead of being dropped.
	Legacy bool
	// OnLegacy is called, in legacy mode, with every message another
	// peer (a JXSE peer: gojxta peers send none) propagated on the group
	// of this beacon's group. Calls come as OnPeer's. Nil drops them.
	OnLegacy func(LegacyMessage)
	// Logger receives send failures (warn) and dropped datagrams (debug);
	// default discards them.
	Logger *slog.Logger
}

// Defaults.
const (
	// DefaultGroup is JXSE's multicast group and port.
	DefaultGroup = "224.0.1.85:1234"
	// DefaultInterval is how often a beacon announces itself.
	DefaultInterval = 30 * time.Second
)

// errNoSelf reports a Config without Self.
var errNoSelf = errors.New("mcast: Config.Self is required")

func (c *Config) withDefaults() (Config, error) {
	out := *c
	if out.Self == nil {
		return Config{}, errNoSelf
	}
	if out.Group == nil {
		out.Group = net.UDPAddrFromAddrPort(netip.MustParseAddrPort(DefaultGroup))
	}
	if ip := out.Group.IP.To4(); ip == nil || !ip.IsMulticast() || out.Group.Port == 0 {
		return Config{}, fmt.Errorf("mcast: group %s is not an IPv4 multicast address and port", out.Group)
	}
	if out.Interval <= 0 {
		out.Interval = DefaultInterval
	}
	if out.Logger == nil {
		out.Logger = slog.New(slog.DiscardHandler)
	}
	return out, nil
}
