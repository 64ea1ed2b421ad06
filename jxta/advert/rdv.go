package advert

import (
	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// RdvAdv is a rendezvous advertisement (jxta:RdvAdvertisement): a peer
// acting as rendezvous for a group, and the route to reach it.
type RdvAdv struct {
	GroupID jxta.GroupID // RdvGroupId
	PeerID  jxta.PeerID  // RdvPeerId
	// ServiceName is the peer view's name, an opaque string (JXSE writes
	// the rendezvous class ID followed by the group's unique value).
	ServiceName string // RdvServiceName
	Name        string
	Route       *RouteAdv // RdvRoute
	Unknown
}

// AdvType returns "jxta:RdvAdvertisement".
func (*RdvAdv) AdvType() string { return "jxta:RdvAdvertisement" }

// ID returns the rendezvous peer's ID.
func (r *RdvAdv) ID() jxta.ID { return r.PeerID.ID }

// IndexFields returns RdvPeerId, RdvServiceName and RdvGroupId.
func (r *RdvAdv) IndexFields() []Field {
	return fields("RdvPeerId", idText(r.PeerID.ID), "RdvServiceName", r.ServiceName, "RdvGroupId", idText(r.GroupID.ID))
}

// EncodeXML writes RdvGroupId, RdvPeerId, RdvServiceName, Name and
// RdvRoute.
func (r *RdvAdv) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument("jxta:RdvAdvertisement", r.Attrs...)
	w.TextElementOf("RdvGroupId", r.GroupID)
	w.TextElementOf("RdvPeerId", r.PeerID)
	w.TextElement("RdvServiceName", r.ServiceName)
	textElement(w, "Name", r.Name)
	if r.Route != nil {
		w.Start("RdvRoute")
		r.Route.EncodeXML(w)
		w.End("RdvRoute")
	}
	r.Unknown.encode(w)
	w.End("jxta:RdvAdvertisement")
}

func decodeRdvAdv(d *Decoder, root *etree.Element) (Advertisement, error) {
	r := &RdvAdv{}
	r.keepAttrs(root)
	for c := range root.ChildElementsSeq() {
		switch xmldoc.FullName(c.Space, c.Tag) {
		case "RdvGroupId":
			r.GroupID = d.GroupID(c)
		case "RdvPeerId":
			r.PeerID = d.PeerID(c)
		case "RdvServiceName":
			r.ServiceName = Text(c)
		case "Name":
			r.Name = Text(c)
		case "RdvRoute":
			if ra := c.SelectElement("jxta:RA"); ra != nil {
				if a, err := d.Nested(ra); err == nil {
					r.Route, _ = a.(*RouteAdv)
				}
			}
			if r.Route == nil {
				r.keep(c)
			}
		default:
			r.keep(c)
		}
	}
	switch {
	case r.GroupID.IsNull():
		d.Missing(root, "RdvGroupId")
	case r.PeerID.IsNull():
		d.Missing(root, "RdvPeerId")
	case r.ServiceName == "":
		d.Missing(root, "RdvServiceName")
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return r, nil
}
