package shell

import (
	"flag"
	"strings"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// Defaults and bounds of the discovery commands' options.
const (
	defaultWait = 3 * time.Second // -w
	maxWait     = time.Hour
	maxLimit    = cache.MaxThreshold // -n
)

// findOptions are the options of peers, groups and search.
type findOptions struct {
	remote   bool          // -r, or -p
	peer     jxta.PeerID   // -p: the one peer to ask; null: the remote targets
	attr     string        // -a
	value    string        // -v
	limit    int           // -n
	limitSet bool          // -n was given
	long     bool          // -l
	flush    bool          // -f
	wait     time.Duration // -w
}

// localLimit is how many cached advertisements a listing shows: -n, or as
// many as one search returns.
func (o findOptions) localLimit() int {
	if o.limitSet {
		return o.limit
	}
	return maxLimit
}

// wanted is how many results end a remote search before -w: -n, or one
// for an exact match of -v (no wildcard), or the discovery default (10).
// Zero means none: the search waits the whole of -w.
func (o findOptions) wanted() int {
	switch {
	case o.limitSet:
		return o.limit
	case o.value != "" && !strings.Contains(o.value, "*"):
		return 1
	}
	return protocol.DefaultThreshold
}

// threshold is how many advertisements a remote query asks each peer for:
// -n, or the discovery default (10).
func (o findOptions) threshold() int {
	if o.limitSet {
		return o.limit
	}
	return protocol.DefaultThreshold
}

// parseFindOptions reads the options of k's command. Options may be
// clustered and glued to their values, as JXSE's getopt allows:
// "peers -rl -aName -vjx*".
func parseFindOptions(c *Call, k findKind) (findOptions, error) {
	c.Args = getoptArgs(c.Args, "rlf", "pnavw")
	fs := c.Flags()
	var o findOptions
	fs.BoolVar(&o.remote, "r", false, "remote")
	peerText := fs.String("p", "", "peer")
	fs.StringVar(&o.attr, "a", "", "attribute")
	fs.StringVar(&o.value, "v", "", "value")
	fs.IntVar(&o.limit, "n", 0, "results per peer")
	fs.BoolVar(&o.long, "l", false, "long")
	fs.BoolVar(&o.flush, "f", false, "flush")
	fs.DurationVar(&o.wait, "w", defaultWait, "wait")
	args, err := c.Parse(fs)
	if err != nil {
		return o, err
	}
	set := make(map[string]bool)
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	o.limitSet = set["n"]
	switch {
	case len(args) > 0:
		return o, Usagef("unexpected argument %q", args[0])
	case strings.TrimSpace(o.value) == "*":
		return o, Usagef("-v *: a bare * is not allowed, give at least one more character (no -a and -v lists everything)")
	case set["v"] && o.attr == "":
		return o, Usagef("-v needs -a")
	case o.flush && (set["r"] || set["p"] || set["l"] || set["n"] || set["w"]):
		return o, Usagef("-f takes only -a and -v")
	}
	if set["p"] {
		if o.peer, err = peerArg(c, *peerText); err != nil {
			return o, err
		}
		o.remote = true
	}
	if set["w"] && !o.remote {
		return o, Usagef("-w is for remote searches (-r or -p)")
	}
	if o.wait <= 0 || o.wait > maxWait {
		return o, Usagef("-w must be more than 0 and at most %s", maxWait)
	}
	if o.limitSet && (o.limit < 1 || o.limit > maxLimit) {
		// A threshold of 0 asks peers for their own advertisement only.
		if o.limit != 0 || !o.remote || k.category != advert.Peers {
			return o, Usagef("-n must be between 1 and %d", maxLimit)
		}
	}
	return o, nil
}

// getoptArgs rewrites clustered options for the flag package, as JXSE's
// getopt reads them: "-rl" becomes "-r -l" and "-aName" becomes
// "-a Name", where bools are the letters of options without a value and
// valued those of options with one. It stops at the first argument that
// is not an option; anything else it leaves for the flag package to
// accept or refuse.
func getoptArgs(args []string, bools, valued string) []string {
	out := make([]string, 0, len(args))
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "-" || a == "--" || !strings.HasPrefix(a, "-") {
			return append(out, args[i:]...)
		}
		if strings.HasPrefix(a, "--") || len(a) > 2 && a[2] == '=' ||
			!strings.ContainsRune(bools+valued, rune(a[1])) {
			out = append(out, a)
			continue
		}
		for j := 1; j < len(a); j++ {
			opt := "-" + a[j:j+1]
			out = append(out, opt)
			if !strings.ContainsRune(valued, rune(a[j])) {
				continue
			}
			if j+1 < len(a) {
				out = append(out, a[j+1:])
			} else if i+1 < len(args) {
				i++
				out = append(out, args[i])
			}
			break
		}
	}
	return out
}
