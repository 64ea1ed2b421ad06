package endpoint

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
	"github.com/gojxta/gojxta/jxta/metrics"
	"github.com/libp2p/go-yamux/v5"
)

// Stream protocols. Every yamux stream starts with one line naming its
// protocol (and an argument), so that opening a stream costs no round
// trip.
const (
	// msgProtocol is the stream each side opens for the endpoint messages
	// it sends.
	msgProtocol = "/jxta/msg/1"
	// maxStreamHeader bounds the protocol line of a stream.
	maxStreamHeader = 1024
)

// identifyElement is the element of the first message on a message stream:
// the sender's peer advertisement.
const identifyElement = "EndpointPeerAdv"

// conn is an established connection to one remote peer: a yamux session
// over a TLS connection, or, to a legacy JXTA peer, message packages in
// the clear (wire; legacy.go).
type conn struct {
	ep       *Endpoint
	sess     *yamux.Session // nil on a legacy connection
	wire     *legacyWire    // legacy connections only
	pacer    *pacedReader   // legacy connections only
	peer     jxta.PeerID
	outbound bool         // we dialed it
	dialer   jxta.PeerID  // the peer that dialed it
	remote   jxta.Address // the transport address dialed, or the peer's public address
	local    jxta.Address
	since    time.Time

	identified chan struct{} // closed when the peer's advertisement arrived
	registered chan struct{} // closed when the endpoint has recorded the connection
	regOnce    sync.Once
	arrived    func() // for an incoming connection: ends the wait of senders to its peer
	adv        atomic.Pointer[advert.PeerAdv]
	signedAdv  atomic.Pointer[advert.SignedAdv] // adv as the peer signed it, if it did
	gotMsgIn   atomic.Bool                      // the peer's message stream was accepted

	sendq   *sendQueue   // writes our message stream
	traffic *peerTraffic // the peer's message counters

	// activity counts messages and streams either way; the idle reaper
	// compares it between its rounds (cheaper than reading the clock per
	// message).
	activity atomic.Uint64
	// idleSince and lastSeen belong to the reaper.
	idleSince time.Time
	lastSeen  uint64

	// The reader's cache of the addresses it parsed last: a connection
	// mostly carries messages from one source to a few services.
	addrCache [2]struct {
		text string
		addr jxta.Address
	}
	// peerDone is closed when the peer's message stream ended cleanly:
	// every message the peer sent has been dispatched.
	peerDone   chan struct{}
	finishOnce sync.Once
	finishing  atomic.Bool // finish has begun
	closeOnce  sync.Once
	closed     chan struct{}
	retire     atomic.Pointer[time.Timer] // closes a redundant connection after a grace period
}

func (c *conn) touch() { c.activity.Add(1) }

func (c *conn) isClosed() bool {
	select {
	case <-c.closed:
		return true
	default:
		return false
	}
}

// openMessageStream opens our message stream and sends our peer
// advertisement on it, signed.
func (c *conn) openMessageStream(ctx context.Context) error {
	s, err := c.sess.OpenStream(ctx)
	if err != nil {
		return err
	}
	m := jxta.NewMessage()
	m.AddXML(jxta.NamespaceJXTA, identifyElement, advert.Marshal(advert.Sign(c.ep.PeerAdv(), c.ep.cfg.Identity)))
	buf := appendStreamHeader(nil, msgProtocol, "")
	buf = framing.AppendPackage(buf, jxta.TypeMessage, jxta.EncodeBinary(m))
	if dl, ok := ctx.Deadline(); ok {
		_ = s.SetWriteDeadline(dl)
	}
	if _, err := s.Write(buf); err != nil {
		s.Reset()
		return err
	}
	_ = s.SetWriteDeadline(time.Time{})
	c.sendq.start(s)
	return nil
}

// acceptLoop serves the streams the peer opens until the session ends.
func (c *conn) acceptLoop() {
	defer c.ep.wg.Done()
	for {
		s, err := c.sess.AcceptStream()
		if err != nil {
			c.close(err)
			return
		}
		c.ep.wg.Add(1)
		go c.serveStream(s)
	}
}

