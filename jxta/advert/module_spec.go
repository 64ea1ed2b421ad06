package advert

import (
	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// ModuleSpecAdv is a module spec advertisement (jxta:MSA): one
// specification of a module class, optionally with the pipe its
// implementations listen on.
type ModuleSpecAdv struct {
	SpecID  jxta.ModuleSpecID // MSID
	Name    string
	Desc    *etree.Element
	Creator string // Crtr
	SpecURI string // SURI
	Version string // Vers
	Pipe    *PipeAdv
	Proxy   jxta.ModuleSpecID
	Auth    jxta.ModuleSpecID
	Parm    *etree.Element
	Unknown
}

// AdvType returns "jxta:MSA".
func (*ModuleSpecAdv) AdvType() string { return "jxta:MSA" }

// ID returns the module spec ID.
func (m *ModuleSpecAdv) ID() jxta.ID { return m.SpecID.ID }

// IndexFields returns Name and MSID.
func (m *ModuleSpecAdv) IndexFields() []Field {
	return fields("Name", m.Name, "MSID", idText(m.SpecID.ID))
}

// EncodeXML writes the elements in JXSE's order: MSID, Name, Desc, Crtr,
// SURI, Vers, jxta:PipeAdvertisement, Proxy, Auth, Parm.
func (m *ModuleSpecAdv) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument("jxta:MSA", m.Attrs...)
	w.TextElementOf("MSID", m.SpecID)
	textElement(w, "Name", m.Name)
	w.Element(m.Desc)
	w.TextElement("Crtr", m.Creator)
	w.TextElement("SURI", m.SpecURI)
	w.TextElement("Vers", m.Version)
	if m.Pipe != nil {
		m.Pipe.EncodeXML(w)
	}
	idElement(w, "Proxy", m.Proxy.ID)
	idElement(w, "Auth", m.Auth.ID)
	w.Element(m.Parm)
	m.Unknown.encode(w)
	w.End("jxta:MSA")
}

func decodeModuleSpecAdv(d *Decoder, root *etree.Element) (Advertisement, error) {
	m := &ModuleSpecAdv{}
	m.keepAttrs(root)
	for c := range root.ChildElementsSeq() {
		switch xmldoc.FullName(c.Space, c.Tag) {
		case "MSID":
			m.SpecID = d.ModuleSpecID(c)
		case "Name":
			m.Name = Text(c)
		case "Desc":
			m.Desc = c
		case "Crtr":
			m.Creator = Text(c)
		case "SURI":
			m.SpecURI = Text(c)
		case "Vers":
			m.Version = Text(c)
		case "jxta:PipeAdvertisement":
			if a, err := d.Nested(c); err == nil {
				if p, ok := a.(*PipeAdv); ok {
					m.Pipe = p
				} else {
					m.keep(c)
				}
			}
		case "Proxy":
			m.Proxy = d.ModuleSpecID(c)
		case "Auth":
			m.Auth = d.ModuleSpecID(c)
		case "Parm":
			m.Parm = c
		default:
			m.keep(c)
		}
	}
	if m.SpecID.IsNull() {
		d.Missing(root, "MSID")
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return m, nil
}
