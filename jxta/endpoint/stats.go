package endpoint

import (
	"sync/atomic"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/metrics"
)

// Traffic counts the messages exchanged with one peer since this endpoint
// started, across its connections.
type Traffic struct {
	MessagesIn, MessagesOut uint64
	BytesIn, BytesOut       uint64    // message package bytes
	LastIn, LastOut         time.Time // zero if none yet
}

// peerTraffic is the live form of Traffic.
type peerTraffic struct {
	msgsIn, msgsOut   atomic.Uint64
	bytesIn, bytesOut atomic.Uint64
	lastIn, lastOut   atomic.Int64 // unix nanoseconds
}

func (t *peerTraffic) received(n int, now time.Time) {
	t.msgsIn.Add(1)
	t.bytesIn.Add(uint64(n))
	t.lastIn.Store(now.UnixNano())
}

func (t *peerTraffic) sent(msgs, n int, now time.Time) {
	t.msgsOut.Add(uint64(msgs))
	t.bytesOut.Add(uint64(n))
	t.lastOut.Store(now.UnixNano())
}

func (t *peerTraffic) snapshot() Traffic {
	out := Traffic{
		MessagesIn: t.msgsIn.Load(), MessagesOut: t.msgsOut.Load(),
		BytesIn: t.bytesIn.Load(), BytesOut: t.bytesOut.Load(),
	}
	if ns := t.lastIn.Load(); ns != 0 {
		out.LastIn = time.Unix(0, ns)
	}
	if ns := t.lastOut.Load(); ns != 0 {
		out.LastOut = time.Unix(0, ns)
	}
	return out
}

// trafficOf returns the traffic counters of peer, creating them.
func (e *Endpoint) trafficOf(peer jxta.PeerID) *peerTraffic {
	e.mu.Lock()
	defer e.mu.Unlock()
	t := e.traffic[peer]
	if t == nil {
		t = &peerTraffic{}
		e.traffic[peer] = t
	}
	return t
}

// Traffic returns the message counters of peer, and false if this
// endpoint never exchanged a message with it.
func (e *Endpoint) Traffic(peer jxta.PeerID) (Traffic, bool) {
	e.mu.Lock()
	t := e.traffic[peer]
	e.mu.Unlock()
	if t == nil {
		return Traffic{}, false
	}
	return t.snapshot(), true
}

// TrafficAll returns the message counters of every peer this endpoint
// exchanged messages with.
func (e *Endpoint) TrafficAll() map[jxta.PeerID]Traffic {
	e.mu.Lock()
	defer e.mu.Unlock()
	out := make(map[jxta.PeerID]Traffic, len(e.traffic))
	for p, t := range e.traffic {
		out[p] = t.snapshot()
	}
	return out
}

// gauges reads the figures of Config.Metrics that the endpoint keeps
// anyway: its connections, and the pipe streams open on them.
func (e *Endpoint) gauges() metrics.EndpointGauges {
	e.mu.Lock()
	defer e.mu.Unlock()
	g := metrics.EndpointGauges{Connections: len(e.conns)}
	for _, c := range e.conns {
		// Every connection carries two message streams, one each way.
		g.Streams += max(c.streams()-2, 0)
	}
	return g
}
