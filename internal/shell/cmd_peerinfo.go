package shell

import (
	"context"
	"fmt"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group/peerinfo"
)

func peerInfoCommands() []*Command {
	return []*Command{
		{
			Name:     "peerinfo",
			Synopsis: "peerinfo [[-p] peerVar|peerID]",
			Summary:  "show how long a peer has run and its message counts",
			Details: `Without a peer, prints this peer's uptime and the messages and bytes it
exchanged with each peer. With one, asks that peer (a variable holding its
advertisement, such as peer0, or its ID) for its uptime and totals. -p
before the peer, as in JXSE, may be left out.

Options:
    -p peer   the peer to ask

Example:
    peers
    peerinfo peer0
    peerinfo -p peer0`,
			Run: runPeerInfo,
		},
		{
			Name:     "ping",
			Synopsis: "ping [-c count] peerVar|peerID",
			Summary:  "measure the round trip to a peer",
			Details: `Sends peer information queries to the peer and prints each round-trip
time, then the minimum, average and maximum.

Options:
    -c count   how many queries (default 3)

Example:
    ping peer0`,
			Run: runPing,
		},
	}
}

// peerArg reads a peer from a variable holding a peer advertisement or
// from an ID.
func peerArg(c *Call, s string) (jxta.PeerID, error) {
	if v := c.Shell.Env.Get(s); v != nil {
		if pa, ok := v.Value.(*advert.PeerAdv); ok {
			return pa.PeerID, nil
		}
		return jxta.PeerID{}, fmt.Errorf("%s holds %s, not a peer advertisement", s, aKind(v.Value))
	}
	p, err := jxta.ParsePeerID(s)
	if err != nil {
		return jxta.PeerID{}, Usagef("%q is neither a peer variable nor a peer ID", s)
	}
	return p, nil
}

func runPeerInfo(c *Call) error {
	fs := c.Flags()
	peerOpt := fs.String("p", "", "peer")
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	peerText, err := optionOrOperand(*peerOpt, args)
	if err != nil {
		return err
	}
	g, err := c.Group()
	if err != nil {
		return err
	}
	pi := g.PeerInfo()
	if peerText == "" {
		info := pi.Local()
		printInfo(c, info)
		for p, t := range pi.PerPeer() {
			fmt.Fprintf(c.Out, "  %s: in %d msgs %d bytes, out %d msgs %d bytes, last activity %s\n", p,
				t.MessagesIn, t.BytesIn, t.MessagesOut, t.BytesOut, lastActivity(t.LastIn, t.LastOut))
		}
		return nil
	}
	peer, err := peerArg(c, peerText)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(c.Context(), 10*time.Second)
	defer cancel()
	info, rtt, err := pi.Remote(ctx, peer)
	if err != nil {
		return err
	}
	printInfo(c, info)
	fmt.Fprintf(c.Out, "Round trip: %s\n", rtt.Round(time.Microsecond))
	return nil
}

func printInfo(c *Call, info peerinfo.Info) {
	fmt.Fprintf(c.Out, "Peer      : %s\n", info.Peer)
	fmt.Fprintf(c.Out, "Uptime    : %s\n", info.Uptime.Round(time.Second))
	fmt.Fprintf(c.Out, "Messages  : %d in, %d out\n", info.Total.MessagesIn, info.Total.MessagesOut)
	fmt.Fprintf(c.Out, "Last      : %s\n", lastActivity(info.Total.LastIn, info.Total.LastOut))
}

func lastActivity(in, out time.Time) string {
	last := in
	if out.After(last) {
		last = out
	}
	if last.IsZero() {
		return "never"
	}
	return time.Since(last).Round(time.Millisecond).String() + " ago"
}

func runPing(c *Call) error {
	fs := c.Flags()
	count := fs.Int("c", 3, "count")
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	if len(args) != 1 {
		return Usagef("want one peer")
	}
	if *count < 1 || *count > 1000 {
		return Usagef("-c must be between 1 and 1000")
	}
	peer, err := peerArg(c, args[0])
	if err != nil {
		return err
	}
	g, err := c.Group()
	if err != nil {
		return err
	}
	var rtts []time.Duration
	for i := 0; i < *count; i++ {
		ctx, cancel := context.WithTimeout(c.Context(), 5*time.Second)
		rtt, err := g.PeerInfo().Ping(ctx, peer)
		cancel()
		if err != nil {
			return err
		}
		rtts = append(rtts, rtt)
		fmt.Fprintf(c.Out, "reply from %s: time=%s\n", peer, rtt.Round(time.Microsecond))
	}
	lo, hi, sum := rtts[0], rtts[0], time.Duration(0)
	for _, r := range rtts {
		lo, hi, sum = min(lo, r), max(hi, r), sum+r
	}
	fmt.Fprintf(c.Out, "%d replies: min %s avg %s max %s\n", len(rtts), lo.Round(time.Microsecond),
		(sum / time.Duration(len(rtts))).Round(time.Microsecond), hi.Round(time.Microsecond))
	return nil
}
