package shell

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/group/discovery"
)

func discoveryCommands() []*Command {
	return []*Command{
		{
			Name:     "newpipe",
			Synopsis: "newpipe [-n name] [-p | -s]",
			Summary:  "create a pipe advertisement",
			Details: `Creates the advertisement of a new pipe with a random ID in the current
group, and stores it in a variable (envN, or the name given with
"var = newpipe"). Publish it with publish -d.

Options:
    -n name   the pipe's name
    -p        a propagate pipe (JxtaPropagate) instead of unicast
    -s        a secure unicast pipe (JxtaUnicastSecure)

Example:
    p = newpipe -n chat
    publish -d p`,
			Run: runNewPipe,
		},
		{
			Name:     "publish",
			Synopsis: "publish -d var",
			Summary:  "publish an advertisement in this peer's cache",
			Details: `Stores the advertisement held in var in this peer's cache for the current
group (lifetime one year, expiration two hours, as JXSE), where local and
remote searches find it.

Example:
    publish -d p`,
			Run: runPublish,
		},
		{
			Name:     "search",
			Synopsis: "search [-r] [-p peerID] [-a attr -v value] [-n N] [-w duration]",
			Summary:  "find advertisements (not peers or groups) locally or remotely",
			Details: `Lists advertisements other than peer and group advertisements from this
peer's cache, or with -r asks the connected peers (or the one given with -p)
and prints results as they arrive, for up to -w. Each result is stored in a
variable adv0, adv1, ... (numbered from 0 on each listing).

Options:
    -r            search remotely
    -p peerID     ask this peer only (implies -r)
    -a attr       the index field to match: Name, Id, MSID, MCID...
    -v value      the value; * at the start, end or both is a wildcard
    -n N          at most N results per peer (default 10)
    -w duration   how long -r waits for answers (default 3s)

Example:
    search -r -a Name -v chat*`,
			Run: runSearch,
		},
	}
}

func runNewPipe(c *Call) error {
	fs := c.Flags()
	name := fs.String("n", "", "name")
	prop := fs.Bool("p", false, "propagate")
	secure := fs.Bool("s", false, "secure")
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return Usagef("unexpected argument %q", args[0])
	}
	if *prop && *secure {
		return Usagef("-p and -s cannot be used together")
	}
	typ := advert.PipeUnicast
	switch {
	case *prop:
		typ = advert.PipePropagate
	case *secure:
		typ = advert.PipeUnicastSecure
	}
	pa := advert.NewPipeAdv(jxta.NetGroupID, typ, *name)
	v := c.Result("env", "pipe advertisement "+*name, pa)
	fmt.Fprintf(c.Out, "%s = %s %s %s\n", v, typ, *name, pa.PipeID)
	return nil
}

func runPublish(c *Call) error {
	a, err := advertOption(c)
	if err != nil {
		return err
	}
	n, err := c.Peer()
	if err != nil {
		return err
	}
	return n.NetGroup().Discovery().Publish(a, 0, 0)
}

// advertOption reads the -d var option naming an advertisement.
func advertOption(c *Call) (advert.Advertisement, error) {
	fs := c.Flags()
	name := fs.String("d", "", "variable")
	args, err := c.Parse(fs)
	if err != nil {
		return nil, err
	}
	if *name == "" || len(args) > 0 {
		return nil, Usagef("want -d var")
	}
	v, err := c.Var(*name)
	if err != nil {
		return nil, err
	}
	a, ok := v.Value.(advert.Advertisement)
	if !ok {
		return nil, fmt.Errorf("%s holds a %s, not an advertisement", v.Name, typeName(v.Value))
	}
	return a, nil
}

func runSearch(c *Call) error {
	fs := c.Flags()
	remote := fs.Bool("r", false, "remote")
	peerText := fs.String("p", "", "peer ID")
	attr := fs.String("a", "", "attribute")
	value := fs.String("v", "", "value")
	limit := fs.Int("n", 10, "results per peer")
	wait := fs.Duration("w", 3*time.Second, "wait")
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return Usagef("unexpected argument %q", args[0])
	}
	if *value != "" && *attr == "" {
		return Usagef("-v needs -a")
	}
	if *limit < 0 || *limit > 1000 {
		return Usagef("-n must be between 0 and 1000")
	}
	n, err := c.Peer()
	if err != nil {
		return err
	}
	d := n.NetGroup().Discovery()
	count := 0
	show := func(a advert.Advertisement, from string) {
		name := fmt.Sprintf("adv%d", count)
		count++
		c.Shell.Env.Set(name, a.AdvType()+" found "+from, a)
		fmt.Fprintf(c.Out, "%s: %s name = %s %s%s\n", name, a.AdvType(), advName(a), a.ID(), from)
	}
	if *peerText == "" && !*remote {
		entries, err := d.Local(advert.Adv, *attr, *value, *limit)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if a, err := e.Advertisement(); err == nil {
				show(a, "")
			}
		}
		return nil
	}
	var peers []jxta.PeerID
	if *peerText != "" {
		p, err := jxta.ParsePeerID(*peerText)
		if err != nil {
			return Usagef("-p: %v", err)
		}
		peers = []jxta.PeerID{p}
	} else {
		for _, ci := range n.Endpoint().Connections() {
			peers = append(peers, ci.Peer)
		}
	}
	if len(peers) == 0 {
		return fmt.Errorf("no connected peer to ask (connect with --seed)")
	}
	ctx, cancel := context.WithTimeout(context.Background(), *wait)
	defer cancel()
	results := make(chan discovery.Result)
	var wg sync.WaitGroup
	for _, p := range peers {
		ch, err := d.Remote(ctx, p, advert.Adv, *attr, *value, *limit)
		if err != nil {
			fmt.Fprintf(c.Shell.Err, "search: asking %s: %v\n", p, err)
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			for r := range ch {
				results <- r
			}
		}()
	}
	go func() { wg.Wait(); close(results) }()
	seen := map[string]bool{}
	for r := range results {
		key := cache.Key(r.Adv)
		if seen[key] {
			continue
		}
		seen[key] = true
		show(r.Adv, " (from "+r.Peer.String()+")")
	}
	if count == 0 {
		fmt.Fprintf(c.Out, "no advertisement found within %s\n", *wait)
	}
	return nil
}

// advName returns an advertisement's name, if it has one.
func advName(a advert.Advertisement) string {
	for _, f := range a.IndexFields() {
		if f.Name == "Name" {
			return f.Value
		}
	}
	return "-"
}
