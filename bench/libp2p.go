package main

import (
	"context"
	"fmt"
	"io"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	libp2ptls "github.com/libp2p/go-libp2p/p2p/security/tls"
)

// benchProtocol is the protocol ID of the streams the workloads open.
const benchProtocol = protocol.ID("/gojxta-bench/1.0.0")

// startHost starts a go-libp2p host listening on loopback TCP, with
// go-libp2p's defaults otherwise (plus opts).
func startHost(opts []libp2p.Option) (host.Host, error) {
	return libp2p.New(append([]libp2p.Option{libp2p.ListenAddrStrings("/ip4/127.0.0.1/tcp/0")}, opts...)...)
}

// connectHost connects client to server.
func connectHost(ctx context.Context, client, server host.Host) error {
	return client.Connect(ctx, peer.AddrInfo{ID: server.ID(), Addrs: server.Addrs()})
}

// libp2pLink: two hosts, connected; every open is host.NewStream to the
// server, whose stream handler serves it.
func libp2pLink(opts ...libp2p.Option) linker {
	return func(ctx context.Context, serve func(io.ReadWriter)) (*link, error) {
		server, err := startHost(opts)
		if err != nil {
			return nil, err
		}
		client, err := startHost(opts)
		if err != nil {
			server.Close()
			return nil, err
		}
		server.SetStreamHandler(benchProtocol, func(s network.Stream) {
			defer s.Close()
			serve(s)
		})
		if err := connectHost(ctx, client, server); err != nil {
			client.Close()
			server.Close()
			return nil, fmt.Errorf("connect: %w", err)
		}
		return &link{
			open: func(ctx context.Context) (io.ReadWriteCloser, error) {
				return client.NewStream(ctx, server.ID(), benchProtocol)
			},
			close: func() { client.Close(); server.Close() },
			conns: func() int { return len(client.Network().ConnsToPeer(server.ID())) },
		}, nil
	}
}

// libp2pHub: each joining peer is a new host connected to the hub.
func libp2pHub(opts ...libp2p.Option) func(ctx context.Context) (func(context.Context) (io.Closer, error), func(), error) {
	return func(ctx context.Context) (func(context.Context) (io.Closer, error), func(), error) {
		// The hub takes every peer, as gojxta's hub does (its MaxEdges is
		// raised): go-libp2p's default resource limits reset connections
		// beyond a few hundred.
		hub, err := startHost(append(opts, libp2p.ResourceManager(&network.NullResourceManager{})))
		if err != nil {
			return nil, nil, err
		}
		var all tracked
		join := func(ctx context.Context) (io.Closer, error) {
			h, err := startHost(opts)
			if err != nil {
				return nil, err
			}
			all.add(h)
			if err := connectHost(ctx, h, hub); err != nil {
				return nil, err
			}
			return h, nil
		}
		return join, func() { all.close(); hub.Close() }, nil
	}
}

// libp2ps are go-libp2p's contenders: its defaults (which offer TLS then
// Noise, so two go-libp2p hosts settle on TLS), and Noise alone.
func libp2ps() []*contender {
	var c []*contender
	for _, v := range []struct {
		name string
		opts []libp2p.Option
	}{
		{"libp2p default", nil},
		{"libp2p noise", []libp2p.Option{libp2p.Security(noise.ID, noise.New)}},
		{"libp2p tls", []libp2p.Option{libp2p.Security(libp2ptls.ID, libp2ptls.New)}},
	} {
		c = append(c, &contender{
			name: v.name, family: "libp2p", link: libp2pLink(v.opts...),
			start: func(ctx context.Context) (io.Closer, error) { return startHost(v.opts) },
			hub:   libp2pHub(v.opts...),
		})
	}
	return c
}
