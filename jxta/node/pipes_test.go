package node

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPipesByNameInAUserGroup(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			rdv := nw.peer(t, "rdv", true)
			alice, bob := nw.peer(t, "alice", false, rdv), nw.peer(t, "bob", false, rdv)
			leased(t, alice.NetGroup(), rdv)
			leased(t, bob.NetGroup(), rdv)
			adv, err := alice.CreateGroup(alice.NetGroup(), group.GroupOptions{Name: "team"})
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			ga, err := alice.JoinGroup(ctx, adv, "", "")
			require.NoError(t, err)
			gb, err := bob.JoinGroup(ctx, adv, "", "")
			require.NoError(t, err)
			leased(t, ga, rdv)
			leased(t, gb, rdv)

			l, err := ga.Listen(ctx, "files")
			require.NoError(t, err)
			defer l.Close()
			go func() {
				c, err := l.Accept()
				if err != nil {
					return
				}
				defer c.Close()
				_, _ = io.Copy(c, c)
			}()
			c, err := gb.Dial(ctx, "files")
			require.NoError(t, err)
			defer c.Close()
			_, err = c.Write([]byte("in the team"))
			require.NoError(t, err)
			got := make([]byte, len("in the team"))
			_, err = io.ReadFull(c, got)
			require.NoError(t, err)
			assert.Equal(t, "in the team", string(got))

			// The same name in the Net group is another pipe, bound nowhere.
			dctx, dcancel := context.WithTimeout(ctx, 300*time.Millisecond)
			defer dcancel()
			_, err = bob.Dial(dctx, "files")
			assert.Error(t, err)

			// The listener's advertisement is published in the group.
			found := find(t, gb, advert.Adv, "Name", "files")
			assert.Equal(t, "files", found[0].Adv.(*advert.PipeAdv).Name)
		})
	}
}
