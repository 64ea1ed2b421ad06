package protocol

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// The rendezvous lease documents are JXTA-C's optional lease protocol
// (reference c.5): JXSE leases with plain message elements (Connect,
// ConnectedPeer, ConnectedLease, RdvAdvReply) instead. Values are typed
// where JXTA-C gives them a meaning; credentials and options stay element
// trees.

// LeaseAdv is a peer advertisement stored in a lease document under
// another element name (ClientAdv, ServerAdv, ReferralAdv) with
// type="jxta:PA", its generation and its expiration as attributes.
type LeaseAdv struct {
	Adv *advert.PeerAdv
	// Gen (adv_gen) is the UUID JXTA-C gives each version of the
	// advertisement, or "".
	Gen string
	// Expiration (expiration) is how long the advertisement may be kept;
	// 0 when the attribute is absent.
	Expiration time.Duration
}

// The attributes of LeaseAdv elements, which are not the PA's own.
var leaseAdvAttrs = []string{"adv_gen", "expiration"}

// decodeLeaseAdv reads e as a renamed peer advertisement.
func decodeLeaseAdv(d *advert.Decoder, e *etree.Element) *LeaseAdv {
	src := e
	switch t := e.SelectAttrValue("type", ""); t {
	case "jxta:PA":
	case "":
		src = e.Copy()
		src.CreateAttr("type", "jxta:PA")
	default:
		d.Failf(e, "type %q, want a peer advertisement (jxta:PA)", shorten(t))
		return nil
	}
	a, err := d.Nested(src)
	if err != nil {
		return nil
	}
	pa, ok := a.(*advert.PeerAdv)
	if !ok {
		d.Fail(e, fmt.Errorf("%w: want a peer advertisement, read %T", advert.ErrWrongType, a))
		return nil
	}
	pa.Attrs = slices.DeleteFunc(pa.Attrs, func(a xmldoc.Attr) bool { return contains(leaseAdvAttrs, a.Key) })
	la := &LeaseAdv{Adv: pa, Gen: strings.TrimSpace(e.SelectAttrValue("adv_gen", ""))}
	la.Expiration, _ = millisAttr(d, e, "expiration")
	return la
}

// writeLeaseAdv writes la as element name, as JXTA-C does: the PA's
// children under <name type="jxta:PA" adv_gen=... expiration=...>.
func writeLeaseAdv(w *xmldoc.Writer, name string, la *LeaseAdv) {
	if la == nil || la.Adv == nil {
		return
	}
	el, err := advert.Element(la.Adv)
	if err != nil {
		return // cannot happen: the PA's own output does not parse
	}
	el.Space, el.Tag, el.Attr = "", name, nil
	el.CreateAttr("type", "jxta:PA")
	if la.Gen != "" {
		el.CreateAttr("adv_gen", la.Gen)
	}
	if la.Expiration != 0 {
		el.CreateAttr("expiration", strconv.FormatInt(durationToMillis(la.Expiration), 10))
	}
	for _, a := range la.Adv.Attrs {
		el.CreateAttr(a.Key, a.Value)
	}
	w.Element(el)
}

// leaseAttr reads a lease duration attribute (ms): JXTA-C writes -1, or
// leaves the attribute out, for "not specified", which reads as 0. Other
// negative values are refused.
func leaseAttr(d *advert.Decoder, e *etree.Element, key string) time.Duration {
	v, ok := intAttr(d, e, key, -1, math.MaxInt64)
	if !ok || v < 0 {
		return 0
	}
	return millisToDuration(v)
}

// LeaseRequest is JXTA-C's rendezvous lease request (jxta:LeaseRequest).
type LeaseRequest struct {
	// ClientID (client_id) is the peer asking for a lease. Required.
	ClientID jxta.PeerID
	// RequestedLease (requested_lease) is the lease length asked for; 0
	// when not specified.
	RequestedLease time.Duration
	// ServerAdvGen (server_adv_gen) is the generation of the rendezvous
	// advertisement the client holds, or "".
	ServerAdvGen string
	// ReferralAdvs (referral_advs) is how many other rendezvous
	// advertisements the client would like.
	ReferralAdvs int
	// Credential is the client's credential element (JXTA-C names it
	// Credential), or nil.
	Credential *etree.Element
	// ClientAdv is the client's peer advertisement, or nil. Its peer ID is
	// ClientID and it has a positive expiration (JXTA-C's rules).
	ClientAdv *LeaseAdv
	// Options are the Option elements (type="jxta:PeerViewOptions",
	// "jxta:RdvLeaseOptions"...), as received.
	Options []*etree.Element
	advert.Unknown
}

// AdvType returns "jxta:LeaseRequest".
func (*LeaseRequest) AdvType() string { return TypeLeaseRequest }

// ID returns the client's peer ID.
func (r *LeaseRequest) ID() jxta.ID { return r.ClientID.ID }

// IndexFields returns nil: protocol documents are not indexed.
func (*LeaseRequest) IndexFields() []advert.Field { return nil }

