package endpoint

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
	"github.com/gojxta/gojxta/jxta/metrics"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// Legacy connections carry JXTA 1.1 framing, as JXSE 2.6 and JXTA-C speak
// it: after the welcome lines, message packages straight on the TCP
// connection, in the clear, with no multiplexer and no streams. They are
// taken only in legacy mode (Config.Legacy). Their peer is whoever the
// welcome line says: nothing proves it, so the endpoint never counts it
// as verified, and a legacy connection claiming the ID of a peer that
// proved its key is refused.
//
// JXSE sends its messages only on connections it opened, and reads the
// ones the other side sends on the connections that side opened. So a
// connection a legacy peer opened here is read, never written, and this
// peer sends to a legacy peer on a connection it dials itself (to the
// public address in the peer's welcome line); that one is the peer's
// connection in the endpoint's table.
//
// Addresses: JXSE's endpoint services are per group, and a destination
// names the group's endpoint service first:
// <addr>/EndpointService:jxta-NetGroup/<service>/<param>. Outgoing
// destinations get that qualification (the Net group's); incoming ones
// lose it. A message JXSE routes (destination service EndpointRouter)
// carries its real destination in the Dest of its jxta:ERM element.

// legacyService is the service prefix of a group-qualified address, and
// legacyNetGroup the Net group's qualifier.
const (
	legacyService  = "EndpointService:"
	legacyNetGroup = "jxta-NetGroup"
	routerService  = "EndpointRouter"
	routerElement  = "EndpointRouterMsg"
)

// errLegacy marks a welcome line of a legacy peer that legacy mode takes.
var errLegacy = errors.New("legacy JXTA peer")

// legacyWire is the transport of a legacy connection.
type legacyWire struct {
	raw net.Conn
	mu  sync.Mutex
	buf []byte
}

// legacyConn makes the connection to a legacy peer from its welcome line,
// after the welcome exchange, and starts reading it.
func (e *Endpoint) legacyConn(raw net.Conn, br *bufio.Reader, theirs framing.Welcome, dialed jxta.Address) (*conn, error) {
	outbound := !dialed.IsZero()
	e.mu.Lock()
	verified := e.verified[theirs.PeerID]
	e.mu.Unlock()
	if verified {
		raw.Close()
		return nil, fmt.Errorf("%w: legacy connection claims %s, a peer that proved its key: refused", ErrHandshake, theirs.PeerID)
	}
	_ = raw.SetDeadline(time.Time{})
	held := make([]byte, br.Buffered())
	_, _ = io.ReadFull(br, held)
	w := &legacyWire{raw: raw}
	// What the welcome's reader held, then the connection.
	paced := &pacedReader{r: io.MultiReader(bytes.NewReader(held), raw), d: raw, window: e.cfg.BodyStallTimeout}
	pa := &advert.PeerAdv{PeerID: theirs.PeerID, GroupID: jxta.NetGroupID}
	if pub, err := jxta.ParseAddress(theirs.Public); err == nil && pub.Protocol == "tcp" {
		_ = pa.SetEndpointAddresses([]string{pub.String()})
	}
	c := &conn{
		ep: e, wire: w, pacer: paced, peer: theirs.PeerID, outbound: outbound,
		remote: dialed, local: e.publicAddress(), since: time.Now(),
		identified: make(chan struct{}), registered: make(chan struct{}), closed: make(chan struct{}),
		peerDone: make(chan struct{}),
	}
	c.traffic = e.trafficOf(c.peer)
	c.arrived = func() {} // no sender waits for a legacy connection
	c.dialer = e.id
	if !outbound {
		c.dialer = theirs.PeerID
		if pub, err := jxta.ParseAddress(theirs.Public); err == nil {
			c.remote = pub
		}
	}
	c.adv.Store(pa)
	close(c.identified)
	c.touch()
	if !e.track(c) {
		raw.Close()
		return nil, ErrClosed
	}
	e.learnLegacy(pa)
	e.wg.Add(1)
	go c.readLegacy()
	e.log.Info("endpoint: legacy JXTA peer connected (unauthenticated)", "peer", c.peer, "welcome", theirs.String(), "outbound", outbound)
	return c, nil
}

