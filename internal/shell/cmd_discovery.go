package shell

import (
	"context"
	"flag"
	"fmt"
	"strings"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/group/discovery"
)

// discoveryCommands are the commands of the current group's discovery
// service: finding advertisements (cmd_find.go), and making, publishing,
// flushing and inspecting single ones.
func discoveryCommands() []*Command {
	return append(findCommands(), []*Command{
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
			Synopsis: "publish [-d] var",
			Summary:  "publish an advertisement in this peer's cache",
			Details: `Stores the advertisement held in var in this peer's cache for the current
group (lifetime one year, expiration two hours, as JXSE), where local and
remote searches find it. -d before var, as in JXSE, may be left out.

Example:
    publish -d p`,
			Run: runPublish,
		},
		{
			Name:     "remotepublish",
			Synopsis: "remotepublish [-p peer] [-d] var",
			Summary:  "push an advertisement to other peers' caches",
			Details: `Sends the advertisement held in var to the connected peers (or to the one
given with -p), which keep it in their cache for the current group for two
hours, as JXSE's remote publication. Prints how many peers it was sent to.
It does not store the advertisement here: publish does.

Options:
    -d var    the variable holding the advertisement (-d may be left
              out)
    -p peer   send to this peer only (a variable such as peer3, or a
              peer ID)

Example:
    p = newpipe -n chat
    remotepublish -d p`,
			Run: runRemotePublish,
		},
		{
			Name:     "flush",
			Synopsis: "flush [-d] var",
			Summary:  "remove an advertisement from this peer's cache",
			Details: `Removes the advertisement held in var from this peer's cache for the
current group (the variable keeps it). peers -f, groups -f and search -f
remove many at once. -d before var, as in JXSE, may be left out.

Example:
    search -a Name -v chat
    flush -d adv0`,
			Run: runFlush,
		},
		{
			Name:     "info",
			Synopsis: "info [-d] var",
			Summary:  "show when a cached advertisement expires",
			Details: `Prints when the advertisement held in var expires in this peer's cache for
the current group, and how long the peers it is sent to may keep it. -d
before var, as in JXSE, may be left out.

Example:
    peers
    info -d peer0`,
			Run: runInfo,
		},
	}...)
}

func runNewPipe(c *Call) error {
	fs := c.Flags()
	name := fs.String("n", "", "name")
	prop := fs.Bool("p", false, "propagate")
	secure := fs.Bool("s", false, "secure")
	if err := c.ParseOptions(fs); err != nil {
		return err
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
	g, err := c.Group()
	if err != nil {
		return err
	}
	pa := advert.NewPipeAdv(g.ID(), typ, *name)
	v := c.Result("env", "pipe advertisement "+*name, pa)
	fmt.Fprintf(c.Out, "%s = %s %s %s\n", v, typ, *name, pa.PipeID)
	return nil
}

func runPublish(c *Call) error {
	fs := c.Flags()
	a, err := advertOption(c, fs)
	if err != nil {
		return err
	}
	g, err := c.Group()
	if err != nil {
		return err
	}
	return g.Discovery().Publish(a, 0, 0)
}

func runRemotePublish(c *Call) error {
	fs := c.Flags()
	peerText := fs.String("p", "", "peer")
	a, err := advertOption(c, fs)
	if err != nil {
		return err
	}
	var peer jxta.PeerID
	if *peerText != "" {
		if peer, err = peerArg(c, *peerText); err != nil {
			return err
		}
	}
	g, err := c.Group()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context(), 10*time.Second)
	defer cancel()
	sent, err := c.remotePublish(ctx, g, peer, a, 0, func(p jxta.PeerID, err error) {
		fmt.Fprintf(c.Shell.Err, "remotepublish: sending to %s: %v\n", p, err)
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(c.Out, "sent to %s\n", plural(sent, "peer"))
	return nil
}

func runFlush(c *Call) error {
	a, err := advertOption(c, c.Flags())
	if err != nil {
		return err
	}
	g, err := c.Group()
	if err != nil {
		return err
	}
	return g.Discovery().Flush(a)
}

func runInfo(c *Call) error {
	fs := c.Flags()
	a, err := advertOption(c, fs)
	if err != nil {
		return err
	}
	g, err := c.Group()
	if err != nil {
		return err
	}
	e, ok, err := cachedEntry(g.Discovery(), a)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("the advertisement is not in this peer's cache for %s", g.Name())
	}
	fmt.Fprintf(c.Out, "Expires on            : %s\n", expiryText(e.Expires))
	fmt.Fprintf(c.Out, "Expires for others in : %s\n", durationText(e.RemoteExpiration(time.Now())))
	return nil
}

// cachedEntry finds a's entry in the cache of d's group: it searches by
// one of a's index fields, preferring its ID, and picks the entry with
// a's key.
func cachedEntry(d *discovery.Service, a advert.Advertisement) (cache.Entry, bool, error) {
	attr, value := "", ""
	for _, f := range a.IndexFields() {
		if strings.Contains(f.Value, "*") || strings.TrimSpace(f.Value) != f.Value {
			continue // a wildcard or trimmed value would not match exactly
		}
		if attr == "" || f.Value == a.ID().String() {
			attr, value = f.Name, f.Value
		}
	}
	entries, err := d.Local(advert.CategoryOf(a), attr, value, cache.MaxThreshold)
	if err != nil {
		return cache.Entry{}, false, err
	}
	key := cache.Key(a)
	for _, e := range entries {
		if e.Key == key {
			return e, true, nil
		}
	}
	return cache.Entry{}, false, nil
}

// advertOption parses the options of fs with a -d var option naming an
// advertisement, and returns the advertisement. A list of results
// ("x = peers") holding exactly one advertisement stands for it.
func advertOption(c *Call, fs *flag.FlagSet) (advert.Advertisement, error) {
	name := fs.String("d", "", "variable")
	args, err := c.Parse(fs)
	if err != nil {
		return nil, err
	}
	name2, err := optionOrOperand(*name, args)
	if err != nil {
		return nil, err
	}
	if name2 == "" {
		return nil, Usagef("want a variable")
	}
	v, err := c.Var(name2)
	if err != nil {
		return nil, err
	}
	return advertOf(v)
}
