package node_test

import (
	"context"
	"testing"

	"github.com/gojxta/gojxta/jxta/endpoint/mcast"
	"github.com/gojxta/gojxta/jxta/node"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMulticastInterfaceUnknown: a node whose MulticastInterface names no
// interface of the host does not start, and says why.
func TestMulticastInterfaceUnknown(t *testing.T) {
	t.Parallel()
	for _, spec := range []string{"nosuchif0", "198.51.100.254"} {
		_, err := node.Start(context.Background(), node.Config{
			Home: t.TempDir(), Listen: []string{"tcp://127.0.0.1:0"}, Multicast: true, MulticastInterface: spec,
		})
		require.Error(t, err, spec)
		assert.ErrorIs(t, err, mcast.ErrNoInterface)
		assert.Contains(t, err.Error(), "node: multicast interface: ")
		assert.Contains(t, err.Error(), spec)
	}
}
