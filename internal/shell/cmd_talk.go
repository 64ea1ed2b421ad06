package shell

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/group/resolver"
	"github.com/gojxta/gojxta/jxta/pipe"
)

// talkCommands is JXSE's talk, instant messages between users over pipes.
// Each shell gets its own table, so the users logged in (their listeners)
// belong to the shell whose table holds the command.
func talkCommands() []*Command {
	logins := newTalkLogins()
	return []*Command{
		{
			Name:     "talk",
			Synopsis: "talk -register user [-propagate | -secure] | -login user | -logout user | -search | -u me you [-w duration]",
			Summary:  "send instant messages to other users (JXSE's talk)",
			Details: `Instant messages between users of the current group, as in JXSE's shell.
A user is registered once, logs in on each start to receive messages, and
talks to another user (or to a chat room) with -u.

Options:
    -register user   register user: make a pipe advertisement named
                     JxtaTalkUserName.user (unicast) and publish it in this
                     peer's cache, where it stays across restarts; other
                     peers find it through the group's rendezvous. If user
                     is registered here already, that registration is kept.
    -propagate       with -register: a chat room (a propagate pipe); every
                     user logged in to the room sees what is sent to it
    -secure          with -register: a secure user (a JxtaUnicastSecure
                     pipe): messages go only straight to the peer where
                     the user is logged in, over its authenticated,
                     encrypted connection, never through a rendezvous
    -login user      listen for user's messages: each prints as
                     "sender to user> text" while you work, until -logout
                     or the peer stops. The registration is taken from the
                     cache, else asked from other peers (up to 10s).
    -logout user     stop listening for user's messages
    -search          list the registrations in the cache and those other
                     peers send within -w
    -u me you        talk to you as me (me must be logged in here): finds
                     you's registration (cache first, then other peers),
                     connects, then sends each line read from the console
                     (or a script's next lines, or piped text) until a
                     line holding only "." or the end of the input
    -w duration      how long each step that asks other peers waits:
                     -search's answers (default 3s); with -login and -u,
                     finding a registration that is not in the cache
                     (default 10s); with -u, finding the peer where you
                     listens (default 20s).

Messages carry JXSE's elements: JxtaTalkSenderName (the sender),
JxtaTalkSenderMessage (the text) and GrpName (the sender's group), all
text/plain, so gojxta and JXSE shells can talk to each other.

Example:
    talk -register alice
    talk -login alice
    talk -search
    talk -u alice bob
    Hello Bob!
    .
    talk -register lobby -propagate
    talk -login lobby
    talk -register carol -secure
    talk -logout alice`,
			Run: logins.run,
		},
	}
}

// Defaults of talk's waits for other peers (-w changes the first three).
const (
	talkSearchWait  = 3 * time.Second  // -search's answers
	talkFindWait    = 10 * time.Second // a registration not in the cache
	talkConnectWait = 20 * time.Second // -u: the peer where you listens
	talkSendWait    = 10 * time.Second // -u: sending one line
)

// talkOptions are talk's parsed options: one action and its arguments.
type talkOptions struct {
	action    string // "register", "login", "logout", "search" or "u"
	user      string // the user of register, login and logout; me of -u
	to        string // you of -u
	propagate bool
	secure    bool
	wait      time.Duration // -w; 0: the default of each step
}

// parseTalkOptions reads talk's options: exactly one action, the options
// that go with it, and checked user names.
func parseTalkOptions(c *Call) (talkOptions, error) {
	fs := c.Flags()
	register := fs.String("register", "", "register a user")
	propagate := fs.Bool("propagate", false, "a chat room")
	secure := fs.Bool("secure", false, "a secure user")
	login := fs.String("login", "", "listen for a user's messages")
	logout := fs.String("logout", "", "stop listening")
	fs.Bool("search", false, "list registrations")
	wait := fs.Duration("w", 0, "how long to wait for other peers")
	me := fs.String("u", "", "talk as this user")
	args, err := parseInterspersed(c, fs)
	if err != nil {
		return talkOptions{}, err
	}
	var o talkOptions
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	for _, a := range []struct {
		name, user string
	}{{"register", *register}, {"login", *login}, {"logout", *logout}, {"search", ""}, {"u", *me}} {
		if !set[a.name] {
			continue
		}
		if o.action != "" {
			return o, Usagef("-%s and -%s cannot be used together", o.action, a.name)
		}
		o.action, o.user = a.name, a.user
	}
	switch {
	case o.action == "":
		return o, Usagef("want one of -register, -login, -logout, -search and -u")
	case set["propagate"] && o.action != "register":
		return o, Usagef("-propagate goes with -register")
	case set["secure"] && o.action != "register":
		return o, Usagef("-secure goes with -register")
	case *propagate && *secure:
		return o, Usagef("-propagate and -secure cannot be used together: a chat room is not secure")
	case set["w"] && (o.action == "register" || o.action == "logout"):
		return o, Usagef("-w goes with -search, -login and -u")
	case set["w"] && *wait <= 0:
		return o, Usagef("-w %s: want a positive duration", *wait)
	}
	o.propagate, o.secure, o.wait = *propagate, *secure, *wait
	if o.action == "u" {
		if len(args) != 1 {
			return o, Usagef("-u wants two users: me and you")
		}
		o.to, args = args[0], nil
		if err := checkTalkUser(o.to); err != nil {
			return o, err
		}
	}
	if len(args) > 0 {
		return o, Usagef("unexpected argument %q", args[0])
	}
	if o.action != "search" {
		if err := checkTalkUser(o.user); err != nil {
			return o, err
		}
	}
	return o, nil
}

