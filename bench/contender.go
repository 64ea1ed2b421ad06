package main

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"

	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/libp2p/go-yamux/v5"
)

// A contender is one stack under test. The stream workloads run over
// link; a contender whose unit is a message rather than a byte stream
// (MessageConn, endpoint messages) gives rtt and pump instead. Nil fields
// mean the contender has no figure for those workloads.
type contender struct {
	name string
	// family groups rows in the table: "baseline", "gojxta", "libp2p".
	family string
	// link connects a client and a server of this stack on loopback.
	link linker
	// rtt, if set, replaces the stream round trip (see roundTripper).
	rtt func(ctx context.Context, size int) (roundTrip func() error, closeFn func(), err error)
	// pump, if set, replaces the stream one-way pump of the msgs and
	// bulk workloads: pump(n) sends n messages of size bytes and returns
	// once the receiver has them all (msgs sends 1 KiB messages, bulk
	// 64 KiB ones and reports MB/s).
	pump func(ctx context.Context, size int) (pump func(n int) error, closeFn func(), err error)
	// start starts one peer on its own (start-up time and heap).
	start func(ctx context.Context) (io.Closer, error)
	// hub starts a peer that others connect to, and returns how to start
	// one more peer connected to it (idle cost per peer).
	hub func(ctx context.Context) (join func(ctx context.Context) (io.Closer, error), closeHub func(), err error)
}

// A linker connects a client and a server of one stack on loopback; the
// server runs serve in a goroutine of its own for each stream (or
// connection) it accepts, and closes it when serve returns.
type linker func(ctx context.Context, serve func(io.ReadWriter)) (*link, error)

// A link is a connected client and server of one stack.
type link struct {
	// open opens a stream (a connection, for the transports without a
	// multiplexer) from the client to the server.
	open func(ctx context.Context) (io.ReadWriteCloser, error)
	// close closes both sides and everything opened on them.
	close func()
	// conns, for a link whose opens are streams of one multiplexed
	// connection, counts the connections between client and server
	// (1, unless the stack dialled another); nil for the links that dial
	// a connection per open, which have no head-of-line figure.
	conns func() int
}

// closers closes several things as one, in reverse order.
type closers []func()

// Close calls each func, the last first.
func (cs closers) Close() error {
	for i := len(cs) - 1; i >= 0; i-- {
		cs[i]()
	}
	return nil
}

// closerFunc makes a func an io.Closer.
type closerFunc func()

// Close calls f.
func (f closerFunc) Close() error { f(); return nil }

// serveAll accepts with accept until it fails, running serve on each
// connection in a goroutine and closing the connection after.
func serveAll(accept func() (io.ReadWriteCloser, error), serve func(io.ReadWriter)) {
	go func() {
		for {
			c, err := accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				serve(c)
			}()
		}
	}()
}

// tracked remembers the connections a link opened so that closing the
// link closes them.
type tracked struct {
	mu    sync.Mutex
	conns []io.Closer
}

// add remembers c.
func (t *tracked) add(c io.Closer) {
	t.mu.Lock()
	t.conns = append(t.conns, c)
	t.mu.Unlock()
}

// close closes every connection remembered, and forgets them.
func (t *tracked) close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, c := range t.conns {
		c.Close()
	}
	t.conns = nil
}

// listenLoopback listens on a free TCP port of 127.0.0.1.
func listenLoopback() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

// tcpLink: every open is a new TCP connection.
func tcpLink(ctx context.Context, serve func(io.ReadWriter)) (*link, error) {
	l, err := listenLoopback()
	if err != nil {
		return nil, err
	}
	var d net.Dialer
	return connLink(l, l, d.DialContext, serve), nil
}

