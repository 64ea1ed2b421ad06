package jxsewire_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/testlog"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group/discovery"
	"github.com/gojxta/gojxta/jxta/node"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// gojxtaPeers starts a test's gojxta peers in legacy mode on loopback,
// logging to one buffer that is printed if the test fails.
type gojxtaPeers struct {
	t   *testing.T
	ctx context.Context
	log *slog.Logger
}

func newGoJXTAPeers(ctx context.Context, t *testing.T) *gojxtaPeers {
	t.Helper()
	log, logged := testlog.New()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("gojxta log:\n%s", logged.String())
		}
	})
	return &gojxtaPeers{t: t, ctx: ctx, log: log}
}

func (p *gojxtaPeers) start(name string, cfg node.Config) *node.Node {
	p.t.Helper()
	cfg.Name, cfg.Home, cfg.Listen, cfg.Legacy = name, p.t.TempDir(), []string{"tcp://127.0.0.1:0"}, true
	cfg.Logger = p.log.With("peer", name)
	n, err := node.Start(p.ctx, cfg)
	require.NoError(p.t, err)
	p.t.Cleanup(func() { assert.NoError(p.t, n.Close()) })
	return n
}

// rendezvous starts a gojxta rendezvous.
func (p *gojxtaPeers) rendezvous(name string) *node.Node {
	p.t.Helper()
	return p.start(name, node.Config{Rendezvous: true})
}

// edge starts a gojxta edge seeded with seed and waits for its lease:
// with rdv, unless it is the null ID.
func (p *gojxtaPeers) edge(name, seed string, rdv jxta.PeerID) *node.Node {
	p.t.Helper()
	n := p.start(name, node.Config{Seeds: []string{seed}})
	require.Eventually(p.t, func() bool {
		rs := n.NetGroup().Rendezvous().RendezVous()
		return len(rs) == 1 && (rdv.IsNull() || rs[0] == rdv)
	}, 20*time.Second, 20*time.Millisecond, "%s leases with its rendezvous", name)
	return n
}

// findPipe asks n's group for a pipe advertisement named name until one
// comes, within ctx, and returns the result that brought it.
func findPipe(ctx context.Context, t *testing.T, n *node.Node, name string) (*advert.PipeAdv, discovery.Result) {
	t.Helper()
	for ctx.Err() == nil {
		qctx, qcancel := context.WithTimeout(ctx, 2*time.Second)
		ch, err := n.NetGroup().Discovery().Remote(qctx, jxta.PeerID{}, advert.Adv, "Name", name, 1)
		require.NoError(t, err)
		for r := range ch {
			if p, ok := r.Adv.(*advert.PipeAdv); ok {
				qcancel()
				return p, r
			}
		}
		qcancel()
	}
	t.Fatalf("no pipe advertisement named %q found", name)
	return nil, discovery.Result{}
}
