package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/node"
	"github.com/gojxta/gojxta/jxta/pipe"
)

// startNode starts a gojxta peer on loopback with a fresh ID and nothing
// kept on disk (the embedding API's defaults otherwise).
func startNode(ctx context.Context, name string, seeds ...string) (*node.Node, error) {
	return node.Start(ctx, node.Config{Name: name, Listen: []string{"tcp://127.0.0.1:0"}, Seeds: seeds})
}

// nodePair starts alice and bob, alice connected to bob.
func nodePair(ctx context.Context) (alice, bob *node.Node, err error) {
	bob, err = startNode(ctx, "bob")
	if err != nil {
		return nil, nil, err
	}
	alice, err = startNode(ctx, "alice")
	if err != nil {
		bob.Close()
		return nil, nil, err
	}
	if _, err := alice.Endpoint().Connect(ctx, bob.Addresses()[0]); err != nil {
		alice.Close()
		bob.Close()
		return nil, nil, fmt.Errorf("connect: %w", err)
	}
	return alice, bob, nil
}

// pipeLink: alice dials bob's pipe "bench" in the Net group; every open
// is a new bidirectional pipe connection (a yamux stream of the
// connection the two peers already have), to the known peer.
func pipeLink(ctx context.Context, serve func(io.ReadWriter)) (*link, error) {
	alice, bob, err := nodePair(ctx)
	if err != nil {
		return nil, err
	}
	l, err := bob.NetGroup().Listen(ctx, "bench")
	if err != nil {
		alice.Close()
		bob.Close()
		return nil, err
	}
	serveAll(func() (io.ReadWriteCloser, error) { return l.Accept() }, serve)
	// The first Dial finds the listener by its name, as a program would;
	// then every open dials the peer found.
	first, err := alice.NetGroup().Dial(ctx, "bench")
	if err != nil {
		alice.Close()
		bob.Close()
		return nil, fmt.Errorf("dial: %w", err)
	}
	first.Close()
	id, peer := l.Adv().PipeID, bob.ID()
	pipes := alice.NetGroup().Pipes()
	return &link{
		open: func(ctx context.Context) (io.ReadWriteCloser, error) { return pipes.DialPeer(ctx, id, peer) },
		close: func() {
			l.Close()
			alice.Close()
			bob.Close()
		},
		conns: func() int { return peerConns(alice, peer) },
	}, nil
}

// peerConns counts n's live connections to peer (the endpoint keeps one
// per peer, which every pipe to that peer shares).
func peerConns(n *node.Node, peer jxta.PeerID) int {
	k := 0
	for _, c := range n.Endpoint().Connections() {
		if c.Peer == peer {
			k++
		}
	}
	return k
}

// messageConns opens one pipe connection and wraps both ends in binary
// MessageConns; serve runs on the server's, after a first message that
// tells it from the connection pipeLink's first Dial opens and closes.
func messageConns(ctx context.Context, serve func(*pipe.MessageConn)) (*pipe.MessageConn, func(), error) {
	l, err := pipeLink(ctx, func(rw io.ReadWriter) {
		mc := pipe.NewMessageConn(rw.(net.Conn), pipe.Binary, 0)
		if _, err := mc.Recv(); err != nil {
			return
		}
		serve(mc)
	})
	if err != nil {
		return nil, nil, err
	}
	c, err := l.open(ctx)
	if err != nil {
		l.close()
		return nil, nil, err
	}
	mc := pipe.NewMessageConn(c.(net.Conn), pipe.Binary, 0)
	if err := mc.Send(jxta.NewMessage()); err != nil {
		l.close()
		return nil, nil, err
	}
	return mc, l.close, nil
}

// payload returns a message of one element carrying size bytes.
func payload(size int) *jxta.Message {
	m := jxta.NewMessage()
	m.AddBytes("", "p", make([]byte, size))
	return m
}

// messageConnRTT: a message of size bytes and its echo through MessageConn.
func messageConnRTT(ctx context.Context, size int) (func() error, func(), error) {
	mc, closeFn, err := messageConns(ctx, func(peer *pipe.MessageConn) {
		for {
			m, err := peer.Recv()
			if err != nil || peer.Send(m) != nil {
				return
			}
		}
	})
	if err != nil {
		return nil, nil, err
	}
	m := payload(size)
	return func() error {
		if err := mc.Send(m); err != nil {
			return err
		}
		_, err := mc.Recv()
		return err
	}, closeFn, nil
}

