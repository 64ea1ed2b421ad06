package node

import (
	"context"
	"encoding/binary"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSendThenClose is issue 13's report: sends that returned nil, then
// Close, and the messages lost. Every one of 1,000 arrives.
func TestSendThenClose(t *testing.T) {
	rdv := start(t, Config{Name: "rdv"})
	edge := start(t, Config{Name: "edge", Seeds: []string{rdv.Addresses()[0].String()}})
	var mu sync.Mutex
	seen := make(map[uint32]bool)
	rdv.Handle("count", "", endpoint.HandlerFunc(func(in *endpoint.Incoming) {
		if el, ok := in.Message.Get("", "seq"); ok && len(el.Data) == 4 {
			mu.Lock()
			seen[binary.BigEndian.Uint32(el.Data)] = true
			mu.Unlock()
		}
	}))
	require.Eventually(t, func() bool { return len(edge.Peers()) == 1 }, 10*time.Second, 20*time.Millisecond)

	const n = 1000
	for i := range n {
		m := jxta.NewMessage()
		m.AddBytes("", "seq", binary.BigEndian.AppendUint32(nil, uint32(i)))
		require.NoError(t, edge.Send(context.Background(), rdv.ID(), "count", "", m))
	}
	began := time.Now()
	require.NoError(t, edge.Close())
	t.Logf("Close took %v", time.Since(began))
	delivered := func() int {
		mu.Lock()
		defer mu.Unlock()
		return len(seen)
	}
	assert.Eventually(t, func() bool { return delivered() == n }, 5*time.Second, 5*time.Millisecond,
		"delivered %d of %d", delivered(), n)
}
