package protocol

import (
	"fmt"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// DefaultThreshold is the number of results per responding peer a
// discovery query asks for when it does not say (JXSE's default).
const DefaultThreshold = 10

// DiscoveryQuery is a Peer Discovery Protocol query (jxta:DiscoveryQuery),
// sent as the Query of a resolver query to the discovery handler.
type DiscoveryQuery struct {
	// Type is the category searched: advert.Peers, advert.Groups or
	// advert.Adv (written 0, 1, 2).
	Type advert.Category
	// Threshold is the most results each responding peer returns. Zero is
	// only allowed with Type advert.Peers and asks each peer for its own
	// peer advertisement only. Reading a query without Threshold gives
	// DefaultThreshold.
	Threshold int
	// PeerAdv is the querier's peer advertisement, flattened in the
	// document, or nil.
	PeerAdv *advert.PeerAdv
	// PeerAdvErr is why the PeerAdv element could not be read; PeerAdv is
	// then nil and the element is kept in Unknown (see the package
	// documentation). Only the first PeerAdv element counts; others are
	// kept in Unknown. Validate reports PeerAdvErr.
	PeerAdvErr error
	// PeerAdvText is the flattened text of the PeerAdv element, left
	// unread, when a lazy registry read the query (see NewLazyRegistry
	// and ReadPeerAdv). It is written when PeerAdv is nil.
	PeerAdvText string
	// Attr names the index field to match (Name, Id, PID...), or "" for
	// every advertisement of the category.
	Attr string
	// Value is matched against Attr; * at the start, end or both is a
	// wildcard. It is written only with an Attr; reading a Value without
	// an Attr is an error, as in JXSE.
	Value string
	advert.Unknown
}

// NewDiscoveryQuery returns a query for advertisements of category t whose
// field attr matches value ("" and "" for all), with DefaultThreshold.
func NewDiscoveryQuery(t advert.Category, attr, value string) *DiscoveryQuery {
	return &DiscoveryQuery{Type: t, Threshold: DefaultThreshold, Attr: attr, Value: value}
}

// AdvType returns "jxta:DiscoveryQuery".
func (*DiscoveryQuery) AdvType() string { return TypeDiscoveryQuery }

// ID returns the Null ID.
func (*DiscoveryQuery) ID() jxta.ID { return jxta.NullID }

// IndexFields returns nil: protocol documents are not indexed.
func (*DiscoveryQuery) IndexFields() []advert.Field { return nil }

// EncodeXML writes Type, Threshold, PeerAdv, Attr and Value in JXSE's
// order, then unknown elements.
func (q *DiscoveryQuery) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument(TypeDiscoveryQuery, q.Attrs...)
	intElement(w, "Type", int64(q.Type))
	intElement(w, "Threshold", int64(q.Threshold))
	switch {
	case q.PeerAdv != nil:
		w.TextElement("PeerAdv", Flatten(q.PeerAdv))
	case q.PeerAdvText != "":
		w.TextElement("PeerAdv", q.PeerAdvText)
	}
	if attr := strings.TrimSpace(q.Attr); attr != "" {
		w.TextElement("Attr", attr)
		textElement(w, "Value", strings.TrimSpace(q.Value))
	}
	writeUnknown(w, &q.Unknown)
	w.End(TypeDiscoveryQuery)
}

// ReadPeerAdv returns the querier's peer advertisement: PeerAdv (or
// PeerAdvErr), or, when a lazy registry left it unread, what reading
// PeerAdvText with reg gives (nil and no error when there is none).
func (q *DiscoveryQuery) ReadPeerAdv(reg *advert.Registry) (*advert.PeerAdv, error) {
	if q.PeerAdv != nil || q.PeerAdvErr != nil || q.PeerAdvText == "" {
		return q.PeerAdv, q.PeerAdvErr
	}
	if reg == nil {
		reg = defaultRegistry
	}
	pa, err := (&codec{reg: reg}).peerAdv(q.PeerAdvText)
	if err != nil {
		return nil, flatError(TypeDiscoveryQuery, "PeerAdv", err)
	}
	return pa, nil
}

func (q *DiscoveryQuery) check(*advert.Registry, int) error { return q.PeerAdvErr }

// category parses a discovery Type element.
func category(d *advert.Decoder, e *etree.Element) (advert.Category, bool) {
	v, ok := intText(d, e, minInt32, maxInt32)
	if !ok {
		return 0, false
	}
	if v < int64(advert.Peers) || v > int64(advert.Adv) {
		d.Failf(e, "%d is not a discovery type (0 peers, 1 groups, 2 other advertisements)", v)
		return 0, false
	}
	return advert.Category(v), true
}

