package jxsewire_test

import (
	"context"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/jxsepeer"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/pipe"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestPropagatePipeThroughGoJXTARendezvous: two JXSE and two gojxta
// edges lease with a gojxta rendezvous in legacy mode. JXSE edge A
// publishes a JxtaPropagate pipe and listens on it; the gojxta edges find
// it and listen too; JXSE edge B finds it and sends: the rendezvous
// propagates the message to every edge, and A and both gojxta edges get
// it. Then a gojxta edge sends, and A gets that too.
func TestPropagatePipeThroughGoJXTARendezvous(t *testing.T) {
	t.Parallel()
	jxsepeer.SkipIfUnavailable(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	peers := newGoJXTAPeers(ctx, t)
	rdv := peers.rendezvous("rdv")
	seed := rdv.Addresses()[0].String()
	a := jxsepeer.Start(t, jxsepeer.Options{
		Mode: jxsepeer.Edge, Name: "jxse-a", Seeds: []string{seed},
		Publish: "prop", PipeType: "JxtaPropagate", Expect: "from g1", Timeout: 80 * time.Second,
	})
	_, err := a.WaitLine(`^RDV CONNECTED true$`, 40*time.Second)
	require.NoError(t, err)
	g1, g2 := peers.edge("g1", seed, rdv.ID()), peers.edge("g2", seed, rdv.ID())

	adv, _ := findPipe(ctx, t, g1, "prop")
	require.Equal(t, advert.PipePropagate, adv.Type)
	in1, err := g1.NetGroup().Pipes().Bind(adv)
	require.NoError(t, err)
	defer in1.Close()
	in2, err := g2.NetGroup().Pipes().Bind(adv)
	require.NoError(t, err)
	defer in2.Close()

	b := jxsepeer.Start(t, jxsepeer.Options{
		Mode: jxsepeer.Edge, Name: "jxse-b", Seeds: []string{seed},
		Find: "prop", Send: "from jxse-b", Timeout: 40 * time.Second, Stay: 2 * time.Second,
	})
	_, err = b.WaitLine(`^SENT from jxse-b$`, 40*time.Second)
	require.NoError(t, err)
	for i, in := range []*pipe.InputPipe{in1, in2} {
		rctx, rcancel := context.WithTimeout(ctx, 15*time.Second)
		got, err := in.Recv(rctx)
		rcancel()
		require.NoError(t, err, "gojxta edge %d receives the JXSE edge's message", i+1)
		text, _ := got.Message.String("", "jxse")
		assert.Equal(t, "from jxse-b", text)
	}
	_, err = a.WaitLine(`^RECEIVED jxse=from jxse-b$`, 15*time.Second)
	assert.NoError(t, err, "and so does the other JXSE edge")

	out, err := g1.NetGroup().Pipes().Connect(ctx, adv)
	require.NoError(t, err)
	defer out.Close()
	m := jxta.NewMessage()
	m.AddString("", "g1", "from g1")
	require.NoError(t, out.Send(ctx, m))
	_, err = a.WaitLine(`^EXPECTED from g1$`, 30*time.Second)
	require.NoError(t, err, "the JXSE edge receives the gojxta edge's message")
}

// TestPropagatePipeReachesTwoJXSEAndTwoGoJXTAPeers: the case. A
// gojxta edge publishes a JxtaPropagate pipe; two JXSE edges (gojxta's
// own JXSE listener, internal/jxsepeer's Listen) and two gojxta edges
// listen on it, all leased with a gojxta rendezvous in legacy mode. A
// gojxta edge's message reaches all four; so does a third JXSE edge's,
// which finds the pipe by discovery.
func TestPropagatePipeReachesTwoJXSEAndTwoGoJXTAPeers(t *testing.T) {
	t.Parallel()
	jxsepeer.SkipIfUnavailable(t)
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	peers := newGoJXTAPeers(ctx, t)
	rdv := peers.rendezvous("rdv")
	seed := rdv.Addresses()[0].String()
	g1, g2 := peers.edge("g1", seed, rdv.ID()), peers.edge("g2", seed, rdv.ID())
	adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipePropagate, "prop-four")
	require.NoError(t, g1.NetGroup().Discovery().Publish(adv, 0, 0))
	in1, err := g1.NetGroup().Pipes().Bind(adv)
	require.NoError(t, err)
	defer in1.Close()
	in2, err := g2.NetGroup().Pipes().Bind(adv)
	require.NoError(t, err)
	defer in2.Close()

	var listeners []*jxsepeer.Peer
	for _, name := range []string{"jxse-l1", "jxse-l2"} {
		l := jxsepeer.Start(t, jxsepeer.Options{Name: name, Seeds: []string{seed},
			Listen: adv.PipeID.String(), PipeName: "prop-four", Expect: "from jxse-b", Timeout: 80 * time.Second})
		listeners = append(listeners, l)
	}
	for _, l := range listeners {
		_, err := l.WaitLine(`^RDV CONNECTED true$`, 40*time.Second)
		require.NoError(t, err)
		_, err = l.WaitLine(`^LISTENING `+adv.PipeID.String()+`$`, 10*time.Second)
		require.NoError(t, err)
	}

	recvAll := func(want string) {
		t.Helper()
		for i, in := range []*pipe.InputPipe{in1, in2} {
			for {
				rctx, rcancel := context.WithTimeout(ctx, 15*time.Second)
				got, err := in.Recv(rctx)
				rcancel()
				require.NoError(t, err, "gojxta edge %d receives %q", i+1, want)
				if text, _ := got.Message.String("", "jxse"); text == want {
					break
				}
				if text, _ := got.Message.String("", "g1"); text == want {
					break
				}
			}
		}
		for _, l := range listeners {
			_, err := l.WaitLine(`^RECEIVED (jxse|g1)=`+want+`$`, 15*time.Second)
			require.NoError(t, err, "%s receives %q", l.Name(), want)
		}
	}

	out, err := g1.NetGroup().Pipes().Connect(ctx, adv)
	require.NoError(t, err)
	defer out.Close()
	m := jxta.NewMessage()
	m.AddString("", "g1", "from g1")
	require.NoError(t, out.Send(ctx, m))
	recvAll("from g1")

	b := jxsepeer.Start(t, jxsepeer.Options{
		Mode: jxsepeer.Edge, Name: "jxse-b", Seeds: []string{seed},
		Find: "prop-four", Send: "from jxse-b", Timeout: 40 * time.Second, Stay: 2 * time.Second,
	})
	_, err = b.WaitLine(`^SENT from jxse-b$`, 40*time.Second)
	require.NoError(t, err)
	recvAll("from jxse-b")
	for _, l := range listeners {
		_, err := l.WaitLine(`^EXPECTED from jxse-b$`, 10*time.Second)
		require.NoError(t, err)
	}
}
