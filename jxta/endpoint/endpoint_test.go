package endpoint

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/testlog"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// network is a transport under test: real TCP on loopback, or the
// in-memory network.
type network struct {
	name   string
	listen func(name string) jxta.Address
	trans  func() Transport
}

func networks() []network {
	mem := NewMemNetwork()
	return []network{
		{"tcp", func(string) jxta.Address { return jxta.MustParseAddress("tcp://127.0.0.1:0") }, func() Transport { return &TCPTransport{} }},
		{"mem", func(name string) jxta.Address { return jxta.Address{Protocol: "mem", Host: name} }, func() Transport { return mem }},
	}
}

type testPeer struct {
	*Endpoint
	log *testlog.Buffer
}

func newPeer(t *testing.T, nw network, name string, tune ...func(*Config)) *testPeer {
	t.Helper()
	logger, lb := testlog.New()
	cfg := Config{
		Name:       name,
		Listen:     []jxta.Address{nw.listen(strings.NewReplacer("/", "-", " ", "-").Replace(name + "-" + t.Name()))},
		Transports: []Transport{nw.trans()},
		Logger:     logger,
	}
	for _, f := range tune {
		f(&cfg)
	}
	e, err := New(cfg)
	require.NoError(t, err)
	t.Cleanup(func() { e.Close() })
	return &testPeer{Endpoint: e, log: lb}
}

func ctxT(t *testing.T, d time.Duration) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}

// collect registers a handler that forwards deliveries to a channel.
func collect(e *Endpoint, service, param string) chan *Incoming {
	ch := make(chan *Incoming, 1024)
	e.HandleFunc(service, param, func(in *Incoming) { ch <- in })
	return ch
}

func recv(t *testing.T, ch chan *Incoming) *Incoming {
	t.Helper()
	select {
	case in := <-ch:
		return in
	case <-time.After(5 * time.Second):
		t.Fatal("no message delivered within 5s")
		return nil
	}
}

func TestSendByPeerIDAndReply(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			alice, bob := newPeer(t, nw, "alice"), newPeer(t, nw, "bob")
			atBob := collect(bob.Endpoint, "chat", "room1")
			atAlice := collect(alice.Endpoint, "chat", "")
			alice.AddPeer(bob.PeerAdv())

			m := jxta.NewMessage()
			m.AddString("", "text", "hello bob")
			require.NoError(t, alice.SendTo(ctxT(t, 5*time.Second), bob.ID(), "chat", "room1", m))
			in := recv(t, atBob)
			assert.Equal(t, alice.ID(), in.Peer)
			assert.Equal(t, "chat", in.Dest.Service)
			assert.Equal(t, "room1", in.Dest.Param)
			assert.Equal(t, jxta.PeerAddress(alice.ID()).String(), in.Source.String())
			got, ok := in.Message.String("", "text")
			assert.True(t, ok)
			assert.Equal(t, "hello bob", got)
			_, hasDst := in.Message.Get(jxta.NamespaceJXTA, DestinationAddressElement)
			assert.False(t, hasDst, "address elements are stripped before delivery")
			assert.Equal(t, 1, m.Len(), "the caller's message is not modified")

			// Bob learned alice's advertisement from the handshake and can
			// answer by ID over the same connection.
			pa, ok := bob.Peer(alice.ID())
			require.True(t, ok)
			assert.Equal(t, "alice", pa.Name)
			// Alice signed it: bob can pass it on, verifiable.
			sa, ok := bob.SignedPeerAdv(alice.ID())
			require.True(t, ok)
			assert.Equal(t, alice.ID(), sa.Publisher)
			assert.Equal(t, pa, sa.Adv)
			_, err := advert.ParseAs[*advert.SignedAdv](advert.Marshal(sa))
			assert.NoError(t, err)
			_, ok = bob.SignedPeerAdv(jxta.NewPeerID(jxta.NetGroupID))
			assert.False(t, ok, "a peer never connected")
			reply := jxta.NewMessage()
			reply.AddString("", "text", "hi alice")
			require.NoError(t, bob.SendTo(ctxT(t, 5*time.Second), alice.ID(), "chat", "any", reply))
			in = recv(t, atAlice)
			assert.Equal(t, bob.ID(), in.Peer)
			assert.Len(t, alice.Connections(), 1)
			assert.Len(t, bob.Connections(), 1)
			assert.True(t, alice.Connected(bob.ID()))
			assert.True(t, bob.Connected(alice.ID()))
			assert.False(t, alice.Connected(jxta.NewPeerID(jxta.NetGroupID)), "a peer never connected")

			alice.Disconnect(bob.ID())
			assert.False(t, alice.Connected(bob.ID()), "disconnected")
			assert.Eventually(t, func() bool { return !bob.Connected(alice.ID()) }, 5*time.Second, 10*time.Millisecond,
				"the other end sees the connection go")
		})
	}
}

