package shell

import (
	"context"
	"fmt"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group/rendezvous"
)

// controlTimeout bounds an rdvcontrol action: dialing a seed, asking for
// a lease, telling the edges of a role change.
const controlTimeout = 30 * time.Second

// infraCommands are the diagnostics and controls of the network layer:
// routes to known peers and control of the rendezvous service
// (rdvstatus, which shows it, is with the group commands).
func infraCommands() []*Command {
	return []*Command{
		{
			Name:     "route",
			Synopsis: "route [-l] [info peer]",
			Summary:  "show the known routes to peers",
			Details: `Prints, for each peer this peer knows how to reach, its name and peer ID,
whether a connection to it is up (the remote address, who dialed, for how
long), and the addresses of its peer advertisement, in the order they are
dialed. gojxta routes directly: a peer is reached at one of its own
addresses, never through another peer.

With info, prints the route to one peer: a variable holding its peer
advertisement (such as peer0), or its peer ID.

Options:
    -l    print each route as a route advertisement (jxta:RA)

Example:
    route
    peers -r
    route -l info peer1`,
			Run: runRoute,
		},
		{
			Name:     "rdvcontrol",
			Synopsis: "rdvcontrol rdv start|stop | edge connect addr | edge disconnect peer | rpv addseed addr",
			Summary:  "control the rendezvous service of the current group",
			Details: `Changes this peer's part in the rendezvous network of the current group, as
JXSE's rdvcontrol does. In the Net group the change is the peer's: a
rendezvous also serves the user groups of its edges, and groups joined
later take the same role.

    rdv start            become a rendezvous: grant leases to edges,
                         relay their queries, keep a peer view
    rdv stop             become an edge again: the edges' leases end
                         (each is told, and fails over to another
                         rendezvous, or runs without one) and the peer
                         looks for a rendezvous among its seeds
    edge connect addr    dial the peer at addr (tcp://host:port, or
                         host:port), keep it as a seed, and move this
                         edge's lease to it now
    edge disconnect peer end the lease with peer (a variable, a peer ID,
                         or the name rdvstatus shows); an edge asks that
                         rendezvous no more until edge connect names it
                         again, and looks for another at once
    rpv addseed addr     dial the peer at addr and keep it as a seed: a
                         rendezvous gossips with it, an edge asks it for a
                         lease when it needs one

Example:
    rdvcontrol rdv start
    rdvcontrol edge connect tcp://192.168.1.5:9701
    rdvstatus`,
			Run: runRdvControl,
		},
	}
}

func runRoute(c *Call) error {
	fs := c.Flags()
	long := fs.Bool("l", false, "route advertisements")
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	if len(args) != 0 && (len(args) != 2 || args[0] != "info") {
		return Usagef("want no argument, or info and a peer")
	}
	var only jxta.PeerID
	if len(args) == 2 {
		if only, err = peerArg(c, args[1]); err != nil {
			return err
		}
	}
	n, err := c.Peer()
	if err != nil {
		return err
	}
	conns := make(map[jxta.PeerID]endpoint.ConnInfo)
	for _, ci := range n.Endpoint().Connections() {
		conns[ci.Peer] = ci
	}
	var routes []*advert.PeerAdv
	for _, p := range n.Endpoint().Peers() {
		if only.IsNull() || p.Adv.PeerID == only {
			routes = append(routes, p.Adv)
		}
	}
	if !only.IsNull() && len(routes) == 0 {
		return fmt.Errorf("no route to %s: this peer does not know its addresses (peers -r finds peers)", only)
	}
	if only.IsNull() {
		fmt.Fprintf(c.Out, "Routes: %s known\n", plural(len(routes), "peer"))
	}
	for _, pa := range routes {
		if *long {
			ra := &advert.RouteAdv{DstPeerID: pa.PeerID, Dst: &advert.AccessPointAdv{Addresses: pa.EndpointAddresses()}}
			if _, err := c.Out.Write(advert.MarshalIndent(ra)); err != nil {
				return err
			}
			continue
		}
		printRoute(c, pa, conns)
	}
	return nil
}

