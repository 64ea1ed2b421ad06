package shell

import (
	"context"
	"fmt"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/group/cache"
)

// findKind is what a discovery command finds: its category of
// advertisements and the prefix of the variables it stores them in.
type findKind struct {
	command  string // the command's name
	category advert.Category
	prefix   string // peer, group, adv: results go to peer0, peer1...
	noun     string // what one result is, for messages
}

var (
	peersKind  = findKind{command: "peers", category: advert.Peers, prefix: "peer", noun: "peer advertisement"}
	groupsKind = findKind{command: "groups", category: advert.Groups, prefix: "group", noun: "peer group advertisement"}
	searchKind = findKind{command: "search", category: advert.Adv, prefix: "adv", noun: "advertisement"}
)

// maxFound bounds the results one remote search keeps, whatever peers send.
const maxFound = 1000

// findOptionsHelp describes the options peers, groups and search share.
const findOptionsHelp = `Options:
    -r            ask other peers: the group through its rendezvous, or
                  the one peer given with -p; results print as they
                  arrive, until -n have come or -w has passed
    -p peer       ask this peer only (a variable such as peer3, or a
                  peer ID); implies -r
    -a attr       the index field to match, for example Name
    -v value      the value to match; * at the start, the end or both is
                  a wildcard; a bare * is refused (leave out -a and -v to
                  list everything)
    -n N          at most N results (default: all cached, up to 1000); with
                  -r, stop once N have arrived, and ask each peer for at
                  most N (default 1 when -v names one value without *,
                  else 10)
    -l            long form: ID, when the advertisement expires here
                  ("Expires on") and how long other peers may keep it
                  ("For Others")
    -f            flush: remove the matching cached advertisements
                  (only -a and -v go with -f)
    -w duration   how long -r waits at most (default 3s), for the seeds
                  to connect and for answers
Options may be clustered and glued to their values, as in JXSE:
-rl -aName -vjxta*.

Results: each advertisement listed is stored in the next variable of
%[1]s0, %[1]s1, ...: numbering starts at 0 when the shell starts and goes
on across commands, so earlier results keep their names. With
"var = %[2]s ...", var also holds the list of what this command found
(cat var prints it; -d var takes it when it holds one advertisement).`

func findCommands() []*Command {
	return []*Command{
		{
			Name:     "peers",
			Synopsis: "peers [-r] [-p peer] [-a attr -v value] [-n N] [-l] [-f] [-w duration]",
			Summary:  "list or discover peer advertisements of the current group",
			Details: `Lists the peer advertisements in this peer's cache for the current group,
one line each: "peer0: name = alice". With -r, asks other peers for
theirs and prints each new one as it arrives, with the peer that sent it;
what they send is kept in the cache, so a later "peers" lists it too. This
peer's own advertisement is always in the cache. A peer that proved, on a
connection with this one, that it holds the key of its ID is marked
[verified]; a legacy JXTA peer (JXSE, JXTA-C, with --legacy), whose ID
nothing proves, is marked [legacy, unverified]. Live connections are
shown by transports.

With -f, removes the matching peer advertisements from the cache (except
this peer's own, which is published again) and prints how many it removed.
With -r, -n 0 asks each peer for its own advertisement only.

` + fmt.Sprintf(findOptionsHelp, "peer", "peers") + `

Example:
    peers -r
    peers -l -a Name -v ali*
    others = peers -r -w 1s
    ping peer1`,
			Run: runFind(peersKind),
		},
		{
			Name:     "groups",
			Synopsis: "groups [-r] [-p peer] [-a attr -v value] [-n N] [-l] [-f] [-w duration]",
			Summary:  "list or discover peer group advertisements of the current group",
			Details: `Lists the peer group advertisements in this peer's cache for the current
group, one line each: "group0: name = chess". With -r, asks other peers
and prints each new one as it arrives. -l adds the group's ID, module spec
ID and description. -f removes the matching ones from the cache.
Index fields: Name, GID, MSID, Desc.

` + fmt.Sprintf(findOptionsHelp, "group", "groups") + `

Example:
    groups -r -a Name -v chess*
    groups -l`,
			Run: runFind(groupsKind),
		},
		{
			Name:     "search",
			Synopsis: "search [-r] [-p peer] [-a attr -v value] [-n N] [-l] [-f] [-w duration]",
			Summary:  "list or discover other advertisements (pipes, modules...)",
			Details: `Lists the advertisements other than peer and peer group advertisements
(pipes, module classes and specs, routes...) in this peer's cache for the
current group, one line each with its type: "adv0: jxta:PipeAdvertisement
name = chat". With -r, asks other peers and prints each new one as it
arrives. -f removes the matching ones from the cache. Index fields: Name
and Id for pipes; Name, MCID, MSID for modules. What a legacy JXTA peer
(JXSE, JXTA-C, with --legacy) sent is unsigned and marked [unverified].

` + fmt.Sprintf(findOptionsHelp, "adv", "search") + `

Example:
    search -r -a Name -v chat*
    search -l
    search -f -a Name -v chat`,
			Run: runFind(searchKind),
		},
	}
}

