package endpoint

import (
	"io"
	"log/slog"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/identity"
	"github.com/gojxta/gojxta/jxta/metrics"
	"github.com/libp2p/go-yamux/v5"
)

// Config configures an Endpoint. The zero value of each field means the
// default documented on it.
type Config struct {
	// Identity is this peer's key pair, from which its peer ID derives;
	// every connection proves it. Nil means a fresh one (a peer whose ID
	// changes at each start).
	Identity *identity.Identity
	// Name is this peer's name, sent in its peer advertisement.
	Name string
	// GroupID is the group of this peer's advertisement; default the Net
	// group.
	GroupID jxta.GroupID
	// Listen lists the addresses to listen on, such as tcp://0.0.0.0:9701
	// or mem://alice. Empty means no listening (dial-out only).
	Listen []jxta.Address
	// Transports serve the protocols of Listen and of dialed addresses;
	// default TCP only.
	Transports []Transport
	// HandshakeTimeout bounds the welcome exchange and identification of a
	// new connection; default 10s.
	HandshakeTimeout time.Duration
	// MaxHandshakes bounds the incoming connections in their handshake at
	// once, and MaxHandshakesPerSource those from one source (an IPv4
	// address or an IPv6 /64); a connection beyond either is closed at
	// once, so that connections that never speak cost bounded memory and
	// one source cannot lock others out. Defaults 256 and 16.
	MaxHandshakes          int
	MaxHandshakesPerSource int
	// SendTimeout bounds a Send whose context has no deadline; a peer that
	// stops reading for this long has its connection dropped. Default 10s.
	SendTimeout time.Duration
	// IdleTimeout closes connections that carried no message and have no
	// open pipe stream for this long; default 5 minutes, negative never.
	IdleTimeout time.Duration
	// KeepAliveInterval is how long a connection may stay silent before
	// the multiplexer pings the peer. Default 2s.
	KeepAliveInterval time.Duration
	// KeepAliveTimeout is how long the peer has to answer a ping, and how
	// long a write to the connection may stall, before the connection is
	// dropped as hung. A stopped peer (its process suspended, its network
	// gone) is detected within KeepAliveInterval + KeepAliveTimeout of its
	// last word: 6s by default. A live peer answers a ping within its
	// round trip and keeps draining its socket however slowly its
	// application reads, so a slow link is not mistaken for a hung one.
	// Default 4s.
	KeepAliveTimeout time.Duration
	// CloseTimeout bounds how long Close waits for each connection to
	// deliver the messages Send accepted (see Endpoint.Close); after it,
	// the rest is dropped. Default 5s; negative means Close drops them at
	// once.
	CloseTimeout time.Duration
	// MaxMessageSize bounds incoming messages; default
	// jxta.DefaultMaxMessageSize (16 MiB). A connection receives one
	// message at a time, so this also bounds the memory of what one
	// connection has partly received.
	MaxMessageSize int
	// MaxPendingBytes bounds the memory of the message bodies being
	// received on all connections together, counting each body's bytes
	// beyond its first 256 KiB (smaller messages are never held up): a
	// connection whose message would pass it is dropped. Default 32 MiB.
	MaxPendingBytes int64
	// BodyStallTimeout is how long a message body that has started may
	// take for each next 64 KiB (and for its last bytes): a body that
	// stops arriving, or trickles in slower, drops its connection rather
	// than hold its memory. Default 5s (at least about 13 KB/s).
	BodyStallTimeout time.Duration
	// Legacy also takes connections with JXTA peers that speak JXTA 1.1's
	// framing (JXSE, JXTA-C): message packages in the clear, their peer ID
	// unproven (see legacy.go). Off, such a peer is refused with one log
	// line.
	Legacy bool
	// Logger receives connection errors and dropped input; default
	// discards them.
	Logger *slog.Logger
	// Metrics counts connections, handshakes, streams and each service's
	// traffic, and reads the open connections and streams at scrape time;
	// nil counts nothing. The services built on the endpoint count into
	// it too (see Endpoint.Metrics).
	Metrics *metrics.Set
}

