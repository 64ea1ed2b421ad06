package mcast

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/testlog"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Generous deadlines for a loaded machine.
const (
	waitFor = 20 * time.Second
	tick    = 10 * time.Millisecond
)

// heard records what a beacon's OnPeer receives.
type heard struct {
	mu    sync.Mutex
	peers map[jxta.PeerID]*advert.PeerAdv
}

func (h *heard) onPeer(pa *advert.PeerAdv) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.peers == nil {
		h.peers = make(map[jxta.PeerID]*advert.PeerAdv)
	}
	h.peers[pa.PeerID] = pa
}

func (h *heard) get(id jxta.PeerID) (*advert.PeerAdv, bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	pa, ok := h.peers[id]
	return pa, ok
}

// testBeacon is a started beacon and what it heard.
type testBeacon struct {
	*Beacon
	pa    *advert.PeerAdv
	heard *heard
}

// lanTest is one test's multicast group and interface.
type lanTest struct {
	group *net.UDPAddr
	ifi   *net.Interface
}

func newLANTest(ifi *net.Interface) lanTest { return lanTest{group: freeGroup(), ifi: ifi} }

// start starts a beacon for pa; Close runs at the end of the test.
func (l lanTest) start(t *testing.T, pa *advert.PeerAdv, interval time.Duration, log *slog.Logger) *testBeacon {
	t.Helper()
	h := &heard{}
	b, err := Start(t.Context(), Config{
		Group: l.group, Interface: l.ifi, Interval: interval, Logger: log,
		Self:   func() *advert.PeerAdv { return pa },
		OnPeer: h.onPeer,
	})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, b.Close()) })
	return &testBeacon{Beacon: b, pa: pa, heard: h}
}

