package shell

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/group/membership"
	"github.com/gojxta/gojxta/jxta/group/rendezvous"
	"github.com/gojxta/gojxta/jxta/node"
)

// joinTimeout bounds a join (a password check costs one argon2id run).
const joinTimeout = 30 * time.Second

func groupCommands() []*Command {
	return []*Command{
		{
			Name:     "newpgrp",
			Synopsis: "newpgrp -n name [-d description] [--password]",
			Summary:  "create and publish a peer group advertisement",
			Details: `Creates the advertisement of a new peer group with a random ID, whose parent
is the current group, publishes it there (so that other peers find it with
groups -r), and stores it in a variable (groupN, or the name given with
"var = newpgrp"). It does not join the group: use join -d.

With --password the group has password membership: the password is asked
for (without echo on a terminal; read as the next input line otherwise) and
only peers that give it can join. The advertisement carries a salted
argon2id verifier of the password, never the password itself.

Options:
    -n name         the group's name (required)
    -d description  a description
    --password      password membership (default: anyone may join)

Example:
    club = newpgrp -n club --password
    join -d club`,
			Run: runNewGroup,
		},
		{
			Name:     "join",
			Synopsis: "join [-i identity] [[-d] groupVar]",
			Summary:  "join a peer group and make it current",
			Details: `Joins the group whose advertisement is in groupVar (from newpgrp, groups or
search) and makes it the current group: later discovery and publishing
commands work in it. A password group asks for its password (without echo
on a terminal; read as the next input line otherwise); a wrong password is
refused. In a password group, members accept traffic only from peers that
proved they know the password, so a rendezvous that is to serve the group
must join it too. With no group, lists the joined groups and marks the
current one.

Options:
    -d groupVar   the group's advertisement (-d may be left out)
    -i identity   the identity to join as (default: this peer's name)

Example:
    groups -r -a Name -v club
    join -d group0`,
			Run: runJoin,
		},
		{
			Name:     "leave",
			Synopsis: "leave [-k]",
			Summary:  "leave the current group",
			Details: `Resigns from the current group, stops it on this peer and makes its parent
the current group. The Net group cannot be left. (JXSE's leave only resigns
and needs -k to stop the group; a group one has resigned from serves no
purpose, so gojxta stops it either way.)

Options:
    -k   also delete the group here: its advertisement leaves this peer's
         cache, so groups no longer lists it until it is found anew

Example:
    leave -k`,
			Run: runLeave,
		},
		{
			Name:     "chpgrp",
			Synopsis: "chpgrp groupVar | -p | name",
			Summary:  "change the current group",
			Details: `Makes a joined group the current group: the one whose advertisement is in
groupVar, the one with that name, or with -p the parent of the current
group.

Example:
    chpgrp club
    chpgrp -p`,
			Run: runChangeGroup,
		},
		{
			Name:     "rdvstatus",
			Synopsis: "rdvstatus [-v]",
			Summary:  "show the rendezvous state of the current group",
			Details: `Prints this peer's rendezvous role in the current group (edge, rendezvous or
ad-hoc), then, for an edge, the rendezvous it holds a lease with and the
time left on the lease; for a rendezvous, its edges with the time left on
each lease, its peer view (the other rendezvous it knows: UP when a
connection to it is up, DOWN otherwise, and when it was last heard of) and
the groups it serves for its edges. An edge without a rendezvous says why
(none reached yet, or the one it had was lost, and when) and what it is
doing about it. In a password group, the peers whose traffic this peer
refuses because they have not proved they know the password (a rendezvous
that has not joined the group, say). Then the seeds, each once: connected
(to which peer, and since when), or unreachable and retried since when, and
why.

Options:
    -v    also print the counters: messages propagated, relayed, sent,
          failed, delivered and dropped, and lease requests refused

Example:
    rdvstatus -v`,
			Run: runRdvStatus,
		},
	}
}

func runNewGroup(c *Call) error {
	fs := c.Flags()
	name := fs.String("n", "", "name")
	desc := fs.String("d", "", "description")
	withPassword := fs.Bool("password", false, "password membership")
	if err := c.ParseOptions(fs); err != nil {
		return err
	}
	if strings.TrimSpace(*name) == "" {
		return Usagef("want -n name")
	}
	g, err := c.Group()
	if err != nil {
		return err
	}
	n, _ := c.Peer()
	opts := group.GroupOptions{Name: *name, Description: *desc, Membership: membership.None}
	if *withPassword {
		pw, err := c.Shell.ReadSecret("Password for " + *name + ": ")
		if err != nil {
			return fmt.Errorf("reading the password: %w", err)
		}
		if pw == "" {
			return errors.New("the password must not be empty")
		}
		opts.Membership, opts.Password = membership.Password, pw
	}
	pga, err := n.CreateGroup(g, opts)
	if err != nil {
		return err
	}
	v := c.Result("group", "peer group advertisement "+*name, pga)
	fmt.Fprintf(c.Out, "%s = group %s %s (%s membership)\n", v, pga.Name, pga.GroupID, opts.Membership)
	return nil
}

