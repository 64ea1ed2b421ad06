// Package endpoint is gojxta's endpoint service: it keeps one connection
// per remote peer, shared by every service and pipe of every group, and
// delivers messages to handlers registered by service name and parameter,
// the way http.ServeMux dispatches by path.
//
// # Connections
//
// A connection starts with JXTA's welcome line in both directions. gojxta
// peers add a version token to it (framing.GoJXTAVersion), then secure the
// connection with TLS 1.3 (crypto/tls): each side presents a self-signed
// certificate for its Ed25519 key, and each checks that the other's key
// derives the peer ID its welcome line announced (identity.CheckPeer), so
// the peer at the other end of a connection is authenticated: it holds the
// key of its ID. A go-yamux session runs over the TLS connection. Each
// side opens one stream for the endpoint messages it sends, framed with
// JXTA's message package header and the binary message format; the first
// message on it carries the sender's peer advertisement (name and
// addresses; what it says of the ID must match the proven one). Other
// streams carry pipes (see OpenStream and HandleStream). The stages and
// their states are in handshake.go, the wire sequence in spec/README.md
// section 9.
// A legacy framing (JXTA 1.1 message packages without yamux, for JXSE
// peers) would plug in where the welcome lines are compared, below the
// services.
//
// Concurrent dials to the same peer collapse into one; when two peers dial
// each other at once, both keep the connection dialled by the peer with the
// smaller ID. Idle connections close after Config.IdleTimeout.
//
// # Transports
//
// TCP (TCPTransport) and an in-memory network (MemNetwork) for running
// hundreds of peers in one process implement Transport.
//
// # Lifetimes
//
// An Endpoint starts goroutines per listener (accept loop) and per
// connection (yamux's three, a stream accept loop and a message reader):
// an idle connection costs those five on each side. The goroutines that
// write (the send queue's writer, the coalescing flusher) run only while
// there is something to write, and the idle reaper runs on a timer; Close
// stops all of them and waits for them.
//
// Close first delivers what Send accepted. Each side of a connection
// half-closes its message stream after its last message; a peer that reads
// the end of the other's stream closes that stream back (so the other
// knows all was read) and half-closes its own in turn, and the connection
// closes once both streams are done, within Config.CloseTimeout (see
// conn.finish).
//
// # Metrics
//
// With Config.Metrics the endpoint counts connections opened and failed,
// handshake failures and pipe streams opened, each with its reason or
// direction, and each service's messages and bytes both ways; open
// connections and streams are read from its tables at scrape time. A
// handler's counters are found once, when it is registered, so a message
// costs two atomic additions.
//
// endpoint imports the jxta vocabulary, advert (peer advertisements),
// framing and metrics; the group and pipe layers and the embedding API
// build on it.
package endpoint
