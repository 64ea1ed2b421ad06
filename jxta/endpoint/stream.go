package endpoint

import (
	"context"
	"fmt"
	"net"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/libp2p/go-yamux/v5"
)

// Stream is a multiplexed stream on the connection to a peer: reliable,
// ordered, flow-controlled and full duplex, with deadlines and half-close
// (CloseWrite). It implements net.Conn.
type Stream struct {
	*yamux.Stream
	// Peer is the peer at the other end.
	Peer jxta.PeerID
	// Protocol and Arg are what the opener named in the stream's first
	// line.
	Protocol string
	Arg      string
}

var _ net.Conn = (*Stream)(nil)

// StreamHandler serves streams opened by other peers for one protocol.
// ServeStream runs on its own goroutine; it owns the stream and must close
// it.
type StreamHandler interface {
	ServeStream(s *Stream)
}

// StreamHandlerFunc adapts a function to StreamHandler.
type StreamHandlerFunc func(s *Stream)

// ServeStream calls f(s).
func (f StreamHandlerFunc) ServeStream(s *Stream) { f(s) }

// HandleStream registers h for streams of the given protocol; nil removes
// the handler. Protocol names must not contain spaces or newlines.
func (e *Endpoint) HandleStream(protocol string, h StreamHandler) {
	e.streamMu.Lock()
	defer e.streamMu.Unlock()
	if h == nil {
		delete(e.streams, protocol)
		return
	}
	e.streams[protocol] = h
}

func (e *Endpoint) streamHandler(protocol string) StreamHandler {
	e.streamMu.RLock()
	defer e.streamMu.RUnlock()
	return e.streams[protocol]
}

// OpenStream opens a stream of the given protocol to peer, connecting
// first if needed. The protocol line follows the stream's opening frame
// without waiting for the peer, so opening costs no round trip. arg must
// not contain a newline.
func (e *Endpoint) OpenStream(ctx context.Context, peer jxta.PeerID, protocol, arg string) (*Stream, error) {
	if err := checkProtocolLine(protocol, arg); err != nil {
		return nil, err
	}
	c, err := e.connFor(ctx, peer)
	if err != nil {
		return nil, err
	}
	if c.wire != nil {
		return nil, fmt.Errorf("open stream to %s: %w", peer, ErrLegacyStreams)
	}
	s, err := c.sess.OpenStream(ctx)
	if err != nil {
		return nil, fmt.Errorf("open stream to %s: %w", peer, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = s.SetWriteDeadline(dl)
	}
	if _, err := s.Write(appendStreamHeader(nil, protocol, arg)); err != nil {
		s.Reset()
		return nil, fmt.Errorf("open stream to %s: %w", peer, err)
	}
	_ = s.SetWriteDeadline(time.Time{})
	c.touch()
	e.cfg.Metrics.StreamOpened(true)
	return &Stream{Stream: s, Peer: peer, Protocol: protocol, Arg: arg}, nil
}

func checkProtocolLine(protocol, arg string) error {
	if protocol == "" || len(protocol)+1+len(arg) >= maxStreamHeader {
		return fmt.Errorf("stream protocol %q: empty or too long", protocol)
	}
	for _, c := range protocol {
		if c == ' ' || c == '\n' {
			return fmt.Errorf("stream protocol %q contains a space or newline", protocol)
		}
	}
	for _, c := range arg {
		if c == '\n' {
			return fmt.Errorf("stream argument contains a newline")
		}
	}
	return nil
}