// messageConnPump: messages of size bytes one way through MessageConn.
func messageConnPump(ctx context.Context, size int) (func(int) error, func(), error) {
	got := make(chan error, 1024)
	mc, closeFn, err := messageConns(ctx, func(peer *pipe.MessageConn) {
		for {
			_, err := peer.Recv()
			got <- err
			if err != nil {
				return
			}
		}
	})
	if err != nil {
		return nil, nil, err
	}
	m := payload(size)
	return func(n int) error { return pumpAndWait(n, func() error { return mc.Send(m) }, got) }, closeFn, nil
}

// pumpAndWait sends n times and waits for n receipts on got, draining as
// it goes so that the receiver never blocks.
func pumpAndWait(n int, send func() error, got <-chan error) error {
	sendErr := make(chan error, 1)
	go func() {
		for range n {
			if err := send(); err != nil {
				sendErr <- err
				return
			}
		}
		sendErr <- nil
	}()
	for range n {
		select {
		case err := <-got:
			if err != nil {
				return err
			}
		case err := <-sendErr:
			if err != nil {
				return err
			}
			sendErr = nil // sent all: only receipts from now on
		}
	}
	if sendErr != nil {
		return <-sendErr
	}
	return nil
}

// endpointRTT: a message to bob's handler, which sends it back to
// alice's, through node.Endpoint().SendTo.
func endpointRTT(ctx context.Context, size int) (func() error, func(), error) {
	alice, bob, err := nodePair(ctx)
	if err != nil {
		return nil, nil, err
	}
	bob.Endpoint().Handle("bench-echo", "", endpoint.HandlerFunc(func(in *endpoint.Incoming) {
		_ = bob.Endpoint().SendTo(context.Background(), in.Peer, "bench-reply", "", payload(size))
	}))
	replies := make(chan struct{}, 1)
	alice.Endpoint().Handle("bench-reply", "", endpoint.HandlerFunc(func(*endpoint.Incoming) { replies <- struct{}{} }))
	closeFn := func() { alice.Close(); bob.Close() }
	return func() error {
		if err := alice.Endpoint().SendTo(ctx, bob.ID(), "bench-echo", "", payload(size)); err != nil {
			return err
		}
		select {
		case <-replies:
			return nil
		case <-time.After(10 * time.Second):
			return errors.New("endpoint echo: no reply in 10 s")
		}
	}, closeFn, nil
}

// endpointPump: messages of size bytes one way to a handler on bob.
func endpointPump(ctx context.Context, size int) (func(int) error, func(), error) {
	alice, bob, err := nodePair(ctx)
	if err != nil {
		return nil, nil, err
	}
	got := make(chan error, 1024)
	bob.Endpoint().Handle("bench-sink", "", endpoint.HandlerFunc(func(*endpoint.Incoming) { got <- nil }))
	data := make([]byte, size)
	send := func() error {
		m := jxta.NewMessage()
		m.AddBytes("", "p", data)
		return alice.Endpoint().SendTo(ctx, bob.ID(), "bench-sink", "", m)
	}
	return func(n int) error { return pumpAndWait(n, send, got) }, func() { alice.Close(); bob.Close() }, nil
}

// nodeHub: a rendezvous that each joining peer takes as its seed, and
// leases with in the Net group, as a JXTA edge does.
func nodeHub(ctx context.Context) (func(context.Context) (io.Closer, error), func(), error) {
	hub, err := node.Start(ctx, node.Config{Name: "hub", Listen: []string{"tcp://127.0.0.1:0"}, Rendezvous: true, MaxEdges: 100_000})
	if err != nil {
		return nil, nil, err
	}
	seed := hub.Addresses()[0].String()
	var all tracked
	join := func(ctx context.Context) (io.Closer, error) {
		n, err := startNode(ctx, "edge", seed)
		if err != nil {
			return nil, err
		}
		all.add(n)
		for len(n.NetGroup().Rendezvous().RendezVous()) == 0 {
			if ctx.Err() != nil {
				return nil, fmt.Errorf("edge took no lease: %w", ctx.Err())
			}
			time.Sleep(time.Millisecond)
		}
		return n, nil
	}
	return join, func() { all.close(); hub.Close() }, nil
}

// gojxtas are gojxta's contenders: pipes as byte streams, MessageConn
// over a pipe, and endpoint messages.
func gojxtas() []*contender {
	return []*contender{
		{name: "gojxta pipe", family: "gojxta", link: pipeLink,
			start: func(ctx context.Context) (io.Closer, error) { return startNode(ctx, "peer") },
			hub:   nodeHub},
		{name: "gojxta MessageConn", family: "gojxta", rtt: messageConnRTT, pump: messageConnPump},
		{name: "gojxta endpoint", family: "gojxta", rtt: endpointRTT, pump: endpointPump},
	}
}
