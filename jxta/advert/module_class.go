package advert

import (
	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// ModuleClassAdv is a module class advertisement (jxta:MCA): it announces
// that a kind of service exists.
type ModuleClassAdv struct {
	ClassID jxta.ModuleClassID // MCID
	Name    string
	Desc    *etree.Element
	Unknown
}

// AdvType returns "jxta:MCA".
func (*ModuleClassAdv) AdvType() string { return "jxta:MCA" }

// ID returns the module class ID.
func (m *ModuleClassAdv) ID() jxta.ID { return m.ClassID.ID }

// IndexFields returns Name and MCID.
func (m *ModuleClassAdv) IndexFields() []Field {
	return fields("Name", m.Name, "MCID", idText(m.ClassID.ID))
}

// EncodeXML writes MCID, Name and Desc.
func (m *ModuleClassAdv) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument("jxta:MCA", m.Attrs...)
	w.TextElementOf("MCID", m.ClassID)
	textElement(w, "Name", m.Name)
	w.Element(m.Desc)
	m.Unknown.encode(w)
	w.End("jxta:MCA")
}

func decodeModuleClassAdv(d *Decoder, root *etree.Element) (Advertisement, error) {
	m := &ModuleClassAdv{}
	m.keepAttrs(root)
	for c := range root.ChildElementsSeq() {
		switch xmldoc.FullName(c.Space, c.Tag) {
		case "MCID":
			m.ClassID = d.ModuleClassID(c)
		case "Name":
			m.Name = Text(c)
		case "Desc":
			m.Desc = c
		default:
			m.keep(c)
		}
	}
	if m.ClassID.IsNull() {
		d.Missing(root, "MCID")
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return m, nil
}
