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

// The peer view message elements (namespace jxta). PeerView.PeerAdv and
// PeerView.PeerAdv.Response are JXSE's probe and answer, each holding the
// sender's advertisement. The others are ours: PeerView.Digest (see
// digest), and view entries the receiver lacks, each as a PeerView.Sample
// (the entry's peer advertisement) followed by a PeerView.SampleAge (the
// entry's peer ID and age in milliseconds, separated by a space), so that
// a receiver can skip entries without reading their advertisements.
const (
	elementProbe     = "PeerView.PeerAdv"
	elementResponse  = "PeerView.PeerAdv.Response"
	elementDigest    = "PeerView.Digest"
	elementSample    = "PeerView.Sample"
	elementSampleAge = "PeerView.SampleAge"
)

// maxDigestSize bounds a digest element: maxView entries of a key and a
// uvarint age of at most 5 bytes.
const maxDigestSize = maxView * (8 + 5)

// errBadGossip wraps what is wrong with a peer view message.
var errBadGossip = errors.New("bad peer view message")

// sample is a view entry as one gossip message carries it.
type sample struct {
	id  jxta.PeerID
	age time.Duration
	doc []byte // the peer's advertisement, not yet read
}

// gossipMsg is a peer view message as read.
type gossipMsg struct {
	probe     bool        // a probe, which asks for an answer
	from      jxta.PeerID // the sender
	senderDoc []byte      // its advertisement, not yet read (see readSender)
	digest    digest      // nil if none
	samples   []sample    // at most maxSample
}

// gossipMessage encodes a probe or an answer (kind): the sender's
// advertisement, its digest (nil: none) and samples.
func gossipMessage(kind string, self []byte, dig []byte, samples []sample) *jxta.Message {
	m := jxta.NewMessage()
	m.AddXML(jxta.NamespaceJXTA, kind, self)
	if dig != nil {
		m.AddBytes(jxta.NamespaceJXTA, elementDigest, dig)
	}
	for _, s := range samples {
		m.AddXML(jxta.NamespaceJXTA, elementSample, s.doc)
		m.AddString(jxta.NamespaceJXTA, elementSampleAge, s.id.String()+" "+strconv.FormatInt(s.age.Milliseconds(), 10))
	}
	return m
}

// parseGossip reads a peer view message that arrived from peer. Samples
// whose ID and age cannot be read are skipped. The advertisements, the
// sender's and the samples', are left for the view to read if it needs
// them.
func parseGossip(m *jxta.Message, from jxta.PeerID) (*gossipMsg, error) {
	g := &gossipMsg{probe: true, from: from}
	el, ok := m.Get(jxta.NamespaceJXTA, elementProbe)
	if !ok {
		if el, ok = m.Get(jxta.NamespaceJXTA, elementResponse); !ok {
			return nil, fmt.Errorf("%w: no advertisement of the sender", errBadGossip)
		}
		g.probe = false
	}
	if len(el.Data) > maxAdvSize {
		return nil, fmt.Errorf("%w: sender's advertisement larger than %d bytes", errBadGossip, maxAdvSize)
	}
	g.senderDoc = el.Data
	if el, ok := m.Get(jxta.NamespaceJXTA, elementDigest); ok {
		var err error
		if len(el.Data) > maxDigestSize {
			return nil, fmt.Errorf("%w: digest larger than %d bytes", errBadGossip, maxDigestSize)
		}
		if g.digest, err = parseDigest(el.Data); err != nil {
			return nil, fmt.Errorf("%w: %w", errBadGossip, err)
		}
	}
	docs := m.GetAll(jxta.NamespaceJXTA, elementSample)
	ages := m.GetAll(jxta.NamespaceJXTA, elementSampleAge)
	if len(docs) != len(ages) {
		return nil, fmt.Errorf("%w: %d samples with %d ages", errBadGossip, len(docs), len(ages))
	}
	for i := range min(len(docs), maxSample) {
		id, age, err := parseSampleAge(ages[i].Data)
		if err != nil || id == from || len(docs[i].Data) > maxAdvSize {
			continue
		}
		g.samples = append(g.samples, sample{id: id, age: age, doc: docs[i].Data})
	}
	return g, nil
}

// readSender reads the advertisement of g's sender, which must be the
// sender's: a peer advertisement or, as JXSE sends, a rendezvous
// advertisement (turned into a peer advertisement with the addresses of
// its route). It returns it with the bytes to keep of it.
func (g *gossipMsg) readSender() (*advert.PeerAdv, []byte, error) {
	a, err := advert.Parse(g.senderDoc)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: sender: %w", errBadGossip, err)
	}
	pa, doc := (*advert.PeerAdv)(nil), g.senderDoc
	switch a := a.(type) {
	case *advert.PeerAdv:
		pa = a
	case *advert.RdvAdv:
		pa = &advert.PeerAdv{PeerID: a.PeerID, GroupID: a.GroupID, Name: a.Name}
		if a.Route != nil && a.Route.Dst != nil {
			if err := pa.SetEndpointAddresses(a.Route.Dst.Addresses); err != nil {
				return nil, nil, fmt.Errorf("%w: sender: %w", errBadGossip, err)
			}
		}
		doc = advert.Marshal(pa)
	default:
		return nil, nil, fmt.Errorf("%w: sender: %s, not a peer or rendezvous advertisement", errBadGossip, a.AdvType())
	}
	if pa.PeerID != g.from {
		return nil, nil, fmt.Errorf("%w: advertisement of %s from %s", errBadGossip, pa.PeerID, g.from)
	}
	return pa, doc, nil
}

// parseSampleAge reads a sample's "<peer ID> <age in ms>".
func parseSampleAge(b []byte) (jxta.PeerID, time.Duration, error) {
	if len(b) > maxShortText {
		return jxta.PeerID{}, 0, errors.New("sample age too long")
	}
	idText, msText, ok := strings.Cut(string(b), " ")
	if !ok {
		return jxta.PeerID{}, 0, errors.New("sample age without an age")
	}
	ms, err := strconv.ParseInt(msText, 10, 64)
	if err != nil || ms < 0 {
		return jxta.PeerID{}, 0, fmt.Errorf("sample age %q", msText)
	}
	id, err := jxta.ParsePeerID(idText)
	if err != nil {
		return jxta.PeerID{}, 0, err
	}
	return id, time.Duration(min(ms, maxDigestAge.Milliseconds())) * time.Millisecond, nil
}
