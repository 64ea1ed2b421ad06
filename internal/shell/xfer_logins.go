package shell

import (
	"context"
	"fmt"
	"sort"
	"sync"

	"github.com/gojxta/gojxta/internal/xfer"
	"github.com/gojxta/gojxta/jxta/pipe"
)

// maxXferReceives bounds the files one login receives at once; further
// senders wait in the pipe's backlog.
const maxXferReceives = 8

// xferLogins are the users logged in with xfer login in one shell: each
// listens on its pipe and receives files in the background, until xfer
// logout, the shell's Close, or its pipe closing (its group or the peer
// stopped), which forgets the login.
type xferLogins struct {
	mu     sync.Mutex
	byUser map[string]*xferLogin
}

// xferLogin receives the files sent to one user.
type xferLogin struct {
	user     string
	listener *pipe.Listener
	receiver *xfer.Receiver
	cancel   context.CancelFunc
	done     chan struct{} // closed when serve has returned
}

// add records a login and starts receiving, telling notify of each
// transfer. It fails if user is logged in already.
func (x *xferLogins) add(user string, l *pipe.Listener, r *xfer.Receiver, notify func(string)) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.byUser[user] != nil {
		return fmt.Errorf("%s is logged in already, receiving into %s (xfer logout %s first)", user, x.byUser[user].receiver.Dir(), user)
	}
	if x.byUser == nil {
		x.byUser = make(map[string]*xferLogin)
	}
	ctx, cancel := context.WithCancel(context.Background())
	login := &xferLogin{user: user, listener: l, receiver: r, cancel: cancel, done: make(chan struct{})}
	x.byUser[user] = login
	go login.serve(ctx, notify, func() { x.forget(login) })
	return nil
}

// forget removes login if it is still recorded.
func (x *xferLogins) forget(login *xferLogin) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if x.byUser[login.user] == login {
		delete(x.byUser, login.user)
	}
}

// remove stops the login of user and returns it, or nil if user is not
// logged in.
func (x *xferLogins) remove(user string) *xferLogin {
	x.mu.Lock()
	login := x.byUser[user]
	delete(x.byUser, user)
	x.mu.Unlock()
	if login != nil {
		login.stop()
	}
	return login
}

// dirOf returns the directory user receives files into, if logged in.
func (x *xferLogins) dirOf(user string) (string, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	if l := x.byUser[user]; l != nil {
		return l.receiver.Dir(), true
	}
	return "", false
}

// users returns the logged-in users, sorted.
func (x *xferLogins) users() []string {
	x.mu.Lock()
	defer x.mu.Unlock()
	out := make([]string, 0, len(x.byUser))
	for u := range x.byUser {
		out = append(out, u)
	}
	sort.Strings(out)
	return out
}

// closeAll stops every login.
func (x *xferLogins) closeAll() {
	for _, u := range x.users() {
		x.remove(u)
	}
}

// serve accepts connections on the user's pipe and receives a file from
// each, at most maxXferReceives at once, until the login stops or the
// pipe closes; then it waits for the transfers under way, releases the
// directory and forgets the login.
func (l *xferLogin) serve(ctx context.Context, notify func(string), forget func()) {
	defer close(l.done)
	var receives sync.WaitGroup
	defer func() {
		l.cancel()
		receives.Wait()
		l.receiver.Close()
		forget()
	}()
	slots := make(chan struct{}, maxXferReceives)
	for {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return
		}
		conn, err := l.listener.AcceptPipe(ctx)
		if err != nil {
			return
		}
		receives.Add(1)
		go func() {
			defer receives.Done()
			defer func() { <-slots }()
			defer conn.Close()
			rec, err := l.receiver.Receive(ctx, conn)
			notify(receivedLine(l.user, l.receiver.Dir(), conn.RemoteAddr().(pipe.Addr).Peer.String(), rec, err))
		}()
	}
}

// stop ends the login: no more connections, transfers under way cut (the
// partial files stay for resuming), every goroutine ended.
func (l *xferLogin) stop() {
	l.cancel()
	l.listener.Close()
	<-l.done
}
