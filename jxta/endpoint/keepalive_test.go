package endpoint

import (
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/wiretest"
	"github.com/gojxta/gojxta/jxta"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestHungPeerIsDropped freezes the link to a peer, as a peer whose
// process is stopped (SIGSTOP) looks from outside: its connection stays
// open and nothing answers. Both ends drop it within KeepAliveInterval +
// KeepAliveTimeout (6s by default), so that what depends on it (a lease,
// pipes) fails over.
func TestHungPeerIsDropped(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the keep-alive bound (6s)")
	}
	a, b := newPeer(t, networks()[0], "a"), newPeer(t, networks()[0], "b")
	link := wiretest.NewLink(t, b.Addresses()[0].Host)
	_, err := a.Connect(ctxT(t, 5*time.Second), jxta.MustParseAddress("tcp://"+link.Addr))
	require.NoError(t, err)
	require.Eventually(t, func() bool { return b.Connected(a.ID()) }, 5*time.Second, 5*time.Millisecond)

	link.Freeze(true)
	start := time.Now()
	require.Eventually(t, func() bool { return !a.Connected(b.ID()) && !b.Connected(a.ID()) }, 15*time.Second, 10*time.Millisecond)
	took := time.Since(start)
	t.Logf("hung peer dropped after %v", took.Round(10*time.Millisecond))
	assert.Less(t, took, DefaultKeepAlive+DefaultKeepAliveTimeout+time.Second, "within the documented bound")
	assert.Greater(t, took, DefaultKeepAliveTimeout/2, "not before a ping went unanswered")
}

// TestSlowLinkIsNotMistakenForAHungPeer delays every chunk on the link by
// 1.5s (a 3s round trip): pings are answered late but within the
// timeout, and the connection stays up and carries messages.
func TestSlowLinkIsNotMistakenForAHungPeer(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a connection over a slow link for 8s")
	}
	a, b := newPeer(t, networks()[0], "a"), newPeer(t, networks()[0], "b")
	link := wiretest.NewLink(t, b.Addresses()[0].Host)
	_, err := a.Connect(ctxT(t, 5*time.Second), jxta.MustParseAddress("tcp://"+link.Addr))
	require.NoError(t, err)
	require.Eventually(t, func() bool { return b.Connected(a.ID()) }, 5*time.Second, 5*time.Millisecond)

	link.SetDelay(1500 * time.Millisecond)
	time.Sleep(8 * time.Second) // several keep-alive rounds
	assert.True(t, a.Connected(b.ID()), "a kept its connection")
	assert.True(t, b.Connected(a.ID()), "b kept its connection")
	ch := collect(b.Endpoint, "slow", "")
	require.NoError(t, a.SendTo(ctxT(t, 10*time.Second), b.ID(), "slow", "", jxta.NewMessage()))
	select {
	case in := <-ch:
		assert.Equal(t, a.ID(), in.Peer)
	case <-time.After(10 * time.Second):
		t.Fatal("no message over the slow link")
	}
}
