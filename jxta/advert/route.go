package advert

import (
	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// RouteAdv is a route advertisement (jxta:RA): how to reach a peer, either
// directly at the addresses of Dst or through the peers of Hops, in order
// from the next hop to the destination.
type RouteAdv struct {
	DstPeerID jxta.PeerID     // DstPID
	Dst       *AccessPointAdv // the destination's own addresses
	Hops      []*AccessPointAdv
	Unknown
}

// AdvType returns "jxta:RA".
func (*RouteAdv) AdvType() string { return "jxta:RA" }

// ID returns the destination peer's ID.
func (r *RouteAdv) ID() jxta.ID { return r.DstPeerID.ID }

// IndexFields returns DstPID.
func (r *RouteAdv) IndexFields() []Field { return fields("DstPID", idText(r.DstPeerID.ID)) }

// EncodeXML writes DstPID, Dst (an APA without PID, as JXSE writes it) and
// Hops.
func (r *RouteAdv) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument("jxta:RA", r.Attrs...)
	idElement(w, "DstPID", r.DstPeerID.ID)
	w.Start("Dst")
	dst := AccessPointAdv{}
	if r.Dst != nil {
		dst = *r.Dst
		dst.PeerID = jxta.PeerID{}
	}
	dst.EncodeXML(w)
	w.End("Dst")
	if len(r.Hops) > 0 {
		w.Start("Hops")
		for _, h := range r.Hops {
			h.EncodeXML(w)
		}
		w.End("Hops")
	}
	r.Unknown.encode(w)
	w.End("jxta:RA")
}

func decodeRouteAdv(d *Decoder, root *etree.Element) (Advertisement, error) {
	r := &RouteAdv{}
	r.keepAttrs(root)
	for c := range root.ChildElementsSeq() {
		switch xmldoc.FullName(c.Space, c.Tag) {
		case "DstPID":
			r.DstPeerID = d.PeerID(c)
		case "Dst":
			if apa := c.SelectElement("jxta:APA"); apa != nil {
				if a, err := d.Nested(apa); err == nil {
					r.Dst, _ = a.(*AccessPointAdv)
				}
			}
		case "Hops":
			for _, apa := range c.SelectElements("jxta:APA") {
				if a, err := d.Nested(apa); err == nil {
					if h, ok := a.(*AccessPointAdv); ok {
						r.Hops = append(r.Hops, h)
					}
				}
			}
		default:
			r.keep(c)
		}
	}
	if r.Dst == nil {
		r.Dst = &AccessPointAdv{}
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return r, nil
}