// isQueryField reports whether tag is an element of a discovery query
// that JXSE ignores when its text is empty.
func isQueryField(tag string) bool {
	switch tag {
	case "Type", "Threshold", "PeerAdv", "Attr", "Value":
		return true
	}
	return false
}

// decodeDiscoveryQuery reads a query with JXSE's rules: elements with
// empty text are ignored, Type is required and 0, 1 or 2, Threshold is not
// negative and is 0 only with Type 0, and a Value needs an Attr.
func (c *codec) decodeDiscoveryQuery(d *advert.Decoder, root *etree.Element) (advert.Advertisement, error) {
	q := &DiscoveryQuery{Threshold: DefaultThreshold}
	keepRootAttrs(&q.Unknown, root)
	var typeElem, thresholdElem, valueElem *etree.Element
	havePeerAdv := false
	for e := range root.ChildElementsSeq() {
		text := advert.Text(e)
		tag := xmldoc.FullName(e.Space, e.Tag)
		if text == "" && !advert.HasChildElements(e) && isQueryField(tag) {
			continue // JXSE ignores elements without a value
		}
		switch tag {
		case "Type":
			typeElem = e
			q.Type, _ = category(d, e)
		case "Threshold":
			thresholdElem = e
			if v, ok := intText(d, e, minInt32, maxInt32); ok {
				q.Threshold = int(v)
			}
		case "PeerAdv":
			if havePeerAdv {
				q.Elements = append(q.Elements, e) // only the first counts
				continue
			}
			havePeerAdv = true
			if c.lazy && !advert.HasChildElements(e) {
				q.PeerAdvText = text
				continue
			}
			q.PeerAdv, q.PeerAdvErr = c.peerAdvElement(TypeDiscoveryQuery, e)
			if q.PeerAdvErr != nil {
				q.Elements = append(q.Elements, e)
			}
		case "Attr":
			q.Attr = text
		case "Value":
			valueElem = e
			q.Value = text
		default:
			q.Elements = append(q.Elements, e)
		}
	}
	switch {
	case typeElem == nil:
		d.Missing(root, "Type")
	case q.Threshold < 0:
		d.Failf(thresholdElem, "threshold %d is negative", q.Threshold)
	case q.Threshold == 0 && q.Type != advert.Peers:
		d.Failf(thresholdElem, "threshold 0 is only allowed in peer queries (Type 0), not with Type %d", q.Type)
	case q.Value != "" && q.Attr == "":
		d.Failf(valueElem, "Value %q without Attr", shorten(q.Value))
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return q, nil
}

// DiscoveryResponse is a Peer Discovery Protocol response
// (jxta:DiscoveryResponse), sent as the Response of a resolver response,
// or unsolicited to publish advertisements remotely.
type DiscoveryResponse struct {
	// Type is the category of the advertisements, echoing the query.
	Type advert.Category
	// PeerAdv is the responder's peer advertisement, or nil.
	PeerAdv *advert.PeerAdv
	// PeerAdvExpiration is the Expiration attribute of PeerAdv; 0 when
	// absent (JXSE does not write it).
	PeerAdvExpiration time.Duration
	// PeerAdvErr is why the PeerAdv element could not be read; see
	// DiscoveryQuery.PeerAdvErr.
	PeerAdvErr error
	// PeerAdvText is the flattened text of the PeerAdv element, left
	// unread, when a lazy registry read the response (see
	// NewLazyRegistry). It is written when PeerAdv is nil.
	PeerAdvText string
	// Attr and Value echo the query. Value is written only with an Attr,
	// and a Value read without an Attr is ignored.
	Attr, Value string
	// Responses are the advertisements found. The Count element is
	// written as their number (and ignored on reading, as JXSE does).
	Responses []Response
	advert.Unknown
}

// Response is one advertisement of a discovery response.
type Response struct {
	// Adv is the advertisement, or nil when it could not be read (Err).
	// Writing uses Adv when it is set, Raw otherwise.
	Adv advert.Advertisement
	// Raw is the flattened text as received (trimmed).
	Raw string
	// Expiration is how long the receiver may keep the advertisement
	// (relative; DefaultExpiration when the attribute is absent). A
	// receiver drops responses whose Expiration is <= 0.
	Expiration time.Duration
	// Err is why Raw could not be read as an advertisement. JXSE skips
	// such responses; so should receivers. Validate reports it.
	Err error
}

// Add appends a response carrying a with the given expiration (see
// ResponseExpiration).
func (r *DiscoveryResponse) Add(a advert.Advertisement, expiration time.Duration) {
	r.Responses = append(r.Responses, Response{Adv: a, Expiration: expiration})
}

// AdvType returns "jxta:DiscoveryResponse".
func (*DiscoveryResponse) AdvType() string { return TypeDiscoveryResponse }

// ID returns the Null ID.
func (*DiscoveryResponse) ID() jxta.ID { return jxta.NullID }

// IndexFields returns nil: protocol documents are not indexed.
func (*DiscoveryResponse) IndexFields() []advert.Field { return nil }

// EncodeXML writes Count, Type, PeerAdv, Attr, Value and the Responses in
// JXSE's order, then unknown elements. Responses with neither Adv nor Raw
// are left out.
func (r *DiscoveryResponse) EncodeXML(w *xmldoc.Writer) {
	type item struct {
		text string
		exp  time.Duration
	}
	items := make([]item, 0, len(r.Responses))
	for _, resp := range r.Responses {
		text := resp.Raw
		if resp.Adv != nil {
			text = Flatten(resp.Adv)
		}
		if text != "" {
			items = append(items, item{text, resp.Expiration})
		}
	}
	w.StartDocument(TypeDiscoveryResponse, r.Attrs...)
	intElement(w, "Count", int64(len(items)))
	intElement(w, "Type", int64(r.Type))
	if r.PeerAdv != nil || r.PeerAdvText != "" {
		var attrs []xmldoc.Attr
		if r.PeerAdvExpiration != 0 {
			attrs = append(attrs, millisAttrValue("Expiration", r.PeerAdvExpiration))
		}
		w.Start("PeerAdv", attrs...)
		if r.PeerAdv != nil {
			w.Text(Flatten(r.PeerAdv))
		} else {
			w.Text(r.PeerAdvText)
		}
		w.End("PeerAdv")
	}
	if attr := strings.TrimSpace(r.Attr); attr != "" {
		w.TextElement("Attr", attr)
		textElement(w, "Value", strings.TrimSpace(r.Value))
	}
	for _, it := range items {
		w.Start("Response", millisAttrValue("Expiration", it.exp))
		w.Text(it.text)
		w.End("Response")
	}
	writeUnknown(w, &r.Unknown)
	w.End(TypeDiscoveryResponse)
}

func (r *DiscoveryResponse) check(*advert.Registry, int) error {
	if r.PeerAdvErr != nil {
		return r.PeerAdvErr
	}
	for _, resp := range r.Responses {
		if resp.Err != nil {
			return resp.Err
		}
	}
	return nil
}

// decodeDiscoveryResponse reads a response. Type is required; each
// Response is read on its own (see Response.Err); an Expiration that is
// not a number fails the whole response, as in JXSE.
func (c *codec) decodeDiscoveryResponse(d *advert.Decoder, root *etree.Element) (advert.Advertisement, error) {
	r := &DiscoveryResponse{}
	keepRootAttrs(&r.Unknown, root)
	haveType, havePeerAdv := false, false
	for e := range root.ChildElementsSeq() {
		text := advert.Text(e)
		switch xmldoc.FullName(e.Space, e.Tag) {
		case "Count":
			// Derived from the Response elements; JXSE ignores it too.
		case "Type":
			haveType = true
			r.Type, _ = category(d, e)
		case "PeerAdv":
			if havePeerAdv {
				r.Elements = append(r.Elements, e) // only the first counts
				continue
			}
			havePeerAdv = true
			if c.lazy && !advert.HasChildElements(e) {
				if r.PeerAdvText = text; text != "" {
					r.PeerAdvExpiration, _ = millisAttr(d, e, "Expiration")
				}
				continue
			}
			r.PeerAdv, r.PeerAdvErr = c.peerAdvElement(TypeDiscoveryResponse, e)
			switch {
			case r.PeerAdvErr != nil:
				r.Elements = append(r.Elements, e)
			case r.PeerAdv != nil:
				r.PeerAdvExpiration, _ = millisAttr(d, e, "Expiration")
			}
		case "Attr":
			r.Attr = text
		case "Value":
			r.Value = text
		case "Response":
			if text == "" {
				continue // JXSE discards empty responses
			}
			resp := Response{Raw: text, Expiration: DefaultExpiration}
			if exp, ok := millisAttr(d, e, "Expiration"); ok {
				resp.Expiration = exp
			}
			a, err := c.advertisement(text)
			if err != nil {
				resp.Err = &advert.Error{DocType: TypeDiscoveryResponse, Element: "Response",
					Err: fmt.Errorf("flattened document %d: %w", len(r.Responses)+1, err)}
			} else {
				resp.Adv = a
			}
			r.Responses = append(r.Responses, resp)
		default:
			r.Elements = append(r.Elements, e)
		}
	}
	if !haveType {
		d.Missing(root, "Type")
	}
	if r.Attr == "" {
		r.Value = "" // an echo without Attr means nothing; JXSE does not write it
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return r, nil
}