// printRoute prints the route to the peer of pa.
func printRoute(c *Call, pa *advert.PeerAdv, conns map[jxta.PeerID]endpoint.ConnInfo) {
	name := pa.Name
	if name == "" {
		name = "(unnamed)"
	}
	fmt.Fprintf(c.Out, "%s %s\n", name, pa.PeerID)
	if ci, ok := conns[pa.PeerID]; ok {
		dir := "inbound"
		if ci.Outbound {
			dir = "outbound"
		}
		fmt.Fprintf(c.Out, "  Connected : %s (%s, up %s)\n", ci.Remote, dir, time.Since(ci.Since).Round(time.Second))
	} else {
		fmt.Fprintln(c.Out, "  Connected : no (dialed when a message goes to it)")
	}
	printList(c, "  Addresses :", pa.EndpointAddresses())
}

func runRdvControl(c *Call) error {
	if len(c.Args) < 2 {
		return Usagef("want rdv, edge or rpv and an action")
	}
	what, action, rest := c.Args[0], c.Args[1], c.Args[2:]
	wantArgs := 0
	switch what + " " + action {
	case "rdv start", "rdv stop":
	case "edge connect", "edge disconnect", "rpv addseed":
		wantArgs = 1
	default:
		return Usagef("unknown action %q", what+" "+action)
	}
	if len(rest) != wantArgs {
		return Usagef("%s %s takes %d argument(s)", what, action, wantArgs)
	}
	n, err := c.Peer()
	if err != nil {
		return err
	}
	g, err := c.Group()
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context(), controlTimeout)
	defer cancel()
	svc := g.Rendezvous()
	switch what + " " + action {
	case "rdv start", "rdv stop":
		role := rendezvous.Rendezvous
		if action == "stop" {
			role = rendezvous.Edge
		}
		if g == n.NetGroup() {
			err = n.SetRendezvous(ctx, role == rendezvous.Rendezvous)
		} else {
			err = svc.SetRole(ctx, role)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(c.Out, "%s: this peer is %s now\n", groupLabel(g), withArticle(role))
	case "edge connect":
		if svc.Role() != rendezvous.Edge {
			return fmt.Errorf("%s: %w (rdvcontrol rdv stop first)", groupLabel(g), rendezvous.ErrNotEdge)
		}
		peer, err := n.AddSeed(ctx, rest[0])
		if err != nil {
			return err
		}
		if err := svc.Connect(ctx, peer); err != nil {
			return err
		}
		fmt.Fprintf(c.Out, "%s: lease with %s %s%s\n", groupLabel(g), peerLabel(c, peer), peer, leaseLeft(svc, peer))
	case "edge disconnect":
		peer, err := leasePeer(c, svc, rest[0])
		if err != nil {
			return err
		}
		if err := svc.Disconnect(ctx, peer); err != nil {
			return err
		}
		fmt.Fprintf(c.Out, "%s: the lease with %s %s ended\n", groupLabel(g), peerLabel(c, peer), peer)
	case "rpv addseed":
		peer, err := n.AddSeed(ctx, rest[0])
		if err != nil {
			return err
		}
		fmt.Fprintf(c.Out, "seed %s is %s %s\n", rest[0], peerLabel(c, peer), peer)
	}
	return nil
}

// withArticle returns "a rendezvous", "an edge", "an ad-hoc peer".
func withArticle(r rendezvous.Role) string {
	switch r {
	case rendezvous.Rendezvous:
		return "a rendezvous"
	case rendezvous.Edge:
		return "an edge"
	}
	return "an ad-hoc peer"
}

// leaseLeft returns ", ends in <d>" for this edge's lease with peer.
func leaseLeft(svc *rendezvous.Service, peer jxta.PeerID) string {
	for _, l := range svc.Status().RendezVous {
		if l.Peer == peer {
			return ", ends in " + time.Until(l.Expires).Round(time.Second).String()
		}
	}
	return ""
}

// leasePeer reads a peer that holds a lease with this one, or grants it
// one: a variable, a peer ID, or a name that rdvstatus shows.
func leasePeer(c *Call, svc *rendezvous.Service, s string) (jxta.PeerID, error) {
	if p, err := peerArg(c, s); err == nil {
		return p, nil
	}
	st := svc.Status()
	for _, l := range append(st.RendezVous, st.Edges...) {
		if peerLabel(c, l.Peer) == s {
			return l.Peer, nil
		}
	}
	return jxta.PeerID{}, Usagef("%q is no peer variable, peer ID or name of a peer holding a lease here", s)
}