// EncodeXML writes the request with JXTA-C's attributes, then Credential,
// ClientAdv, the options and unknown elements.
func (r *LeaseRequest) EncodeXML(w *xmldoc.Writer) {
	attrs := []xmldoc.Attr{{Key: "client_id", Value: r.ClientID.String()}}
	if r.RequestedLease > 0 {
		attrs = append(attrs, millisAttrValue("requested_lease", r.RequestedLease))
	}
	if r.ServerAdvGen != "" {
		attrs = append(attrs, xmldoc.Attr{Key: "server_adv_gen", Value: r.ServerAdvGen})
	}
	if r.ReferralAdvs > 0 {
		attrs = append(attrs, xmldoc.Attr{Key: "referral_advs", Value: strconv.Itoa(r.ReferralAdvs)})
	}
	w.StartDocument(TypeLeaseRequest, append(attrs, r.Attrs...)...)
	w.Element(r.Credential)
	writeLeaseAdv(w, "ClientAdv", r.ClientAdv)
	for _, o := range r.Options {
		w.Element(o)
	}
	writeUnknown(w, &r.Unknown)
	w.End(TypeLeaseRequest)
}

// decodeLeaseRequest reads a request with JXTA-C's rules: client_id is
// required, a ClientAdv is the client's and has a positive expiration.
func decodeLeaseRequest(d *advert.Decoder, root *etree.Element) (advert.Advertisement, error) {
	r := &LeaseRequest{}
	keepRootAttrs(&r.Unknown, root, "client_id", "requested_lease", "server_adv_gen", "referral_advs")
	r.ClientID = attrPeerID(d, root, "client_id")
	r.RequestedLease = leaseAttr(d, root, "requested_lease")
	r.ServerAdvGen = strings.TrimSpace(root.SelectAttrValue("server_adv_gen", ""))
	if v, ok := intAttr(d, root, "referral_advs", 0, maxInt32); ok {
		r.ReferralAdvs = int(v)
	}
	var advElem *etree.Element
	for e := range root.ChildElementsSeq() {
		switch xmldoc.FullName(e.Space, e.Tag) {
		case "Credential", "jxta:Cred":
			r.Credential = e
		case "ClientAdv":
			advElem = e
			r.ClientAdv = decodeLeaseAdv(d, e)
		case "Option":
			r.Options = append(r.Options, e)
		default:
			r.Elements = append(r.Elements, e)
		}
	}
	switch {
	case r.ClientID.IsNull():
		d.Fail(root, fmt.Errorf("%w client_id", ErrMissingAttr))
	case r.ClientAdv == nil:
	case r.ClientAdv.Adv.PeerID != r.ClientID:
		d.Failf(advElem, "peer advertisement of %s in a lease request from %s", r.ClientAdv.Adv.PeerID, r.ClientID)
	case r.ClientAdv.Expiration <= 0:
		d.Failf(advElem, "the client advertisement needs a positive expiration")
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

// LeaseResponse is JXTA-C's rendezvous lease grant (jxta:LeaseResponse).
type LeaseResponse struct {
	// ServerID (server_id) is the rendezvous peer. Required.
	ServerID jxta.PeerID
	// OfferedLease (offered_lease) is the lease granted; 0 when not
	// specified.
	OfferedLease time.Duration
	// Credential is the rendezvous' credential element, or nil.
	Credential *etree.Element
	// Server (ServerAdv) is the rendezvous' peer advertisement, or nil.
	Server *LeaseAdv
	// Referrals (ReferralAdv) are advertisements of other rendezvous.
	Referrals []LeaseAdv
	// Options are the Option elements, as received.
	Options []*etree.Element
	advert.Unknown
}

// AdvType returns "jxta:LeaseResponse".
func (*LeaseResponse) AdvType() string { return TypeLeaseResponse }

// ID returns the rendezvous' peer ID.
func (r *LeaseResponse) ID() jxta.ID { return r.ServerID.ID }

// IndexFields returns nil: protocol documents are not indexed.
func (*LeaseResponse) IndexFields() []advert.Field { return nil }

// EncodeXML writes the response with JXTA-C's attributes, then
// Credential, ServerAdv, the ReferralAdvs, the options and unknown
// elements.
func (r *LeaseResponse) EncodeXML(w *xmldoc.Writer) {
	attrs := []xmldoc.Attr{{Key: "server_id", Value: r.ServerID.String()}}
	if r.OfferedLease > 0 {
		attrs = append(attrs, millisAttrValue("offered_lease", r.OfferedLease))
	}
	w.StartDocument(TypeLeaseResponse, append(attrs, r.Attrs...)...)
	w.Element(r.Credential)
	writeLeaseAdv(w, "ServerAdv", r.Server)
	for i := range r.Referrals {
		writeLeaseAdv(w, "ReferralAdv", &r.Referrals[i])
	}
	for _, o := range r.Options {
		w.Element(o)
	}
	writeUnknown(w, &r.Unknown)
	w.End(TypeLeaseResponse)
}

// decodeLeaseResponse reads a lease grant: server_id is required.
func decodeLeaseResponse(d *advert.Decoder, root *etree.Element) (advert.Advertisement, error) {
	r := &LeaseResponse{}
	keepRootAttrs(&r.Unknown, root, "server_id", "offered_lease")
	r.ServerID = attrPeerID(d, root, "server_id")
	r.OfferedLease = leaseAttr(d, root, "offered_lease")
	for e := range root.ChildElementsSeq() {
		switch xmldoc.FullName(e.Space, e.Tag) {
		case "Credential", "jxta:Cred":
			r.Credential = e
		case "ServerAdv":
			r.Server = decodeLeaseAdv(d, e)
		case "ReferralAdv":
			if la := decodeLeaseAdv(d, e); la != nil {
				r.Referrals = append(r.Referrals, *la)
			}
		case "Option":
			r.Options = append(r.Options, e)
		default:
			r.Elements = append(r.Elements, e)
		}
	}
	if r.ServerID.IsNull() {
		d.Fail(root, fmt.Errorf("%w server_id", ErrMissingAttr))
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return r, nil
}