func runJoin(c *Call) error {
	fs := c.Flags()
	nameOpt := fs.String("d", "", "group variable")
	identity := fs.String("i", "", "identity")
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	groupVar, err := optionOrOperand(*nameOpt, args)
	if err != nil {
		return err
	}
	name := &groupVar
	n, err := c.Peer()
	if err != nil {
		return err
	}
	if *name == "" {
		cur, _ := c.Group()
		for _, g := range n.Groups() {
			mark := " "
			if g == cur {
				mark = "*"
			}
			fmt.Fprintf(c.Out, "%s %s %s\n", mark, groupLabel(g), g.ID())
		}
		return nil
	}
	v, err := c.Var(*name)
	if err != nil {
		return err
	}
	pga, ok := v.Value.(*advert.GroupAdv)
	if !ok {
		return fmt.Errorf("%s holds %s, not a peer group advertisement", v.Name, aKind(v.Value))
	}
	kind, _, err := membership.MembershipOf(pga)
	if err != nil {
		return err
	}
	id := *identity
	if id == "" {
		id = n.Name()
	}
	var password string
	if kind == membership.Password {
		if password, err = c.Shell.ReadSecret("Password for " + pga.Name + ": "); err != nil {
			return fmt.Errorf("reading the password: %w", err)
		}
	}
	ctx, cancel := context.WithTimeout(c.Context(), joinTimeout)
	defer cancel()
	g, err := n.JoinGroup(ctx, pga, id, password)
	if err != nil {
		return err
	}
	c.Shell.current = g
	fmt.Fprintf(c.Out, "joined %s as %s; it is the current group\n", groupLabel(g), id)
	return nil
}

func runLeave(c *Call) error {
	fs := c.Flags()
	kill := fs.Bool("k", false, "delete the group")
	if err := c.ParseOptions(fs); err != nil {
		return err
	}
	n, err := c.Peer()
	if err != nil {
		return err
	}
	g, err := c.Group()
	if err != nil {
		return err
	}
	if err := n.LeaveGroup(g.ID()); err != nil {
		return err
	}
	c.Shell.current = g.Parent()
	if c.Shell.current == nil || c.Shell.current == n.WorldGroup() {
		c.Shell.current = n.NetGroup()
	}
	if *kill && g.Adv() != nil {
		parent := g.Parent()
		if parent == nil {
			parent = n.NetGroup()
		}
		if err := parent.Discovery().Flush(g.Adv()); err != nil {
			return fmt.Errorf("left %s, but deleting it: %w", groupLabel(g), err)
		}
		fmt.Fprintf(c.Out, "left and deleted %s; the current group is %s\n", groupLabel(g), groupLabel(c.Shell.current))
		return nil
	}
	fmt.Fprintf(c.Out, "left %s; the current group is %s\n", groupLabel(g), groupLabel(c.Shell.current))
	return nil
}

func runChangeGroup(c *Call) error {
	fs := c.Flags()
	parent := fs.Bool("p", false, "parent")
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	n, err := c.Peer()
	if err != nil {
		return err
	}
	cur, err := c.Group()
	if err != nil {
		return err
	}
	var to *group.Group
	switch {
	case *parent && len(args) == 0:
		if to = cur.Parent(); to == nil {
			return errors.New("the current group has no parent")
		}
	case !*parent && len(args) == 1:
		to, err = joinedGroup(c, args[0])
		if err != nil {
			return err
		}
	default:
		return Usagef("want a group variable or name, or -p")
	}
	c.Shell.current = to
	if to == n.NetGroup() {
		c.Shell.current = nil
	}
	fmt.Fprintf(c.Out, "the current group is %s\n", groupLabel(to))
	return nil
}

// joinedGroup finds a joined group by the advertisement in a variable, or
// by name.
func joinedGroup(c *Call, ref string) (*group.Group, error) {
	n, err := c.Peer()
	if err != nil {
		return nil, err
	}
	if v := c.Shell.Env.Get(ref); v != nil {
		if pga, ok := v.Value.(*advert.GroupAdv); ok {
			if g, ok := n.Group(pga.GroupID); ok {
				return g, nil
			}
			return nil, fmt.Errorf("%s is not joined: join -d %s", pga.Name, ref)
		}
	}
	for _, g := range n.Groups() {
		if g.Name() == ref {
			return g, nil
		}
	}
	return nil, fmt.Errorf("no joined group %q (join lists them)", ref)
}

