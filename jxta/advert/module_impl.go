package advert

import (
	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// ModuleImplAdv is a module implementation advertisement (jxta:MIA): one
// implementation of a module spec, with what it runs on (Comp) and how to
// load it (Code). For a peer group implementation, Parm lists the group's
// services, either as nested MIAs (old form) or as spec IDs in <Svc>,
// <Proto> and <App> elements (JXSE 2.5 and later).
type ModuleImplAdv struct {
	SpecID     jxta.ModuleSpecID // MSID
	Desc       *etree.Element
	Compat     *etree.Element // the whole <Comp> element
	Code       string
	PackageURI string // PURI
	Provider   string // Prov
	Parm       *etree.Element
	Unknown
}

// JXSECompat returns the <Comp> tree JXSE 2.x writes:
// <Efmt>JDK1.4.1</Efmt><Bind>V2.0 Ref Impl</Bind>.
func JXSECompat() *etree.Element {
	c := etree.NewElement("Comp")
	c.AddChild(NewText("Efmt", "JDK1.4.1"))
	c.AddChild(NewText("Bind", "V2.0 Ref Impl"))
	return c
}

// AdvType returns "jxta:MIA".
func (*ModuleImplAdv) AdvType() string { return "jxta:MIA" }

// ID returns the implemented module spec ID.
func (m *ModuleImplAdv) ID() jxta.ID { return m.SpecID.ID }

// IndexFields returns MSID.
func (m *ModuleImplAdv) IndexFields() []Field { return fields("MSID", idText(m.SpecID.ID)) }

// EncodeXML writes MSID, Desc, Comp, Code, PURI, Prov and Parm.
func (m *ModuleImplAdv) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument("jxta:MIA", m.Attrs...)
	w.TextElementOf("MSID", m.SpecID)
	w.Element(m.Desc)
	if m.Compat != nil {
		w.Element(m.Compat)
	} else {
		w.Element(JXSECompat())
	}
	w.TextElement("Code", m.Code)
	textElement(w, "PURI", m.PackageURI)
	textElement(w, "Prov", m.Provider)
	w.Element(m.Parm)
	m.Unknown.encode(w)
	w.End("jxta:MIA")
}

func decodeModuleImplAdv(d *Decoder, root *etree.Element) (Advertisement, error) {
	m := &ModuleImplAdv{}
	m.keepAttrs(root)
	for c := range root.ChildElementsSeq() {
		switch xmldoc.FullName(c.Space, c.Tag) {
		case "MSID":
			m.SpecID = d.ModuleSpecID(c)
		case "Desc":
			m.Desc = c
		case "Comp":
			m.Compat = c
		case "Code":
			m.Code = Text(c)
		case "PURI":
			m.PackageURI = Text(c)
		case "Prov":
			m.Provider = Text(c)
		case "Parm":
			m.Parm = c
		default:
			m.keep(c)
		}
	}
	switch {
	case m.SpecID.IsNull():
		d.Missing(root, "MSID")
	case m.Compat == nil:
		d.Missing(root, "Comp")
	case m.Code == "":
		d.Missing(root, "Code")
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return m, nil
}
