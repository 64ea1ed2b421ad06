package node

import (
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/wiretest"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/identity"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSeedNamingItsPeer: a seed given with the peer expected there
// connects to that peer only; a rendezvous with another key at the
// address is refused, and the seed's state says why.
func TestSeedNamingItsPeer(t *testing.T) {
	rdv := start(t, Config{Name: "rdv", Rendezvous: true})
	addr := rdv.Addresses()[0].String()
	other, err := identity.New()
	require.NoError(t, err)

	wrong := start(t, Config{Name: "wrong", Seeds: []string{addr + "#" + other.PeerID().String()}})
	require.Eventually(t, func() bool {
		st := wrong.SeedStatus()
		return len(st) == 1 && st[0].Err != nil
	}, 10*time.Second, 10*time.Millisecond)
	st := wrong.SeedStatus()[0]
	assert.False(t, st.Connected)
	assert.Contains(t, st.Err.Error(), "another peer answered")
	assert.False(t, wrong.Endpoint().Connected(rdv.ID()))

	right := start(t, Config{Name: "right", Seeds: []string{addr + "#" + rdv.ID().String()}})
	require.Eventually(t, func() bool {
		st := right.SeedStatus()
		return len(st) == 1 && st[0].Connected
	}, 10*time.Second, 10*time.Millisecond)
	assert.Equal(t, rdv.ID(), right.SeedStatus()[0].Peer)

	_, err = ParseSeed(addr + "#nonsense")
	assert.ErrorContains(t, err, "after #, want the peer ID expected at the seed")
	sd, err := ParseSeed(addr + "#" + rdv.ID().String())
	require.NoError(t, err)
	assert.Equal(t, addr+"#"+rdv.ID().String(), sd.String())
}

// TestCopiedPlatformConfigClaimsNothing: a peer started from a copy of
// another's PlatformConfig, without its key, gets the ID of its own key,
// not the victim's; and a home from before keys gets a key and a new ID,
// told once.
func TestCopiedPlatformConfigClaimsNothing(t *testing.T) {
	victimHome := t.TempDir()
	victim := start(t, Config{Name: "victim", Home: victimHome})
	data, err := os.ReadFile(filepath.Join(victimHome, configFile))
	require.NoError(t, err)

	impostorHome := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(impostorHome, configFile), data, 0o600))
	var ev events
	impostor := start(t, Config{Home: impostorHome, OnEvent: ev.add})
	assert.NotEqual(t, victim.ID(), impostor.ID())
	assert.True(t, impostor.ID().IsKeyOf(impostor.Endpoint().Identity().PublicKey()))
	changed := ev.of(PeerIDChanged)
	require.Len(t, changed, 1)
	assert.Equal(t, victim.ID(), changed[0].Previous)
	assert.Equal(t, impostor.ID(), changed[0].Peer)
	rewritten, err := os.ReadFile(filepath.Join(impostorHome, configFile))
	require.NoError(t, err)
	assert.Contains(t, string(rewritten), impostor.ID().String())
	assert.NotContains(t, string(rewritten), victim.ID().String())

	// Restarted, it keeps its ID, and says nothing.
	require.NoError(t, impostor.Close())
	var again events
	restarted := start(t, Config{Home: impostorHome, OnEvent: again.add})
	assert.Equal(t, impostor.ID(), restarted.ID())
	assert.Empty(t, again.of(PeerIDChanged))
}

// TestKeyFileReadableByOthersIsRefused: a peer does not start with a key
// file that others may read, and says how to mend it.
func TestKeyFileReadableByOthersIsRefused(t *testing.T) {
	home := t.TempDir()
	require.NoError(t, start(t, Config{Home: home}).Close())
	path := filepath.Join(home, identity.KeyFile)
	require.NoError(t, os.Chmod(path, 0o640))
	_, err := Start(context.Background(), Config{Home: home, Listen: []string{"tcp://127.0.0.1:0"}})
	require.ErrorIs(t, err, identity.ErrKeyExposed)
	assert.Contains(t, err.Error(), "chmod 600 "+path)
}

