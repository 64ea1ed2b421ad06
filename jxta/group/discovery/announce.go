package discovery

import (
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// advRefresh is how long a peer advertisement handed over in discovery
// counts as known: a querier's advertisement is stored again by a
// responder only after it (see keepQuerier), and this peer sends its own
// to a peer again only after it (see announce). A quarter of the two
// hours receivers keep it for.
const advRefresh = protocol.DefaultExpiration / 4

// announce returns this peer's advertisement, flattened, for the
// optional PeerAdv of a query to peer (the null ID for a query to the
// group) or of an answer to the querier peer, when peer has not been sent
// this advertisement within advRefresh; otherwise "". JXSE sends it in
// every query and answer, where it is about half of each document, and
// receivers store it once per period anyway; sending it once per period
// per peer halves what every hop on a query's path reads and writes.
// Nothing depends on it but learning peers: a responder reaches the
// querier through the query's SrcPeerRoute or the path the query came
// by. A query that fails to go out forgets that it carried it; an answer
// lost on the way costs its querier this advertisement until the period
// ends.
func (s *Service) announce(peer jxta.PeerID, now time.Time) string {
	self := s.self.flattened(now)
	if !s.announced.stale(peer, self, now) {
		return ""
	}
	return self
}
