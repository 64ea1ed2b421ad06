package jxsewire_test

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/jxsepeer"
	"github.com/gojxta/gojxta/internal/testlog"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/node"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

// TestMain checks for leaked goroutines and removes the shell binary the
// shell tests built.
func TestMain(m *testing.M) {
	code := m.Run()
	if shellDir != "" {
		os.RemoveAll(shellDir)
	}
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			code = 1
		}
	}
	os.Exit(code)
}

// TestJXSERendezvousAndEdge runs ../shared/jxse's example, JXSE on both
// sides: the rendezvous publishes pipe-r1 and expects hello on it; the
// edge, seeded with the rendezvous, finds the pipe and sends hello. Both
// exit 0, and the rendezvous printed what it received. It proves the
// harness: when it fails, JXSE, not gojxta, is the trouble.
//
// The edge starts once the rendezvous has: a JXSE edge tries its seed as
// it starts and, if nothing listens there yet, not again within its
// budget (it then says "RDV CONNECTED false" after 30 s).
func TestJXSERendezvousAndEdge(t *testing.T) {
	t.Parallel()
	jxsepeer.SkipIfUnavailable(t)
	begin := time.Now()
	rdv := jxsepeer.Start(t, jxsepeer.Options{
		Mode: jxsepeer.Rendezvous, Name: "r1",
		Publish: "pipe-r1", Expect: "hello", Timeout: 40 * time.Second,
	})
	rdvID := rdv.ID()
	t.Logf("rendezvous STARTED after %v", time.Since(begin).Round(time.Millisecond))
	edge := jxsepeer.Start(t, jxsepeer.Options{
		Mode: jxsepeer.Edge, Name: "e1", Seeds: []string{rdv.Addr()},
		Find: "pipe-r1", Send: "hello", Timeout: 30 * time.Second,
		Stay: 2 * time.Second, // SENT means queued: stopping at once can lose the message
	})

	assert.NotEqual(t, rdvID, edge.ID())
	t.Logf("edge STARTED after %v", time.Since(begin).Round(time.Millisecond))
	m, err := edge.WaitLine(`^RDV CONNECTED (true|false)$`, 40*time.Second)
	require.NoError(t, err)
	assert.Equal(t, "true", m[1], "the edge leases with the JXSE rendezvous")

	pipeID, err := rdv.WaitLine(`^PUBLISHED (\S+) pipe-r1$`, 40*time.Second)
	require.NoError(t, err)
	found, err := edge.WaitLine(`^FOUND (\S+) pipe-r1$`, 40*time.Second)
	require.NoError(t, err)
	assert.Equal(t, pipeID[1], found[1], "the edge found the pipe the rendezvous published")

	for _, p := range []*jxsepeer.Peer{edge, rdv} {
		code, err := p.Wait(60 * time.Second)
		require.NoError(t, err)
		assert.Equal(t, 0, code, "%s's exit code\n%s", p.Name(), p.Output())
	}
	_, err = rdv.WaitLine(`^RECEIVED jxse=hello$`, 0)
	assert.NoError(t, err)
	_, err = rdv.WaitLine(`^EXPECTED hello$`, 0)
	assert.NoError(t, err)
	_, err = edge.WaitLine(`^SENT hello$`, 0)
	assert.NoError(t, err)
	t.Logf("both exited after %v", time.Since(begin).Round(time.Millisecond))
}