// TestTheWireShowsNoPlaintext: an edge reaches its rendezvous through a
// proxy that records every byte. A pipe message, a published
// advertisement (whose index entry and answer cross to the other peer)
// and a discovery query all arrive, and none of their markers is on the
// wire.
func TestTheWireShowsNoPlaintext(t *testing.T) {
	rdv := start(t, Config{Name: "rdv", Rendezvous: true})
	host, port, err := rdv.Addresses()[0].HostPort()
	require.NoError(t, err)
	wire := wiretest.NewRecorder(t, net.JoinHostPort(host, port))
	edge := start(t, Config{Name: "edge", Seeds: []string{"tcp://" + wire.Addr + "#" + rdv.ID().String()}, Lease: 2 * time.Second})
	leased(t, edge.NetGroup(), rdv)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()

	const pipeMarker, advMarker, queryMarker = "PIPE-MARKER-3d9e1", "ADV-MARKER-7c2b4", "QUERY-MARKER-5a8f0"
	// A pipe message, edge to rendezvous.
	l, err := rdv.Listen(ctx, "chat")
	require.NoError(t, err)
	defer l.Close()
	c, err := edge.Dial(ctx, "chat")
	require.NoError(t, err)
	defer c.Close()
	_, err = c.Write([]byte(pipeMarker))
	require.NoError(t, err)
	a, err := l.Accept()
	require.NoError(t, err)
	defer a.Close()
	got := make([]byte, len(pipeMarker))
	_, err = io.ReadFull(a, got)
	require.NoError(t, err)
	assert.Equal(t, pipeMarker, string(got))

	// An advertisement published on the edge, found by the rendezvous.
	require.NoError(t, edge.NetGroup().Discovery().Publish(advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, advMarker), 0, 0))
	found := find(t, rdv.NetGroup(), advert.Adv, "Name", advMarker)
	assert.Equal(t, advMarker, found[0].Adv.(*advert.PipeAdv).Name)

	// A discovery query from the edge.
	ch, err := edge.NetGroup().Discovery().Remote(ctx, jxta.PeerID{}, advert.Adv, "Name", queryMarker+"*", 1)
	require.NoError(t, err)
	qctx, qcancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer qcancel()
	select {
	case <-ch:
	case <-qctx.Done():
	}

	up, down := wire.Bytes()
	require.NotEmpty(t, up)
	require.NotEmpty(t, down)
	for _, marker := range []string{pipeMarker, advMarker, queryMarker} {
		assert.NotContains(t, string(up), marker)
		assert.NotContains(t, string(down), marker)
	}
	assert.NotContains(t, string(up), "jxta:DiscoveryQuery", "no document is readable")
	assert.NotContains(t, string(down), "jxta:PA")
}

// TestManInTheMiddleIsRefused: a proxy that relays the welcome lines but
// answers each side's TLS handshake with its own key is refused by both:
// it relays no byte, the edge never connects, and its seed says why.
func TestManInTheMiddleIsRefused(t *testing.T) {
	rdv := start(t, Config{Name: "rdv", Rendezvous: true})
	host, port, err := rdv.Addresses()[0].HostPort()
	require.NoError(t, err)
	mitm := wiretest.NewMITM(t, net.JoinHostPort(host, port))
	edge := start(t, Config{Name: "edge", Seeds: []string{"tcp://" + mitm.Addr}})
	require.Eventually(t, func() bool {
		st := edge.SeedStatus()
		return len(st) == 1 && st[0].Attempts >= 2
	}, 10*time.Second, 10*time.Millisecond)
	st := edge.SeedStatus()[0]
	assert.False(t, st.Connected)
	assert.Contains(t, st.Err.Error(), "claims to be "+rdv.ID().String()+" but holds the key of")
	assert.False(t, edge.Endpoint().Connected(rdv.ID()))
	assert.False(t, rdv.Endpoint().Connected(edge.ID()))
	assert.Zero(t, mitm.Relayed(), "not a byte of application data crossed the proxy")
}