// parseInterspersed parses the call's options with fs as Call.Parse does,
// and also the options that follow arguments ("-u alice bob -w 5s"). It
// returns the arguments.
func parseInterspersed(c *Call, fs *flag.FlagSet) ([]string, error) {
	rest, err := c.Parse(fs)
	var args []string
	for err == nil && len(rest) > 0 {
		args = append(args, rest[0])
		if err = fs.Parse(rest[1:]); err != nil {
			return nil, &UsageError{Msg: err.Error()}
		}
		rest = fs.Args()
	}
	return args, err
}

// run runs talk in the shell whose logins l are.
func (l *talkLogins) run(c *Call) error {
	o, err := parseTalkOptions(c)
	if err != nil {
		return err
	}
	g, err := c.Group()
	if err != nil {
		return err
	}
	switch o.action {
	case "register":
		return registerTalkUser(c, g, o.user, o.propagate, o.secure)
	case "login":
		return l.login(c, g, o.user, o.waitOr(talkFindWait))
	case "logout":
		if !l.stop(talkKey{group: g.ID(), user: o.user}) {
			return fmt.Errorf("%s is not logged in here in %s", o.user, g.Name())
		}
		fmt.Fprintf(c.Out, "%s logged out\n", o.user)
		return nil
	case "search":
		return searchTalkUsers(c, g, o.waitOr(talkSearchWait))
	}
	if !l.loggedIn(talkKey{group: g.ID(), user: o.user}) {
		return fmt.Errorf("%s is not logged in here in %s (talk -login %s)", o.user, g.Name(), o.user)
	}
	return talkTo(c, g, o)
}

// waitOr returns -w, or def when -w was not given.
func (o talkOptions) waitOr(def time.Duration) time.Duration {
	if o.wait > 0 {
		return o.wait
	}
	return def
}

// registerTalkUser publishes user's registration in g's cache, making it
// unless the cache holds one.
func registerTalkUser(c *Call, g *group.Group, user string, room, secure bool) error {
	typ := advert.PipeUnicast
	switch {
	case room:
		typ = advert.PipePropagate
	case secure:
		typ = advert.PipeUnicastSecure
	}
	pa, err := cachedTalkUser(g, user)
	if err != nil {
		return err
	}
	switch {
	case pa == nil:
		pa = advert.NewPipeAdv(g.ID(), typ, talkUserNamePrefix+user)
		pa.Desc = advert.NewText("Desc", "Created by the jxtashell talk command")
	case pa.Type != typ:
		return fmt.Errorf("%s is registered already as a %s; a %s needs another name", user, talkRole(pa), talkRole(&advert.PipeAdv{Type: typ}))
	default:
		fmt.Fprintf(c.Out, "%s is registered already; keeping its registration\n", user)
	}
	// Published again when kept: a rendezvous that forgot it learns it anew.
	if err := g.Discovery().Publish(pa, cache.Forever, 0); err != nil {
		return err
	}
	c.Return("talk registration of "+user, pa)
	fmt.Fprintf(c.Out, "%s registered as a %s in %s (pipe %s)\n", user, talkRole(pa), g.Name(), pa.PipeID)
	return nil
}