// TestLegacyPeerIsRefusedWithoutLegacyMode is the baseline that the legacy
// mode of issue 16 changes: a gojxta rendezvous refuses a JXSE edge, whose
// welcome line is JXTA 1.1's, not gojxta's; the edge never gets a lease
// and says "RDV CONNECTED false" when its budget runs out. Legacy mode
// will be off by default, so this stays the behaviour of a default node.
func TestLegacyPeerIsRefusedWithoutLegacyMode(t *testing.T) {
	t.Parallel()
	jxsepeer.SkipIfUnavailable(t)
	log, logged := testlog.New()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n, err := node.Start(ctx, node.Config{
		Name: "gojxta-rdv", Home: t.TempDir(), Listen: []string{"tcp://127.0.0.1:0"},
		Rendezvous: true, Logger: log,
	})
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, n.Close()) })
	require.NotEmpty(t, n.Addresses())

	edge := jxsepeer.Start(t, jxsepeer.Options{
		Mode: jxsepeer.Edge, Name: "e1", Seeds: []string{n.Addresses()[0].String()},
		// JXSE tries its seed as it starts, then not again for longer than
		// this; the budget counts from before the start.
		Timeout: 8 * time.Second,
	})
	refusal := regexp.MustCompile(`msg="endpoint: incoming connection refused" .*legacy JXTA peer.*` +
		regexp.QuoteMeta(edge.ID().String()))
	assert.Eventually(t, func() bool { return refusal.MatchString(logged.String()) },
		20*time.Second, 50*time.Millisecond, "the node logs why it refused the edge")
	m, err := edge.WaitLine(`^RDV CONNECTED (true|false)$`, jxsepeer.StartTimeout)
	require.NoError(t, err)
	assert.Equal(t, "false", m[1], "a gojxta node without legacy mode grants a JXSE edge no lease")

	// jxse-peer counts only its tasks: an edge that was given none ends
	// with DONE and 0 even without a rendezvous.
	code, err := edge.Wait(30 * time.Second)
	require.NoError(t, err)
	assert.Equal(t, 0, code)

	sn, err := n.Stats()
	require.NoError(t, err)
	assert.GreaterOrEqual(t, sn.Value("jxta_endpoint_handshake_failures_total", "reason", "legacy_peer"), 1.0)
	if t.Failed() {
		t.Logf("gojxta node's log:\n%s", logged.String())
	}
}

