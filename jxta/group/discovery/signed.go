package discovery

import (
	"crypto/sha256"
	"errors"
	"strings"
	"sync"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/group/cache"
	"github.com/gojxta/gojxta/jxta/metrics"
	"github.com/gojxta/gojxta/jxta/protocol"
)

// What travels signed. Every advertisement this peer sends in discovery
// (answers, remote publications, its own peer advertisement in queries
// and answers) is a jxta:SA: this peer's own publications signed by it
// when they are sent, and what it keeps from other peers with the
// signature of their publisher, as received. What it receives is kept
// only when signed, as the rules below say; the rest is dropped and
// counted (metrics.Set.AdvDropped).

// errUnsigned, errWrongSigner: why a received advertisement is dropped,
// besides a bad signature (advert.ErrBadSignature) and the cache's
// refusals.
var (
	errUnsigned    = errors.New("not a signed advertisement")
	errWrongSigner = errors.New("signed by another peer than it must be")
)

// checkSigned checks one advertisement received in discovery, read from
// a Response element (adv, or err when it did not read): it must be a
// jxta:SA, and a peer advertisement must be signed by the peer it
// describes. It returns the signed advertisement.
func checkSigned(adv advert.Advertisement, err error) (*advert.SignedAdv, error) {
	if err != nil {
		return nil, err
	}
	sa, ok := adv.(*advert.SignedAdv)
	if !ok {
		return nil, errUnsigned
	}
	if pa, ok := sa.Adv.(*advert.PeerAdv); ok && pa.PeerID != sa.Publisher {
		return nil, errWrongSigner
	}
	return sa, nil
}

// dropReason is the metrics reason of an error of checkSigned, or of a
// cache refusal.
func dropReason(err error) string {
	switch {
	case errors.Is(err, advert.ErrBadSignature):
		return metrics.AdvBadSignature
	case errors.Is(err, errWrongSigner):
		return metrics.AdvWrongSigner
	case errors.Is(err, cache.ErrNotReplaceable):
		return metrics.AdvNotReplaceable
	case errors.Is(err, cache.ErrQuota), errors.Is(err, cache.ErrFull):
		return metrics.AdvQuota
	default:
		return metrics.AdvUnsigned
	}
}

// dropped counts and logs a received advertisement dropped for err.
func (s *Service) dropped(from jxta.PeerID, err error) {
	s.metrics.AdvDropped(dropReason(err), 1)
	s.log.Debug("discovery: received advertisement dropped", "peer", from, "err", err)
}

// signOwn returns an own entry signed by this peer, flattened.
func (s *Service) signOwn(e cache.Entry) string {
	key := signKey(e)
	if text, ok := s.ownSigned.get(key); ok {
		return text
	}
	doc := advert.MarshalSigned(s.signer.PeerID(), s.signer.PublicKey(), s.signer.Sign(e.Doc), e.Doc, e.AdvType())
	text := strings.TrimSuffix(string(doc), "\n")
	s.ownSigned.put(key, text)
	return text
}

// signMemo remembers this peer's signed forms of its own advertisements.
// Signing is most of what answering a query costs the peer that answers
// (40-57 µs of Ed25519 per answer, against a few µs to hash the
// document), and a peer answers for the same advertisements again and
// again. Ed25519 signatures are deterministic: what the memo returns is
// what signing again would. It holds at most signMemoMax forms, and
// starts afresh when full.
type signMemo struct {
	mu sync.Mutex
	m  map[[sha256.Size]byte]string
}

const signMemoMax = 1024

// signKey identifies what signOwn signs: the document and its type.
func signKey(e cache.Entry) [sha256.Size]byte {
	h := sha256.New()
	h.Write([]byte(e.AdvType()))
	h.Write([]byte{0})
	h.Write(e.Doc)
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

func (m *signMemo) get(k [sha256.Size]byte) (string, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	text, ok := m.m[k]
	return text, ok
}

func (m *signMemo) put(k [sha256.Size]byte, text string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.m == nil || len(m.m) >= signMemoMax {
		m.m = make(map[[sha256.Size]byte]string)
	}
	m.m[k] = text
}

// signedDoc returns an entry as a discovery response carries it: signed
// by this peer when it is its own, else with its publisher's signature.
func (s *Service) signedDoc(e cache.Entry) string {
	if e.Own {
		return s.signOwn(e)
	}
	if e.Unverified {
		return strings.TrimSuffix(string(e.Doc), "\n")
	}
	return strings.TrimSuffix(string(e.SignedDoc()), "\n")
}

// readQuerier reads the advertisement a query from source carries: a
// jxta:SA of source's own peer advertisement, signed by source.
func readQuerier(source jxta.PeerID, text string) (*advert.SignedAdv, error) {
	a, err := protocol.Unflatten(text, wireRegistry)
	if err != nil {
		return nil, err
	}
	sa, err := checkSigned(a, nil)
	if err != nil {
		return nil, err
	}
	if pa, ok := sa.Adv.(*advert.PeerAdv); !ok || pa.PeerID != source {
		return nil, errWrongSigner
	}
	return sa, nil
}

// legacyForm rewrites a discovery response for a legacy JXTA peer, which
// reads no jxta:SA: each signed advertisement becomes the plain document
// its publisher signed, and so does the responder's own advertisement.
func legacyForm(body string) string {
	dr, err := protocol.UnflattenAs[*protocol.DiscoveryResponse](body, wireRegistry)
	if err != nil {
		return body
	}
	for i, r := range dr.Responses {
		if sa, ok := r.Adv.(*advert.SignedAdv); ok {
			dr.Responses[i] = protocol.Response{Raw: strings.TrimSuffix(string(sa.Data), "\n"), Expiration: r.Expiration}
		}
	}
	if dr.PeerAdvText != "" {
		if a, err := protocol.Unflatten(dr.PeerAdvText, wireRegistry); err == nil {
			if sa, ok := a.(*advert.SignedAdv); ok {
				dr.PeerAdvText = strings.TrimSuffix(string(sa.Data), "\n")
			}
		}
	}
	return protocol.Flatten(dr)
}