func TestDispatchOrder(t *testing.T) {
	t.Parallel()
	nw := networks()[1]
	a, b := newPeer(t, nw, "a"), newPeer(t, nw, "b")
	exact := collect(b.Endpoint, "svc", "p1")
	whole := collect(b.Endpoint, "svc", "")
	a.AddPeer(b.PeerAdv())
	ctx := ctxT(t, 5*time.Second)
	send := func(param string) {
		m := jxta.NewMessage()
		m.AddString("", "p", param)
		require.NoError(t, a.SendTo(ctx, b.ID(), "svc", param, m))
	}
	send("p1")
	send("p2")
	require.NoError(t, a.SendTo(ctx, b.ID(), "nobody", "", jxta.NewMessage()))
	send("p1")
	assert.Equal(t, "p1", recv(t, exact).Dest.Param)
	assert.Equal(t, "p2", recv(t, whole).Dest.Param)
	assert.Equal(t, "p1", recv(t, exact).Dest.Param, "a message for no handler is dropped without disturbing the rest")
	assert.Eventually(t, func() bool { return strings.Contains(b.log.String(), "no handler") }, 5*time.Second, 10*time.Millisecond)
}

func TestSendToSelfIsLocal(t *testing.T) {
	t.Parallel()
	a := newPeer(t, networks()[1], "a")
	ch := collect(a.Endpoint, "svc", "")
	require.NoError(t, a.SendTo(ctxT(t, time.Second), a.ID(), "svc", "x", jxta.NewMessage()))
	assert.Equal(t, a.ID(), recv(t, ch).Peer)
	assert.Empty(t, a.Connections())
}

func TestConnectSeedAndEvents(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			rdv, edge := newPeer(t, nw, "rdv"), newPeer(t, nw, "edge")
			rdvEvents := rdv.Subscribe(8)
			edgeEvents := edge.Subscribe(8)
			var watchMu sync.Mutex
			var watched []EventKind
			stopWatch := edge.Watch(func(ev Event) {
				watchMu.Lock()
				defer watchMu.Unlock()
				assert.Equal(t, rdv.ID(), ev.Peer)
				watched = append(watched, ev.Kind)
			})
			watchedKinds := func() []EventKind {
				watchMu.Lock()
				defer watchMu.Unlock()
				return slices.Clone(watched)
			}
			id, err := edge.Connect(ctxT(t, 5*time.Second), rdv.Addresses()[0])
			require.NoError(t, err)
			assert.Equal(t, rdv.ID(), id)
			for _, ev := range []Event{<-edgeEvents.C, <-rdvEvents.C} {
				assert.Equal(t, PeerConnected, ev.Kind)
			}
			names := func(e *Endpoint) []string {
				var out []string
				for _, p := range e.Peers() {
					out = append(out, p.Adv.Name)
					assert.True(t, p.Connected)
				}
				return out
			}
			assert.Equal(t, []string{"rdv"}, names(edge.Endpoint))
			assert.Equal(t, []string{"edge"}, names(rdv.Endpoint))
			require.Len(t, rdv.Connections(), 1)
			assert.False(t, rdv.Connections()[0].Outbound)
			assert.True(t, edge.Connections()[0].Outbound)

			edge.Disconnect(rdv.ID())
			for _, sub := range []*Subscription{edgeEvents, rdvEvents} {
				select {
				case ev := <-sub.C:
					assert.Equal(t, PeerDisconnected, ev.Kind)
				case <-time.After(5 * time.Second):
					t.Fatal("no disconnect event")
				}
			}
			// Watch saw the same, in order, on the goroutines that made
			// them, and sees nothing once stopped.
			assert.Eventually(t, func() bool {
				return slices.Equal([]EventKind{PeerConnected, PeerDisconnected}, watchedKinds())
			}, 5*time.Second, time.Millisecond)
			stopWatch()
			_, err = edge.Connect(ctxT(t, 5*time.Second), rdv.Addresses()[0])
			require.NoError(t, err)
			assert.Equal(t, PeerConnected, (<-edgeEvents.C).Kind)
			assert.Len(t, watchedKinds(), 2, "a stopped watcher is not called")
			// The peer stays known after it disconnects.
			assert.Equal(t, []string{"rdv"}, names2(edge.Endpoint))
		})
	}
}