// TestJXSEEdgeLeasesWithGoJXTARendezvous: in legacy mode, a gojxta
// rendezvous grants a JXSE edge a lease.
func TestJXSEEdgeLeasesWithGoJXTARendezvous(t *testing.T) {
	t.Parallel()
	jxsepeer.SkipIfUnavailable(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	n := newGoJXTAPeers(ctx, t).rendezvous("gojxta-rdv")
	edge := jxsepeer.Start(t, jxsepeer.Options{
		Mode: jxsepeer.Edge, Name: "e1", Seeds: []string{n.Addresses()[0].String()},
		Timeout: 20 * time.Second, Log: "FINE",
	})
	m, err := edge.WaitLine(`^RDV CONNECTED (true|false)$`, jxsepeer.StartTimeout)
	require.NoError(t, err)
	assert.Equal(t, "true", m[1], "the JXSE edge leases with the gojxta rendezvous")
	edges := n.NetGroup().Rendezvous().Status().Edges
	require.Len(t, edges, 1)
	assert.Equal(t, edge.ID(), edges[0].Peer, "and the rendezvous counts it among its edges")
	assert.False(t, n.Endpoint().Verified(edge.ID()), "unverified")
}

// TestGoJXTAEdgeLeasesWithJXSERendezvous: in legacy mode, a gojxta edge
// seeded with a JXSE rendezvous gets a lease from it.
func TestGoJXTAEdgeLeasesWithJXSERendezvous(t *testing.T) {
	t.Parallel()
	jxsepeer.SkipIfUnavailable(t)
	rdv := jxsepeer.Start(t, jxsepeer.Options{Mode: jxsepeer.Rendezvous, Name: "r1", Timeout: 30 * time.Second, Stay: 30 * time.Second})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	// edge waits for the lease with the JXSE rendezvous.
	newGoJXTAPeers(ctx, t).edge("gojxta-edge", rdv.Addr(), rdv.ID())
}

// TestJXSEEdgeFindsAGoJXTAPipe: in legacy mode, a JXSE edge leased with a
// gojxta rendezvous finds, by remote discovery, a pipe that a gojxta edge
// of the same rendezvous published.
func TestJXSEEdgeFindsAGoJXTAPipe(t *testing.T) {
	t.Parallel()
	jxsepeer.SkipIfUnavailable(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	peers := newGoJXTAPeers(ctx, t)
	rdv := peers.rendezvous("gojxta-rdv")
	edge := peers.edge("gojxta-edge", rdv.Addresses()[0].String(), rdv.ID())
	pipe := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "gojxta-pipe")
	in, err := edge.NetGroup().Pipes().Bind(pipe)
	require.NoError(t, err)
	defer in.Close()
	require.NoError(t, edge.NetGroup().Discovery().Publish(pipe, 0, 0))

	jx := jxsepeer.Start(t, jxsepeer.Options{
		Mode: jxsepeer.Edge, Name: "e1", Seeds: []string{rdv.Addresses()[0].String()},
		Find: "gojxta-pipe", Send: "hello from jxse", Timeout: 30 * time.Second, Stay: 2 * time.Second,
	})
	m, err := jx.WaitLine(`^(FOUND (\S+) gojxta-pipe|NOT FOUND.*)$`, 40*time.Second)
	require.NoError(t, err)
	assert.Equal(t, "FOUND "+pipe.PipeID.String()+" gojxta-pipe", m[1], "the JXSE edge finds the gojxta edge's pipe")
	rctx, rcancel := context.WithTimeout(ctx, 20*time.Second)
	defer rcancel()
	got, err := in.Recv(rctx)
	require.NoError(t, err, "the gojxta edge receives the JXSE edge's message")
	text, _ := got.Message.String("", "jxse")
	assert.Equal(t, "hello from jxse", text)
	assert.Equal(t, jx.ID(), got.Peer)
	assert.False(t, edge.Endpoint().Verified(got.Peer), "from an unverified legacy peer")
}

// TestGoJXTAEdgeFindsAJXSEPipeAndSends is the same with the roles
// swapped: a JXSE rendezvous publishes a pipe and waits for a message on
// it; a gojxta edge in legacy mode, leased with it, finds the pipe by
// remote discovery (unverified: a legacy peer signs nothing) and sends
// the message through an output pipe.
func TestGoJXTAEdgeFindsAJXSEPipeAndSends(t *testing.T) {
	t.Parallel()
	jxsepeer.SkipIfUnavailable(t)
	rdv := jxsepeer.Start(t, jxsepeer.Options{
		Mode: jxsepeer.Rendezvous, Name: "r1", Publish: "jxse-pipe", Expect: "hello from gojxta", Timeout: 40 * time.Second,
	})
	rdvID := rdv.ID()
	_, err := rdv.WaitLine(`^PUBLISHED`, 30*time.Second)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Second)
	defer cancel()
	n := newGoJXTAPeers(ctx, t).edge("gojxta-edge", rdv.Addr(), rdvID)

	found, r := findPipe(ctx, t, n, "jxse-pipe")
	assert.True(t, r.Unverified, "a JXSE document is unverified")
	assert.Equal(t, rdvID, r.Publisher)
	require.Eventually(t, func() bool {
		entries, err := n.NetGroup().Discovery().Local(advert.Adv, "Name", "jxse-pipe", 1)
		return err == nil && len(entries) == 1 && entries[0].Unverified
	}, 5*time.Second, 20*time.Millisecond, "kept as unverified")

	out, err := n.NetGroup().Pipes().Connect(ctx, found)
	require.NoError(t, err)
	defer out.Close()
	m := jxta.NewMessage()
	m.AddString("", "gojxta", "hello from gojxta")
	require.NoError(t, out.Send(ctx, m))
	_, err = rdv.WaitLine(`^EXPECTED hello from gojxta$`, 30*time.Second)
	require.NoError(t, err, "the JXSE rendezvous receives the gojxta edge's message")
	code, err := rdv.Wait(30 * time.Second)
	require.NoError(t, err)
	assert.Equal(t, 0, code)
}

