package shell

import (
	"fmt"
	"time"

	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/identity"
)

// peerCommands are the commands about this peer: who it is and how it
// reaches others.
func peerCommands() []*Command {
	return []*Command{
		{
			Name:     "whoami",
			Synopsis: "whoami [-g] [-l]",
			Summary:  "show this peer, or the current group",
			Details: `Prints this peer's name, peer ID, the fingerprint of its Ed25519 key (the
peer ID is derived from that key, and every connection proves it), the
current group and the transport addresses it listens on. Starts the peer
if it is not running yet.

With -g, prints the current group instead: its name, group ID, module spec
ID (the implementation it runs), parent group, membership (none or
password) and description.

Options:
    -g    show the current group instead of the peer
    -l    print the full advertisement: this peer's in the current group,
          or with -g the group's (jxta:PGA; the World and Net groups have
          none on the network, so it is made from what they run); it is
          also the command's result ("pa = whoami -l" keeps it)

Example:
    whoami
    whoami -g -l`,
			Run: runWhoami,
		},
		{
			Name:     "transports",
			Synopsis: "transports",
			Summary:  "show the message transports and live connections",
			Details: `Prints each message transport as JXSE's shell does: its protocol, the
public address it gives other peers, the addresses it listens on, whether
it is connection oriented and whether it routes messages for other peers.
Then how this peer propagates on the LAN (IP multicast, if on), and one
line per live connection: the peer's name and ID, the remote address, who
dialed, how long it has been up and how many multiplexed streams it
carries. (route lists every known peer, connected or not.)

Example:
    transports`,
			Run: runTransports,
		},
	}
}

func runWhoami(c *Call) error {
	fs := c.Flags()
	groupToo := fs.Bool("g", false, "show the current group")
	long := fs.Bool("l", false, "print the advertisement")
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
	switch {
	case *groupToo && *long:
		pga := groupAdv(g)
		c.Return("peer group advertisement "+groupLabel(g), pga)
		_, err = c.Out.Write(advert.MarshalIndent(pga))
	case *groupToo:
		printGroup(c, g)
	case *long:
		pa := n.Endpoint().PeerAdv()
		pa.GroupID = g.ID()
		c.Return("peer advertisement "+pa.Name, pa)
		_, err = c.Out.Write(advert.MarshalIndent(pa))
	default:
		fmt.Fprintf(c.Out, "Name      : %s\n", n.Name())
		fmt.Fprintf(c.Out, "Peer ID   : %s\n", n.ID())
		fmt.Fprintf(c.Out, "Key       : Ed25519 %s\n", identity.Fingerprint(n.Endpoint().Identity().PublicKey()))
		fmt.Fprintf(c.Out, "Group     : %s %s\n", groupLabel(g), g.ID())
		printList(c, "Addresses :", n.Addresses())
	}
	return err
}

// printGroup prints what whoami -g shows of g.
func printGroup(c *Call, g *group.Group) {
	pga := groupAdv(g)
	fmt.Fprintf(c.Out, "Name      : %s\n", groupLabel(g))
	fmt.Fprintf(c.Out, "Group ID  : %s\n", g.ID())
	fmt.Fprintf(c.Out, "Spec ID   : %s\n", pga.SpecID)
	if p := g.Parent(); p != nil {
		fmt.Fprintf(c.Out, "Parent    : %s %s\n", groupLabel(p), p.ID())
	} else {
		fmt.Fprintln(c.Out, "Parent    : none (the root of the group tree)")
	}
	fmt.Fprintf(c.Out, "Membership: %s\n", g.Membership().Kind())
	if desc := advert.Text(pga.Desc); desc != "" {
		fmt.Fprintf(c.Out, "Desc      : %s\n", desc)
	}
}

// groupAdv returns g's advertisement; for the World and Net groups, which
// have none, one made of their ID, name and well-known module spec.
func groupAdv(g *group.Group) *advert.GroupAdv {
	if a := g.Adv(); a != nil {
		return a
	}
	return group.StandardAdv(g.ID(), g.Name())
}

// printList prints items one a line, the first after label, the others
// aligned under it; "none" if there are none.
func printList[T any](c *Call, label string, items []T) {
	if len(items) == 0 {
		fmt.Fprintf(c.Out, "%s none\n", label)
	}
	pad := fmt.Sprintf("%*s", len(label), "")
	for i, it := range items {
		if i == 0 {
			fmt.Fprintf(c.Out, "%s %v\n", label, it)
		} else {
			fmt.Fprintf(c.Out, "%s %v\n", pad, it)
		}
	}
}

func runTransports(c *Call) error {
	if len(c.Args) > 0 {
		return Usagef("takes no arguments")
	}
	n, err := c.Peer()
	if err != nil {
		return err
	}
	for _, t := range n.Transports() {
		fmt.Fprintf(c.Out, "Transport %s\n", t.Protocol)
		if len(t.Listen) > 0 {
			fmt.Fprintf(c.Out, "  Public address      : %s\n", t.Listen[0])
		} else {
			fmt.Fprintln(c.Out, "  Public address      : none (it only dials out)")
		}
		printList(c, "  Listening on        :", t.Listen)
		fmt.Fprintln(c.Out, "  Connection oriented : yes")
		fmt.Fprintln(c.Out, "  Allows routing      : no (peers connect directly; no relays)")
	}
	if group, ok := n.Multicast(); ok {
		fmt.Fprintf(c.Out, "Propagation : IP multicast %s (LAN discovery)\n", group)
	} else {
		fmt.Fprintln(c.Out, "Propagation : none (LAN discovery is off)")
	}
	conns := n.Endpoint().Connections()
	fmt.Fprintf(c.Out, "Connections: %d\n", len(conns))
	for _, ci := range conns {
		dir := "inbound"
		if ci.Outbound {
			dir = "outbound"
		}
		fmt.Fprintf(c.Out, "  %s %s %s %s up %s, %d streams\n", ci.Name, ci.Peer, ci.Remote, dir,
			time.Since(ci.Since).Round(time.Second), ci.Streams)
	}
	return nil
}
