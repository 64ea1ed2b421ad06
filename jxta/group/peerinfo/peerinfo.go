package peerinfo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/group/resolver"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// HandlerName is the resolver handler of peer information: the service's
// class ID.
var HandlerName = jxta.PeerInfoClassID.String()

// Info is what a peer reports about itself.
type Info struct {
	Peer      jxta.PeerID
	Uptime    time.Duration
	Timestamp time.Time
	// In and Out total the messages and bytes the peer exchanged with all
	// peers; LastIn and LastOut are the latest.
	Total endpoint.Traffic
}

// Service is one group's peer information service.
type Service struct {
	ep      *endpoint.Endpoint
	res     *resolver.Service
	started time.Time
	log     *slog.Logger
}

// New starts the service and registers its resolver handler.
func New(ep *endpoint.Endpoint, res *resolver.Service, log *slog.Logger) *Service {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Service{ep: ep, res: res, started: time.Now(), log: log}
	res.Handle(HandlerName, resolver.QueryHandlerFunc(s.answer))
	return s
}

// Close unregisters the handler.
func (s *Service) Close() error {
	s.res.Handle(HandlerName, nil)
	return nil
}

// Local returns this peer's information.
func (s *Service) Local() Info {
	info := Info{Peer: s.ep.ID(), Uptime: time.Since(s.started), Timestamp: time.Now()}
	for _, t := range s.ep.TrafficAll() {
		info.Total.MessagesIn += t.MessagesIn
		info.Total.MessagesOut += t.MessagesOut
		info.Total.BytesIn += t.BytesIn
		info.Total.BytesOut += t.BytesOut
		if t.LastIn.After(info.Total.LastIn) {
			info.Total.LastIn = t.LastIn
		}
		if t.LastOut.After(info.Total.LastOut) {
			info.Total.LastOut = t.LastOut
		}
	}
	return info
}

// PerPeer returns the traffic with each peer.
func (s *Service) PerPeer() map[jxta.PeerID]endpoint.Traffic { return s.ep.TrafficAll() }

// ErrNoAnswer is returned when a peer does not answer within the context.
var ErrNoAnswer = errors.New("no answer")

// Remote asks peer for its information and returns it with the round-trip
// time of the query.
func (s *Service) Remote(ctx context.Context, peer jxta.PeerID) (Info, time.Duration, error) {
	q := &protocol.PeerInfoQueryMessage{SourcePeerID: s.ep.ID(), TargetPeerID: peer}
	start := time.Now()
	ch, err := s.res.Query(ctx, peer, HandlerName, protocol.Flatten(q))
	if err != nil {
		return Info{}, 0, fmt.Errorf("peerinfo: %w", err)
	}
	for r := range ch {
		rtt := time.Since(start)
		resp, err := protocol.UnflattenAs[*protocol.PeerInfoResponseMessage](r.Body, nil)
		if err != nil {
			s.log.Warn("peerinfo: bad response dropped", "peer", r.Peer, "err", err)
			continue
		}
		info := Info{Peer: resp.SourcePeerID, Uptime: resp.Uptime, Timestamp: resp.Timestamp}
		readTraffic(resp.Traffic, &info.Total)
		return info, rtt, nil
	}
	return Info{}, 0, fmt.Errorf("peerinfo: %s: %w within the deadline", peer, ErrNoAnswer)
}

// Ping measures the round trip of a peer information query to peer.
func (s *Service) Ping(ctx context.Context, peer jxta.PeerID) (time.Duration, error) {
	_, rtt, err := s.Remote(ctx, peer)
	return rtt, err
}

func (s *Service) answer(_ context.Context, q *resolver.Query) (string, bool) {
	pq, err := protocol.UnflattenAs[*protocol.PeerInfoQueryMessage](q.Body, nil)
	if err != nil {
		s.log.Warn("peerinfo: bad query dropped", "peer", q.Peer, "err", err)
		return "", false
	}
	if !pq.TargetPeerID.IsNull() && pq.TargetPeerID != s.ep.ID() {
		return "", false // asked about another peer
	}
	info := s.Local()
	resp := &protocol.PeerInfoResponseMessage{
		SourcePeerID: s.ep.ID(), TargetPeerID: q.Source,
		Uptime: info.Uptime, Timestamp: info.Timestamp, Traffic: trafficElement(info.Total),
	}
	return protocol.Flatten(resp), true
}

// trafficElement writes the specification's traffic report: the times of
// the last messages (ms since the epoch) and the message counts in and out.
func trafficElement(t endpoint.Traffic) *etree.Element {
	e := etree.NewElement("traffic")
	ms := func(tm time.Time) string {
		if tm.IsZero() {
			return "0"
		}
		return strconv.FormatInt(tm.UnixMilli(), 10)
	}
	e.CreateElement("lastIncomingMessageAt").SetText(ms(t.LastIn))
	e.CreateElement("lastOutgoingMessageAt").SetText(ms(t.LastOut))
	e.CreateElement("in").CreateElement("transport").SetText(strconv.FormatUint(t.MessagesIn, 10))
	e.CreateElement("out").CreateElement("transport").SetText(strconv.FormatUint(t.MessagesOut, 10))
	return e
}

// readTraffic reads back what trafficElement writes; missing parts stay
// zero.
func readTraffic(e *etree.Element, t *endpoint.Traffic) {
	if e == nil {
		return
	}
	num := func(path string) int64 {
		if x := e.FindElement(path); x != nil {
			v, _ := strconv.ParseInt(x.Text(), 10, 64)
			return v
		}
		return 0
	}
	if v := num("lastIncomingMessageAt"); v > 0 {
		t.LastIn = time.UnixMilli(v)
	}
	if v := num("lastOutgoingMessageAt"); v > 0 {
		t.LastOut = time.UnixMilli(v)
	}
	t.MessagesIn = uint64(max(num("in/transport"), 0))
	t.MessagesOut = uint64(max(num("out/transport"), 0))
}
