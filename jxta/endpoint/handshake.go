package endpoint

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
	"github.com/gojxta/gojxta/jxta/identity"
	"github.com/gojxta/gojxta/jxta/metrics"
	"github.com/libp2p/go-yamux/v5"
)

// handshakeState is how far a new connection got. Each state is one stage
// of the pipeline, a function of its own:
//
//	welcome   exchangeWelcome, checkWelcome: JXTA's welcome lines, in the clear
//	secure    secure: TLS 1.3, each side proving the key of the peer ID it announced
//	mux       startMux: the yamux session over the TLS connection
//	identify  the peer's advertisement, first on its message stream
//	registered the endpoint records the connection (register)
type handshakeState int

const (
	stateWelcome handshakeState = iota
	stateSecure
	stateMux
	stateIdentify
	stateRegistered
)

// String names the state, as the handshake's errors and metrics do.
func (s handshakeState) String() string {
	switch s {
	case stateWelcome:
		return "welcome"
	case stateSecure:
		return "tls"
	case stateMux:
		return "mux"
	case stateIdentify:
		return "identify"
	case stateRegistered:
		return "registered"
	}
	return "unknown"
}

// failureReason is the metrics reason of a handshake that failed in state
// s with err.
func failureReason(s handshakeState, err error) string {
	var mm *identity.MismatchError
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, ErrClosed):
		return metrics.HandshakeClosed
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return metrics.HandshakeTimeout
	case errors.Is(err, ErrLegacyPeer):
		return metrics.HandshakeLegacy
	case errors.Is(err, ErrSelf):
		return metrics.HandshakeSelf
	case errors.As(err, &mm), errors.Is(err, ErrUnexpectedPeer):
		return metrics.HandshakeIdentity
	}
	switch s {
	case stateWelcome:
		return metrics.HandshakeWelcome
	case stateSecure:
		return metrics.HandshakeTLS
	case stateMux:
		return metrics.HandshakeMux
	}
	return metrics.HandshakeIdentify
}

// handshake sets up a connection on raw through the stages of
// handshakeState. dialed is the address dialed for an outgoing
// connection, the zero Address for an incoming one; expect, when not
// null, is the peer the dialer wants, refused if another answers. It
// counts the connection opened, or the handshake failed and why, in
// Config.Metrics.
func (e *Endpoint) handshake(ctx context.Context, raw net.Conn, dialed jxta.Address, expect jxta.PeerID) (_ *conn, err error) {
	outbound := !dialed.IsZero()
	state := stateWelcome
	defer func() {
		if err == nil {
			e.cfg.Metrics.ConnOpened(outbound)
			return
		}
		e.cfg.Metrics.HandshakeFailed(failureReason(state, err))
		var mm *identity.MismatchError
		if errors.As(err, &mm) {
			e.log.Warn("endpoint: peer does not hold the key of its ID; connection dropped",
				"claimed", mm.Want, "proven", mm.Proven, "remote", raw.RemoteAddr().String())
		}
	}()
	if dl, ok := ctx.Deadline(); ok {
		_ = raw.SetDeadline(dl)
	}
	// A cancelled context (the endpoint closing) unblocks the exchange at
	// once.
	stopCancel := context.AfterFunc(ctx, func() { _ = raw.SetDeadline(time.Now()) })
	fail := func(err error) (*conn, error) {
		stopCancel()
		raw.Close()
		return nil, fmt.Errorf("%w: %s: %w", ErrHandshake, state, err)
	}

	theirs, br, err := e.exchangeWelcome(raw, dialed)
	if err == nil {
		err = e.checkWelcome(theirs, expect)
	}
	if errors.Is(err, errLegacy) {
		// Legacy mode: the peer's framing is JXTA 1.1's (legacy.go).
		if !stopCancel() {
			return fail(ctx.Err())
		}
		return e.legacyConn(raw, br, theirs, dialed)
	}
	if err != nil {
		return fail(err)
	}

	state = stateSecure
	tc, err := e.secure(ctx, &bufConn{Conn: raw, r: br}, outbound, theirs.PeerID)
	if !stopCancel() {
		err = errors.Join(err, ctx.Err())
	}
	if err != nil {
		return fail(err)
	}
	_ = raw.SetDeadline(time.Time{})

	var arrival func() // ends the wait of senders for an incoming connection
	arrivedOK := false
	if !outbound {
		// Sends to this peer wait for this connection rather than dial a
		// second one while it is being set up.
		finish := e.expectArrival(theirs.PeerID)
		defer func() {
			if !arrivedOK {
				finish()
			}
		}()
		arrival = finish
	}

	state = stateMux
	sess, err := e.startMux(tc, outbound)
	if err != nil {
		tc.Close()
		return nil, fmt.Errorf("%w: %s: %w", ErrHandshake, state, err)
	}
	c := &conn{
		ep: e, sess: sess, peer: theirs.PeerID, outbound: outbound,
		remote: dialed, local: e.publicAddress(), since: time.Now(),
		identified: make(chan struct{}), registered: make(chan struct{}), closed: make(chan struct{}),
		peerDone: make(chan struct{}),
	}
	c.sendq = newSendQueue(c, e.cfg.SendTimeout)
	c.traffic = e.trafficOf(c.peer)
	c.dialer = e.id
	if !outbound {
		c.dialer = theirs.PeerID
		if pub, err := jxta.ParseAddress(theirs.Public); err == nil {
			c.remote = pub
		}
	}
	c.touch()
	if !e.track(c) {
		sess.Close()
		return nil, ErrClosed
	}
	e.wg.Add(1)
	go c.acceptLoop()

	state = stateIdentify
	if err := c.openMessageStream(ctx); err != nil {
		c.close(err)
		return nil, fmt.Errorf("%w: %s: %w", ErrHandshake, state, err)
	}
	select {
	case <-c.identified:
		arrivedOK = true
		c.arrived = arrival
		return c, nil
	case <-c.closed:
		return nil, fmt.Errorf("%w: %s: connection closed before the peer identified itself", ErrHandshake, state)
	case <-ctx.Done():
		c.close(ctx.Err())
		return nil, fmt.Errorf("%w: %s: waiting for the peer advertisement: %w", ErrHandshake, state, ctx.Err())
	}
}

