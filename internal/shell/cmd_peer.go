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
			Name:     "peers",
			Synopsis: "peers",
			Summary:  "list the peers this peer knows",
			Details: `Lists the peers this peer knows, one per line with its name, whether it is
connected, and its ID. Each peer advertisement is stored in a variable
peer0, peer1, ... (numbered from 0 on each listing).

Example:
    peers
    cat -p peer0`,
			Run: runPeers,
		},
		{
			Name:     "transports",
			Synopsis: "transports",
			Summary:  "show listen addresses and live connections",
			Details: `Prints the addresses this peer listens on, then one line per live
connection: the peer's name and ID, the remote address, who dialed, how long
it has been up and how many multiplexed streams it carries.

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

func runPeers(c *Call) error {
	if len(c.Args) > 0 {
		return Usagef("takes no arguments")
	}
	n, err := c.Peer()
	if err != nil {
		return err
	}
	for i, p := range n.Peers() {
		name := fmt.Sprintf("peer%d", i)
		c.Shell.Env.Set(name, "peer advertisement of "+p.Adv.Name, p.Adv)
		state := ""
		if p.Connected {
			state = " (connected)"
		}
		fmt.Fprintf(c.Out, "%s: name = %s%s %s\n", name, p.Adv.Name, state, p.Adv.PeerID)
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
