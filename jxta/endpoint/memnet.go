package endpoint

import (
	"context"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"

	"github.com/gojxta/gojxta/jxta"
)

// MemNetwork is an in-memory network for running many peers in one
// process. Its transport ("mem" addresses, mem://name) behaves like TCP as
// far as the endpoint is concerned: listeners, dials that fail for unknown
// names, and connections with deadlines. Peers on different MemNetworks
// cannot reach each other.
type MemNetwork struct {
	mu        sync.Mutex
	listeners map[string]*memListener
	next      int
}

// NewMemNetwork returns an empty in-memory network.
func NewMemNetwork() *MemNetwork {
	return &MemNetwork{listeners: make(map[string]*memListener)}
}

// ErrConnRefused is returned when dialing a mem address nobody listens on.
var ErrConnRefused = errors.New("connection refused")

// Protocol returns "mem".
func (n *MemNetwork) Protocol() string { return "mem" }

// Listen listens on mem://name; an empty name picks a fresh one.
func (n *MemNetwork) Listen(addr jxta.Address) (net.Listener, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	name := addr.Host
	if name == "" || name == "0" {
		n.next++
		name = "peer" + strconv.Itoa(n.next)
	}
	if _, taken := n.listeners[name]; taken {
		return nil, fmt.Errorf("listen mem://%s: address in use", name)
	}
	l := &memListener{net: n, name: name, conns: make(chan net.Conn), done: make(chan struct{})}
	n.listeners[name] = l
	return l, nil
}

// Dial connects to a listener on the network.
func (n *MemNetwork) Dial(ctx context.Context, addr jxta.Address) (net.Conn, error) {
	n.mu.Lock()
	l := n.listeners[addr.Host]
	n.mu.Unlock()
	if l == nil {
		return nil, fmt.Errorf("dial %s: %w", addr, ErrConnRefused)
	}
	a, b := net.Pipe()
	select {
	case l.conns <- b:
		return a, nil
	case <-l.done:
		return nil, fmt.Errorf("dial %s: %w", addr, ErrConnRefused)
	case <-ctx.Done():
		return nil, fmt.Errorf("dial %s: %w", addr, ctx.Err())
	}
}

// ListenerAddresses returns mem://name.
func (n *MemNetwork) ListenerAddresses(l net.Listener) []jxta.Address {
	ml, ok := l.(*memListener)
	if !ok {
		return nil
	}
	return []jxta.Address{{Protocol: "mem", Host: ml.name}}
}

type memListener struct {
	net   *MemNetwork
	name  string
	conns chan net.Conn
	once  sync.Once
	done  chan struct{}
}

func (l *memListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *memListener) Close() error {
	l.once.Do(func() {
		close(l.done)
		l.net.mu.Lock()
		delete(l.net.listeners, l.name)
		l.net.mu.Unlock()
	})
	return nil
}

func (l *memListener) Addr() net.Addr { return memAddr(l.name) }

type memAddr string

func (a memAddr) Network() string { return "mem" }
func (a memAddr) String() string  { return string(a) }