func runFind(k findKind) func(*Call) error {
	return func(c *Call) error {
		o, err := parseFindOptions(c, k)
		if err != nil {
			return err
		}
		g, err := c.Group()
		if err != nil {
			return err
		}
		switch {
		case o.flush:
			return flushFound(c, g, k, o)
		case o.remote:
			return findRemote(c, g, k, o)
		}
		return findLocal(c, g, k, o)
	}
}

// findLocal lists the matching advertisements of g's cache.
func findLocal(c *Call, g *group.Group, k findKind, o findOptions) error {
	entries, err := g.Discovery().Local(k.category, o.attr, o.value, o.localLimit())
	if err != nil {
		return err
	}
	now := time.Now()
	var found Found
	for _, e := range entries {
		a, err := e.Advertisement()
		if err != nil {
			fmt.Fprintf(c.Shell.Err, "%s: skipping cached entry %s: %v\n", k.command, e.Key, err)
			continue
		}
		life := lifetimes{expires: e.Expires, forOthers: e.RemoteExpiration(now)}
		found = append(found, c.keepFound(k, a, jxta.PeerID{}, e.Unverified, o.long, life))
	}
	c.assignFound(k, found)
	return nil
}

// findRemote asks other peers and prints what they send as it arrives,
// until o.wanted have come or o.wait has passed.
func findRemote(c *Call, g *group.Group, k findKind, o findOptions) error {
	ctx, cancel := context.WithTimeout(c.Context(), o.wait)
	defer cancel()
	q := query{category: k.category, attr: o.attr, value: o.value, threshold: o.threshold()}
	results, err := c.remoteQuery(ctx, g, o.peer, q, func(p jxta.PeerID, err error) {
		fmt.Fprintf(c.Shell.Err, "%s: asking %s: %v\n", k.command, p, err)
	})
	if err != nil {
		return err
	}
	seen := make(map[string]bool)
	var found Found
	wanted := o.wanted()
	for r := range results {
		key := cache.Key(r.Adv)
		if seen[key] || len(found) >= maxFound || advert.CategoryOf(r.Adv) != k.category {
			continue
		}
		seen[key] = true
		life := lifetimes{expires: time.Now().Add(r.Expiration), forOthers: r.Expiration}
		if r.Expiration == cache.Forever {
			life.expires = time.Time{}
		}
		found = append(found, c.keepFound(k, r.Adv, r.Peer, r.Unverified, o.long, life))
		if wanted > 0 && len(found) >= wanted {
			cancel() // enough: the results still on their way are dropped
			break
		}
	}
	if len(found) == 0 {
		fmt.Fprintf(c.Out, "no %s found within %s\n", k.noun, o.wait)
	}
	c.assignFound(k, found)
	return nil
}

// maxFlushRounds bounds the searches one flush makes, each removing up to
// cache.MaxThreshold advertisements: enough for a full group.
const maxFlushRounds = cache.DefaultMaxEntries/cache.MaxThreshold + 1

// flushFound removes the matching advertisements from g's cache. This
// peer's own advertisement stays, published again as JXSE does.
func flushFound(c *Call, g *group.Group, k findKind, o findOptions) error {
	d := g.Discovery()
	self, err := c.selfAdv(g)
	if err != nil {
		return err
	}
	selfKey := cache.Key(self)
	flushed := 0
	for range maxFlushRounds {
		entries, err := d.Local(k.category, o.attr, o.value, cache.MaxThreshold)
		if err != nil {
			return err
		}
		removed := 0
		for _, e := range entries {
			a, err := e.Advertisement()
			if err != nil || e.Key == selfKey {
				continue
			}
			if err := d.Flush(a); err != nil {
				return err
			}
			removed++
		}
		flushed += removed
		if removed == 0 || len(entries) < cache.MaxThreshold {
			break
		}
	}
	if k.category == advert.Peers {
		if err := d.Publish(self, 0, 0); err != nil {
			return err
		}
	}
	fmt.Fprintf(c.Out, "flushed %s\n", plural(flushed, k.noun))
	return nil
}

// selfAdv returns this peer's advertisement in g.
func (c *Call) selfAdv(g *group.Group) (*advert.PeerAdv, error) {
	n, err := c.Peer()
	if err != nil {
		return nil, err
	}
	pa := n.Endpoint().PeerAdv()
	pa.GroupID = g.ID()
	return pa, nil
}
