package node

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func start(t *testing.T, cfg Config) *Node {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if cfg.Listen == nil && cfg.Network == nil {
		cfg.Listen = []string{"tcp://127.0.0.1:0"}
	}
	n, err := Start(ctx, cfg)
	require.NoError(t, err)
	t.Cleanup(func() { n.Close() })
	return n
}

func TestIdentityPersistsInHome(t *testing.T) {
	home := t.TempDir()
	n := start(t, Config{Name: "alice", Home: home})
	id := n.ID()
	require.NoError(t, n.Close())

	data, err := os.ReadFile(filepath.Join(home, configFile))
	require.NoError(t, err)
	assert.Contains(t, string(data), id.String())

	again := start(t, Config{Home: home})
	assert.Equal(t, id, again.ID(), "the peer ID survives a restart")
	assert.Equal(t, "alice", again.Name(), "so does the name")
	require.NoError(t, again.Close())

	renamed := start(t, Config{Home: home, Name: "alice2"})
	assert.Equal(t, id, renamed.ID())
	assert.Equal(t, "alice2", renamed.Name())
}

func TestHomeInUse(t *testing.T) {
	home := t.TempDir()
	start(t, Config{Home: home})
	_, err := Start(context.Background(), Config{Home: home, Listen: []string{"tcp://127.0.0.1:0"}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "in use by another peer")
}

func TestNoHomeMeansFreshIdentity(t *testing.T) {
	a := start(t, Config{})
	b := start(t, Config{})
	assert.NotEqual(t, a.ID(), b.ID())
	assert.NotEmpty(t, a.Name())
}

func TestSeedsOverTCP(t *testing.T) {
	rdv := start(t, Config{Name: "rdv"})
	edge := start(t, Config{Name: "edge", Seeds: []string{rdv.Addresses()[0].String()}})
	ch := make(chan *endpoint.Incoming, 1)
	rdv.Handle("hello", "", endpoint.HandlerFunc(func(in *endpoint.Incoming) { ch <- in }))

	require.Eventually(t, func() bool {
		return len(rdv.Peers()) == 1 && len(edge.Peers()) == 1
	}, 10*time.Second, 20*time.Millisecond)
	assert.Equal(t, "edge", rdv.Peers()[0].Adv.Name)
	assert.Equal(t, "rdv", edge.Peers()[0].Adv.Name)

	m := jxta.NewMessage()
	m.AddString("", "text", "hi")
	require.NoError(t, edge.Send(context.Background(), rdv.ID(), "hello", "", m))
	select {
	case in := <-ch:
		assert.Equal(t, edge.ID(), in.Peer)
	case <-time.After(5 * time.Second):
		t.Fatal("not delivered")
	}
}

func TestSeedThatComesUpLater(t *testing.T) {
	mem := endpoint.NewMemNetwork()
	edge := start(t, Config{Name: "edge", Network: mem, Seeds: []string{"mem://late-rdv"}})
	time.Sleep(100 * time.Millisecond) // the first attempts fail
	rdv := start(t, Config{Name: "rdv", Network: mem, Listen: []string{"mem://late-rdv"}})
	assert.Eventually(t, func() bool { return len(edge.Peers()) == 1 && len(rdv.Peers()) == 1 }, 10*time.Second, 20*time.Millisecond)
}

func TestBadConfig(t *testing.T) {
	_, err := Start(context.Background(), Config{Listen: []string{"bogus"}})
	assert.Error(t, err)
	_, err = Start(context.Background(), Config{Listen: []string{"tcp://127.0.0.1:0"}, Seeds: []string{"tcp://a b"}})
	assert.Error(t, err)
	_, err = Start(context.Background(), Config{Listen: []string{"udp://127.0.0.1:0"}})
	assert.ErrorIs(t, err, endpoint.ErrNoTransport)
}