func (c *conn) serveStream(s *yamux.Stream) {
	defer c.ep.wg.Done()
	_ = s.SetReadDeadline(time.Now().Add(c.ep.cfg.HandshakeTimeout))
	proto, arg, err := readStreamHeader(s)
	if err != nil {
		c.ep.log.Warn("endpoint: bad stream header", "peer", c.peer, "err", err)
		s.Reset()
		return
	}
	_ = s.SetReadDeadline(time.Time{})
	if proto == msgProtocol {
		if c.gotMsgIn.Swap(true) {
			c.ep.log.Warn("endpoint: second message stream refused", "peer", c.peer)
			s.Reset()
			return
		}
		err := c.readMessages(s)
		if err == nil {
			// The peer is leaving: it sent all it had. Do the same.
			close(c.peerDone)
			c.finish(c.ep.cfg.CloseTimeout)
			return
		}
		if !c.isClosed() {
			c.ep.dropped.Event("peer", c.peer, "err", err)
		}
		c.close(err)
		return
	}
	// Like messages, streams wait until the peer has identified itself,
	// so that their handlers know who it is.
	select {
	case <-c.registered:
	case <-c.closed:
		s.Reset()
		return
	}
	h := c.ep.streamHandler(proto)
	if h == nil {
		c.ep.log.Warn("endpoint: stream for unknown protocol refused", "peer", c.peer, "protocol", proto)
		s.Reset()
		return
	}
	c.ep.cfg.Metrics.StreamOpened(false)
	defer func() {
		if r := recover(); r != nil {
			c.ep.log.Error("endpoint: stream handler panicked", "protocol", proto, "peer", c.peer, "panic", r, "stack", string(debug.Stack()))
			s.Reset()
		}
	}()
	h.ServeStream(&Stream{Stream: s, Peer: c.peer, Protocol: proto, Arg: arg})
}

// readMessages reads the peer's message stream: its advertisement first,
// then messages to dispatch. It returns nil when the peer half-closed the
// stream after its advertisement (it is leaving, see finish), once every
// message before the end is dispatched; then closing the stream tells the
// peer that all it sent was read. It returns an error when the stream or
// connection fails, or on input that ends the connection (garbage, a
// message too large, an unknown content type).
func (c *conn) readMessages(s *yamux.Stream) error {
	defer s.Close()
	mr := c.ep.newMessageReader(&pacedReader{r: s, d: s, window: c.ep.cfg.BodyStallTimeout})
	first := true
	for {
		m, size, err := mr.next()
		if err != nil {
			if errors.Is(err, io.EOF) && !first {
				return nil
			}
			if errors.Is(err, io.EOF) {
				return fmt.Errorf("peer closed its message stream")
			}
			return err
		}
		c.touch()
		c.traffic.received(size, time.Now())
		if first {
			if err := c.identify(m); err != nil {
				return err
			}
			first = false
			// Deliver nothing before the endpoint knows the peer, so that
			// a handler can answer it by ID.
			select {
			case <-c.registered:
			case <-c.closed:
				return ErrClosed
			}
			continue
		}
		c.ep.dispatch(c, m, c.address, size)
	}
}

// identify checks the peer advertisement that opens the peer's message
// stream against the welcome line.
func (c *conn) identify(m *jxta.Message) error {
	el, ok := m.Get(jxta.NamespaceJXTA, identifyElement)
	if !ok {
		return fmt.Errorf("%w: first message carries no peer advertisement", ErrHandshake)
	}
	a, err := advert.Parse(el.Data)
	if err != nil {
		return fmt.Errorf("%w: peer advertisement: %w", ErrHandshake, err)
	}
	// The peer signs its advertisement, so that others can keep it and
	// pass it on (see Endpoint.SignedPeerAdv). A plain one, as a peer
	// sent before advertisements were signed, is taken too: the
	// connection itself proves who sent it.
	var sa *advert.SignedAdv
	pa, ok := a.(*advert.PeerAdv)
	if sa, ok = a.(*advert.SignedAdv); ok {
		if pa, ok = sa.Adv.(*advert.PeerAdv); ok && sa.Publisher != c.peer {
			return fmt.Errorf("%w: peer advertisement signed by %s on a connection from %s", ErrHandshake, sa.Publisher, c.peer)
		}
	}
	if pa == nil {
		return fmt.Errorf("%w: %s where a peer advertisement is expected", ErrHandshake, a.AdvType())
	}
	if pa.PeerID != c.peer {
		return fmt.Errorf("%w: advertisement of %s on a connection from %s", ErrHandshake, pa.PeerID, c.peer)
	}
	if sa != nil {
		c.signedAdv.Store(sa)
	}
	c.adv.Store(pa)
	close(c.identified)
	return nil
}

// send writes m, addressed to dst, on our message stream (see
// sendQueue), counting it in svc.
func (c *conn) send(ctx context.Context, m *jxta.Message, dst []byte, svc *metrics.Service) error {
	if c.wire != nil {
		return c.sendLegacy(ctx, m, dst, svc)
	}
	return c.sendq.send(ctx, m, dst, svc)
}

// streams returns how many streams the connection carries (none on a
// legacy connection).
func (c *conn) streams() int {
	if c.sess == nil {
		return 0
	}
	return c.sess.NumStreams()
}