func names2(e *Endpoint) []string {
	var out []string
	for _, p := range e.Peers() {
		out = append(out, p.Adv.Name)
	}
	return out
}

func TestConcurrentDialsCollapse(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			a, b := newPeer(t, nw, "a"), newPeer(t, nw, "b")
			ch := collect(b.Endpoint, "svc", "")
			a.AddPeer(b.PeerAdv())
			var wg sync.WaitGroup
			var failed atomic.Int32
			for i := 0; i < 32; i++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					if a.SendTo(context.Background(), b.ID(), "svc", "", jxta.NewMessage()) != nil {
						failed.Add(1)
					}
				}()
			}
			wg.Wait()
			assert.Zero(t, failed.Load())
			for i := 0; i < 32; i++ {
				recv(t, ch)
			}
			// One dial for all: no second connection exists, not even one
			// retired as redundant.
			assert.Equal(t, 1, liveConns(a.Endpoint))
			assert.Equal(t, 1, liveConns(b.Endpoint))
		})
	}
}

// liveConns counts every live connection of e, redundant ones included.
func liveConns(e *Endpoint) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.all)
}

func TestSimultaneousDialsKeepOneConnection(t *testing.T) {
	nw := networks()[0]
	a, b := newPeer(t, nw, "a"), newPeer(t, nw, "b")
	ca, cb := collect(a.Endpoint, "svc", ""), collect(b.Endpoint, "svc", "")
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); _, _ = a.Connect(context.Background(), b.Addresses()[0]) }()
	go func() { defer wg.Done(); _, _ = b.Connect(context.Background(), a.Addresses()[0]) }()
	wg.Wait()
	// After the grace period only the connection dialled by the smaller
	// peer ID is left, on both sides, and messages flow both ways.
	assert.Eventually(t, func() bool {
		return len(a.Connections()) == 1 && len(b.Connections()) == 1 && liveConns(a.Endpoint) == 1 && liveConns(b.Endpoint) == 1
	}, 3*retireGrace, 50*time.Millisecond)
	require.NoError(t, a.SendTo(ctxT(t, 5*time.Second), b.ID(), "svc", "", jxta.NewMessage()))
	require.NoError(t, b.SendTo(ctxT(t, 5*time.Second), a.ID(), "svc", "", jxta.NewMessage()))
	recv(t, cb)
	recv(t, ca)
	want := a.ID()
	if b.ID().String() < a.ID().String() {
		want = b.ID()
	}
	assert.Equal(t, want == a.ID(), a.Connections()[0].Outbound)
}

func TestIdleConnectionsClose(t *testing.T) {
	t.Parallel()
	nw := networks()[1]
	idle := func(c *Config) { c.IdleTimeout = 150 * time.Millisecond }
	a, b := newPeer(t, nw, "a", idle), newPeer(t, nw, "b", idle)
	sub := a.Subscribe(4)
	_, err := a.Connect(ctxT(t, 5*time.Second), b.Addresses()[0])
	require.NoError(t, err)
	assert.Equal(t, PeerConnected, (<-sub.C).Kind)
	select {
	case ev := <-sub.C:
		assert.Equal(t, PeerDisconnected, ev.Kind)
	case <-time.After(5 * time.Second):
		t.Fatal("idle connection not closed")
	}
	assert.Empty(t, a.Connections())
}

func TestDialDeadAddress(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	dead := jxta.TCPAddress(l.Addr().String())
	l.Close()
	a := newPeer(t, networks()[0], "a")
	start := time.Now()
	_, err = a.Connect(ctxT(t, 2*time.Second), dead)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "dial "+dead.String())
	assert.Less(t, time.Since(start), 2*time.Second)

	// A peer whose advertisement lists only dead addresses.
	ghost := jxta.NewPeerID(jxta.NetGroupID)
	_, err = a.Connect(ctxT(t, time.Second), jxta.MustParseAddress("mem://nobody"))
	assert.ErrorIs(t, err, ErrNoTransport)
	err = a.SendTo(ctxT(t, time.Second), ghost, "svc", "", jxta.NewMessage())
	assert.ErrorIs(t, err, ErrUnknownPeer)
}

