package shell

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group/cache"
)

// Found is what a discovery command (peers, groups, search) found, in the
// order it printed it: "x = peers -r" stores it in x. Each advertisement
// is also in its own variable (peerN, groupN, advN).
type Found []FoundAdv

// FoundAdv is one advertisement a discovery command found, with the
// variable that holds it.
type FoundAdv struct {
	Var string
	Adv advert.Advertisement
}

// String lists the advertisements, one line each: the variable, the
// advertisement type, its name and its ID.
func (f Found) String() string {
	if len(f) == 0 {
		return "no advertisements"
	}
	var b strings.Builder
	for i, fa := range f {
		if i > 0 {
			b.WriteByte('\n')
		}
		fmt.Fprintf(&b, "%s: %s name = %s %s", fa.Var, fa.Adv.AdvType(), advName(fa.Adv), idText(fa.Adv.ID()))
	}
	return b.String()
}

// lifetimes are how long an advertisement stays in this peer's cache and
// how long the peers it is sent to may keep it, for -l.
type lifetimes struct {
	expires   time.Time     // end of its lifetime here; zero: never
	forOthers time.Duration // expiration sent with it
}

// dateLayout is how JXSE's shell prints dates (Java's Date.toString).
const dateLayout = "Mon Jan 02 15:04:05 MST 2006"

// keepFound stores a in the next variable of k's prefix, prints it (with
// the peer it came from, if not null, and with -l its details) and returns
// the record.
func (c *Call) keepFound(k findKind, a advert.Advertisement, from jxta.PeerID, unverified, long bool, life lifetimes) FoundAdv {
	name := c.Shell.Env.NextName(k.prefix)
	desc := k.noun + " " + advName(a)
	if !from.IsNull() {
		desc += " from " + from.String()
	}
	c.Shell.Env.Set(name, desc, a)
	line := name + ": name = " + advName(a)
	if k.category == advert.Adv {
		line = name + ": " + a.AdvType() + " name = " + advName(a)
	}
	if !from.IsNull() {
		line += " (from " + from.String() + ")"
	}
	pa, isPeer := a.(*advert.PeerAdv)
	switch {
	case isPeer && c.verified(pa.PeerID):
		line += " [verified]"
	case isPeer && c.legacyPeer(pa.PeerID):
		line += " [legacy, unverified]"
	case unverified:
		line += " [unverified]"
	}
	fmt.Fprintln(c.Out, line)
	if long {
		writeDetails(c.Out, a, life)
	}
	return FoundAdv{Var: name, Adv: a}
}

// verified reports whether peer proved it holds the key of its ID on a
// connection with this peer.
func (c *Call) verified(peer jxta.PeerID) bool {
	n, err := c.Peer()
	return err == nil && n.Endpoint().Verified(peer)
}

// legacyPeer reports whether peer is a legacy JXTA peer (JXSE, JXTA-C)
// connected in the clear, whose ID nothing proves.
func (c *Call) legacyPeer(peer jxta.PeerID) bool {
	n, err := c.Peer()
	return err == nil && n.Endpoint().IsLegacy(peer)
}

// writeDetails prints what -l adds: the ID (for a group also its module
// spec and description), when the advertisement expires here and how long
// other peers may keep it.
func writeDetails(w io.Writer, a advert.Advertisement, life lifetimes) {
	fmt.Fprintf(w, "    ID         : %s\n", idText(a.ID()))
	if ga, ok := a.(*advert.GroupAdv); ok {
		fmt.Fprintf(w, "    SpecID     : %s\n", idText(ga.SpecID.ID))
		fmt.Fprintf(w, "    Descr      : %s\n", advert.Text(ga.Desc))
	}
	fmt.Fprintf(w, "    Expires on : %s\n", expiryText(life.expires))
	fmt.Fprintf(w, "    For Others : %s\n", durationText(life.forOthers))
}

// assignFound returns found as the command's result: "var = cmd" stores
// it in var, and it flows down a pipeline.
func (c *Call) assignFound(k findKind, found Found) {
	c.Return(fmt.Sprintf("%d %ss found by %s", len(found), k.noun, k.command), found)
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

func idText(id jxta.ID) string {
	if id.IsNull() {
		return "-"
	}
	return id.String()
}

func expiryText(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	return t.Format(dateLayout)
}

// durationText prints an expiration in milliseconds, as JXSE does.
func durationText(d time.Duration) string {
	if d == cache.Forever {
		return "forever"
	}
	return fmt.Sprintf("%d ms", d.Milliseconds())
}

// plural returns "1 noun" or "n nouns".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
