package protocol

import (
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// The SRDI scopes (ttl): how far a rendezvous pushes the entries.
const (
	SRDIPersistOnly = 0 // keep the entries, do not replicate (not written)
	SRDIReplicate   = 1 // replicate the entries to the replica peer
)

// SRDIDefaultKey is the secondary key of an entry without SKey.
const SRDIDefaultKey = "NA"

// SRDIMessage is a Shared Resource Distributed Index push
// (jxta:GenSRDI): index entries a peer publishes to its rendezvous,
// carried flattened as the Payload of a ResolverSRDI.
type SRDIMessage struct {
	// PeerID is the peer that publishes the entries (PID).
	PeerID jxta.PeerID
	// PrimaryKey (PKey) names the index: Peers, Groups or Adv for
	// discovery, a pipe type for the pipe resolver, route for the router.
	PrimaryKey string
	// TTL (ttl) is the scope, SRDIPersistOnly or SRDIReplicate; it is
	// written only when > 0.
	TTL     int
	Entries []SRDIEntry
	advert.Unknown
}

// SRDIEntry is one index entry.
type SRDIEntry struct {
	// SKey is the secondary key: the indexed field, such as Name or Id.
	// An empty SKey is written as SRDIDefaultKey.
	SKey string
	// Value is the indexed value.
	Value string
	// Expiration is how long the entry lives (relative): Forever for
	// ever, <= 0 to remove the entry. An entry read without Expiration
	// gets 0 (JXSE reads -1: both remove).
	Expiration time.Duration
}

// AdvType returns "jxta:GenSRDI".
func (*SRDIMessage) AdvType() string { return TypeSRDI }

// ID returns the publishing peer's ID.
func (m *SRDIMessage) ID() jxta.ID { return m.PeerID.ID }

// IndexFields returns nil: protocol documents are not indexed.
func (*SRDIMessage) IndexFields() []advert.Field { return nil }

// EncodeXML writes PID, PKey, ttl and the entries in JXSE's order (each
// Entry with its Expiration and SKey attributes), then unknown elements.
func (m *SRDIMessage) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument(TypeSRDI, m.Attrs...)
	idElement(w, "PID", m.PeerID.ID)
	textElement(w, "PKey", m.PrimaryKey)
	if m.TTL > 0 {
		intElement(w, "ttl", int64(m.TTL))
	}
	for _, e := range m.Entries {
		key := e.SKey
		if key == "" {
			key = SRDIDefaultKey
		}
		w.Start("Entry", millisAttrValue("Expiration", e.Expiration), xmldoc.Attr{Key: "SKey", Value: key})
		w.Text(e.Value)
		w.End("Entry")
	}
	writeUnknown(w, &m.Unknown)
	w.End(TypeSRDI)
}

// decodeSRDIMessage reads an index push: PID and PKey are required (an
// index without them is useless), ttl is not negative.
func decodeSRDIMessage(d *advert.Decoder, root *etree.Element) (advert.Advertisement, error) {
	m := &SRDIMessage{}
	keepRootAttrs(&m.Unknown, root)
	for e := range root.ChildElementsSeq() {
		switch xmldoc.FullName(e.Space, e.Tag) {
		case "PID":
			m.PeerID = requiredPeerID(d, e)
		case "PKey":
			m.PrimaryKey = advert.Text(e)
		case "ttl":
			if v, ok := intText(d, e, 0, maxInt32); ok {
				m.TTL = int(v)
			}
		case "Entry":
			entry := SRDIEntry{SKey: e.SelectAttrValue("SKey", SRDIDefaultKey), Value: advert.Text(e)}
			if strings.TrimSpace(entry.SKey) == "" {
				entry.SKey = SRDIDefaultKey
			}
			entry.Expiration, _ = millisAttr(d, e, "Expiration")
			m.Entries = append(m.Entries, entry)
		default:
			m.Elements = append(m.Elements, e)
		}
	}
	switch {
	case m.PeerID.IsNull():
		d.Missing(root, "PID")
	case m.PrimaryKey == "":
		d.Missing(root, "PKey")
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return m, nil
}
