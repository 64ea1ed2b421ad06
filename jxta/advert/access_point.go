package advert

import (
	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// AccessPointAdv is an access point advertisement (jxta:APA): the endpoint
// addresses of one peer, in order of preference.
type AccessPointAdv struct {
	PeerID    jxta.PeerID // PID; omitted where the context names the peer
	Addresses []string    // EA
	Unknown
}

// AdvType returns "jxta:APA".
func (*AccessPointAdv) AdvType() string { return "jxta:APA" }

// ID returns the peer ID.
func (a *AccessPointAdv) ID() jxta.ID { return a.PeerID.ID }

// IndexFields returns PID.
func (a *AccessPointAdv) IndexFields() []Field { return fields("PID", idText(a.PeerID.ID)) }

// EncodeXML writes PID (if set) and the EA list.
func (a *AccessPointAdv) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument("jxta:APA", a.Attrs...)
	idElement(w, "PID", a.PeerID.ID)
	for _, ea := range a.Addresses {
		w.TextElement("EA", ea)
	}
	a.Unknown.encode(w)
	w.End("jxta:APA")
}

func decodeAccessPointAdv(d *Decoder, root *etree.Element) (Advertisement, error) {
	a := &AccessPointAdv{}
	a.keepAttrs(root)
	for c := range root.ChildElementsSeq() {
		switch xmldoc.FullName(c.Space, c.Tag) {
		case "PID":
			a.PeerID = d.PeerID(c)
		case "EA":
			if s := Text(c); s != "" {
				a.Addresses = append(a.Addresses, s)
			}
		default:
			a.keep(c)
		}
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return a, nil
}
