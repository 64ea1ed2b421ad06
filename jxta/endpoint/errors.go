package endpoint

import "errors"

// Errors returned by the endpoint.
var (
	// ErrClosed is returned by an Endpoint that was closed.
	ErrClosed = errors.New("endpoint closed")
	// ErrUnknownPeer is returned when sending to a peer whose addresses
	// are not known.
	ErrUnknownPeer = errors.New("no known address for peer")
	// ErrNoTransport is returned for an address whose protocol no
	// transport serves.
	ErrNoTransport = errors.New("no transport for address")
	// ErrHandshake wraps failures of the welcome exchange and
	// identification.
	ErrHandshake = errors.New("handshake failed")
	// ErrLegacyPeer is returned when the remote peer speaks JXTA's plain
	// message-package framing (JXSE, JXTA-C), which gojxta does not serve
	// yet.
	ErrLegacyPeer = errors.New("legacy JXTA peer (JXSE/JXTA-C framing) not supported yet")
	// ErrPlaintextPeer is returned for a gojxta peer that does not upgrade
	// its connections to TLS (gojxta/1, before gojxta secured them):
	// between gojxta peers there is no plaintext fallback.
	ErrPlaintextPeer = errors.New("gojxta peer without TLS (gojxta/1) refused: it must be upgraded")
	// ErrUnexpectedPeer is returned when a dialled address is answered by
	// another peer than the one wanted.
	ErrUnexpectedPeer = errors.New("another peer answered")
	// ErrSelf is returned when a connection turns out to reach this peer.
	ErrSelf = errors.New("connected to self")
)

// ErrLegacyStreams reports a stream asked of a legacy JXTA peer, whose
// framing has none: pipes to it use messages (JxtaUnicast).
var ErrLegacyStreams = errors.New("legacy JXTA peers have no streams")