func runRdvStatus(c *Call) error {
	fs := c.Flags()
	verbose := fs.Bool("v", false, "counters")
	if err := c.ParseOptions(fs); err != nil {
		return err
	}
	n, err := c.Peer()
	if err != nil {
		return err
	}
	g, err := c.Group()
	if err != nil {
		return err
	}
	st := g.Rendezvous().Status()
	fmt.Fprintf(c.Out, "Group      : %s\n", groupLabel(g))
	fmt.Fprintf(c.Out, "Role       : %s\n", st.Role)
	for _, l := range st.RendezVous {
		fmt.Fprintf(c.Out, "Rendezvous : %s %s lease ends in %s\n", peerLabel(c, l.Peer), l.Peer, time.Until(l.Expires).Round(time.Second))
	}
	seeds := n.SeedStatus()
	if st.Role == rendezvous.Edge && len(st.RendezVous) == 0 {
		fmt.Fprintf(c.Out, "Rendezvous : %s\n", noRendezvous(c, n, g, seeds))
	}
	for _, e := range st.Edges {
		fmt.Fprintf(c.Out, "Edge       : %s %s lease ends in %s\n", peerLabel(c, e.Peer), e.Peer, time.Until(e.Expires).Round(time.Second))
	}
	for _, r := range g.Refused() {
		fmt.Fprintf(c.Out, "Refused    : %s %s since %s: it has not proved it knows the group's password (a rendezvous must join a password group to serve it)\n",
			peerLabel(c, r.Peer), r.Peer, r.At.Format(time.TimeOnly))
	}
	up := make(map[jxta.PeerID]bool)
	for _, ci := range n.Endpoint().Connections() {
		up[ci.Peer] = true
	}
	for _, v := range st.PeerView {
		state := "DOWN"
		if up[v.Peer] {
			state = "UP"
		}
		fmt.Fprintf(c.Out, "Peer view  : %s %s %s, heard %s ago\n", peerLabel(c, v.Peer), v.Peer, state, time.Since(v.Heard).Round(time.Second))
	}
	if st.Role == rendezvous.Rendezvous && len(st.PeerView) == 0 {
		fmt.Fprintln(c.Out, "Peer view  : empty (no other rendezvous known yet)")
	}
	if g == n.NetGroup() {
		for _, id := range n.ServedGroups() {
			fmt.Fprintf(c.Out, "Serving    : %s\n", id)
		}
	}
	listed := make(map[jxta.PeerID]bool)
	for _, sd := range seeds {
		listed[sd.Peer] = true
		fmt.Fprintf(c.Out, "Seed       : %s\n", seedText(c, sd))
	}
	for _, p := range st.Seeds { // added to this group's service alone (rdvcontrol)
		if !listed[p] {
			listed[p] = true
			fmt.Fprintf(c.Out, "Seed       : %s %s\n", peerLabel(c, p), p)
		}
	}
	if *verbose {
		k := st.Counters
		fmt.Fprintf(c.Out, "Counters   : propagated %d, relayed %d, sent %d, failed %d, delivered %d, dropped %d, refused %d\n",
			k.Propagated, k.Relayed, k.Sent, k.Failed, k.Delivered, k.Dropped, k.Refused)
	}
	return nil
}

// noRendezvous says why an edge has no rendezvous in g and what it does
// about it.
func noRendezvous(c *Call, n *node.Node, g *group.Group, seeds []node.SeedStatus) string {
	what := "none yet"
	if ev, ok := n.LastRendezvousEvent(g.ID()); ok && ev.Kind == node.RendezvousLost {
		what = fmt.Sprintf("none: lost %s %s %s ago", peerLabel(c, ev.Peer), ev.Peer, time.Since(ev.Time).Round(time.Second))
	}
	connected, failing := 0, 0
	for _, sd := range seeds {
		switch {
		case sd.Connected:
			connected++
		case sd.Err != nil:
			failing++
		}
	}
	switch {
	case len(seeds) == 0:
		return what + " (give one with --seed or rdvcontrol edge connect, or become one with rdvcontrol rdv start)"
	case connected == 0 && failing == 0:
		return what + "; connecting to the seeds"
	case connected == 0:
		return what + "; retrying the seeds until one answers (see Seed)"
	}
	return what + "; asking the seeds and known rendezvous for a lease"
}

// seedText describes a seed for rdvstatus: connected, or retrying since
// when and why.
func seedText(c *Call, sd node.SeedStatus) string {
	if sd.Connected {
		return fmt.Sprintf("%s %s at %s, connected since %s", peerLabel(c, sd.Peer), sd.Peer, sd.Address, sd.Since.Format(time.TimeOnly))
	}
	if sd.Err == nil {
		return fmt.Sprintf("%s connecting since %s", sd.Address, sd.Since.Format(time.TimeOnly))
	}
	why := sd.Err.Error()
	return fmt.Sprintf("%s unreachable, retrying since %s (%s, %s)", sd.Address, sd.Since.Format(time.TimeOnly), why, plural(sd.Attempts, "attempt"))
}

// groupLabel names a group for output.
func groupLabel(g *group.Group) string {
	if g.Name() == "" {
		return g.ID().String()
	}
	return g.Name()
}

// peerLabel names a peer by the name in its advertisement, if known.
func peerLabel(c *Call, id jxta.PeerID) string {
	if n, err := c.Peer(); err == nil {
		if pa, ok := n.Endpoint().Peer(id); ok && pa.Name != "" {
			return pa.Name
		}
	}
	return "(unknown)"
}
