package endpoint

import (
	"bufio"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/wiretest"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
	"github.com/gojxta/gojxta/jxta/identity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestImpostorIsRefused: a peer that announces another peer's ID in its
// welcome line but holds only its own key is refused, with one log line
// naming both IDs, and the server goes on serving.
func TestImpostorIsRefused(t *testing.T) {
	server := newPeer(t, networks()[0], "server")
	victim := newPeer(t, networks()[0], "victim")
	sub := server.Subscribe(4)
	defer sub.Close()

	c := dialRaw(t, server.Addresses()[0])
	key, err := identity.New()
	require.NoError(t, err)
	_, err = c.Write(framing.NewWelcome(server.Addresses()[0].String(), "tcp://127.0.0.1:1", victim.ID()).AppendLine(nil))
	require.NoError(t, err)
	br := bufio.NewReader(c)
	_, err = framing.ReadWelcome(br)
	require.NoError(t, err)
	tc, err := secureRaw(c, br, key)
	if err == nil {
		// TLS 1.3: the client learns of the refusal on its first read.
		_, err = tc.Read(make([]byte, 1))
	}
	require.Error(t, err, "the server refuses the certificate")
	waitClosed(t, c)

	line := "peer does not hold the key of its ID; connection dropped"
	require.Eventually(t, func() bool { return strings.Contains(server.log.String(), line) }, 5*time.Second, 10*time.Millisecond)
	logged := server.log.String()
	assert.Contains(t, logged, "claimed="+victim.ID().String())
	assert.Contains(t, logged, "proven="+key.PeerID().String())
	assert.Equal(t, 1, strings.Count(logged, line))
	assert.False(t, server.Connected(victim.ID()), "the impostor holds no connection as the victim")
	select {
	case ev := <-sub.C:
		t.Fatalf("no peer event for a refused connection, got %v", ev.Kind)
	default:
	}
	stillServes(t, server)
}

// TestPlaintextPeerIsRefused: a gojxta peer from before connections were
// secured (gojxta/1) gets no plaintext fallback.
func TestPlaintextPeerIsRefused(t *testing.T) {
	server := newPeer(t, networks()[0], "server", func(c *Config) { c.HandshakeTimeout = 2 * time.Second })
	c := dialRaw(t, server.Addresses()[0])
	w := framing.NewWelcome(server.Addresses()[0].String(), "tcp://127.0.0.1:1", jxta.NewPeerID(jxta.NetGroupID))
	w.Extra = []string{framing.GoJXTAPlaintext}
	_, err := c.Write(w.AppendLine(nil))
	require.NoError(t, err)
	waitClosed(t, c)
	assert.Eventually(t, func() bool {
		return strings.Contains(server.log.String(), "gojxta peer without TLS (gojxta/1) refused")
	}, 5*time.Second, 10*time.Millisecond, server.log.String())
	stillServes(t, server)
}

// TestConnectExpecting: a dialer that names the peer it wants refuses
// another one at that address.
func TestConnectExpecting(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			a, b, other := newPeer(t, nw, "a"), newPeer(t, nw, "b"), newPeer(t, nw, "other")
			_, err := a.ConnectExpecting(ctxT(t, 5*time.Second), b.Addresses()[0], other.ID())
			require.ErrorIs(t, err, ErrUnexpectedPeer)
			assert.False(t, a.Connected(b.ID()))
			got, err := a.ConnectExpecting(ctxT(t, 5*time.Second), b.Addresses()[0], b.ID())
			require.NoError(t, err)
			assert.Equal(t, b.ID(), got)
		})
	}
}

// TestTheWireShowsNoPayload: through a proxy that records every byte, a
// message arrives while its text never appears on the wire; after the
// welcome lines, each side speaks TLS (handshake records, 0x16 0x03).
func TestTheWireShowsNoPayload(t *testing.T) {
	a, b := newPeer(t, networks()[0], "a"), newPeer(t, networks()[0], "b")
	host, port, err := b.Addresses()[0].HostPort()
	require.NoError(t, err)
	wire := wiretest.NewRecorder(t, net.JoinHostPort(host, port))
	got := collect(b.Endpoint, "secret", "")
	_, err = a.Connect(ctxT(t, 5*time.Second), jxta.TCPAddress(wire.Addr))
	require.NoError(t, err)
	const marker = "MARKER-7f3a9c-plaintext-must-not-show"
	m := jxta.NewMessage()
	m.AddString("", "text", marker)
	require.NoError(t, a.SendTo(ctxT(t, 5*time.Second), b.ID(), "secret", "", m))
	in := recv(t, got)
	text, _ := in.Message.String("", "text")
	assert.Equal(t, marker, text)

	up, down := wire.Bytes()
	for dir, wire := range map[string][]byte{"dialer to listener": up, "listener to dialer": down} {
		assert.NotContains(t, string(wire), marker, dir)
		_, rest, ok := strings.Cut(string(wire), "\r\n") // the welcome line, in the clear
		require.True(t, ok, dir)
		require.GreaterOrEqual(t, len(rest), 2, dir)
		assert.Equal(t, "\x16\x03", rest[:2], "%s: a TLS handshake record follows the welcome line", dir)
	}
}

// TestRestartedPeerReplacesItsOldConnection: a peer that comes back (the
// same key) while the other side still holds its old connection gets its
// messages on the new connection: an old, unnoticed connection no longer
// keeps the ID.
func TestRestartedPeerReplacesItsOldConnection(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			server := newPeer(t, nw, "server")
			key, err := identity.New()
			require.NoError(t, err)
			withKey := func(c *Config) { c.Identity = key }
			before := newPeer(t, nw, "before", withKey)
			after := newPeer(t, nw, "after", withKey)
			require.Equal(t, before.ID(), after.ID())
			gotBefore, gotAfter := collect(before.Endpoint, "hello", ""), collect(after.Endpoint, "hello", "")

			_, err = before.Connect(ctxT(t, 5*time.Second), server.Addresses()[0])
			require.NoError(t, err)
			_, err = after.Connect(ctxT(t, 5*time.Second), server.Addresses()[0])
			require.NoError(t, err)
			require.Eventually(t, func() bool { // the server registers the incoming connection
				conns := server.Connections()
				return len(conns) == 1 && conns[0].Name == "after"
			}, 5*time.Second, 5*time.Millisecond, "the new connection replaces the old one")
			require.NoError(t, server.SendTo(ctxT(t, 5*time.Second), after.ID(), "hello", "", jxta.NewMessage()))
			assert.Equal(t, server.ID(), recv(t, gotAfter).Peer, "the new connection carries the message")
			select {
			case <-gotBefore:
				t.Fatal("the message went to the old connection")
			case <-time.After(100 * time.Millisecond):
			}
		})
	}
}