// tlsLink: every open is a new TCP connection with a full TLS 1.3
// handshake (both sides with a certificate).
func tlsLink(ctx context.Context, serve func(io.ReadWriter)) (*link, error) {
	scfg, err := tlsConfig()
	if err != nil {
		return nil, err
	}
	ccfg, err := tlsConfig()
	if err != nil {
		return nil, err
	}
	l, err := listenLoopback()
	if err != nil {
		return nil, err
	}
	d := tls.Dialer{Config: ccfg}
	return connLink(l, tls.NewListener(l, scfg), d.DialContext, serve), nil
}

// connLink serves every connection that accept takes with serve, and
// opens each stream of the link as a new connection dialled to l.
func connLink(l, accept net.Listener, dial func(ctx context.Context, network, addr string) (net.Conn, error), serve func(io.ReadWriter)) *link {
	var t tracked
	serveAll(func() (io.ReadWriteCloser, error) {
		c, err := accept.Accept()
		if err == nil {
			t.add(c)
		}
		return c, err
	}, serve)
	return &link{
		open: func(ctx context.Context) (io.ReadWriteCloser, error) {
			return dial(ctx, "tcp", l.Addr().String())
		},
		close: func() {
			l.Close()
			t.close()
		},
	}
}

// muxConfig is the go-yamux configuration gojxta's connections run with,
// so that bare yamux is the floor of a gojxta pipe.
func muxConfig() *yamux.Config { return endpoint.Config{}.MuxConfig() }

// yamuxPair starts the client and server go-yamux sessions over the two
// ends of one connection.
func yamuxPair(cc, sc net.Conn) (client, server *yamux.Session, err error) {
	client, err = yamux.Client(cc, muxConfig(), nil)
	if err != nil {
		return nil, nil, err
	}
	if server, err = yamux.Server(sc, muxConfig(), nil); err != nil {
		client.Close()
		return nil, nil, err
	}
	return client, server, nil
}

// yamuxLink returns a linker running one go-yamux session over one
// connection of base; every open is a new stream.
func yamuxLink(base func() (client, server net.Conn, closeFn func(), err error)) linker {
	return func(ctx context.Context, serve func(io.ReadWriter)) (*link, error) {
		cc, sc, closeBase, err := base()
		if err != nil {
			return nil, err
		}
		cs, ss, err := yamuxPair(cc, sc)
		if err != nil {
			closeBase()
			return nil, err
		}
		serveAll(func() (io.ReadWriteCloser, error) { return ss.AcceptStream() }, serve)
		return &link{
			open: func(ctx context.Context) (io.ReadWriteCloser, error) { return cs.OpenStream(ctx) },
			close: func() {
				cs.Close()
				ss.Close()
				closeBase()
			},
			conns: func() int { return 1 }, // one session over one connection
		}, nil
	}
}

// tcpPair returns both ends of a new TCP connection on loopback.
func tcpPair() (client, server net.Conn, closeFn func(), err error) {
	l, err := listenLoopback()
	if err != nil {
		return nil, nil, nil, err
	}
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := l.Accept()
		accepted <- c
	}()
	client, err = net.Dial("tcp", l.Addr().String())
	if err != nil {
		return nil, nil, nil, err
	}
	server = <-accepted
	if server == nil {
		client.Close()
		return nil, nil, nil, errors.New("accept failed")
	}
	return client, server, func() { client.Close(); server.Close() }, nil
}

// tlsPair returns both ends of a new TLS 1.3 connection over tcpPair,
// handshake done.
func tlsPair() (client, server net.Conn, closeFn func(), err error) {
	cc, sc, closeTCP, err := tcpPair()
	if err != nil {
		return nil, nil, nil, err
	}
	ccfg, err := tlsConfig()
	if err != nil {
		closeTCP()
		return nil, nil, nil, err
	}
	scfg, err := tlsConfig()
	if err != nil {
		closeTCP()
		return nil, nil, nil, err
	}
	tc, ts := tls.Client(cc, ccfg), tls.Server(sc, scfg)
	errc := make(chan error, 1)
	go func() { errc <- ts.Handshake() }()
	err = errors.Join(tc.Handshake(), <-errc)
	if err != nil {
		closeTCP()
		return nil, nil, nil, fmt.Errorf("tls handshake: %w", err)
	}
	return tc, ts, func() { tc.Close(); ts.Close() }, nil
}

