package shell

import (
	"fmt"
	"time"

	"github.com/gojxta/gojxta/jxta/advert"
)

func peerCommands() []*Command {
	return []*Command{
		{
			Name:     "whoami",
			Synopsis: "whoami [-l]",
			Summary:  "show this peer's name, ID and addresses",
			Details: `Prints this peer's name, peer ID, group and the transport addresses it
listens on. Starts the peer if it is not running yet.

Options:
    -l    print the full peer advertisement

Example:
    whoami`,
			Run: runWhoami,
		},
		{
			Name:     "transports",
			Synopsis: "transports",
			Summary:  "show listen addresses and live connections",
			Details: `Prints the addresses this peer listens on, then one line per live
connection: the peer's name and ID, the remote address, who dialed, how long
it has been up and how many multiplexed streams it carries. (peers lists
the peer advertisements of the current group, connected or not.)

Example:
    transports`,
			Run: runTransports,
		},
	}
}

func runWhoami(c *Call) error {
	fs := c.Flags()
	long := fs.Bool("l", false, "print the peer advertisement")
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	if len(args) > 0 {
		return Usagef("takes no arguments")
	}
	n, err := c.Peer()
	if err != nil {
		return err
	}
	if *long {
		_, err := c.Out.Write(advert.MarshalIndent(n.Endpoint().PeerAdv()))
		return err
	}
	fmt.Fprintf(c.Out, "Name      : %s\n", n.Name())
	fmt.Fprintf(c.Out, "Peer ID   : %s\n", n.ID())
	fmt.Fprintf(c.Out, "Group     : %s\n", n.ID().Group())
	for i, a := range n.Addresses() {
		label := "Addresses :"
		if i > 0 {
			label = "           "
		}
		fmt.Fprintf(c.Out, "%s %s\n", label, a)
	}
	return nil
}

func runTransports(c *Call) error {
	if len(c.Args) > 0 {
		return Usagef("takes no arguments")
	}
	n, err := c.Peer()
	if err != nil {
		return err
	}
	fmt.Fprintln(c.Out, "Listening on:")
	for _, a := range n.Addresses() {
		fmt.Fprintf(c.Out, "  %s\n", a)
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