// TestGoJXTAEdgeFindsAJXSEEdgePipe: a JXSE edge and a gojxta edge lease
// with a gojxta rendezvous in legacy mode; the gojxta edge finds the pipe
// the JXSE edge published (the rendezvous passes the query on to its
// legacy edges, whose index it does not get) and sends to it.
func TestGoJXTAEdgeFindsAJXSEEdgePipe(t *testing.T) {
	t.Parallel()
	jxsepeer.SkipIfUnavailable(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	peers := newGoJXTAPeers(ctx, t)
	rdv := peers.rendezvous("rdv")
	seed := rdv.Addresses()[0].String()
	jx := jxsepeer.Start(t, jxsepeer.Options{
		Mode: jxsepeer.Edge, Name: "jxse-edge", Seeds: []string{seed},
		Publish: "jxse-edge-pipe", Expect: "hello from g1", Timeout: 50 * time.Second,
	})
	_, err := jx.WaitLine(`^RDV CONNECTED true$`, 40*time.Second)
	require.NoError(t, err)
	g1 := peers.edge("g1", seed, rdv.ID())

	adv, r := findPipe(ctx, t, g1, "jxse-edge-pipe")
	assert.True(t, r.Unverified)
	out, err := g1.NetGroup().Pipes().Connect(ctx, adv)
	require.NoError(t, err)
	defer out.Close()
	m := jxta.NewMessage()
	m.AddString("", "g1", "hello from g1")
	require.NoError(t, out.Send(ctx, m))
	_, err = jx.WaitLine(`^EXPECTED hello from g1$`, 30*time.Second)
	require.NoError(t, err)
}

// TestJXSEEdgeFindsAGoJXTAPipeThroughJXSERendezvous: a gojxta edge in
// legacy mode and a JXSE edge lease with a JXSE rendezvous; the gojxta
// edge publishes a pipe (its index goes to the rendezvous) and the JXSE
// edge finds it and sends to it.
func TestJXSEEdgeFindsAGoJXTAPipeThroughJXSERendezvous(t *testing.T) {
	t.Parallel()
	jxsepeer.SkipIfUnavailable(t)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	rdv := jxsepeer.Start(t, jxsepeer.Options{Mode: jxsepeer.Rendezvous, Name: "jxse-rdv", Timeout: 60 * time.Second, Stay: 60 * time.Second})
	n := newGoJXTAPeers(ctx, t).edge("g1", rdv.Addr(), rdv.ID())
	p := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "gojxta-via-jxse")
	in, err := n.NetGroup().Pipes().Bind(p)
	require.NoError(t, err)
	defer in.Close()
	require.NoError(t, n.NetGroup().Discovery().Publish(p, 0, 0))

	jx := jxsepeer.Start(t, jxsepeer.Options{
		Mode: jxsepeer.Edge, Name: "jxse-edge", Seeds: []string{rdv.Addr()},
		Find: "gojxta-via-jxse", Send: "hello via jxse", Timeout: 40 * time.Second, Stay: 2 * time.Second,
	})
	m, err := jx.WaitLine(`^(FOUND (\S+) gojxta-via-jxse|NOT FOUND.*)$`, 50*time.Second)
	require.NoError(t, err)
	assert.Equal(t, "FOUND "+p.PipeID.String()+" gojxta-via-jxse", m[1], "the JXSE edge finds the gojxta edge's pipe through the JXSE rendezvous")
	rctx, rcancel := context.WithTimeout(ctx, 20*time.Second)
	defer rcancel()
	got, err := in.Recv(rctx)
	require.NoError(t, err)
	text, _ := got.Message.String("", "jxse")
	assert.Equal(t, "hello via jxse", text)
}
