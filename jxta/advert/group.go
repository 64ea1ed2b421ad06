package advert

import (
	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// GroupAdv is a peer group advertisement (jxta:PGA): a group's ID, the
// module spec that implements it, its name and per-service parameters
// (for example its membership service's).
type GroupAdv struct {
	GroupID  jxta.GroupID
	SpecID   jxta.ModuleSpecID // MSID
	Name     string
	Desc     *etree.Element
	Services []Service
	Unknown
}

// AdvType returns "jxta:PGA".
func (*GroupAdv) AdvType() string { return "jxta:PGA" }

// ID returns the group ID.
func (g *GroupAdv) ID() jxta.ID { return g.GroupID.ID }

// IndexFields returns Name, GID, Desc and MSID.
func (g *GroupAdv) IndexFields() []Field {
	return fields("Name", g.Name, "GID", idText(g.GroupID.ID), "Desc", Text(g.Desc), "MSID", idText(g.SpecID.ID))
}

// Service returns the parameters of the service of module class mcid, or
// nil.
func (g *GroupAdv) Service(mcid jxta.ModuleClassID) *Service {
	return serviceList(g.Services).find(mcid)
}

// EncodeXML writes GID, MSID, Name, Desc and the Svc entries.
func (g *GroupAdv) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument("jxta:PGA", g.Attrs...)
	w.TextElementOf("GID", g.GroupID)
	w.TextElementOf("MSID", g.SpecID)
	textElement(w, "Name", g.Name)
	w.Element(g.Desc)
	for i := range g.Services {
		g.Services[i].encode(w)
	}
	g.Unknown.encode(w)
	w.End("jxta:PGA")
}

func decodeGroupAdv(d *Decoder, root *etree.Element) (Advertisement, error) {
	g := &GroupAdv{}
	g.keepAttrs(root)
	var haveGID, haveMSID bool
	for c := range root.ChildElementsSeq() {
		switch xmldoc.FullName(c.Space, c.Tag) {
		case "GID":
			g.GroupID = d.GroupID(c)
			haveGID = !g.GroupID.IsNull()
		case "MSID":
			g.SpecID = d.ModuleSpecID(c)
			haveMSID = !g.SpecID.IsNull()
		case "Name":
			g.Name = Text(c)
		case "Desc":
			g.Desc = c
		case "Svc":
			if svc, ok := decodeService(d, c); ok {
				g.Services = append(g.Services, svc)
			} else {
				g.keep(c)
			}
		default:
			g.keep(c)
		}
	}
	if !haveGID {
		d.Missing(root, "GID")
	}
	if !haveMSID {
		d.Missing(root, "MSID")
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return g, nil
}
