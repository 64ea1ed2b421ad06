package peerinfo

import (
	"context"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group/resolver"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func start(t *testing.T, name string, mem *endpoint.MemNetwork) (*endpoint.Endpoint, *Service) {
	t.Helper()
	cfg := endpoint.Config{Name: name}
	if mem != nil {
		cfg.Listen = []jxta.Address{{Protocol: "mem", Host: name}}
		cfg.Transports = []endpoint.Transport{mem}
	} else {
		cfg.Listen = []jxta.Address{jxta.MustParseAddress("tcp://127.0.0.1:0")}
	}
	ep, err := endpoint.New(cfg)
	require.NoError(t, err)
	res := resolver.New(ep, jxta.NetGroupID, nil)
	s := New(ep, res, nil)
	t.Cleanup(func() {
		s.Close()
		res.Close()
		ep.Close()
	})
	return ep, s
}

func TestRemoteInfoAndPing(t *testing.T) {
	for name, mem := range map[string]*endpoint.MemNetwork{"tcp": nil, "mem": endpoint.NewMemNetwork()} {
		t.Run(name, func(t *testing.T) {
			aep, a := start(t, "a", mem)
			bep, b := start(t, "b", mem)
			_, err := aep.Connect(context.Background(), bep.Addresses()[0])
			require.NoError(t, err)
			time.Sleep(20 * time.Millisecond) // let b's uptime be non-zero

			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			info, rtt, err := a.Remote(ctx, bep.ID())
			require.NoError(t, err)
			assert.Equal(t, bep.ID(), info.Peer)
			assert.Greater(t, info.Uptime, 10*time.Millisecond)
			assert.WithinDuration(t, time.Now(), info.Timestamp, 5*time.Second)
			assert.GreaterOrEqual(t, info.Total.MessagesIn, uint64(2), "identification and the query")
			assert.False(t, info.Total.LastIn.IsZero())
			assert.Greater(t, rtt, time.Duration(0))
			assert.Less(t, rtt, 5*time.Second)

			rtt, err = a.Ping(ctx, bep.ID())
			require.NoError(t, err)
			assert.Greater(t, rtt, time.Duration(0))

			assert.Equal(t, bep.ID(), b.Local().Peer)
			// b counts an answer once its write is done, which may be
			// just after a has read it.
			assert.Eventually(t, func() bool { return b.Local().Total.MessagesOut >= 2 }, 5*time.Second, time.Millisecond, "two answers")
			assert.Contains(t, b.PerPeer(), aep.ID())
		})
	}
}

func TestPingWithoutAnswer(t *testing.T) {
	mem := endpoint.NewMemNetwork()
	aep, a := start(t, "a", mem)
	bep, b := start(t, "b", mem)
	require.NoError(t, b.Close()) // b no longer answers peer information queries
	_, err := aep.Connect(context.Background(), bep.Addresses()[0])
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	_, err = a.Ping(ctx, bep.ID())
	assert.ErrorIs(t, err, ErrNoAnswer)
}