// tap joins the test's group to send raw datagrams and read what the
// beacons send; it is closed at the end of the test.
func (l lanTest) tap(t *testing.T) *net.UDPConn {
	t.Helper()
	c, err := listen(l.group, l.ifi)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

// readAnnouncement reads the tap until an announcement of peer arrives.
func readAnnouncement(t *testing.T, c *net.UDPConn, peer jxta.PeerID) announcement {
	t.Helper()
	require.NoError(t, c.SetReadDeadline(time.Now().Add(waitFor)))
	buf := make([]byte, MaxDatagramSize+1)
	r := newDatagramReader()
	for {
		n, _, err := c.ReadFromUDP(buf)
		require.NoError(t, err, "waiting for an announcement of %s", peer)
		if a, err := r.decode(buf[:n]); err == nil && a.pa.PeerID == peer {
			return a
		}
	}
}

// assertHeard checks that b heard want, addresses included.
func assertHeard(t *testing.T, b *testBeacon, want *advert.PeerAdv) {
	t.Helper()
	require.Eventually(t, func() bool { _, ok := b.heard.get(want.PeerID); return ok }, waitFor, tick,
		"%s did not hear %s", b.pa.Name, want.Name)
	got, _ := b.heard.get(want.PeerID)
	assert.Equal(t, want.Name, got.Name)
	assert.Equal(t, want.GroupID, got.GroupID)
	assert.Equal(t, want.EndpointAddresses(), got.EndpointAddresses())
}

// TestBeaconsDiscoverEachOther starts three beacons one after the other,
// each once the previous one's hello is out, with an interval far longer
// than the test: each finds those started after it by their hellos, and
// those started before it by their answers to its own hello.
func TestBeaconsDiscoverEachOther(t *testing.T) {
	t.Parallel()
	ifi, ok := multicastLAN(t)
	if !ok {
		return
	}
	l := newLANTest(ifi)
	tap := l.tap(t)
	var beacons []*testBeacon
	for i, name := range []string{"alice", "bob", "carol"} {
		pa := newPeerAdv(t, name, fmt.Sprintf("tcp://192.0.2.%d:9701", i+1))
		beacons = append(beacons, l.start(t, pa, time.Hour, nil))
		require.Equal(t, kindHello, readAnnouncement(t, tap, pa.PeerID).kind)
	}
	for _, b := range beacons {
		for _, other := range beacons {
			if other != b {
				assertHeard(t, b, other.pa)
			}
		}
	}
	for _, b := range beacons {
		_, self := b.heard.get(b.pa.PeerID)
		assert.False(t, self, "%s reported itself", b.pa.Name)
	}
}

// TestBeaconAnnouncesPeriodically checks the hello at start, the periodic
// announcements and Announce.
func TestBeaconAnnouncesPeriodically(t *testing.T) {
	t.Parallel()
	ifi, ok := multicastLAN(t)
	if !ok {
		return
	}
	l := newLANTest(ifi)
	tap := l.tap(t)
	pa := newPeerAdv(t, "alice", "tcp://192.0.2.1:9701")
	b := l.start(t, pa, 50*time.Millisecond, nil)

	assert.Equal(t, kindHello, readAnnouncement(t, tap, pa.PeerID).kind)
	for range 3 {
		a := readAnnouncement(t, tap, pa.PeerID)
		assert.Equal(t, kindAnnounce, a.kind)
		assert.Equal(t, pa.EndpointAddresses(), a.pa.EndpointAddresses())
	}

	quiet := newPeerAdv(t, "bob", "tcp://192.0.2.2:9701")
	q := l.start(t, quiet, time.Hour, nil)
	assert.Equal(t, kindHello, readAnnouncement(t, tap, quiet.PeerID).kind)
	require.NoError(t, q.Announce())
	assert.Equal(t, kindAnnounce, readAnnouncement(t, tap, quiet.PeerID).kind)
	assertHeard(t, b, quiet)
}

// TestBeaconIgnoresItself waits for the beacon to have received and
// dropped its own hello and announcement before checking it did not
// report itself.
func TestBeaconIgnoresItself(t *testing.T) {
	t.Parallel()
	ifi, ok := multicastLAN(t)
	if !ok {
		return
	}
	l := newLANTest(ifi)
	log, logs := testlog.New()
	pa := newPeerAdv(t, "alice", "tcp://192.0.2.1:9701")
	b := l.start(t, pa, time.Hour, log)
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), "dropped own announcement") },
		waitFor, tick, "the hello did not come back:\n%s", logs)
	require.NoError(t, b.Announce())
	require.Eventually(t, func() bool { return strings.Count(logs.String(), "dropped own announcement") >= 2 },
		waitFor, tick, "the announcement did not come back:\n%s", logs)
	_, self := b.heard.get(pa.PeerID)
	assert.False(t, self)
	assert.NotContains(t, logs.String(), "heard peer")
}

// TestBeaconDropsBadDatagrams sends garbage to the group and checks that
// every datagram is dropped with a log line, none reaches OnPeer, and
// discovery still works afterwards.
func TestBeaconDropsBadDatagrams(t *testing.T) {
	t.Parallel()
	ifi, ok := multicastLAN(t)
	if !ok {
		return
	}
	l := newLANTest(ifi)
	log, logs := testlog.New()
	alice := newPeerAdv(t, "alice", "tcp://192.0.2.1:9701")
	a := l.start(t, alice, time.Hour, log)
	require.Eventually(t, func() bool { return strings.Contains(logs.String(), "dropped own announcement") },
		waitFor, tick, "the hello did not come back:\n%s", logs)

	forger := newPeerAdv(t, "mallory", "tcp://192.0.2.66:9701")
	victim := newPeerAdv(t, "victim", "tcp://192.0.2.67:9701")
	stranger := newPeerAdv(t, "stranger", "tcp://192.0.2.68:9701")
	stranger.GroupID = jxta.NewGroupID()
	dst := "mcast://" + l.group.String() + "/PeerBeacon/jxta-NetGroup"
	garbage := [][]byte{
		[]byte("hello?"),
		[]byte("JXTA"),
		append([]byte("JXTB"), mustEncode(t, kindHello, forger, l.group.String())[4:]...),
		[]byte("JXTA\x0econtent-length\x00\x08\x7f\xff\xff\xff\xff\xff\xff\xff\x00"),
		datagramOf(beaconMessage("jxta://"+forger.PeerID.Unique(), dst, advert.Marshal(victim), "hello")),
		datagramOf(beaconMessage("jxta://"+forger.PeerID.Unique(), dst, []byte("<jxta:PA>"), "hello")),
		mustEncode(t, kindHello, stranger, l.group.String()),
		append(mustEncode(t, kindHello, forger, l.group.String()), make([]byte, MaxDatagramSize)...),
	}
	tap := l.tap(t)
	for _, d := range garbage {
		_, err := tap.WriteToUDP(d, l.group)
		require.NoError(t, err)
	}
	require.Eventually(t, func() bool {
		s := logs.String()
		return strings.Count(s, "dropped datagram")+strings.Count(s, "dropped announcement of another group") >= len(garbage)
	}, waitFor, tick, "not every datagram was dropped:\n%s", logs)

	bob := newPeerAdv(t, "bob", "tcp://192.0.2.2:9701")
	b := l.start(t, bob, time.Hour, nil)
	assertHeard(t, a, bob)
	assertHeard(t, b, alice)
	for _, p := range []*advert.PeerAdv{forger, victim, stranger} {
		_, got := a.heard.get(p.PeerID)
		assert.False(t, got, "reported %s", p.Name)
	}
	assert.NotContains(t, logs.String(), "level=WARN")
}