func TestManyPeersInMemory(t *testing.T) {
	t.Parallel()
	nw := network{name: "mem"}
	mem := NewMemNetwork()
	nw.listen = func(name string) jxta.Address { return jxta.Address{Protocol: "mem", Host: name} }
	nw.trans = func() Transport { return mem }
	hub := newPeer(t, nw, "hub")
	ch := collect(hub.Endpoint, "count", "")
	const n = 200
	peers := make([]*testPeer, n)
	for i := range peers {
		peers[i] = newPeer(t, nw, fmt.Sprintf("p%03d", i))
	}
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			if _, err := p.Connect(ctx, hub.Addresses()[0]); err != nil {
				t.Error(err)
				return
			}
			if err := p.SendTo(ctx, hub.ID(), "count", "", jxta.NewMessage()); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	seen := map[jxta.PeerID]bool{}
	for i := 0; i < n; i++ {
		seen[recv(t, ch).Peer] = true
	}
	assert.Len(t, seen, n)
	assert.Len(t, hub.Peers(), n)
}

func TestDefaultPortFallsBack(t *testing.T) {
	tr := &TCPTransport{}
	addr := jxta.MustParseAddress("tcp://127.0.0.1:9701")
	first, err := tr.Listen(addr)
	if err != nil {
		t.Skipf("the JXTA port range 9701-9799 is not free here: %v", err)
	}
	defer first.Close()
	second, err := tr.Listen(addr)
	require.NoError(t, err, "a second listener on the default port falls back through the range")
	defer second.Close()
	p1 := first.Addr().(*net.TCPAddr).Port
	p2 := second.Addr().(*net.TCPAddr).Port
	assert.Greater(t, p2, p1)
	assert.LessOrEqual(t, p2, LastFallbackTCP)

	// Other ports do not fall back.
	fixed := jxta.TCPAddress(second.Addr().String())
	_, err = tr.Listen(fixed)
	assert.Error(t, err)
}

func TestTrafficCounters(t *testing.T) {
	t.Parallel()
	nw := networks()[1]
	a, b := newPeer(t, nw, "a"), newPeer(t, nw, "b")
	ch := collect(b.Endpoint, "svc", "")
	a.AddPeer(b.PeerAdv())
	for i := 0; i < 5; i++ {
		m := jxta.NewMessage()
		m.AddBytes("", "p", make([]byte, 100))
		require.NoError(t, a.SendTo(ctxT(t, 5*time.Second), b.ID(), "svc", "", m))
	}
	for i := 0; i < 5; i++ {
		recv(t, ch)
	}
	out, ok := a.Traffic(b.ID())
	require.True(t, ok)
	assert.Equal(t, uint64(5), out.MessagesOut)
	assert.Greater(t, out.BytesOut, uint64(500))
	assert.False(t, out.LastOut.IsZero())
	in, ok := b.Traffic(a.ID())
	require.True(t, ok)
	assert.Equal(t, uint64(6), in.MessagesIn, "five messages and the identification")
	assert.Contains(t, b.TrafficAll(), a.ID())
	_, ok = a.Traffic(jxta.NewPeerID(jxta.NetGroupID))
	assert.False(t, ok)
}

func TestDeliverLocally(t *testing.T) {
	t.Parallel()
	a := newPeer(t, networks()[1], "a")
	ch := collect(a.Endpoint, "svc", "p")
	from := jxta.NewPeerID(jxta.NetGroupID)
	in := &Incoming{Message: jxta.NewMessage(), Peer: from, Dest: jxta.Address{Service: "svc", Param: "p"}}
	require.True(t, a.Deliver(in))
	assert.Equal(t, from, recv(t, ch).Peer)
	assert.False(t, a.Deliver(&Incoming{Message: jxta.NewMessage(), Dest: jxta.Address{Service: "none"}}))

	a.HandleFunc("boom", "", func(*Incoming) { panic("handler bug") })
	assert.True(t, a.Deliver(&Incoming{Message: jxta.NewMessage(), Dest: jxta.Address{Service: "boom"}}))
	assert.Contains(t, a.log.String(), "handler panicked")
}

func TestConnectPeerByID(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			a, b := newPeer(t, nw, "a"), newPeer(t, nw, "b")
			err := a.ConnectPeer(ctxT(t, time.Second), b.ID())
			assert.ErrorIs(t, err, ErrUnknownPeer, "nothing known of b yet")
			a.AddPeer(b.PeerAdv())
			require.NoError(t, a.ConnectPeer(ctxT(t, 5*time.Second), b.ID()))
			conns := a.Connections()
			require.Len(t, conns, 1)
			assert.Equal(t, b.ID(), conns[0].Peer)
		})
	}
}
