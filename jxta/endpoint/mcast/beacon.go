package mcast

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
)

// ErrClosed is returned by Announce once the beacon is closed.
var ErrClosed = errors.New("mcast: beacon closed")

// Beacon announces a peer on the LAN and reports the peers it hears. It
// runs two goroutines, both stopped by Close: one receives and handles
// datagrams, the other sends announcements when the schedule says so.
type Beacon struct {
	cfg   Config
	conn  *net.UDPConn
	self  jxta.PeerID
	group jxta.GroupID
	log   *slog.Logger

	ctx    context.Context // the beacon's life
	cancel context.CancelFunc
	wg     sync.WaitGroup
	wake   chan struct{} // the schedule changed

	mu    sync.Mutex
	sched schedule
}

// Start joins the multicast group and starts announcing cfg.Self(): a
// hello at once, asking the peers that hear it to announce themselves,
// then an announcement every cfg.Interval. The beacon runs until Close or
// until ctx is done. Start fails when the configuration is invalid or the
// group cannot be joined (no multicast-capable interface, for example);
// failures to send are logged and retried at the next announcement.
func Start(ctx context.Context, cfg Config) (*Beacon, error) {
	c, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	pa := c.Self()
	if pa == nil || pa.PeerID.IsNull() {
		return nil, errors.New("mcast: Config.Self returned no peer advertisement with a peer ID")
	}
	conn, err := listen(c.Group, c.Interface)
	if err != nil {
		return nil, err
	}
	b := &Beacon{
		cfg: c, conn: conn, self: pa.PeerID, group: pa.GroupID, log: c.Logger,
		wake:  make(chan struct{}, 1),
		sched: newSchedule(c.Interval, time.Now()),
	}
	b.ctx, b.cancel = context.WithCancel(ctx)
	b.wg.Add(2)
	go b.receiveLoop()
	go b.announceLoop()
	return b, nil
}

// Announce sends an announcement now, for instance after this peer's
// addresses changed, and restarts the interval.
func (b *Beacon) Announce() error {
	if b.ctx.Err() != nil {
		return ErrClosed
	}
	err := b.send(kindAnnounce)
	if errors.Is(err, net.ErrClosed) {
		return ErrClosed
	}
	return err
}

// Close stops announcing and listening, leaves the group and waits for
// the beacon's goroutines to end. It returns nil; closing again does
// nothing.
func (b *Beacon) Close() error {
	b.cancel()
	b.wg.Wait()
	return nil
}

// poke tells the announcing goroutine that the schedule changed.
func (b *Beacon) poke() {
	select {
	case b.wake <- struct{}{}:
	default:
	}
}

// send sends an announcement of kind k and records it in the schedule,
// as of when the write began: a hello heard during the write is still to
// be answered.
func (b *Beacon) send(k kind) error {
	began := time.Now()
	err := b.write(k)
	b.mu.Lock()
	b.sched.sent(began, k, err == nil, rand.Float64())
	b.mu.Unlock()
	b.poke()
	if err != nil {
		if b.ctx.Err() == nil {
			b.log.Warn("mcast: announcing", "kind", k, "err", err)
		}
		return err
	}
	b.log.Debug("mcast: announced", "kind", k, "group", b.cfg.Group)
	return nil
}

func (b *Beacon) write(k kind) error {
	pa := b.cfg.Self()
	if pa == nil || pa.PeerID != b.self {
		return fmt.Errorf("mcast: Config.Self no longer returns the advertisement of %s", b.self)
	}
	d, err := encodeDatagram(announcement{kind: k, pa: pa}, b.cfg.Group.String())
	if err != nil {
		return err
	}
	if _, err = b.conn.WriteToUDP(d, b.cfg.Group); err != nil || !b.cfg.Legacy {
		return err
	}
	// JXSE peers ignore the announcement: ask them, in their form, to
	// keep this peer's advertisement and answer with theirs.
	if d, err = encodeLegacyQuery(pa, b.cfg.Group.String(), newQueryID()); err != nil {
		return err
	}
	_, err = b.conn.WriteToUDP(d, b.cfg.Group)
	return err
}

