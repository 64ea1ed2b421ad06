package shell

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"time"

	"github.com/gojxta/gojxta/internal/xfer"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/group/resolver"
	"github.com/gojxta/gojxta/jxta/pipe"
)

// xferCommands is JXSE's xfer application: files sent between users over
// bidirectional pipes, with resume and SHA-256 verification
// (internal/xfer holds the protocol).
func xferCommands() []*Command {
	return []*Command{{
		Name:     "xfer",
		Synopsis: "xfer register user | login [-d dir] user | logout user | send [-t ms] [-l rate] me you FILE | search [-w duration]",
		Summary:  "send files to other users, with resume and SHA-256 verification",
		Details: `Sends files between users over bidirectional pipes in the current group, as
JXSE's xfer application, with a progress bar, resume after an
interruption, and a SHA-256 check of every file received.

    xfer register user
        makes and publishes in this peer's cache the advertisement of the
        pipe user receives files on (a unicast pipe named
        JxtaXferUserName.user); an existing one is published again.
    xfer login [-d dir] user
        receives the files sent to user, in the background, into dir
        (default ./xfer, created if needed). Each arrival prints its name,
        size, time, throughput and "SHA-256 verified". A transfer that was
        cut off is resumed by the next send of the same file; a file whose
        hash does not match is removed. Names that would leave dir and
        files larger than 64 GiB are refused, and an existing file is
        never overwritten: a different file of the same name is saved as
        name-1.ext (then -2...), and the sender is told.
    xfer logout user
        stops receiving for user; cut transfers stay partial, for resuming.
    xfer send [-t ms] [-l rate] me you FILE
        sends FILE to user you, as me: finds you's advertisement (in the
        cache, else by asking the group), connects, sends, and prints the
        size, time and throughput. On a terminal a progress bar shows
        the transfer. Ctrl-C stops it; sending again resumes.
    xfer search [-w duration]
        lists the registered users: in the cache, then as other peers
        answer, for up to -w (default 3s).

Options:
    -d dir        where login saves files (default ./xfer)
    -t ms         how long send looks for the user and connects (default
                  10000)
    -l rate       send at most rate bytes per second: a number, or one
                  with K, M or G (KiB, MiB, GiB), as in -l 2M
    -w duration   how long search waits for answers (default 3s)

Example:
    xfer register bob
    xfer login bob
    xfer send alice bob /tmp/report.pdf`,
		Run: runXfer,
	}}
}

func runXfer(c *Call) error {
	if len(c.Args) == 0 {
		return Usagef("want register, login, logout, send or search")
	}
	sub := c.Args[0]
	c.Args = c.Args[1:]
	switch sub {
	case "register":
		return runXferRegister(c)
	case "login":
		return runXferLogin(c)
	case "logout":
		return runXferLogout(c)
	case "send":
		return runXferSend(c)
	case "search":
		return runXferSearch(c)
	}
	return Usagef("unknown subcommand %q", sub)
}

// oneUser parses the call's options with fs and returns its one
// argument, a user name.
func oneUser(c *Call, fs *flag.FlagSet) (string, error) {
	args, err := c.Parse(fs)
	if err != nil {
		return "", err
	}
	if len(args) != 1 {
		return "", Usagef("want one user name")
	}
	return args[0], checkXferUser(args[0])
}

func runXferRegister(c *Call) error {
	user, err := oneUser(c, c.Flags())
	if err != nil {
		return err
	}
	g, err := c.Group()
	if err != nil {
		return err
	}
	pa, found, err := localXferAdv(g, user)
	if err != nil {
		return err
	}
	if !found {
		pa = advert.NewPipeAdv(g.ID(), advert.PipeUnicast, xferPipePrefix+user)
	}
	if err := g.Discovery().Publish(pa, 0, 0); err != nil {
		return err
	}
	c.Return("xfer pipe advertisement of "+user, pa)
	if found {
		fmt.Fprintf(c.Out, "%s was registered already: pipe %s %s\n", user, pa.Name, pa.PipeID)
		return nil
	}
	fmt.Fprintf(c.Out, "registered %s: pipe %s %s\n", user, pa.Name, pa.PipeID)
	return nil
}

func runXferLogin(c *Call) error {
	fs := c.Flags()
	dir := fs.String("d", "xfer", "directory")
	user, err := oneUser(c, fs)
	if err != nil {
		return err
	}
	if d, ok := c.Shell.xfers.dirOf(user); ok {
		return fmt.Errorf("%s is logged in already, receiving into %s (xfer logout %s first)", user, d, user)
	}
	g, err := c.Group()
	if err != nil {
		return err
	}
	pa, found, err := localXferAdv(g, user)
	if err != nil {
		return err
	}
	if !found {
		return fmt.Errorf("%s is not registered in %s (xfer register %s first)", user, g.Name(), user)
	}
	r, err := xfer.NewReceiver(*dir, xfer.ReceiverConfig{})
	if err != nil {
		return err
	}
	l, err := g.Pipes().Listen(c.Context(), pa)
	if err != nil {
		r.Close()
		return err
	}
	if err := c.Shell.xfers.add(user, l, r, c.Shell.Notify); err != nil {
		l.Close()
		r.Close()
		return err
	}
	fmt.Fprintf(c.Out, "%s logged in: receiving files into %s\n", user, r.Dir())
	return nil
}

