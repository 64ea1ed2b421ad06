package pipe_test

import (
	"fmt"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/node"
	"github.com/gojxta/gojxta/jxta/pipe"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNamedAdvIDs(t *testing.T) {
	t.Parallel()
	other := jxta.NewGroupID()
	const n = 10000
	seen := make(map[jxta.PipeID]string, n)
	for i := range n {
		name := fmt.Sprintf("pipe-%d", i)
		adv := pipe.NamedAdv(jxta.NetGroupID, name)
		if was, dup := seen[adv.PipeID]; dup {
			t.Fatalf("%q and %q are the same pipe %s", was, name, adv.PipeID)
		}
		seen[adv.PipeID] = name
		assert.Equal(t, name, adv.Name)
		assert.Equal(t, advert.PipeUnicast, adv.Type)
		assert.Equal(t, jxta.NetGroupID, adv.PipeID.Group())

		// The same name in the same group is the same pipe, on every peer.
		assert.Equal(t, adv.PipeID, pipe.NamedAdv(jxta.NetGroupID, name).PipeID)
		// In another group it is another pipe.
		there := pipe.NamedAdv(other, name).PipeID
		assert.NotEqual(t, adv.PipeID, there)
		assert.Equal(t, other, there.Group())
	}
	assert.NotEqual(t, pipe.NamedAdv(jxta.NetGroupID, "chat").PipeID, pipe.NamedAdv(jxta.NetGroupID, "files").PipeID)
	assert.NotEqual(t, pipe.NamedAdv(jxta.NetGroupID, "").PipeID, pipe.NamedAdv(jxta.NetGroupID, "\x00").PipeID)
	// The derivation of spec/README.md 8.5, which a JXSE peer computes as
	// IDFactory.newPipeID(NetPeerGroupID, digest): this ID is JXSE's.
	assert.Equal(t, "urn:jxta:uuid-59616261646162614E50472050325033E7096D3B568D404BB58EA967BBA31D1904",
		pipe.NamedAdv(jxta.NetGroupID, "chat").PipeID.String())
}

// answerName accepts connections on l and answers each with name.
func answerName(l net.Listener, name string) *sync.WaitGroup {
	return serve(l, func(c net.Conn) { _, _ = io.WriteString(c, name) })
}

// TestNamedPipesDoNotCross has two named listeners on one peer and one on
// another, and dials each name from every peer: each listener answers with
// its name, so a dial that reached the wrong one shows. (Before named
// pipes hashed their seed, every name was one pipe: the second Listen on
// alice failed, and a dial of "files" could reach "chat".)
func TestNamedPipesDoNotCross(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			_, edges := nw.star(t, "alice", "bob", "carol")
			alice, bob, carol := edges[0], edges[1], edges[2]
			owner := map[string]*node.Node{}
			listen := func(n *node.Node, name string) {
				owner[name] = n
				l, err := n.Listen(ctxT(t, 5*time.Second), name)
				require.NoError(t, err, "listen %q", name)
				wg := answerName(l, name)
				t.Cleanup(wg.Wait)
				t.Cleanup(func() { l.Close() })
			}
			listen(alice, "chat")
			listen(alice, "notes") // a second named pipe on one peer
			listen(bob, "files")

			for range 3 {
				for _, name := range []string{"files", "chat", "notes"} {
					for _, from := range []*node.Node{carol, alice, bob} {
						if from == owner[name] {
							continue // dialling oneself is not supported
						}
						c, err := from.Dial(ctxT(t, 15*time.Second), name)
						require.NoError(t, err, "dial %q", name)
						got, err := io.ReadAll(c)
						c.Close()
						require.NoError(t, err)
						assert.Equal(t, name, string(got), "dialled %q", name)
					}
				}
			}
		})
	}
}
