package protocol

import (
	"strings"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// PipeResolverHandler is the resolver handler name of the pipe binding
// protocol.
const PipeResolverHandler = "JxtaPipeResolver"

// PipeMsgType says whether a PipeResolver message asks or answers.
type PipeMsgType string

// The pipe binding message kinds.
const (
	PipeQuery  PipeMsgType = "Query"
	PipeAnswer PipeMsgType = "Answer"
)

// PipeResolver is a Pipe Binding Protocol message (jxta:PipeResolver),
// sent as a resolver query (where is the input pipe PipeID bound?) or
// response (here).
type PipeResolver struct {
	MsgType PipeMsgType
	PipeID  jxta.PipeID // PipeId
	Type    string      // the pipe type, such as advert.PipeUnicast
	// Peers (Peer) are, in a query, the only peers that should answer (all
	// when empty) and, in an answer, the peers where the pipe is bound (at
	// least one).
	Peers []jxta.PeerID
	// Found tells, in an answer, whether the pipe was found.
	Found bool
	// PeerAdv is, in an answer, the flattened peer advertisement of one of
	// Peers, or nil.
	PeerAdv *advert.PeerAdv
	// PeerAdvErr is why the PeerAdv element could not be read; see
	// DiscoveryQuery.PeerAdvErr.
	PeerAdvErr error
	advert.Unknown
}

// AdvType returns "jxta:PipeResolver".
func (*PipeResolver) AdvType() string { return TypePipeResolver }

// ID returns the pipe's ID.
func (p *PipeResolver) ID() jxta.ID { return p.PipeID.ID }

// IndexFields returns nil: protocol documents are not indexed.
func (*PipeResolver) IndexFields() []advert.Field { return nil }

// EncodeXML writes MsgType, PipeId, Type and the Peers, and in an answer
// Found and PeerAdv, in JXSE's order, then unknown elements. The
// deprecated Cached is never written.
func (p *PipeResolver) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument(TypePipeResolver, p.Attrs...)
	w.TextElement("MsgType", string(p.MsgType))
	w.TextElementOf("PipeId", p.PipeID)
	textElement(w, "Type", p.Type)
	for _, peer := range p.Peers {
		w.TextElementOf("Peer", peer)
	}
	if p.MsgType == PipeAnswer {
		if p.Found {
			w.TextElement("Found", "true")
		} else {
			w.TextElement("Found", "false")
		}
		if p.PeerAdv != nil {
			w.TextElement("PeerAdv", Flatten(p.PeerAdv))
		}
	}
	writeUnknown(w, &p.Unknown)
	w.End(TypePipeResolver)
}

func (p *PipeResolver) check(*advert.Registry, int) error { return p.PeerAdvErr }

