package shell

import (
	"context"
	"errors"
	"log/slog"
	"sync"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/pipe"
)

// talkKey names a login: a user in a group.
type talkKey struct {
	group jxta.GroupID
	user  string
}

// talkListener is a logged-in user: an input pipe bound to the user's
// registration and the goroutine that prints what arrives on it.
type talkListener struct {
	in     *pipe.InputPipe
	cancel context.CancelFunc
	done   chan struct{} // closed when the goroutine has returned
}

// talkLogins are the users logged in on one shell. The goroutine of each
// ends on logout, or when the pipe closes because its group or the
// shell's peer stops; it then forgets the login.
type talkLogins struct {
	mu        sync.Mutex
	listeners map[talkKey]*talkListener
}

// newTalkLogins returns a shell's logins, none yet.
func newTalkLogins() *talkLogins {
	return &talkLogins{listeners: make(map[talkKey]*talkListener)}
}

// loggedIn reports whether k is logged in.
func (l *talkLogins) loggedIn(k talkKey) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.listeners[k] != nil
}

// start records the login k and starts printing what arrives on in
// through notify. It fails if k is already logged in; in is then left
// to the caller.
func (l *talkLogins) start(k talkKey, in *pipe.InputPipe, notify func(string)) error {
	ctx, cancel := context.WithCancel(context.Background())
	tl := &talkListener{in: in, cancel: cancel, done: make(chan struct{})}
	l.mu.Lock()
	if l.listeners[k] != nil {
		l.mu.Unlock()
		cancel()
		return errAlreadyLoggedIn
	}
	l.listeners[k] = tl
	l.mu.Unlock()
	go l.listen(ctx, k, tl, notify)
	return nil
}

// errAlreadyLoggedIn is returned by start for a login that exists.
var errAlreadyLoggedIn = errors.New("already logged in")

// listen prints each talk message that arrives for k until ctx ends or
// the pipe closes, then forgets the login.
func (l *talkLogins) listen(ctx context.Context, k talkKey, tl *talkListener, notify func(string)) {
	defer close(tl.done)
	defer l.forget(k, tl)
	defer tl.cancel()
	for {
		r, err := tl.in.Recv(ctx)
		if err != nil {
			return
		}
		lines, err := talkLines(r.Message, k.user)
		if err != nil {
			slog.Debug("talk: message dropped", "user", k.user, "from", r.Source, "err", err)
			continue
		}
		for _, line := range lines {
			notify(line)
		}
	}
}

// forget removes the login k if tl still holds it.
func (l *talkLogins) forget(k talkKey, tl *talkListener) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.listeners[k] == tl {
		delete(l.listeners, k)
	}
}

// stop ends the login k: the pipe is unbound and nothing more is printed
// for it once stop returns. It reports whether k was logged in.
func (l *talkLogins) stop(k talkKey) bool {
	l.mu.Lock()
	tl := l.listeners[k]
	delete(l.listeners, k)
	l.mu.Unlock()
	if tl == nil {
		return false
	}
	tl.cancel()
	tl.in.Close()
	<-tl.done
	return true
}
