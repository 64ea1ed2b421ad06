package resolver

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint"
)

// A peer that answers a query forwarded to it by a rendezvous, and has no
// connection to the querier, can send its response back along the path
// the query came by instead of dialing the querier (for the handlers that
// ask for it, see RespondAlongPath): to the rendezvous that
// forwarded the query, which passes it on to the peer it got the query
// from (the querier, or the rendezvous the querier asked), and so on.
// Every rendezvous on the way is connected to the next hop already, so a
// response costs a hop per rendezvous instead of a new connection (a dial
// and a handshake, several round trips), and edges that cannot be dialed
// get their answers too.
//
// A relayed response is the ResolverResponse element as the responder
// wrote it, in a message to the same service and parameter ("IRes"), with
// these elements beside it (namespace jxta, text):
const (
	// relayToElement names the querier the response is for; the
	// responder sets it.
	relayToElement = "ResolverRelayTo"
	// relayQueryElement is the query's ID; the responder sets it, so that
	// a relaying rendezvous need not read the response.
	relayQueryElement = "ResolverRelayQueryID"
	// relayFromElement names the responder; the first rendezvous sets it
	// (to the peer the response came from, whatever the message says), and
	// the others pass it on when it comes from a rendezvous of their peer
	// view.
	relayFromElement = "ResolverRelayFrom"
)

// Bounds of the return paths a rendezvous keeps.
const (
	// returnPathLife is how long a rendezvous relays responses to a query
	// it forwarded.
	returnPathLife = time.Minute
	// maxReturnPaths bounds the queries whose return paths are kept; the
	// oldest go first.
	maxReturnPaths = 8192
)

// returnKey identifies a query: its querier and ID.
type returnKey struct {
	source jxta.PeerID
	id     int64
}

// returnPaths remembers, for the queries a rendezvous forwarded, the peer
// each came from. It is safe for concurrent use.
type returnPaths struct {
	mu    sync.Mutex
	paths map[returnKey]returnHop
	order []returnKey // oldest first, for eviction
}

type returnHop struct {
	peer  jxta.PeerID
	until time.Time
}

// add records that the query id of source came from peer.
func (r *returnPaths) add(source jxta.PeerID, id int64, peer jxta.PeerID, now time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.paths == nil {
		r.paths = make(map[returnKey]returnHop)
	}
	k := returnKey{source, id}
	if _, ok := r.paths[k]; !ok {
		for len(r.order) >= maxReturnPaths || len(r.order) > 0 && !now.Before(r.paths[r.order[0]].until) {
			delete(r.paths, r.order[0])
			r.order = r.order[1:]
		}
		r.order = append(r.order, k)
	}
	r.paths[k] = returnHop{peer: peer, until: now.Add(returnPathLife)}
}

// next returns the peer the query id of source came from, if it is
// remembered.
func (r *returnPaths) next(source jxta.PeerID, id int64, now time.Time) (jxta.PeerID, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	h, ok := r.paths[returnKey{source, id}]
	if !ok || !now.Before(h.until) {
		return jxta.PeerID{}, false
	}
	return h.peer, true
}

// relayMessage returns the message that carries the response element doc
// of the query id towards source, naming the responder from when it is
// known.
func (s *Service) relayMessage(doc []byte, source jxta.PeerID, id int64, from jxta.PeerID) *jxta.Message {
	m := jxta.NewMessage()
	m.AddXML(jxta.NamespaceJXTA, s.iRes, doc)
	m.AddString(jxta.NamespaceJXTA, relayToElement, source.String())
	m.AddString(jxta.NamespaceJXTA, relayQueryElement, strconv.FormatInt(id, 10))
	if !from.IsNull() {
		m.AddString(jxta.NamespaceJXTA, relayFromElement, from.String())
	}
	return m
}

// RespondAlongPath makes the responses to queries for the handler name
// go back along the query's path when this peer has no connection to the
// querier (on true), or to the querier directly, dialing it if need be
// (on false, the default, as JXSE does). It suits a handler whose querier
// does not talk to its responders afterwards, such as discovery; not a
// pipe resolver, whose querier connects to the responder next (over the
// connection a direct answer opens).
func (s *Service) RespondAlongPath(name string, on bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.alongPath = slices.DeleteFunc(s.alongPath, func(n string) bool { return n == name })
	if on {
		s.alongPath = append(s.alongPath, name)
	}
}

// respondBack sends the response doc to query q back the way q came,
// when its handler asked for it (RespondAlongPath), q came through
// another peer and this peer has no connection to the querier. It reports
// false when it did not send it.
func (s *Service) respondBack(ctx context.Context, q *Query, doc []byte) bool {
	s.mu.Lock()
	on := slices.Contains(s.alongPath, q.Handler)
	s.mu.Unlock()
	if !on || q.Peer == q.Source || q.Peer.IsNull() || q.Peer == s.ep.ID() || s.ep.Connected(q.Source) {
		return false
	}
	if err := s.ep.SendTo(ctx, q.Peer, s.name, s.iRes, s.relayMessage(s.forPeer(q.Peer, doc), q.Source, q.ID, jxta.PeerID{})); err != nil {
		s.log.Debug("resolver: sending a response back the query's path", "to", q.Peer, "err", err)
		return false
	}
	return true
}

// serveRelayed handles a relayed response: it delivers one addressed to
// this peer, and on a rendezvous passes one on towards its querier.
func (s *Service) serveRelayed(in *endpoint.Incoming, doc []byte, to string) {
	dst, err := jxta.ParsePeerID(to)
	if err != nil {
		s.malformed.Event("peer", in.Peer, "err", fmt.Errorf("relayed response with a bad destination: %w", err))
		return
	}
	// The responder is the peer the response came from, unless that is
	// a rendezvous this peer trusts to name it.
	from := in.Peer
	if text, ok := in.Message.String(jxta.NamespaceJXTA, relayFromElement); ok && s.trusted(in.Peer) {
		if from, err = jxta.ParsePeerID(text); err != nil {
			s.malformed.Event("peer", in.Peer, "err", fmt.Errorf("relayed response with a bad responder: %w", err))
			return
		}
	}
	if dst == s.ep.ID() {
		s.deliverResponse(in, doc, from, true)
		return
	}
	if !s.IsRendezvous() {
		s.log.Debug("resolver: relayed response to another peer refused: not a rendezvous", "peer", in.Peer, "to", dst)
		return
	}
	text, _ := in.Message.String(jxta.NamespaceJXTA, relayQueryElement)
	id, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		s.malformed.Event("peer", in.Peer, "err", "relayed response without a query ID")
		return
	}
	next, ok := s.paths.next(dst, id, time.Now())
	if !ok {
		s.log.Debug("resolver: relayed response for a query not forwarded here dropped", "peer", in.Peer, "to", dst, "id", id)
		return
	}
	if err := s.ep.SendTo(s.ctx, next, s.name, s.iRes, s.relayMessage(s.forPeer(next, doc), dst, id, from)); err != nil {
		s.log.Debug("resolver: relaying a response", "to", next, "err", err)
	}
}

// trusted reports whether peer is a rendezvous this peer leases with or
// has in its peer view, whose word on a relayed response's responder is
// taken.
func (s *Service) trusted(peer jxta.PeerID) bool {
	return slices.Contains(s.RendezVous(), peer) || slices.Contains(s.PeerView(), peer)
}
