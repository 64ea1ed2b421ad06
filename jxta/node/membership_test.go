package node

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/group/admission"
	"github.com/gojxta/gojxta/jxta/group/discovery"
	"github.com/gojxta/gojxta/jxta/group/membership"
	"github.com/gojxta/gojxta/jxta/pipe"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNonMemberIsKeptOutOfAPasswordGroup is the trust issue's group
// attack: a peer that has not joined a password group built the group
// object and dialed the group's pipe and ran remote discovery in it. Now
// it gets a clear refusal; and a modified peer that skips its own checks
// (it "joined" with a password of its own, so its proofs are wrong) is
// refused by the members, who never see its traffic. Members notice
// nothing.
func TestNonMemberIsKeptOutOfAPasswordGroup(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			rdv := nw.peer(t, "rdv", true)
			alice := nw.peer(t, "alice", false, rdv)
			bob := nw.peer(t, "bob", false, rdv)
			eve := nw.peer(t, "eve", false, rdv)
			for _, n := range []*Node{alice, bob, eve} {
				leased(t, n.NetGroup(), rdv)
			}
			pga, err := alice.CreateGroup(nil, group.GroupOptions{Name: "club", Membership: membership.Password, Password: "open sesame"})
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			defer cancel()
			clubs := map[*Node]*group.Group{}
			for _, n := range []*Node{rdv, alice, bob} {
				clubs[n], err = n.JoinGroup(ctx, pga, "", "open sesame")
				require.NoError(t, err)
			}
			leased(t, clubs[alice], rdv)
			leased(t, clubs[bob], rdv)
			secret := advert.NewPipeAdv(pga.GroupID, advert.PipeUnicast, "secret-plans")
			require.NoError(t, clubs[alice].Discovery().Publish(secret, 0, 0))

			l, err := clubs[alice].Listen(ctx, "club-chat")
			require.NoError(t, err)
			defer l.Close()
			accepted := make(chan jxta.PeerID, 4)
			go func() {
				for {
					c, err := l.AcceptPipe(context.Background())
					if err != nil {
						return
					}
					accepted <- c.Peer()
					go func() { defer c.Close(); _, _ = io.Copy(c, c) }()
				}
			}()

			// A member dials and is answered.
			c, err := clubs[bob].Dial(ctx, "club-chat")
			require.NoError(t, err)
			_, err = c.Write([]byte("hello from bob"))
			require.NoError(t, err)
			got := make([]byte, len("hello from bob"))
			_, err = io.ReadFull(c, got)
			require.NoError(t, err)
			assert.Equal(t, "hello from bob", string(got))
			c.Close()
			assert.Equal(t, bob.ID(), <-accepted)

			// Eve builds the group object without joining: a clear
			// refusal, before anything is sent.
			nosy, err := group.New(group.Config{ID: pga.GroupID, Name: "club", Adv: pga, Parent: eve.NetGroup(), Endpoint: eve.Endpoint(), Cache: eve.cache})
			require.NoError(t, err)
			defer nosy.Close()
			_, err = nosy.Dial(ctx, "club-chat")
			require.ErrorIs(t, err, admission.ErrNotMember)
			assert.Contains(t, err.Error(), "join it with its password first")
			_, err = nosy.Discovery().Remote(ctx, jxta.PeerID{}, advert.Adv, "Name", "secret-plans", 1)
			require.ErrorIs(t, err, admission.ErrNotMember)
			nosy.Close()

			// A modified Eve skips her own checks: she "joins" with a
			// password of her own, so her proofs are wrong.
			verifier, err := membership.NewVerifier("a guess")
			require.NoError(t, err)
			forged, err := membership.New(pga.GroupID, eve.ID(), membership.Password, verifier)
			require.NoError(t, err)
			_, err = forged.Join(ctx, "", "a guess")
			require.NoError(t, err)
			evil, err := group.New(group.Config{ID: pga.GroupID, Name: "club", Adv: pga, Membership: forged, Parent: eve.NetGroup(), Endpoint: eve.Endpoint(), Cache: eve.cache})
			require.NoError(t, err)
			defer evil.Close()

			eve.Endpoint().AddPeer(alice.Endpoint().PeerAdv()) // as Net group discovery would tell her
			// Dial does not wait for alice's verdict: her refusal is the
			// error of eve's first Read, and what eve wrote before it
			// never reaches alice's listener.
			ec, err := evil.Pipes().DialPeer(ctx, l.Adv().PipeID, alice.ID())
			require.NoError(t, err)
			_, err = ec.Write([]byte("let me in"))
			require.NoError(t, err)
			_, err = ec.Read(make([]byte, 1))
			require.ErrorIs(t, err, pipe.ErrRefused, "alice refuses eve's connection")
			assert.Contains(t, err.Error(), "not a proven member of the group")
			ec.Close()
			actx, acancel := context.WithTimeout(ctx, 200*time.Millisecond)
			_, err = l.AcceptPipe(actx)
			acancel()
			assert.ErrorIs(t, err, context.DeadlineExceeded, "alice's application never sees eve's connection")

			qctx, qcancel := context.WithTimeout(ctx, 2*time.Second)
			ch, err := evil.Discovery().Remote(qctx, alice.ID(), advert.Adv, "Name", "secret-plans", 1)
			require.NoError(t, err)
			assert.Empty(t, discovery.Collect(ch, 0), "alice does not answer eve's query")
			qcancel()

			planted := advert.NewPipeAdv(pga.GroupID, advert.PipeUnicast, "planted-by-eve")
			require.NoError(t, evil.Discovery().RemotePublish(ctx, alice.ID(), planted, 0))
			require.NoError(t, evil.Discovery().RemotePublish(ctx, rdv.ID(), planted, 0))
			time.Sleep(500 * time.Millisecond) // more than discovery's keep delay
			for _, n := range []*Node{alice, rdv} {
				entries, err := clubs[n].Discovery().Local(advert.Adv, "Name", "planted-by-eve", 10)
				require.NoError(t, err)
				assert.Empty(t, entries, "%s stored nothing of eve's", n.Name())
			}
			assert.False(t, clubs[alice].Admitted(eve.ID()))
			assert.False(t, clubs[rdv].Admitted(eve.ID()))

			select {
			case p := <-accepted:
				t.Fatalf("alice's listener accepted a connection from %s", p)
			default:
			}

			// The members notice nothing.
			found := find(t, clubs[bob], advert.Adv, "Name", "secret-plans")
			assert.Equal(t, secret.PipeID.ID, found[0].Adv.ID())
		})
	}
}