// pairHub returns the hub of a baseline: each peer that joins it is a new
// connection pair from pair, with a goroutine on the server side reading
// it (as a server would), plus yamux sessions on both ends if mux is set.
func pairHub(pair func() (net.Conn, net.Conn, func(), error), mux bool) func(ctx context.Context) (func(ctx context.Context) (io.Closer, error), func(), error) {
	return func(ctx context.Context) (func(ctx context.Context) (io.Closer, error), func(), error) {
		var all tracked
		join := func(ctx context.Context) (io.Closer, error) {
			cc, sc, closeFn, err := pair()
			if err != nil {
				return nil, err
			}
			cs := closers{closeFn}
			if !mux {
				go func() { _, _ = io.Copy(io.Discard, sc) }()
				all.add(cs)
				return cs, nil
			}
			c, s, err := yamuxPair(cc, sc)
			if err != nil {
				closeFn()
				return nil, err
			}
			go acceptAll(s, nil) // the server's accept loop
			cs = append(cs, func() { c.Close() }, func() { s.Close() })
			all.add(cs)
			return cs, nil
		}
		return join, all.close, nil
	}
}

// peerHub is the floor of an idle peer of gojxta's design on go-yamux over
// TLS: each peer that joins listens (an accept loop), and its connection
// to the hub carries a yamux session whose both ends accept streams and
// read one stream from the other end, as gojxta's endpoint reads the
// other's message stream; no peer state beyond that.
func peerHub(ctx context.Context) (func(ctx context.Context) (io.Closer, error), func(), error) {
	var all tracked
	join := func(ctx context.Context) (io.Closer, error) {
		l, err := listenLoopback()
		if err != nil {
			return nil, err
		}
		go func() { // the peer's listener: it accepts nobody here
			for {
				c, err := l.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
		cc, sc, closeFn, err := tlsPair()
		if err != nil {
			l.Close()
			return nil, err
		}
		c, s, err := yamuxPair(cc, sc)
		if err != nil {
			l.Close()
			closeFn()
			return nil, err
		}
		read := func(st io.Reader) { _, _ = io.Copy(io.Discard, st) }
		go acceptAll(c, read)
		go acceptAll(s, read)
		for _, sess := range []*yamux.Session{c, s} {
			st, err := sess.OpenStream(ctx)
			if err == nil {
				_, err = st.Write([]byte{hello}) // opens it at the other end
			}
			if err != nil {
				l.Close()
				c.Close()
				s.Close()
				closeFn()
				return nil, err
			}
		}
		cs := closers{closeFn, func() { c.Close() }, func() { s.Close() }, func() { l.Close() }}
		all.add(cs)
		return cs, nil
	}
	return join, all.close, nil
}

// acceptAll accepts the streams of sess until it closes, serving each
// with serve on a goroutine of its own (or dropping it, if serve is nil).
func acceptAll(sess *yamux.Session, serve func(io.Reader)) {
	for {
		st, err := sess.AcceptStream()
		if err != nil {
			return
		}
		if serve != nil {
			go serve(st)
		}
	}
}

// baselines are the contenders gojxta's stack is built from.
func baselines() []*contender {
	return []*contender{
		{name: "tcp", family: "baseline", link: tcpLink, hub: pairHub(tcpPair, false)},
		{name: "tls", family: "baseline", link: tlsLink, hub: pairHub(tlsPair, false)},
		{name: "yamux/tcp", family: "baseline", link: yamuxLink(tcpPair), hub: pairHub(tcpPair, true)},
		{name: "yamux/tls", family: "baseline", link: yamuxLink(tlsPair), hub: pairHub(tlsPair, true)},
		{name: "yamux/tls peer", family: "baseline", hub: peerHub},
	}
}
