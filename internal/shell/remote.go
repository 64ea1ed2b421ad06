package shell

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/group/discovery"
	"github.com/gojxta/gojxta/jxta/group/resolver"
)

// errNoConnectedPeer is returned by remote commands when there is no peer
// to send to.
var errNoConnectedPeer = errors.New("no rendezvous or connected peer to send to (connect with --seed, or give -p)")

// remoteTargets returns the peers a remote publication goes to: peer alone
// when it is not null (-p), else the group's rendezvous (this edge's, or a
// rendezvous's peer view), else, for a peer with none, every peer it is
// connected to. Remote queries without -p go to the group itself (see
// remoteQuery).
func (c *Call) remoteTargets(g *group.Group, peer jxta.PeerID) ([]jxta.PeerID, error) {
	if !peer.IsNull() {
		return []jxta.PeerID{peer}, nil
	}
	n, err := c.Peer()
	if err != nil {
		return nil, err
	}
	var out []jxta.PeerID
	seen := make(map[jxta.PeerID]bool)
	add := func(p jxta.PeerID) {
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	for _, p := range g.Resolver().RendezVous() {
		add(p)
	}
	for _, p := range g.Resolver().PeerView() {
		add(p)
	}
	if len(out) == 0 {
		for _, ci := range n.Endpoint().Connections() {
			add(ci.Peer)
		}
	}
	if len(out) == 0 {
		return nil, errNoConnectedPeer
	}
	return out, nil
}

// query is a discovery query: the category, the index field and value to
// match ("" for every advertisement), and how many results one peer may
// send.
type query struct {
	category  advert.Category
	attr      string
	value     string
	threshold int
}

// remoteQuery sends q in g to the remote targets (peer alone when it is
// not null) and returns the results of all of them on one channel, as they
// arrive; the channel closes when ctx ends. It fails if no target could be
// asked; a target that could not be asked while others were is reported
// to failed before remoteQuery returns.
func (c *Call) remoteQuery(ctx context.Context, g *group.Group, peer jxta.PeerID, q query, failed func(jxta.PeerID, error)) (<-chan discovery.Result, error) {
	if peer.IsNull() {
		// The group: the query goes through its rendezvous network to
		// the peers whose index entries match.
		ch, err := g.Discovery().Remote(ctx, peer, q.category, q.attr, q.value, q.threshold)
		var np *resolver.NoPeersError
		if errors.As(err, &np) {
			return nil, np // its own words: whom it waited for, and why none came
		}
		return ch, err
	}
	targets := []jxta.PeerID{peer}
	var chans []<-chan discovery.Result
	err := eachTarget(targets, failed, func(p jxta.PeerID) error {
		ch, err := g.Discovery().Remote(ctx, p, q.category, q.attr, q.value, q.threshold)
		if err == nil {
			chans = append(chans, ch)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	out := make(chan discovery.Result)
	var wg sync.WaitGroup
	for _, ch := range chans {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range ch {
				select {
				case out <- r:
				case <-ctx.Done():
				}
			}
		}()
	}
	go func() { wg.Wait(); close(out) }()
	return out, nil
}

// remotePublish sends a in g to the remote targets (peer alone when it is
// not null), for them to keep for expiration (0: two hours), and returns
// how many peers it reached. It fails if it reached none; a target it
// could not reach while it reached others is reported to failed.
func (c *Call) remotePublish(ctx context.Context, g *group.Group, peer jxta.PeerID, a advert.Advertisement, expiration time.Duration, failed func(jxta.PeerID, error)) (int, error) {
	targets, err := c.remoteTargets(g, peer)
	if err != nil {
		return 0, err
	}
	sent := 0
	err = eachTarget(targets, failed, func(p jxta.PeerID) error {
		err := g.Discovery().RemotePublish(ctx, p, a, expiration)
		if err == nil {
			sent++
		}
		return err
	})
	return sent, err
}

// eachTarget calls send for each target. It returns the first error if
// every call failed; otherwise it reports each failure to failed.
func eachTarget(targets []jxta.PeerID, failed func(jxta.PeerID, error), send func(jxta.PeerID) error) error {
	errs := make(map[jxta.PeerID]error)
	var first error
	for _, p := range targets {
		if err := send(p); err != nil {
			errs[p] = err
			if first == nil {
				first = fmt.Errorf("%s: %w", p, err)
			}
		}
	}
	if len(errs) == len(targets) {
		return first
	}
	for _, p := range targets {
		if err, ok := errs[p]; ok {
			failed(p, err)
		}
	}
	return nil
}

// waitEnded reports whether err is the end of wait, a search's own
// deadline, passing before the query was even sent (a search of -w 1ms
// on a busy machine): the search found nothing remote in its time, which
// is no error. A search the user interrupted still fails.
func waitEnded(wait context.Context, err error) bool {
	return errors.Is(err, context.DeadlineExceeded) && errors.Is(wait.Err(), context.DeadlineExceeded)
}
