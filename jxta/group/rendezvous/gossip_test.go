package rendezvous

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPeerViewConvergesAndForgetsTheDead(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			const r = 8
			seed := nw.start(t, "r0", spec{role: Rendezvous})
			all := []*testPeer{seed}
			for i := 1; i < r; i++ {
				all = append(all, nw.start(t, fmt.Sprint("r", i), spec{role: Rendezvous, seeds: []*testPeer{seed}}))
			}
			require.Eventually(t, func() bool { return viewsComplete(all) }, 20*time.Second, 5*time.Millisecond)
			for _, p := range all[1:] {
				hasEvents(t, seed, ViewAdded, p.id(), 1)
				assert.True(t, slices.IsSortedFunc(p.svc.PeerView(), func(a, b jxta.PeerID) int {
					return strings.Compare(a.String(), b.String())
				}))
			}

			dead := all[r-1]
			dead.kill()
			live := all[:r-1]
			require.Eventually(t, func() bool {
				for _, p := range live {
					if slices.Contains(p.svc.PeerView(), dead.id()) {
						return false
					}
				}
				return viewsComplete(live)
			}, 20*time.Second, 5*time.Millisecond, "every view forgets the dead rendezvous, and only it")
			hasEvents(t, seed, ViewRemoved, dead.id(), 1)
		})
	}
}