// login binds an input pipe to user's registration and starts printing
// what arrives on it.
func (l *talkLogins) login(c *Call, g *group.Group, user string, wait time.Duration) error {
	k := talkKey{group: g.ID(), user: user}
	if l.loggedIn(k) {
		return fmt.Errorf("%s is logged in already (talk -logout %s first)", user, user)
	}
	pa, err := c.findTalkUser(g, user, wait)
	if err != nil {
		return err
	}
	in, err := g.Pipes().Bind(pa)
	if errors.Is(err, pipe.ErrAlreadyBound) {
		return fmt.Errorf("%s's pipe is bound on this peer already (by mkpipe -i or listen?)", user)
	}
	if err != nil {
		return err
	}
	if err := l.start(k, in, c.Shell.Notify); err != nil {
		in.Close()
		return fmt.Errorf("%s is logged in already (talk -logout %s first)", user, user)
	}
	fmt.Fprintf(c.Out, "%s logged in: messages to %s print here\n", user, user)
	return nil
}

// searchTalkUsers lists the registrations in g's cache and those g's
// peers send within wait.
func searchTalkUsers(c *Call, g *group.Group, wait time.Duration) error {
	found := talkRegistrations{}
	ctx, cancel := context.WithTimeout(c.Context(), wait)
	defer cancel()
	results, err := g.Discovery().Remote(ctx, jxta.PeerID{}, advert.Adv, "Name", talkUserNamePrefix+"*", maxFound)
	switch {
	case err == nil:
		for r := range results {
			if len(found) < maxFound {
				found.add(r.Adv)
			}
		}
	case !errors.Is(err, resolver.ErrNoPeers) && !waitEnded(ctx, err):
		return err
	}
	cached, err := cachedTalkUsers(g, talkUserNamePrefix+"*")
	if err != nil {
		return err
	}
	for _, pa := range cached {
		found.add(pa)
	}
	if len(found) == 0 {
		fmt.Fprintf(c.Out, "no talk registrations found in %s\n", g.Name())
		return nil
	}
	fmt.Fprintf(c.Out, "talk registrations in %s:\n", g.Name())
	for _, line := range found.lines() {
		fmt.Fprintln(c.Out, "    "+line)
	}
	return nil
}

// talkTo connects to the registration of o.to and sends each line the
// command reads, as o.user, until a line holding only "." or the end of
// the input.
func talkTo(c *Call, g *group.Group, o talkOptions) error {
	me, you := o.user, o.to
	next, err := c.talkInput()
	if err != nil {
		return err
	}
	pa, err := c.findTalkUser(g, you, o.waitOr(talkFindWait))
	if err != nil {
		return err
	}
	wait := o.waitOr(talkConnectWait)
	ctx, cancel := context.WithTimeout(c.Context(), wait)
	out, err := g.Pipes().Connect(ctx, pa)
	cancel()
	switch {
	case errors.Is(err, pipe.ErrNotResolved) && c.Context().Err() == nil:
		return fmt.Errorf("%s is not logged in anywhere that answered within %s; try again later", you, wait)
	case err != nil:
		return fmt.Errorf("connecting to %s: %w", you, err)
	}
	defer out.Close()
	fmt.Fprintf(c.Out, "Connection established with %s (a line holding only . ends the conversation)\n", you)
	sent := 0
	for {
		line, err := next()
		if errors.Is(err, io.EOF) || errors.Is(err, ErrInterrupted) || err == nil && line == "." || c.Context().Err() != nil {
			break // the end of the input, Ctrl-C, or a lone "."
		}
		if err != nil {
			return fmt.Errorf("reading the input: %w", err)
		}
		if line == "" {
			continue
		}
		ctx, cancel := context.WithTimeout(c.Context(), talkSendWait)
		err = out.Send(ctx, newTalkMessage(me, g.Name(), line))
		cancel()
		if err != nil {
			return fmt.Errorf("sending to %s: %w", you, err)
		}
		sent++
	}
	fmt.Fprintf(c.Out, "Conversation with %s ended: %s sent\n", you, plural(sent, "line"))
	return nil
}

// talkInput returns the function that reads the lines talk -u sends: the
// text piped into the command, else console lines. It fails when there is
// neither.
func (c *Call) talkInput() (func() (string, error), error) {
	if c.In != nil {
		sc := bufio.NewScanner(c.In)
		sc.Buffer(make([]byte, 0, 4096), maxLine)
		return func() (string, error) {
			if !sc.Scan() {
				if sc.Err() != nil {
					return "", sc.Err()
				}
				return "", io.EOF
			}
			return strings.TrimRight(sc.Text(), "\r"), nil
		}, nil
	}
	if !c.Shell.hasConsole() {
		return nil, errNoConsole
	}
	return func() (string, error) { return c.Shell.readLine("") }, nil
}