// TestBeaconClose checks that Close and the end of Start's context stop
// the beacon; TestMain checks that its goroutines are gone.
func TestBeaconClose(t *testing.T) {
	t.Parallel()
	ifi, ok := multicastLAN(t)
	if !ok {
		return
	}
	l := newLANTest(ifi)
	pa := newPeerAdv(t, "alice", "tcp://192.0.2.1:9701")
	b, err := Start(t.Context(), Config{Group: l.group, Interface: l.ifi, Self: func() *advert.PeerAdv { return pa }})
	require.NoError(t, err)
	require.NoError(t, b.Announce())
	require.NoError(t, b.Close())
	assert.ErrorIs(t, b.Announce(), ErrClosed)
	assert.NoError(t, b.Close(), "closing again")

	ctx, cancel := context.WithCancel(t.Context())
	b, err = Start(ctx, Config{Group: l.group, Interface: l.ifi, Self: func() *advert.PeerAdv { return pa }})
	require.NoError(t, err)
	cancel()
	assert.ErrorIs(t, b.Announce(), ErrClosed)
	require.NoError(t, b.Close())
}

func TestStartRejectsBadConfig(t *testing.T) {
	t.Parallel()
	pa := newPeerAdv(t, "alice", "tcp://192.0.2.1:9701")
	self := func() *advert.PeerAdv { return pa }
	tests := []struct {
		name string
		cfg  Config
	}{
		{"no Self", Config{}},
		{"nil advertisement", Config{Self: func() *advert.PeerAdv { return nil }}},
		{"no peer ID", Config{Self: func() *advert.PeerAdv { return &advert.PeerAdv{} }}},
		{"unicast group", Config{Self: self, Group: &net.UDPAddr{IP: net.IPv4(192, 0, 2, 1), Port: 1234}}},
		{"IPv6 group", Config{Self: self, Group: &net.UDPAddr{IP: net.ParseIP("ff02::1"), Port: 1234}}},
		{"no port", Config{Self: self, Group: &net.UDPAddr{IP: net.IPv4(239, 255, 0, 1)}}},
	}
	for _, tt := range tests {
		b, err := Start(t.Context(), tt.cfg)
		assert.Error(t, err, tt.name)
		assert.Nil(t, b, tt.name)
	}
}

func TestConfigDefaults(t *testing.T) {
	t.Parallel()
	c, err := (&Config{Self: func() *advert.PeerAdv { return nil }}).withDefaults()
	require.NoError(t, err)
	assert.Equal(t, DefaultGroup, c.Group.String())
	assert.Equal(t, DefaultInterval, c.Interval)
	assert.NotNil(t, c.Logger)
	_, err = (&Config{}).withDefaults()
	assert.True(t, errors.Is(err, errNoSelf))
}