// decodePipeResolver reads a message with JXSE's rules: MsgType is Query
// or Answer, PipeId a pipe ID and Type are required, and an answer names
// at least one peer. Cached is deprecated and ignored.
func (c *codec) decodePipeResolver(d *advert.Decoder, root *etree.Element) (advert.Advertisement, error) {
	p := &PipeResolver{}
	keepRootAttrs(&p.Unknown, root)
	var typeElem *etree.Element
	havePeerAdv := false
	for e := range root.ChildElementsSeq() {
		switch xmldoc.FullName(e.Space, e.Tag) {
		case "MsgType":
			typeElem = e
			switch t := PipeMsgType(advert.Text(e)); t {
			case PipeQuery, PipeAnswer:
				p.MsgType = t
			default:
				d.Failf(e, "message type %q, want Query or Answer", shorten(string(t)))
			}
		case "PipeId":
			p.PipeID = d.PipeID(e)
		case "Type":
			p.Type = advert.Text(e)
		case "Peer":
			p.Peers = append(p.Peers, requiredPeerID(d, e))
		case "Found":
			p.Found = strings.EqualFold(advert.Text(e), "true") // Java's Boolean.valueOf
		case "PeerAdv":
			if havePeerAdv {
				p.Elements = append(p.Elements, e) // only the first counts
				continue
			}
			havePeerAdv = true
			p.PeerAdv, p.PeerAdvErr = c.peerAdvElement(TypePipeResolver, e)
			if p.PeerAdvErr != nil {
				p.Elements = append(p.Elements, e)
			}
		case "Cached":
		default:
			p.Elements = append(p.Elements, e)
		}
	}
	switch {
	case typeElem == nil:
		d.Missing(root, "MsgType")
	case p.PipeID.IsNull():
		d.Missing(root, "PipeId")
	case p.Type == "":
		d.Missing(root, "Type")
	case p.MsgType == PipeAnswer && len(p.Peers) == 0:
		d.Failf(root, "an answer without any <Peer>")
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// WireHeaderElement is the name of the message element (namespace jxta)
// that carries a WireHeader in propagate-pipe messages.
const WireHeaderElement = "JxtaWireHeader"

// WireHeader is the propagate-pipe header, root JxtaWire: JXSE writes it
// without the jxta prefix (but with xmlns:jxta), and so does WireHeader;
// both names are read.
type WireHeader struct {
	SrcPeer jxta.PeerID // the sender, or the Null ID
	PipeID  jxta.PipeID // PipeId
	MsgID   string      // MsgId: a random token for duplicate detection
	TTL     int         // at least 1
	// VisitedPeers (VisitedPeer) is the specification's list of visited
	// peers; JXSE neither writes nor reads it.
	VisitedPeers []jxta.PeerID
	advert.Unknown
}

// AdvType returns "JxtaWire".
func (*WireHeader) AdvType() string { return TypeWireHeader }

// ID returns the pipe's ID.
func (h *WireHeader) ID() jxta.ID { return h.PipeID.ID }

// IndexFields returns nil: protocol documents are not indexed.
func (*WireHeader) IndexFields() []advert.Field { return nil }

// EncodeXML writes SrcPeer, PipeId, MsgId, TTL and VisitedPeer in JXSE's
// order, then unknown elements.
func (h *WireHeader) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument(TypeWireHeader, h.Attrs...)
	idElement(w, "SrcPeer", h.SrcPeer.ID)
	w.TextElementOf("PipeId", h.PipeID)
	w.TextElement("MsgId", h.MsgID)
	intElement(w, "TTL", int64(h.TTL))
	for _, p := range h.VisitedPeers {
		w.TextElementOf("VisitedPeer", p)
	}
	writeUnknown(w, &h.Unknown)
	w.End(TypeWireHeader)
}

// decodeWireHeader reads a header with JXSE's rules: MsgId, PipeId and a
// TTL of at least 1 are required.
func decodeWireHeader(d *advert.Decoder, root *etree.Element) (advert.Advertisement, error) {
	h := &WireHeader{}
	keepRootAttrs(&h.Unknown, root)
	var ttlElem *etree.Element
	for e := range root.ChildElementsSeq() {
		switch xmldoc.FullName(e.Space, e.Tag) {
		case "SrcPeer":
			h.SrcPeer = d.PeerID(e)
		case "PipeId":
			h.PipeID = d.PipeID(e)
		case "MsgId":
			h.MsgID = advert.Text(e)
		case "TTL":
			ttlElem = e
			if v, ok := intText(d, e, minInt32, maxInt32); ok {
				h.TTL = int(v)
			}
		case "VisitedPeer":
			h.VisitedPeers = append(h.VisitedPeers, requiredPeerID(d, e))
		default:
			h.Elements = append(h.Elements, e)
		}
	}
	switch {
	case h.MsgID == "":
		d.Missing(root, "MsgId")
	case h.PipeID.IsNull():
		d.Missing(root, "PipeId")
	case ttlElem == nil:
		d.Missing(root, "TTL")
	case h.TTL < 1:
		d.Failf(ttlElem, "TTL %d, must be at least 1", h.TTL)
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return h, nil
}
