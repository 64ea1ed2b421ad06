package shell

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/group/resolver"
)

// A talk user's registration is a pipe advertisement named
// JxtaTalkUserName.<user> in a group's cache: a unicast pipe for a user,
// a propagate pipe for a chat room. This file finds registrations, in
// the cache and from other peers.

// talkFindRound is how often talk asks again for a registration other
// peers hold while it waits (a rendezvous may learn of the registration
// meanwhile), as JXSE's talk asks twice in its 10 seconds.
const talkFindRound = 2500 * time.Millisecond

// maxTalkUser bounds a user name typed on the command line.
const maxTalkUser = 64

// checkTalkUser refuses user names that cannot be one: empty, too long,
// with blanks or control characters, or with "*" (a search wildcard).
func checkTalkUser(user string) error {
	switch {
	case user == "":
		return Usagef("empty user name")
	case len(user) > maxTalkUser:
		return Usagef("user name longer than %d bytes", maxTalkUser)
	case strings.ContainsFunc(user, func(r rune) bool { return r == '*' || unicode.IsSpace(r) || unicode.IsControl(r) }):
		return Usagef("user name %q: want one word without *", user)
	}
	return nil
}

// talkUserOf returns the user a talk registration belongs to, or false if
// a is not a talk registration.
func talkUserOf(a advert.Advertisement) (*advert.PipeAdv, string, bool) {
	pa, ok := a.(*advert.PipeAdv)
	if !ok {
		return nil, "", false
	}
	user, ok := strings.CutPrefix(pa.Name, talkUserNamePrefix)
	if !ok || user == "" {
		return nil, "", false
	}
	return pa, user, true
}

// talkRole names what a registration's pipe type makes of it.
func talkRole(pa *advert.PipeAdv) string {
	switch pa.Type {
	case advert.PipePropagate:
		return "chat room"
	case advert.PipeUnicastSecure:
		return "secure user"
	}
	return "user"
}

// cachedTalkUsers returns the talk registrations in g's cache whose pipe
// name matches name (a "*" wildcard at either end, as the cache matches).
func cachedTalkUsers(g *group.Group, name string) ([]*advert.PipeAdv, error) {
	entries, err := g.Discovery().Local(advert.Adv, "Name", name, cache.MaxThreshold)
	if err != nil {
		return nil, err
	}
	var out []*advert.PipeAdv
	for _, e := range entries {
		a, err := e.Advertisement()
		if err != nil {
			continue
		}
		if pa, _, ok := talkUserOf(a); ok {
			out = append(out, pa)
		}
	}
	return out, nil
}

// cachedTalkUser returns user's registration in g's cache, or nil.
func cachedTalkUser(g *group.Group, user string) (*advert.PipeAdv, error) {
	regs, err := cachedTalkUsers(g, talkUserNamePrefix+user)
	if err != nil {
		return nil, err
	}
	for _, pa := range regs {
		if pa.Name == talkUserNamePrefix+user {
			return pa, nil
		}
	}
	return nil, nil
}

// findTalkUser returns user's registration in g: from the cache, else
// from the first peer that sends one within wait.
func (c *Call) findTalkUser(g *group.Group, user string, wait time.Duration) (*advert.PipeAdv, error) {
	if pa, err := cachedTalkUser(g, user); pa != nil || err != nil {
		return pa, err
	}
	ctx, cancel := context.WithTimeout(c.Context(), wait)
	defer cancel()
	for ctx.Err() == nil {
		pa, err := askTalkUser(ctx, g, user)
		if pa != nil || err != nil {
			return pa, err
		}
	}
	if c.Context().Err() != nil {
		return nil, errors.New("interrupted")
	}
	return nil, fmt.Errorf("%s is not registered: no registration here, and no peer sent one within %s (talk -register %s)", user, wait, user)
}

// askTalkUser asks g's peers once for user's registration and waits up to
// talkFindRound (or until ctx ends) for one. It returns nil, nil if none
// came, and an error only when there is nobody to ask.
func askTalkUser(ctx context.Context, g *group.Group, user string) (*advert.PipeAdv, error) {
	round, cancel := context.WithTimeout(ctx, talkFindRound)
	defer cancel()
	results, err := g.Discovery().Remote(round, jxta.PeerID{}, advert.Adv, "Name", talkUserNamePrefix+user, 0)
	if errors.Is(err, resolver.ErrNoPeers) {
		return nil, fmt.Errorf("%s is not registered here, and there is no peer to ask (talk -register %s)", user, user)
	}
	if err != nil {
		return nil, err
	}
	for r := range results {
		if pa, found, ok := talkUserOf(r.Adv); ok && found == user {
			return pa, nil
		}
	}
	<-round.Done()
	return nil, nil
}

// talkRegistrations is what talk -search found: each registration once,
// by user name and type.
type talkRegistrations map[string]*advert.PipeAdv

// add records pa if it is a talk registration.
func (r talkRegistrations) add(a advert.Advertisement) {
	if pa, user, ok := talkUserOf(a); ok {
		r[user+" "+pa.Type] = pa
	}
}

// lines lists the registrations sorted by user name: the user, and
// whether it is a user or a chat room.
func (r talkRegistrations) lines() []string {
	out := make([]string, 0, len(r))
	for _, pa := range r {
		_, user, _ := talkUserOf(pa)
		out = append(out, fmt.Sprintf("%-20s %s", user, talkRole(pa)))
	}
	sort.Strings(out)
	return out
}