// announceLoop sends the announcements the schedule calls for. It closes
// the socket when the beacon's life ends, which stops receiveLoop.
func (b *Beacon) announceLoop() {
	defer b.wg.Done()
	defer b.conn.Close()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		b.mu.Lock()
		k, due := b.sched.due(time.Now())
		next := b.sched.next()
		b.mu.Unlock()
		if due {
			b.send(k) // logged; the schedule moved on
			continue
		}
		timer.Reset(time.Until(next))
		select {
		case <-b.ctx.Done():
			return
		case <-b.wake:
		case <-timer.C:
		}
	}
}

// readRetry is how long receiveLoop waits after a failed read.
const readRetry = 100 * time.Millisecond

// receiveLoop reads datagrams until the socket is closed. Its buffer is
// one byte longer than the largest datagram, so that a longer one shows.
func (b *Beacon) receiveLoop() {
	defer b.wg.Done()
	buf := make([]byte, MaxDatagramSize+1)
	r := newDatagramReader()
	for {
		n, from, err := b.conn.ReadFromUDP(buf)
		if err != nil {
			if b.ctx.Err() != nil || errors.Is(err, net.ErrClosed) {
				return
			}
			b.log.Warn("mcast: receiving", "err", err)
			select {
			case <-b.ctx.Done():
				return
			case <-time.After(readRetry):
			}
			continue
		}
		b.handle(r, buf[:n], from)
	}
}

// handle decodes one datagram and acts on it.
func (b *Beacon) handle(r *datagramReader, data []byte, from *net.UDPAddr) {
	m, src, dst, err := r.decodeMessage(data)
	var a announcement
	switch {
	case err != nil:
	case isBeacon(dst):
		a, err = announcementOf(m, src, dst)
	case b.cfg.Legacy:
		b.handleLegacy(m, src, dst, from)
		return
	default:
		err = fmt.Errorf("%w: to %s", ErrNotBeacon, dst)
	}
	switch {
	case err != nil:
		b.log.Debug("mcast: dropped datagram", "from", from, "len", len(data), "err", err)
		return
	case a.pa.PeerID == b.self:
		b.log.Debug("mcast: dropped own announcement", "from", from)
		return
	case a.pa.GroupID != b.group:
		b.log.Debug("mcast: dropped announcement of another group", "from", from, "peer", a.pa.PeerID, "group", a.pa.GroupID)
		return
	}
	b.log.Debug("mcast: heard peer", "from", from, "peer", a.pa.PeerID, "kind", a.kind)
	if a.kind == kindHello {
		b.mu.Lock()
		b.sched.heardHello(time.Now(), rand.Float64())
		b.mu.Unlock()
		b.poke()
	}
	if b.cfg.OnPeer != nil {
		b.cfg.OnPeer(a.pa)
	}
}

// handleLegacy passes a message a JXSE peer propagated to OnLegacy.
func (b *Beacon) handleLegacy(m *jxta.Message, src, dst jxta.Address, from *net.UDPAddr) {
	lm, err := legacyOf(m, src, dst, b.group.Unique())
	switch {
	case err != nil:
		b.log.Debug("mcast: dropped datagram", "from", from, "err", err)
		return
	case lm.Peer == b.self:
		b.log.Debug("mcast: dropped own message", "from", from)
		return
	}
	b.log.Debug("mcast: heard legacy peer", "from", from, "peer", lm.Peer, "service", lm.Dest.Service, "param", lm.Dest.Param)
	// A JXSE peer announces nothing, but propagates its queries: take
	// one as a hello, so that it hears of this peer soon (the schedule
	// bounds how often).
	b.mu.Lock()
	b.sched.heardHello(time.Now(), rand.Float64())
	b.mu.Unlock()
	b.poke()
	if b.cfg.OnLegacy != nil {
		b.cfg.OnLegacy(lm)
	}
}