// close ends the connection and tells the endpoint.
// address parses an address element, remembering the last two parsed
// (the source and the destination of the messages usually repeat).
func (c *conn) address(b []byte) (jxta.Address, error) {
	for i := range c.addrCache {
		if e := &c.addrCache[i]; e.text != "" && string(b) == e.text {
			return e.addr, nil
		}
	}
	text := string(b)
	a, err := jxta.ParseAddress(text)
	if err == nil {
		c.addrCache[1] = c.addrCache[0]
		c.addrCache[0].text, c.addrCache[0].addr = text, a
	}
	return a, err
}

func (c *conn) markRegistered() { c.regOnce.Do(func() { close(c.registered) }) }

func (c *conn) isRegistered() bool {
	select {
	case <-c.registered:
		return true
	default:
		return false
	}
}

// finish closes the connection without losing what either side sent, the
// way TCP closes: each side half-closes its message stream once every
// message Send accepted is written, and the connection closes when both
// ends are known to have read everything.
//
//  1. Our send queue refuses new messages, writes what it took, and
//     half-closes our message stream (sendQueue.closeWrite).
//  2. The peer's reader dispatches every message up to the end of our
//     stream and then closes the stream on its side (readMessages): when
//     our read of that stream ends, the peer has read all we sent.
//  3. The peer, seeing our stream end, finishes in turn (serveStream), so
//     its own message stream ends after its last message: peerDone.
//
// When both are done the session closes; nothing of value is left in the
// multiplexer or the coalescing buffer, and whichever side closes first,
// the other has already read all it will read. An older peer that closes
// the session when our stream ends is done too. The whole takes at most
// timeout, after which the connection is closed and what is left dropped.
// finish returns when the connection is closed; when it is already
// finishing, it waits for that.
func (c *conn) finish(timeout time.Duration) {
	first := false
	c.finishOnce.Do(func() { first = true; c.finishing.Store(true) })
	if !first {
		<-c.closed
		return
	}
	if timeout <= 0 || !c.isRegistered() || c.wire != nil {
		// A connection still in its handshake carried no message; a
		// legacy connection has written what it accepted.
		c.close(ErrClosed)
		return
	}
	deadline := time.Now().Add(timeout)
	t := time.AfterFunc(timeout, func() {
		c.ep.log.Warn("endpoint: gave up delivering before close", "peer", c.peer, "after", timeout)
		c.close(fmt.Errorf("close: not delivered within %v", timeout))
	})
	defer t.Stop()
	s, err := c.sendq.closeWrite()
	if err == nil {
		// The peer never writes on our stream: the read ends when the
		// peer's reader closes it, or with the session.
		_ = s.SetReadDeadline(deadline)
		_, _ = io.Copy(io.Discard, s)
		select {
		case <-c.peerDone:
		case <-c.sess.CloseChan():
		case <-c.closed:
		}
	}
	c.close(ErrClosed)
}

func (c *conn) close(err error) {
	c.closeOnce.Do(func() {
		close(c.closed)
		if c.sendq != nil {
			c.sendq.fail(ErrClosed)
		}
		if t := c.retire.Load(); t != nil {
			t.Stop()
		}
		if c.wire != nil {
			c.wire.raw.Close()
		} else {
			c.sess.Close()
		}
		c.ep.untrack(c, err)
	})
}

// appendStreamHeader appends the header that opens a stream: the length
// of the protocol line as two bytes, big-endian, then the line: the
// protocol, and a space and the argument if there is one.
func appendStreamHeader(b []byte, proto, arg string) []byte {
	n := len(proto)
	if arg != "" {
		n += 1 + len(arg)
	}
	b = binary.BigEndian.AppendUint16(b, uint16(n))
	b = append(b, proto...)
	if arg != "" {
		b = append(b, ' ')
		b = append(b, arg...)
	}
	return b
}

// readStreamHeader reads the header of a stream in two reads, so that
// nothing after it is consumed.
func readStreamHeader(r io.Reader) (proto, arg string, err error) {
	var n [2]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return "", "", fmt.Errorf("stream header: %w", err)
	}
	size := int(binary.BigEndian.Uint16(n[:]))
	if size == 0 || size >= maxStreamHeader {
		return "", "", fmt.Errorf("stream header of %d bytes: empty, or longer than %d", size, maxStreamHeader-1)
	}
	line := make([]byte, size)
	if _, err := io.ReadFull(r, line); err != nil {
		return "", "", fmt.Errorf("stream header: %w", err)
	}
	s := string(line)
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i], s[i+1:], nil
	}
	return s, "", nil
}

// bufConn reads through the buffered reader that read the welcome line, so
// that bytes it read ahead reach the TLS layer, then, once that reader is
// drained, from the connection itself: TLS reads whole records into a
// buffer of its own, and the connection keeps no second one.
type bufConn struct {
	net.Conn
	r *bufio.Reader // nil once drained
}

func (b *bufConn) Read(p []byte) (int, error) {
	if b.r != nil {
		if b.r.Buffered() > 0 {
			return b.r.Read(p)
		}
		b.r = nil
	}
	return b.Conn.Read(p)
}
