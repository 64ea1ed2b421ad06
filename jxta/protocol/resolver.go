package protocol

import (
	"fmt"
	"math"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// ResolverQuery is a Peer Resolver Protocol query (jxta:ResolverQuery):
// a flattened query document for the handler HandlerName. It travels in
// the message element named <group unique value>ORes.
type ResolverQuery struct {
	// HandlerName names the handler the query is for: the discovery
	// service's assigned ID, JxtaPipeResolver, EndpointRouter...
	HandlerName string
	// Credential is the sender's credential element (jxta:Cred, or
	// Credential from old JXTA-C peers) as received, or nil.
	Credential *etree.Element
	// QueryID matches responses to queries. JXSE reads it as a 32-bit int:
	// queries sent to JXSE peers must keep it in that range.
	QueryID int64
	// HopCount (HC) is incremented each time the query is forwarded.
	HopCount int
	// SrcPeerID is the querier. Reading a query without SrcPeerID takes
	// the destination of SrcPeerRoute, as JXSE does.
	SrcPeerID jxta.PeerID
	// SrcPeerRoute is the querier's route, or nil.
	SrcPeerRoute *advert.RouteAdv
	// Query is the query document, flattened (see Unflatten).
	Query string
	advert.Unknown
}

// AdvType returns "jxta:ResolverQuery".
func (*ResolverQuery) AdvType() string { return TypeResolverQuery }

// ID returns the Null ID.
func (*ResolverQuery) ID() jxta.ID { return jxta.NullID }

// IndexFields returns nil: protocol documents are not indexed.
func (*ResolverQuery) IndexFields() []advert.Field { return nil }

// Source returns the querier: SrcPeerID, or the destination of
// SrcPeerRoute when SrcPeerID is not set.
func (q *ResolverQuery) Source() jxta.PeerID {
	if q.SrcPeerID.IsNull() && q.SrcPeerRoute != nil {
		return q.SrcPeerRoute.DstPeerID
	}
	return q.SrcPeerID
}

// MakeResponse returns a response to q carrying the flattened document
// response, with q's handler name and query ID (JXSE makeResponse).
func (q *ResolverQuery) MakeResponse(response string) *ResolverResponse {
	return &ResolverResponse{HandlerName: q.HandlerName, QueryID: q.QueryID, Response: response}
}

// EncodeXML writes HandlerName, the credential, QueryID, HC, SrcPeerID,
// SrcPeerRoute and Query in JXSE's order, then unknown elements.
func (q *ResolverQuery) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument(TypeResolverQuery, q.Attrs...)
	w.TextElement("HandlerName", q.HandlerName)
	w.Element(q.Credential)
	intElement(w, "QueryID", q.QueryID)
	intElement(w, "HC", int64(q.HopCount))
	idElement(w, "SrcPeerID", q.Source().ID)
	if q.SrcPeerRoute != nil {
		w.Start("SrcPeerRoute")
		q.SrcPeerRoute.EncodeXML(w)
		w.End("SrcPeerRoute")
	}
	w.TextElement("Query", q.Query)
	writeUnknown(w, &q.Unknown)
	w.End(TypeResolverQuery)
}

func (q *ResolverQuery) check(reg *advert.Registry, depth int) error {
	return checkFlattened[advert.Advertisement](reg, TypeResolverQuery, "Query", q.Query, depth)
}

// decodeResolverQuery reads a query: HandlerName and Query are required,
// and a source, from SrcPeerID or SrcPeerRoute; when both are given they
// must agree. A hop count is never negative. A route without a
// destination is ignored, as JXSE does (and kept as an unknown element).
func decodeResolverQuery(d *advert.Decoder, root *etree.Element) (advert.Advertisement, error) {
	q := &ResolverQuery{}
	keepRootAttrs(&q.Unknown, root)
	var srcElem *etree.Element
	for e := range root.ChildElementsSeq() {
		switch tag := xmldoc.FullName(e.Space, e.Tag); {
		case tag == "HandlerName":
			q.HandlerName = advert.Text(e)
		case isCredential(e):
			q.Credential = e
		case tag == "QueryID":
			q.QueryID, _ = intText(d, e, math.MinInt64, math.MaxInt64)
		case tag == "HC":
			if v, ok := intText(d, e, minInt32, maxInt32); ok {
				if v < 0 {
					d.Failf(e, "hop count %d is negative", v)
				}
				q.HopCount = int(v)
			}
		case tag == "SrcPeerID":
			if advert.Text(e) != "" {
				q.SrcPeerID = d.PeerID(e)
				srcElem = e
			}
		case tag == "SrcPeerRoute":
			if route := decodeRoute(d, e); route != nil {
				q.SrcPeerRoute = route
			} else {
				q.Elements = append(q.Elements, e)
			}
		case tag == "Query":
			q.Query = advert.Text(e)
		default:
			q.Elements = append(q.Elements, e)
		}
	}
	switch {
	case q.HandlerName == "":
		d.Missing(root, "HandlerName")
	case q.Query == "":
		d.Missing(root, "Query")
	case q.SrcPeerID.IsNull() && q.SrcPeerRoute == nil:
		d.Missing(root, "SrcPeerID")
	case q.SrcPeerRoute != nil && !q.SrcPeerID.IsNull() && q.SrcPeerID != q.SrcPeerRoute.DstPeerID:
		d.Failf(srcElem, "SrcPeerID %s is not the destination %s of SrcPeerRoute", q.SrcPeerID, q.SrcPeerRoute.DstPeerID)
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	q.SrcPeerID = q.Source()
	return q, nil
}

// decodeRoute reads the jxta:RA held by e, returning nil when there is
// none or it has no destination (errors in the route are recorded in d).
func decodeRoute(d *advert.Decoder, e *etree.Element) *advert.RouteAdv {
	ra := e.SelectElement("jxta:RA")
	if ra == nil {
		return nil
	}
	a, err := d.Nested(ra)
	if err != nil {
		return nil
	}
	route, ok := a.(*advert.RouteAdv)
	if !ok {
		d.Fail(ra, fmt.Errorf("%w: want a route advertisement, read %T", advert.ErrWrongType, a))
		return nil
	}
	if route.DstPeerID.IsNull() {
		return nil
	}
	return route
}

// ResolverResponse is a Peer Resolver Protocol response
// (jxta:ResolverResponse): a flattened response document for the handler
// HandlerName, answering the query QueryID. It travels in the message
// element named <group unique value>IRes.
type ResolverResponse struct {
	HandlerName string
	// Credential is the responder's credential element as received, or
	// nil.
	Credential *etree.Element
	QueryID    int64
	// Response is the response document, flattened (see Unflatten).
	Response string
	// Unknown keeps, among others, the specification's ResPeerID, which
	// JXSE neither writes nor reads.
	advert.Unknown
}

// AdvType returns "jxta:ResolverResponse".
func (*ResolverResponse) AdvType() string { return TypeResolverResponse }

// ID returns the Null ID.
func (*ResolverResponse) ID() jxta.ID { return jxta.NullID }

// IndexFields returns nil: protocol documents are not indexed.
func (*ResolverResponse) IndexFields() []advert.Field { return nil }

// EncodeXML writes HandlerName, the credential, QueryID and Response in
// JXSE's order, then unknown elements.
func (r *ResolverResponse) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument(TypeResolverResponse, r.Attrs...)
	w.TextElement("HandlerName", r.HandlerName)
	w.Element(r.Credential)
	intElement(w, "QueryID", r.QueryID)
	w.TextElement("Response", r.Response)
	writeUnknown(w, &r.Unknown)
	w.End(TypeResolverResponse)
}

