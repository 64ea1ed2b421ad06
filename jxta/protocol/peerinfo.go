package protocol

import (
	"math"
	"time"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// PeerInfoQueryMessage is a Peer Information Protocol query
// (jxta:PeerInfoQueryMessage), sent through the resolver to the peer
// information handler.
type PeerInfoQueryMessage struct {
	SourcePeerID jxta.PeerID // sourcePid: the querier
	TargetPeerID jxta.PeerID // targetPid: the peer asked
	// Request is the element wrapped by <request>, or nil for the
	// general peer information. As in JXSE only the first element inside
	// <request> is kept.
	Request *etree.Element
	advert.Unknown
}

// AdvType returns "jxta:PeerInfoQueryMessage".
func (*PeerInfoQueryMessage) AdvType() string { return TypePeerInfoQuery }

// ID returns the Null ID.
func (*PeerInfoQueryMessage) ID() jxta.ID { return jxta.NullID }

// IndexFields returns nil: protocol documents are not indexed.
func (*PeerInfoQueryMessage) IndexFields() []advert.Field { return nil }

// EncodeXML writes sourcePid, targetPid and request in JXSE's order, then
// unknown elements.
func (q *PeerInfoQueryMessage) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument(TypePeerInfoQuery, q.Attrs...)
	w.TextElementOf("sourcePid", q.SourcePeerID)
	w.TextElementOf("targetPid", q.TargetPeerID)
	wrapped(w, "request", q.Request)
	writeUnknown(w, &q.Unknown)
	w.End(TypePeerInfoQuery)
}

// wrapped writes <name>e</name> unless e is nil.
func wrapped(w *xmldoc.Writer, name string, e *etree.Element) {
	if e == nil {
		return
	}
	w.Start(name)
	w.Element(e)
	w.End(name)
}

// firstChild returns the first element inside e, or nil.
func firstChild(e *etree.Element) *etree.Element {
	if c := e.ChildElements(); len(c) > 0 {
		return c[0]
	}
	return nil
}

// decodePeerInfoQuery reads a query: both peer IDs are required.
func decodePeerInfoQuery(d *advert.Decoder, root *etree.Element) (advert.Advertisement, error) {
	q := &PeerInfoQueryMessage{}
	keepRootAttrs(&q.Unknown, root)
	for e := range root.ChildElementsSeq() {
		switch xmldoc.FullName(e.Space, e.Tag) {
		case "sourcePid":
			q.SourcePeerID = requiredPeerID(d, e)
		case "targetPid":
			q.TargetPeerID = requiredPeerID(d, e)
		case "request":
			q.Request = firstChild(e)
		default:
			q.Elements = append(q.Elements, e)
		}
	}
	switch {
	case q.SourcePeerID.IsNull():
		d.Missing(root, "sourcePid")
	case q.TargetPeerID.IsNull():
		d.Missing(root, "targetPid")
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return q, nil
}

// PeerInfoResponseMessage is a Peer Information Protocol response
// (jxta:PeerInfoResponseMessage).
type PeerInfoResponseMessage struct {
	SourcePeerID jxta.PeerID // sourcePid: the peer answering
	TargetPeerID jxta.PeerID // targetPid: the querier
	// Response is the element wrapped by <response>, or nil (only the
	// first element inside <response> is kept, as in JXSE).
	Response *etree.Element
	// Uptime is how long the peer information service has run.
	Uptime time.Duration
	// Timestamp is when the response was made (ms since the epoch on the
	// wire; the zero time is written as 0).
	Timestamp time.Time
	// Traffic is the specification's traffic report, kept as received;
	// JXSE 2.x neither writes nor reads it.
	Traffic *etree.Element
	advert.Unknown
}

// AdvType returns "jxta:PeerInfoResponseMessage".
func (*PeerInfoResponseMessage) AdvType() string { return TypePeerInfoResponse }

// ID returns the Null ID.
func (*PeerInfoResponseMessage) ID() jxta.ID { return jxta.NullID }

// IndexFields returns nil: protocol documents are not indexed.
func (*PeerInfoResponseMessage) IndexFields() []advert.Field { return nil }

// EncodeXML writes sourcePid, targetPid, response, uptime and timestamp in
// JXSE's order, then traffic and unknown elements.
func (r *PeerInfoResponseMessage) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument(TypePeerInfoResponse, r.Attrs...)
	w.TextElementOf("sourcePid", r.SourcePeerID)
	w.TextElementOf("targetPid", r.TargetPeerID)
	wrapped(w, "response", r.Response)
	intElement(w, "uptime", durationToMillis(r.Uptime))
	var ts int64
	if !r.Timestamp.IsZero() {
		ts = r.Timestamp.UnixMilli()
	}
	intElement(w, "timestamp", ts)
	w.Element(r.Traffic)
	writeUnknown(w, &r.Unknown)
	w.End(TypePeerInfoResponse)
}

// decodePeerInfoResponse reads a response: both peer IDs are required,
// uptime and timestamp are not negative.
func decodePeerInfoResponse(d *advert.Decoder, root *etree.Element) (advert.Advertisement, error) {
	r := &PeerInfoResponseMessage{}
	keepRootAttrs(&r.Unknown, root)
	for e := range root.ChildElementsSeq() {
		switch xmldoc.FullName(e.Space, e.Tag) {
		case "sourcePid":
			r.SourcePeerID = requiredPeerID(d, e)
		case "targetPid":
			r.TargetPeerID = requiredPeerID(d, e)
		case "response":
			r.Response = firstChild(e)
		case "uptime":
			if v, ok := intText(d, e, 0, math.MaxInt64); ok {
				r.Uptime = millisToDuration(v)
			}
		case "timestamp":
			if v, ok := intText(d, e, 0, math.MaxInt64); ok && v != 0 {
				r.Timestamp = time.UnixMilli(v)
			}
		case "traffic":
			r.Traffic = e
		default:
			r.Elements = append(r.Elements, e)
		}
	}
	switch {
	case r.SourcePeerID.IsNull():
		d.Missing(root, "sourcePid")
	case r.TargetPeerID.IsNull():
		d.Missing(root, "targetPid")
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return r, nil
}
