package protocol

import (
	"strings"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/xmldoc"
	"github.com/google/uuid"
)

// PropagateElementPrefix starts the name of the message element (namespace
// jxta) that carries a RendezVousPropagateMessage; the group's unique value
// follows, as in RendezVousPropagatejxta-NetGroup.
const PropagateElementPrefix = "RendezVousPropagate"

// RendezVousPropagateMessage is the rendezvous propagation header
// (jxta:RendezVousPropagateMessage) of a message propagated in a group:
// where to deliver it and where it has been.
type RendezVousPropagateMessage struct {
	// MessageID identifies the message for duplicate detection. JXSE
	// writes a UUID (NewMessageID); old peers wrote a decimal number, and
	// any string is accepted. See DuplicateKey.
	MessageID string
	// DestSName and DestSParam are the service name and parameter to
	// deliver the message to. DestSName is required.
	DestSName  string
	DestSParam string
	// TTL is how many more times the message may be propagated.
	TTL int
	// Path lists the peers the message visited, the sender last. It is
	// never empty: JXSE refuses to write a header without the local peer.
	Path []jxta.PeerID
	advert.Unknown
}

// NewMessageID returns a new random message ID in JXSE's form, a UUID
// such as 00000001-0000-1000-8191-f5a7778d6162.
func NewMessageID() string { return uuid.NewString() }

// DuplicateKey returns the key under which to remember the message to
// drop duplicates: the canonical lower-case form of a UUID MessageID
// (JXSE compares UUIDs, not text), else the MessageID itself (JXSE hashes
// those into a UUID, which identifies the same messages).
func (m *RendezVousPropagateMessage) DuplicateKey() string {
	if len(m.MessageID) == 36 {
		if u, err := uuid.Parse(m.MessageID); err == nil {
			return u.String()
		}
	}
	return m.MessageID
}

// Visited reports whether peer is on the message's path.
func (m *RendezVousPropagateMessage) Visited(peer jxta.PeerID) bool {
	for _, p := range m.Path {
		if p == peer {
			return true
		}
	}
	return false
}

// AdvType returns "jxta:RendezVousPropagateMessage".
func (*RendezVousPropagateMessage) AdvType() string { return TypePropagate }

// ID returns the Null ID.
func (*RendezVousPropagateMessage) ID() jxta.ID { return jxta.NullID }

// IndexFields returns nil: protocol documents are not indexed.
func (*RendezVousPropagateMessage) IndexFields() []advert.Field { return nil }

// EncodeXML writes MessageId, DestSName, DestSParam, TTL and the Path in
// JXSE's order, then unknown elements.
func (m *RendezVousPropagateMessage) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument(TypePropagate, m.Attrs...)
	w.TextElement("MessageId", m.MessageID)
	w.TextElement("DestSName", m.DestSName)
	textElement(w, "DestSParam", m.DestSParam)
	intElement(w, "TTL", int64(m.TTL))
	for _, p := range m.Path {
		w.TextElementOf("Path", p)
	}
	writeUnknown(w, &m.Unknown)
	w.End(TypePropagate)
}

// decodePropagate reads a propagation header: MessageId, DestSName and
// TTL are required (JXSE), the TTL is not negative, and the Path holds at
// least one peer (JXSE never writes an empty path).
func decodePropagate(d *advert.Decoder, root *etree.Element) (advert.Advertisement, error) {
	m := &RendezVousPropagateMessage{}
	keepRootAttrs(&m.Unknown, root)
	haveTTL := false
	for e := range root.ChildElementsSeq() {
		switch xmldoc.FullName(e.Space, e.Tag) {
		case "MessageId":
			m.MessageID = advert.Text(e)
		case "DestSName":
			m.DestSName = advert.Text(e)
		case "DestSParam":
			m.DestSParam = advert.Text(e)
		case "TTL":
			haveTTL = true
			if v, ok := intText(d, e, 0, maxInt32); ok {
				m.TTL = int(v)
			}
		case "Path":
			m.Path = append(m.Path, requiredPeerID(d, e))
		default:
			m.Elements = append(m.Elements, e)
		}
	}
	switch {
	case m.MessageID == "":
		d.Missing(root, "MessageId")
	case strings.TrimSpace(m.DestSName) == "":
		d.Missing(root, "DestSName")
	case !haveTTL:
		d.Missing(root, "TTL")
	case len(m.Path) == 0:
		d.Missing(root, "Path")
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return m, nil
}