// exchangeWelcome sends our welcome line and reads the peer's, at once
// (each side writes first). It returns the peer's line and the reader
// that read it, which may hold what the peer sent next.
func (e *Endpoint) exchangeWelcome(raw net.Conn, dialed jxta.Address) (framing.Welcome, *bufio.Reader, error) {
	dest := dialed.String()
	if dialed.IsZero() {
		dest = raw.RemoteAddr().Network() + "://" + raw.RemoteAddr().String()
	}
	line := framing.NewWelcome(dest, e.publicAddress().String(), e.id).AppendLine(nil)
	writeErr := make(chan error, 1)
	go func() {
		_, err := raw.Write(line)
		writeErr <- err
	}()
	br := bufio.NewReaderSize(raw, 4096)
	theirs, err := framing.ReadWelcome(br)
	if werr := <-writeErr; err == nil && werr != nil {
		err = werr
	}
	return theirs, br, err
}

// checkWelcome decides from the peer's welcome line whether to go on: the
// peer must speak gojxta's secure framing (or, in legacy mode, JXTA 1.1's:
// errLegacy), not be this peer, and be the peer expected, if any. What
// the line claims is proven in the next stage (not for a legacy peer).
func (e *Endpoint) checkWelcome(theirs framing.Welcome, expect jxta.PeerID) error {
	switch {
	case theirs.IsPlaintextGoJXTA():
		return fmt.Errorf("%w (welcome %q)", ErrPlaintextPeer, theirs.String())
	case theirs.PeerID == e.id:
		return ErrSelf
	case !expect.IsNull() && theirs.PeerID != expect:
		return fmt.Errorf("%w: %s answered, %s was expected", ErrUnexpectedPeer, theirs.PeerID, expect)
	case !theirs.IsGoJXTA() && e.cfg.Legacy:
		return errLegacy
	case !theirs.IsGoJXTA():
		return fmt.Errorf("%w (welcome %q); start the peer in legacy mode to talk to it", ErrLegacyPeer, theirs.String())
	}
	return nil
}

// startMux starts the yamux session over the secure connection, behind
// the write coalescer (so that many small frames leave in few TLS
// records). The dialer is yamux's client.
func (e *Endpoint) startMux(tc net.Conn, outbound bool) (*yamux.Session, error) {
	cc := newCoalescingConn(tc, e.cfg.SendTimeout)
	if outbound {
		return yamux.Client(cc, e.cfg.yamuxConfig(), nil)
	}
	return yamux.Server(cc, e.cfg.yamuxConfig(), nil)
}
