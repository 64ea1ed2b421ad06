package shell

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/group/resolver"
)

// xferPipePrefix starts the name of the pipe a user receives files on,
// as in JXSE's xfer.
const xferPipePrefix = "JxtaXferUserName."

// checkXferUser refuses user names that cannot name a pipe to search for.
func checkXferUser(user string) error {
	switch {
	case user == "":
		return Usagef("empty user name")
	case strings.Contains(user, "*"):
		return Usagef("user %q: * is a search wildcard", user)
	case strings.IndexFunc(user, unicode.IsControl) >= 0:
		return Usagef("user %q: a control character", user)
	}
	return nil
}

// localXferAdv returns the advertisement of user's xfer pipe in the cache
// of g, if there is one.
func localXferAdv(g *group.Group, user string) (*advert.PipeAdv, bool, error) {
	entries, err := g.Discovery().Local(advert.Adv, "Name", xferPipePrefix+user, cache.MaxThreshold)
	if err != nil {
		return nil, false, err
	}
	for _, e := range entries {
		if pa := xferAdvOf(e.Doc); pa != nil && pa.Name == xferPipePrefix+user {
			return pa, true, nil
		}
	}
	return nil, false, nil
}

// xferAdvOf parses a cached advertisement and returns it if it is the
// advertisement of a user's xfer pipe.
func xferAdvOf(doc []byte) *advert.PipeAdv {
	a, err := advert.Parse(doc)
	if err != nil {
		return nil
	}
	return xferPipeAdv(a, "")
}

// xferPipeAdv returns a if it is the unicast pipe advertisement of user's
// xfer pipe ("" matches every user).
func xferPipeAdv(a advert.Advertisement, user string) *advert.PipeAdv {
	pa, ok := a.(*advert.PipeAdv)
	if !ok || !strings.HasPrefix(pa.Name, xferPipePrefix) || pa.Type != advert.PipeUnicast && pa.Type != "" {
		return nil
	}
	if user != "" && pa.Name != xferPipePrefix+user {
		return nil
	}
	return pa
}

// findXferAdv returns the advertisement of user's xfer pipe: from the
// cache of g, else from the first peer of the group that answers a remote
// search before ctx ends.
func findXferAdv(ctx context.Context, g *group.Group, user string) (*advert.PipeAdv, error) {
	if pa, ok, err := localXferAdv(g, user); ok || err != nil {
		return pa, err
	}
	results, err := g.Discovery().Remote(ctx, jxta.PeerID{}, advert.Adv, "Name", xferPipePrefix+user, 10)
	if errors.Is(err, resolver.ErrNoPeers) {
		return nil, fmt.Errorf("%s is not registered here, and no peer is connected to ask", user)
	}
	if err != nil {
		return nil, err
	}
	for r := range results {
		if pa := xferPipeAdv(r.Adv, user); pa != nil {
			return pa, nil
		}
	}
	return nil, fmt.Errorf("no peer knows xfer user %s (has %s run xfer register %s?)", user, user, user)
}
