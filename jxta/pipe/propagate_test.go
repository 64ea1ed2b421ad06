package pipe_test

import (
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/pipe"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPropagatePipeReachesEveryBoundPeerOnce(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			rdv, edges := nw.star(t, "alice", "bob", "carol", "dave")
			adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipePropagate, "room")
			// alice, bob and carol listen; dave only talks; the rendezvous
			// listens too.
			var ins []*pipe.InputPipe
			for _, n := range append(edges[:3], rdv) {
				in, err := pipes(n).Bind(adv)
				require.NoError(t, err, n.Name())
				defer in.Close()
				ins = append(ins, in)
			}
			for i, sender := range []int{3, 0} { // dave, then alice (who hears herself)
				out, err := pipes(edges[sender]).Connect(ctxT(t, 5*time.Second), adv)
				require.NoError(t, err)
				m := jxta.NewMessage()
				m.AddString("", "n", string(rune('0'+i)))
				require.NoError(t, out.Send(ctxT(t, 5*time.Second), m))
				for j, in := range ins {
					r, err := in.Recv(ctxT(t, 10*time.Second))
					require.NoError(t, err, "receiver %d", j)
					got, _ := r.Message.String("", "n")
					assert.Equal(t, string(rune('0'+i)), got)
					assert.Equal(t, edges[sender].ID(), r.Source, "the wire header names the sender")
					_, hasHeader := r.Message.Get(jxta.NamespaceJXTA, "JxtaWireHeader")
					assert.False(t, hasHeader, "the wire header is removed")
				}
			}
			// Exactly once: nothing more arrives.
			time.Sleep(200 * time.Millisecond)
			for j, in := range ins {
				_, err := in.Recv(ctxT(t, 50*time.Millisecond))
				assert.Error(t, err, "receiver %d got a duplicate", j)
			}
		})
	}
}
