package node

import (
	"context"
	"errors"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/wiretest"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group/discovery"
	"github.com/gojxta/gojxta/jxta/group/resolver"
	"github.com/gojxta/gojxta/jxta/pipe"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// events collects a node's events.
type events struct {
	mu  sync.Mutex
	all []Event
}

func (e *events) add(ev Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.all = append(e.all, ev)
}

func (e *events) of(kind EventKind) []Event {
	e.mu.Lock()
	defer e.mu.Unlock()
	var out []Event
	for _, ev := range e.all {
		if ev.Kind == kind {
			out = append(out, ev)
		}
	}
	return out
}

func TestRemoteQueryWaitsForASeedStillConnecting(t *testing.T) {
	addr := "tcp://" + wiretest.FreeAddr(t)
	edge := start(t, Config{Name: "edge", Seeds: []string{addr}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	began := time.Now()
	type answer struct {
		got []discovery.Result
		err error
	}
	done := make(chan answer, 1)
	go func() {
		ch, err := edge.NetGroup().Discovery().Remote(ctx, jxta.PeerID{}, advert.Peers, "Name", "late-rdv", 1)
		if err != nil {
			done <- answer{err: err}
			return
		}
		done <- answer{got: discovery.Collect(ch, 1)}
	}()
	time.Sleep(300 * time.Millisecond) // the query is waiting, the seed refusing
	start(t, Config{Name: "late-rdv", Rendezvous: true, Listen: []string{addr}})
	a := <-done
	require.NoError(t, a.err, "the query waits for the seed instead of failing")
	require.Len(t, a.got, 1)
	assert.Equal(t, "late-rdv", a.got[0].Adv.(*advert.PeerAdv).Name)
	assert.Less(t, time.Since(began), 9*time.Second, "it returns with the answer, not at the end of its budget")
}

func TestRemoteQueryWithAnUnreachableSeedSaysWhy(t *testing.T) {
	edge := start(t, Config{Name: "edge", Seeds: []string{"tcp://127.0.0.1:1"}})
	ctx, cancel := context.WithTimeout(context.Background(), 700*time.Millisecond)
	defer cancel()
	began := time.Now()
	_, err := edge.NetGroup().Discovery().Remote(ctx, jxta.PeerID{}, advert.Peers, "", "", 1)
	require.Error(t, err)
	assert.GreaterOrEqual(t, time.Since(began), 600*time.Millisecond, "it waited for its budget")
	assert.ErrorIs(t, err, resolver.ErrNoPeers)
	assert.Contains(t, err.Error(), "no rendezvous or connected peer reached within 700ms: tcp://127.0.0.1:1: connection refused")
}

func TestRemoteQueryWithNobodyToWaitForFailsAtOnce(t *testing.T) {
	alone := start(t, Config{Name: "alone"})
	began := time.Now()
	_, err := alone.NetGroup().Discovery().Remote(context.Background(), jxta.PeerID{}, advert.Peers, "", "", 1)
	require.ErrorIs(t, err, resolver.ErrNoPeers)
	assert.Less(t, time.Since(began), time.Second)
	assert.Contains(t, err.Error(), "no seed given and LAN discovery off")
}

func TestSeedEventsAndStatus(t *testing.T) {
	addr := "tcp://" + wiretest.FreeAddr(t)
	var ev events
	edge := start(t, Config{Name: "edge", Seeds: []string{addr}, Lease: 2 * time.Second, OnEvent: ev.add})
	require.Eventually(t, func() bool {
		st := edge.SeedStatus()
		return len(st) == 1 && st[0].Attempts >= 3
	}, 10*time.Second, 10*time.Millisecond)
	st := edge.SeedStatus()[0]
	assert.False(t, st.Connected)
	assert.EqualError(t, st.Err, "connection refused")
	unreachable := ev.of(SeedUnreachable)
	require.Len(t, unreachable, 1, "one event an outage, whatever the retries")
	assert.Equal(t, "seed "+addr+" unreachable: connection refused (retrying)", unreachable[0].String())

	rdv := start(t, Config{Name: "rdv", Rendezvous: true, Listen: []string{addr}, Lease: 2 * time.Second})
	require.Eventually(t, func() bool { return len(ev.of(RendezvousLeased)) == 1 }, 10*time.Second, 10*time.Millisecond)
	require.Len(t, ev.of(SeedConnected), 1)
	assert.Equal(t, rdv.ID(), ev.of(SeedConnected)[0].Peer)
	leased := ev.of(RendezvousLeased)[0]
	assert.Equal(t, rdv.ID(), leased.Peer)
	assert.Equal(t, "NetPeerGroup", leased.GroupName)
	last, ok := edge.LastRendezvousEvent(jxta.NetGroupID)
	require.True(t, ok)
	assert.Equal(t, RendezvousLeased, last.Kind)
	st = edge.SeedStatus()[0]
	assert.True(t, st.Connected)
	assert.Equal(t, rdv.ID(), st.Peer)

	require.NoError(t, rdv.Close())
	require.Eventually(t, func() bool { return len(ev.of(RendezvousLost)) == 1 && len(ev.of(SeedUnreachable)) == 2 },
		10*time.Second, 10*time.Millisecond, "the lost lease and the new outage are told")
	last, _ = edge.LastRendezvousEvent(jxta.NetGroupID)
	assert.Equal(t, RendezvousLost, last.Kind)

	again := start(t, Config{Name: "rdv-again", Rendezvous: true, Listen: []string{addr}, Lease: 2 * time.Second})
	require.Eventually(t, func() bool { return len(ev.of(RendezvousLeased)) == 2 }, 15*time.Second, 10*time.Millisecond)
	seeds := edge.SeedStatus()
	require.Len(t, seeds, 1, "a seed reached again is listed once")
	assert.Equal(t, again.ID(), seeds[0].Peer)
	assert.True(t, seeds[0].Connected)
}

func TestDialSaysWhomItAskedAndForHowLong(t *testing.T) {
	rdv := start(t, Config{Name: "rdv", Rendezvous: true})
	edge := start(t, Config{Name: "edge", Seeds: []string{rdv.Addresses()[0].String()}, ResolveTimeout: 800 * time.Millisecond})
	leased(t, edge.NetGroup(), rdv)
	began := time.Now()
	_, err := edge.Dial(context.Background(), "nobody-listens")
	require.ErrorIs(t, err, pipe.ErrNotResolved, "a context without a deadline still ends")
	took := time.Since(began)
	assert.GreaterOrEqual(t, took, 700*time.Millisecond)
	assert.Less(t, took, 5*time.Second)
	assert.Contains(t, err.Error(), `dial "nobody-listens"`)
	assert.Contains(t, err.Error(), "asked peer "+rdv.ID().String()+" for 800ms")

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	_, err = edge.Dial(ctx, "nobody-listens")
	require.Error(t, err)
	assert.True(t, errors.Is(err, pipe.ErrNotResolved))
	assert.Contains(t, err.Error(), "for 300ms", "an earlier deadline wins")
}

func TestParseSeed(t *testing.T) {
	for _, ok := range []string{"tcp://127.0.0.1:9701", "127.0.0.1:9701", "localhost:1", "mem://x"} {
		_, err := ParseSeed(ok)
		assert.NoError(t, err, ok)
	}
	for _, bad := range []string{"nonsense", "tcp://nonsense", "tcp://a b", ""} {
		_, err := ParseSeed(bad)
		assert.Error(t, err, bad)
	}
}

func TestDialWaitsForASeedStillConnecting(t *testing.T) {
	addr := "tcp://" + wiretest.FreeAddr(t)
	edge := start(t, Config{Name: "edge", Seeds: []string{addr}})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	dialed := make(chan error, 1)
	go func() {
		c, err := edge.Dial(ctx, "chat")
		if err == nil {
			_, err = c.Write([]byte("hi"))
			c.Close()
		}
		dialed <- err
	}()
	time.Sleep(300 * time.Millisecond) // the dial is waiting, the seed refusing
	rdv := start(t, Config{Name: "rdv", Rendezvous: true, Listen: []string{addr}})
	l, err := rdv.Listen(ctx, "chat")
	require.NoError(t, err)
	defer l.Close()
	c, err := l.Accept()
	require.NoError(t, err)
	defer c.Close()
	buf := make([]byte, 2)
	_, err = io.ReadFull(c, buf)
	require.NoError(t, err)
	assert.Equal(t, "hi", string(buf))
	require.NoError(t, <-dialed)
}
