// Package pipe is a peer group's pipe service: named, location-independent
// channels between peers, identified by a pipe advertisement.
//
// Three kinds of pipe share one advertisement format (advert.PipeAdv):
//
//   - Unicast pipes (advert.PipeUnicast): an InputPipe bound on one peer
//     receives the messages that any number of OutputPipes send. An output
//     pipe finds the bound peer with the Pipe Binding Protocol
//     (jxta:PipeResolver queries through the group's resolver; input pipes
//     are indexed at the rendezvous with SRDI, so a query goes to the peer
//     that bound the pipe rather than to everyone) and finds it again when
//     that peer goes away.
//   - Propagate pipes (advert.PipePropagate): every peer of the group that
//     bound an InputPipe receives each message once. Messages carry JXTA's
//     JxtaWireHeader (source, pipe ID, message ID, TTL) and travel through
//     the group's rendezvous; repeated message IDs are dropped.
//   - Bidirectional pipes: Listen returns a net.Listener and Dial a
//     net.Conn. Each connection is a stream of its own on the one
//     multiplexed connection between the two peers: reliable, ordered,
//     flow-controlled and full duplex, with deadlines and half-close, and
//     no message size limit (JXTA's JxtaBiDiPipe was built from two
//     unreliable one-way pipes with 64 KB messages). Dial opens the
//     stream and returns at once, without waiting for the listener to
//     accept, so a connection costs no round trip before its first
//     bytes; a refusal is the error of its first Read (or of a Write or
//     Close once the refusal has arrived) and wraps ErrRefused, and a
//     refusing listener discards what was written. MessageConn sends and
//     receives whole messages over such a connection, in the binary or the
//     XML message format.
//
// Unicast and propagate pipes deliver what the endpoint delivers: over
// gojxta's connections that is reliable and in order per sender, but an
// input pipe whose reader falls more than Config.QueueSize messages behind
// drops messages (and counts them), as JXTA pipes always could. Use a
// bidirectional pipe for flow control.
//
// JxtaUnicastSecure pipes work as unicast pipes and bidirectional pipes
// do, and are resolved apart from them (a secure pipe's query finds only
// secure bindings): every gojxta connection is TLS 1.3 between peers that
// proved their keys, and a unicast message goes straight to the bound peer
// over its own connection, never through a rendezvous, so a secure pipe's
// messages are encrypted end to end and Received.Peer (Conn.Peer for a
// bidirectional pipe) is the sender's verified peer ID.
package pipe