func (r *ResolverResponse) check(reg *advert.Registry, depth int) error {
	return checkFlattened[advert.Advertisement](reg, TypeResolverResponse, "Response", r.Response, depth)
}

// decodeResolverResponse reads a response: HandlerName and Response are
// required.
func decodeResolverResponse(d *advert.Decoder, root *etree.Element) (advert.Advertisement, error) {
	r := &ResolverResponse{}
	keepRootAttrs(&r.Unknown, root)
	for e := range root.ChildElementsSeq() {
		switch tag := xmldoc.FullName(e.Space, e.Tag); {
		case tag == "HandlerName":
			r.HandlerName = advert.Text(e)
		case isCredential(e):
			r.Credential = e
		case tag == "QueryID":
			r.QueryID, _ = intText(d, e, math.MinInt64, math.MaxInt64)
		case tag == "Response":
			r.Response = advert.Text(e)
		default:
			r.Elements = append(r.Elements, e)
		}
	}
	switch {
	case r.HandlerName == "":
		d.Missing(root, "HandlerName")
	case r.Response == "":
		d.Missing(root, "Response")
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// ResolverSRDI is a resolver SRDI message (jxta:ResolverSRDI): an index
// push (a flattened jxta:GenSRDI, see SRDIMessage) for the handler
// HandlerName. It travels in the message element named
// <group unique value>Srdi.
type ResolverSRDI struct {
	HandlerName string
	// Credential is the sender's credential element as received, or nil.
	Credential *etree.Element
	// Payload is the SRDI message, flattened.
	Payload string
	advert.Unknown
}

// AdvType returns "jxta:ResolverSRDI".
func (*ResolverSRDI) AdvType() string { return TypeResolverSRDI }

// ID returns the Null ID.
func (*ResolverSRDI) ID() jxta.ID { return jxta.NullID }

// IndexFields returns nil: protocol documents are not indexed.
func (*ResolverSRDI) IndexFields() []advert.Field { return nil }

// EncodeXML writes HandlerName, the credential and Payload in JXSE's
// order, then unknown elements.
func (s *ResolverSRDI) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument(TypeResolverSRDI, s.Attrs...)
	w.TextElement("HandlerName", s.HandlerName)
	w.Element(s.Credential)
	w.TextElement("Payload", s.Payload)
	writeUnknown(w, &s.Unknown)
	w.End(TypeResolverSRDI)
}

func (s *ResolverSRDI) check(reg *advert.Registry, depth int) error {
	return checkFlattened[*SRDIMessage](reg, TypeResolverSRDI, "Payload", s.Payload, depth)
}

// decodeResolverSRDI reads an SRDI message: HandlerName and Payload are
// required.
func decodeResolverSRDI(d *advert.Decoder, root *etree.Element) (advert.Advertisement, error) {
	s := &ResolverSRDI{}
	keepRootAttrs(&s.Unknown, root)
	for e := range root.ChildElementsSeq() {
		switch tag := xmldoc.FullName(e.Space, e.Tag); {
		case tag == "HandlerName":
			s.HandlerName = advert.Text(e)
		case isCredential(e):
			s.Credential = e
		case tag == "Payload":
			s.Payload = advert.Text(e)
		default:
			s.Elements = append(s.Elements, e)
		}
	}
	switch {
	case s.HandlerName == "":
		d.Missing(root, "HandlerName")
	case s.Payload == "":
		d.Missing(root, "Payload")
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return s, nil
}