func runXferLogout(c *Call) error {
	user, err := oneUser(c, c.Flags())
	if err != nil {
		return err
	}
	if c.Shell.xfers.remove(user) == nil {
		return fmt.Errorf("%s is not logged in", user)
	}
	fmt.Fprintf(c.Out, "%s logged out\n", user)
	return nil
}

func runXferSend(c *Call) error {
	fs := c.Flags()
	wait := waitFlag(fs, defaultResolveWait)
	limitText := fs.String("l", "", "rate limit")
	args, err := c.Parse(fs)
	if err != nil {
		return err
	}
	if len(args) != 3 {
		return Usagef("want me you FILE")
	}
	limit, err := parseRate(*limitText)
	if err != nil {
		return err
	}
	me, you, path := args[0], args[1], args[2]
	for _, u := range []string{me, you} {
		if err := checkXferUser(u); err != nil {
			return err
		}
	}
	g, err := c.Group()
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	offer, err := xfer.OfferFile(c.Context(), f, me)
	if err != nil {
		return err
	}
	ctx, cancel, err := c.waitContext(*wait)
	if err != nil {
		return err
	}
	defer cancel()
	pa, err := findXferAdv(ctx, g, you)
	if err != nil {
		return err
	}
	conn, err := g.Pipes().Dial(ctx, pa)
	if err != nil {
		return fmt.Errorf("connecting to %s (is %s logged in? xfer login %s): %w", you, you, you, err)
	}
	defer conn.Close()
	bar := c.progressBar(offer)
	sent, err := xfer.Send(c.Context(), conn, offer, f, xfer.SendOptions{Progress: bar.set, RateLimit: limit})
	bar.end(err)
	if errors.Is(err, pipe.ErrRefused) {
		// Dial does not wait for the listener: its refusal comes with
		// the answer to the offer.
		return fmt.Errorf("connecting to %s (is %s logged in? xfer login %s): %w", you, you, you, err)
	}
	if err != nil {
		held := sent.Offset + sent.Bytes
		if errors.Is(err, context.Canceled) && c.Context().Err() != nil {
			return fmt.Errorf("interrupted with %d of %d bytes of %s sent: xfer send again resumes", held, offer.Size, offer.Name)
		}
		return fmt.Errorf("sending %s to %s: %w", offer.Name, you, err)
	}
	fmt.Fprintln(c.Out, sentLine(you, offer, sent))
	return nil
}

// parseRate reads a rate limit: bytes per second, or KiB, MiB or GiB per
// second with the suffix K, M or G; "" is no limit.
func parseRate(text string) (int64, error) {
	if text == "" {
		return 0, nil
	}
	unit := int64(1)
	switch text[len(text)-1] {
	case 'K', 'k':
		unit = 1 << 10
	case 'M', 'm':
		unit = 1 << 20
	case 'G', 'g':
		unit = 1 << 30
	}
	digits := text
	if unit > 1 {
		digits = text[:len(text)-1]
	}
	n, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || n <= 0 || n > math.MaxInt64/unit {
		return 0, Usagef("-l %s: want bytes per second, such as 500K or 2M", text)
	}
	return n * unit, nil
}

// defaultXferSearchWait is how long xfer search waits for other peers.
const defaultXferSearchWait = 3 * time.Second

func runXferSearch(c *Call) error {
	fs := c.Flags()
	wait := fs.Duration("w", defaultXferSearchWait, "wait")
	if err := c.ParseOptions(fs); err != nil {
		return err
	}
	if *wait < 0 {
		return Usagef("-w %v: want a duration >= 0", *wait)
	}
	g, err := c.Group()
	if err != nil {
		return err
	}
	seen := make(map[string]bool)
	show := func(pa *advert.PipeAdv, from jxta.PeerID) {
		user := pa.Name[len(xferPipePrefix):]
		if seen[user] {
			return
		}
		seen[user] = true
		line := user
		if d, ok := c.Shell.xfers.dirOf(user); ok {
			line += " (logged in here, receiving into " + d + ")"
		} else if !from.IsNull() {
			line += " (from " + from.String() + ")"
		}
		fmt.Fprintln(c.Out, line)
	}
	entries, err := g.Discovery().Local(advert.Adv, "Name", xferPipePrefix+"*", cache.MaxThreshold)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if pa := xferAdvOf(e.Doc); pa != nil {
			show(pa, jxta.PeerID{})
		}
	}
	ctx, cancel := context.WithTimeout(c.Context(), *wait)
	defer cancel()
	results, err := g.Discovery().Remote(ctx, jxta.PeerID{}, advert.Adv, "Name", xferPipePrefix+"*", 100)
	switch {
	case errors.Is(err, resolver.ErrNoPeers), waitEnded(ctx, err):
	case err != nil:
		return err
	default:
		for r := range results {
			if pa := xferPipeAdv(r.Adv, ""); pa != nil {
				show(pa, r.Peer)
			}
		}
	}
	if len(seen) == 0 {
		fmt.Fprintln(c.Out, "no xfer users found")
	}
	return nil
}
