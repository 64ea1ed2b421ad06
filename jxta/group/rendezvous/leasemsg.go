package rendezvous

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
)

// The lease message elements (namespace jxta), as JXSE and JXTA-C name
// them, and RdvReferral, ours: a grant may name a few other rendezvous
// (their peer advertisements) for the edge to fail over to. JXSE ignores
// it.
const (
	elementConnect        = "Connect"        // request: the edge's PA
	elementDisconnect     = "Disconnect"     // cancel: the edge's PA
	elementConnectedPeer  = "ConnectedPeer"  // grant: the rendezvous's peer ID
	elementConnectedLease = "ConnectedLease" // grant: the lease in ms
	elementRdvAdvReply    = "RdvAdvReply"    // grant: the rendezvous's PA
	elementRdvReferral    = "RdvReferral"    // grant, ours: another rendezvous's PA
)

// errBadLease wraps what is wrong with a lease message.
var errBadLease = errors.New("bad lease message")

// leaseRequest is a Connect or Disconnect (kind) carrying the edge's
// advertisement.
func leaseRequest(kind string, pa []byte) *jxta.Message {
	m := jxta.NewMessage()
	m.AddXML(jxta.NamespaceJXTA, kind, pa)
	return m
}

// leaseGrant is what a rendezvous sends an edge it grants a lease.
type leaseGrant struct {
	rdv       jxta.PeerID
	lease     time.Duration
	adv       *advert.PeerAdv   // the rendezvous's, if it sent one
	referrals []*advert.PeerAdv // other rendezvous
}

// message encodes the grant, with the advertisements as given.
func grantMessage(rdv jxta.PeerID, lease time.Duration, adv []byte, referrals [][]byte) *jxta.Message {
	m := jxta.NewMessage()
	m.AddString(jxta.NamespaceJXTA, elementConnectedPeer, rdv.String())
	m.AddString(jxta.NamespaceJXTA, elementConnectedLease, strconv.FormatInt(lease.Milliseconds(), 10))
	m.AddXML(jxta.NamespaceJXTA, elementRdvAdvReply, adv)
	for _, r := range referrals {
		m.AddXML(jxta.NamespaceJXTA, elementRdvReferral, r)
	}
	return m
}

// isGrant reports whether m is a grant rather than a request.
func isGrant(m *jxta.Message) bool {
	_, ok := m.Get(jxta.NamespaceJXTA, elementConnectedLease)
	return ok
}

// parseGrant reads a grant that arrived from peer. The lease is clamped
// to minLease..maxLease; ConnectedPeer, when present, must name peer, and
// so must RdvAdvReply; referrals that cannot be read are skipped.
func parseGrant(m *jxta.Message, from jxta.PeerID) (leaseGrant, error) {
	g := leaseGrant{rdv: from}
	el, _ := m.Get(jxta.NamespaceJXTA, elementConnectedLease)
	if el == nil || len(el.Data) > maxShortText {
		return g, fmt.Errorf("%w: no lease", errBadLease)
	}
	ms, err := strconv.ParseInt(strings.TrimSpace(string(el.Data)), 10, 64)
	if err != nil || ms <= 0 {
		return g, fmt.Errorf("%w: lease %q", errBadLease, el.Data)
	}
	g.lease = max(time.Duration(min(ms, maxLease.Milliseconds()))*time.Millisecond, minLease)
	if el, ok := m.Get(jxta.NamespaceJXTA, elementConnectedPeer); ok {
		id, err := parsePeerText(el.Data)
		if err != nil || id != from {
			return g, fmt.Errorf("%w: ConnectedPeer %q from %s", errBadLease, shorten(el.Data), from)
		}
	}
	if el, ok := m.Get(jxta.NamespaceJXTA, elementRdvAdvReply); ok {
		pa, err := parsePeerAdv(el.Data)
		if err != nil || pa.PeerID != from {
			return g, fmt.Errorf("%w: RdvAdvReply not of %s: %v", errBadLease, from, err)
		}
		g.adv = pa
	}
	for i, el := range m.GetAll(jxta.NamespaceJXTA, elementRdvReferral) {
		if i == maxReferrals {
			break
		}
		if pa, err := parsePeerAdv(el.Data); err == nil {
			g.referrals = append(g.referrals, pa)
		}
	}
	return g, nil
}

// parseLeaseRequest reads a Connect or Disconnect that arrived from peer:
// it returns which, and the advertisement, which must be peer's.
func parseLeaseRequest(m *jxta.Message, from jxta.PeerID) (string, *advert.PeerAdv, error) {
	for _, kind := range []string{elementConnect, elementDisconnect} {
		el, ok := m.Get(jxta.NamespaceJXTA, kind)
		if !ok {
			continue
		}
		pa, err := parsePeerAdv(el.Data)
		if err != nil {
			return kind, nil, fmt.Errorf("%w: %s: %w", errBadLease, kind, err)
		}
		if pa.PeerID != from {
			return kind, nil, fmt.Errorf("%w: %s for %s from %s", errBadLease, kind, pa.PeerID, from)
		}
		return kind, pa, nil
	}
	return "", nil, fmt.Errorf("%w: no Connect, Disconnect or grant", errBadLease)
}

// parsePeerAdv reads a peer advertisement of at most maxAdvSize bytes.
func parsePeerAdv(doc []byte) (*advert.PeerAdv, error) {
	if len(doc) > maxAdvSize {
		return nil, fmt.Errorf("advertisement larger than %d bytes", maxAdvSize)
	}
	return advert.ParseAs[*advert.PeerAdv](doc)
}

// parsePeerText reads a peer ID written as text.
func parsePeerText(b []byte) (jxta.PeerID, error) {
	if len(b) > maxShortText {
		return jxta.PeerID{}, errors.New("peer ID too long")
	}
	return jxta.ParsePeerID(strings.TrimSpace(string(b)))
}

// shorten returns b as text for a log line, cut to maxShortText bytes.
func shorten(b []byte) string {
	if len(b) > maxShortText {
		return string(b[:maxShortText]) + "..."
	}
	return string(b)
}