// Defaults.
const (
	DefaultHandshakeTimeout = 10 * time.Second
	DefaultMaxHandshakes    = 256
	DefaultMaxPerSource     = 16
	DefaultSendTimeout      = 10 * time.Second
	DefaultIdleTimeout      = 5 * time.Minute
	DefaultKeepAlive        = 2 * time.Second
	DefaultKeepAliveTimeout = 4 * time.Second
	DefaultCloseTimeout     = 5 * time.Second
	DefaultMaxPendingBytes  = 32 << 20
	DefaultBodyStallTimeout = 5 * time.Second
)

func (c *Config) withDefaults() Config {
	out := *c
	if out.GroupID.IsNull() {
		out.GroupID = jxta.NetGroupID
	}
	if len(out.Transports) == 0 {
		out.Transports = []Transport{&TCPTransport{}}
	}
	if out.HandshakeTimeout <= 0 {
		out.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if out.MaxHandshakes <= 0 {
		out.MaxHandshakes = DefaultMaxHandshakes
	}
	if out.MaxHandshakesPerSource <= 0 {
		out.MaxHandshakesPerSource = DefaultMaxPerSource
	}
	if out.SendTimeout <= 0 {
		out.SendTimeout = DefaultSendTimeout
	}
	if out.IdleTimeout == 0 {
		out.IdleTimeout = DefaultIdleTimeout
	}
	if out.CloseTimeout == 0 {
		out.CloseTimeout = DefaultCloseTimeout
	}
	if out.KeepAliveInterval <= 0 {
		out.KeepAliveInterval = DefaultKeepAlive
	}
	if out.KeepAliveTimeout <= 0 {
		out.KeepAliveTimeout = DefaultKeepAliveTimeout
	}
	if out.MaxPendingBytes <= 0 {
		out.MaxPendingBytes = DefaultMaxPendingBytes
	}
	if out.BodyStallTimeout <= 0 {
		out.BodyStallTimeout = DefaultBodyStallTimeout
	}
	if out.MaxMessageSize <= 0 {
		out.MaxMessageSize = jxta.DefaultMaxMessageSize
	}
	if out.Logger == nil {
		out.Logger = slog.New(slog.DiscardHandler)
	}
	return out
}

// MuxConfig returns the go-yamux configuration connections run with
// (after defaults), for benchmarks that measure the endpoint against a
// bare yamux stream.
func (c Config) MuxConfig() *yamux.Config {
	d := c.withDefaults()
	return d.yamuxConfig()
}

func (c *Config) yamuxConfig() *yamux.Config {
	y := yamux.DefaultConfig()
	y.LogOutput = io.Discard
	y.KeepAliveInterval = c.KeepAliveInterval
	y.ConnectionWriteTimeout = c.KeepAliveTimeout
	y.MaxStreamWindowSize = 16 << 20
	y.MaxIncomingStreams = 1 << 16
	// Every session allocates its pong channel at this size (go-yamux's
	// default, 1024, costs 4 KB per idle connection end); a pong that
	// does not fit is dropped, and the ping that asked for it is
	// answered by the next.
	y.PingBacklog = 16
	// No read buffer: yamux reads from TLS, which holds a whole record
	// (up to 16 KiB) already; a second buffer would cost each connection
	// its size while idle, and a copy (bulk speed is the same without it).
	y.ReadBufSize = 0
	// Frames of up to 256 KiB and a 1 MiB starting window let bulk
	// transfers reach speed without many round trips of window updates;
	// a stream nobody reads holds at most its window (1 MiB, growing to
	// MaxStreamWindowSize only while it is read quickly).
	y.MaxMessageSize = 64 << 10
	y.InitialStreamWindowSize = 1 << 20
	return y
}
