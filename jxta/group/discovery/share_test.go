package discovery

import (
	"context"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/protocol"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sharingNetwork is rdvNetwork with a third rendezvous, r3, in the view
// of r1 and r2, without edges.
func sharingNetwork(t *testing.T, mem *endpoint.MemNetwork) (r1, r2, r3, a, c *peer) {
	r1, r2, a, _, c = rdvNetwork(t, mem)
	r3 = newPeer(t, "r3", mem)
	for _, r := range []*peer{r1, r2} {
		_, err := r3.ep.Connect(context.Background(), r.ep.Addresses()[0])
		require.NoError(t, err)
	}
	r3.res.SetRendezvous(&fixedRendezvous{rdv: true, view: []jxta.PeerID{r1.ep.ID(), r2.ep.ID()}})
	r1.res.SetRendezvous(&fixedRendezvous{rdv: true, view: []jxta.PeerID{r2.ep.ID(), r3.ep.ID()}})
	r2.res.SetRendezvous(&fixedRendezvous{rdv: true, view: []jxta.PeerID{r1.ep.ID(), r3.ep.ID()}})
	return
}

func TestAQueryGoesToTheRendezvousThatHoldsIt(t *testing.T) {
	mem := endpoint.NewMemNetwork()
	r1, r2, r3, a, c := sharingNetwork(t, mem)
	pipe := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "chat-room")
	require.NoError(t, c.disc.Publish(pipe, 0, 0))
	require.Eventually(t, func() bool { return r1.disc.SharedSize() > 0 && r3.disc.SharedSize() > 0 }, 5*time.Second, 10*time.Millisecond,
		"r2 shares c's push with the rest of its view")
	assert.Zero(t, r2.disc.SharedSize(), "nobody shares back what r2 shared")
	assert.Zero(t, r1.disc.IndexSize(), "shared entries are not r1's edges'")

	query := func(value string, wait time.Duration) []Result {
		ctx, cancel := context.WithTimeout(context.Background(), wait)
		defer cancel()
		ch, err := a.disc.Remote(ctx, jxta.PeerID{}, advert.Adv, "Name", value, 10)
		require.NoError(t, err)
		return Collect(ch, 1)
	}
	before, _ := r3.ep.Traffic(r1.ep.ID())
	results := query("chat-room", 5*time.Second)
	require.Len(t, results, 1)
	assert.Equal(t, c.ep.ID(), results[0].Peer)
	time.Sleep(100 * time.Millisecond)
	after, _ := r3.ep.Traffic(r1.ep.ID())
	assert.Equal(t, before.MessagesIn, after.MessagesIn, "r3, whose edges hold nothing of it, was not asked")

	// What nobody is known to hold goes to the whole view, which may
	// have it from a push still on its way.
	assert.Empty(t, query("nothing", 200*time.Millisecond))
	require.Eventually(t, func() bool { now, _ := r3.ep.Traffic(r1.ep.ID()); return now.MessagesIn > after.MessagesIn }, 5*time.Second, 10*time.Millisecond,
		"r3 was asked what no rendezvous is known to hold")

	// c leaves r2: r2 withdraws what it shared.
	r2.disc.ForgetPeer(c.ep.ID())
	require.Eventually(t, func() bool { return r1.disc.SharedSize() == 0 && r3.disc.SharedSize() == 0 }, 5*time.Second, 10*time.Millisecond)
}

func TestARendezvousSharesItsIndexWithANewOne(t *testing.T) {
	mem := endpoint.NewMemNetwork()
	r1, r2, a, _, c := rdvNetwork(t, mem)
	// r1 and r2 do not know each other yet.
	r1.res.SetRendezvous(&fixedRendezvous{rdv: true})
	r2.res.SetRendezvous(&fixedRendezvous{rdv: true})
	require.NoError(t, c.disc.Publish(advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "early"), 0, 0))
	require.Eventually(t, func() bool { return r2.disc.IndexSize() > 0 }, 5*time.Second, 10*time.Millisecond)
	time.Sleep(50 * time.Millisecond)
	assert.Zero(t, r1.disc.SharedSize())

	r1.res.SetRendezvous(&fixedRendezvous{rdv: true, view: []jxta.PeerID{r2.ep.ID()}})
	r2.res.SetRendezvous(&fixedRendezvous{rdv: true, view: []jxta.PeerID{r1.ep.ID()}})
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, r2.disc.ShareIndex(ctx, r1.ep.ID()))
	require.Eventually(t, func() bool { return r1.disc.SharedSize() == r2.disc.IndexSize() }, 5*time.Second, 10*time.Millisecond)
	ch, err := a.disc.Remote(ctx, jxta.PeerID{}, advert.Adv, "Name", "early", 1)
	require.NoError(t, err)
	assert.Len(t, Collect(ch, 1), 1)

	// r2 leaves r1's view: what it shared goes.
	r1.disc.ForgetRendezvous(r2.ep.ID())
	assert.Zero(t, r1.disc.SharedSize())
}

func TestOnlyARendezvousOfTheViewShares(t *testing.T) {
	mem := endpoint.NewMemNetwork()
	r1, r2, a, b, _ := rdvNetwork(t, mem)
	// b, an edge, pushes entries naming a: they are b's own, and r1
	// passes none of them on.
	m := &protocol.SRDIMessage{PeerID: a.ep.ID(), PrimaryKey: "Adv", Entries: []protocol.SRDIEntry{{SKey: "Name", Value: "forged", Expiration: time.Hour}}}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, b.res.SendSRDI(ctx, r1.ep.ID(), HandlerName, protocol.Flatten(m)))
	require.Eventually(t, func() bool { return r1.disc.IndexSize() > 0 }, 5*time.Second, 10*time.Millisecond)
	time.Sleep(50 * time.Millisecond)
	assert.Zero(t, r1.disc.SharedSize())
	assert.Zero(t, r2.disc.SharedSize(), "not passed on as a's")
}