// learnLegacy records the address of a legacy peer, unless the peer is
// known from a verified source.
func (e *Endpoint) learnLegacy(pa *advert.PeerAdv) {
	if len(pa.EndpointAddresses()) == 0 {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.verified[pa.PeerID] && e.known[pa.PeerID] == nil {
		e.known[pa.PeerID] = pa
	}
}

// IsLegacy reports whether peer is a legacy JXTA peer: connected in the
// clear (never verified), or heard of otherwise (MarkLegacy) and not
// verified since.
func (e *Endpoint) IsLegacy(peer jxta.PeerID) bool {
	if !e.cfg.Legacy {
		// Asked on every unicast pipe message and resolver response:
		// outside legacy mode there is no legacy peer, and no lock to take.
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.legacy[peer] && !e.verified[peer] {
		return true
	}
	for c := range e.all {
		if c.peer == peer && c.wire != nil {
			return true
		}
	}
	return false
}

// MarkLegacy records that peer is a legacy JXTA peer, heard of without a
// connection (on the LAN's multicast group: package mcast), so that
// IsLegacy reports it before any connection. It does nothing for this
// peer, or for a peer that proved its key; the mark is kept until the
// endpoint closes (one entry per legacy peer heard).
func (e *Endpoint) MarkLegacy(peer jxta.PeerID) {
	if peer.IsNull() || peer == e.id || !e.cfg.Legacy {
		return
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	if !e.verified[peer] {
		e.legacy[peer] = true
	}
}

// LegacyPeers returns the legacy JXTA peers this peer has a connection
// with, in no particular order.
func (e *Endpoint) LegacyPeers() []jxta.PeerID {
	if !e.cfg.Legacy {
		return nil
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	seen := make(map[jxta.PeerID]bool)
	var out []jxta.PeerID
	for c := range e.all {
		if c.wire != nil && !seen[c.peer] && !e.verified[c.peer] {
			seen[c.peer] = true
			out = append(out, c.peer)
		}
	}
	return out
}

// readLegacy reads the legacy peer's message packages and dispatches
// them, until the connection ends.
func (c *conn) readLegacy() {
	defer c.ep.wg.Done()
	err := c.readLegacyMessages()
	if !c.isClosed() && !errors.Is(err, io.EOF) {
		c.ep.dropped.Event("peer", c.peer, "err", err)
	}
	c.close(err)
}

func (c *conn) readLegacyMessages() error {
	mr := c.ep.newMessageReader(c.pacer)
	for {
		m, size, err := mr.next()
		if err != nil {
			return err
		}
		c.touch()
		c.traffic.received(size, time.Now())
		if dst, ok := m.String(jxta.NamespaceJXTA, DestinationAddressElement); ok {
			c.ep.log.Debug("endpoint: legacy message", "peer", c.peer, "dest", dst)
		}
		if err := unrouteLegacy(m); err != nil {
			c.ep.log.Debug("endpoint: legacy message dropped", "peer", c.peer, "err", err)
			continue
		}
		c.ep.dispatch(c, m, parseLegacyAddress, size)
	}
}

// unrouteLegacy replaces the destination of a message JXSE routed (to
// the EndpointRouter service) by the real one in its jxta:ERM element.
func unrouteLegacy(m *jxta.Message) error {
	dst, ok := m.String(jxta.NamespaceJXTA, DestinationAddressElement)
	if !ok {
		return nil
	}
	a, err := parseLegacyAddress([]byte(dst))
	if err != nil || a.Service != routerService {
		return nil
	}
	el, ok := m.Get(jxta.NamespaceJXTA, routerElement)
	if !ok {
		return errors.New("routed message without a router element")
	}
	doc, err := xmldoc.Parse(el.Data, xmldoc.Limits{MaxBytes: 64 << 10})
	if err != nil {
		return fmt.Errorf("router element: %w", err)
	}
	d := doc.Root.SelectElement("Dest")
	if d == nil || strings.TrimSpace(d.Text()) == "" {
		return errors.New("router element without a destination")
	}
	m.Remove(jxta.NamespaceJXTA, routerElement)
	m.Replace(jxta.Element{Namespace: jxta.NamespaceJXTA, Name: DestinationAddressElement, Type: jxta.TypeText, Data: []byte(strings.TrimSpace(d.Text()))})
	return nil
}

// parseLegacyAddress parses an address a legacy peer wrote and drops its
// group qualification: .../EndpointService:<group>/<service>/<param>
// becomes .../<service>/<param>.
func parseLegacyAddress(b []byte) (jxta.Address, error) {
	a, err := jxta.ParseAddress(string(b))
	if err != nil {
		return a, err
	}
	if strings.HasPrefix(a.Service, legacyService) {
		a.Service, a.Param, _ = strings.Cut(a.Param, "/")
	}
	return a, nil
}

// legacyDestination qualifies one of our destinations
// (jxta://<peer>/<service>/<param>) with the Net group's endpoint
// service, as JXSE needs.
func legacyDestination(dst []byte) []byte {
	rest := dst[len("jxta://"):]
	i := bytes.IndexByte(rest, '/')
	if !bytes.HasPrefix(dst, []byte("jxta://")) || i < 0 {
		return dst
	}
	out := make([]byte, 0, len(dst)+len(legacyService)+len(legacyNetGroup)+1)
	out = append(out, dst[:len("jxta://")+i+1]...)
	out = append(out, legacyService+legacyNetGroup+"/"...)
	return append(out, rest[i+1:]...)
}

// sendLegacy writes m to the legacy peer: one message package, binary
// format version 0, addressed in JXSE's form. Messages larger than
// legacy peers take (jxta.LegacyMaxMessageSize) are refused.
func (c *conn) sendLegacy(ctx context.Context, m *jxta.Message, dst []byte, svc *metrics.Service) error {
	if !c.outbound {
		return fmt.Errorf("legacy peer %s: no connection of ours to send on", c.peer)
	}
	msg := c.ep.addressed(m, legacyDestination(dst))
	body := jxta.EncodeBinary(msg)
	if len(body) > jxta.LegacyMaxMessageSize {
		return fmt.Errorf("message of %d bytes: legacy peers take at most %d", len(body), jxta.LegacyMaxMessageSize)
	}
	w := c.wire
	w.mu.Lock()
	defer w.mu.Unlock()
	deadline := time.Now().Add(c.ep.cfg.SendTimeout)
	if dl, ok := ctx.Deadline(); ok && dl.Before(deadline) {
		deadline = dl
	}
	_ = w.raw.SetWriteDeadline(deadline)
	w.buf = framing.AppendPackage(w.buf[:0], jxta.TypeMessage, body)
	if _, err := w.raw.Write(w.buf); err != nil {
		c.close(err)
		return err
	}
	c.touch()
	c.traffic.sent(1, len(w.buf), time.Now())
	svc.Sent(len(body))
	return nil
}
