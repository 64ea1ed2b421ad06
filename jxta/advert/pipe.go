package advert

import (
	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// The pipe types.
const (
	// PipeUnicast is a one-to-one pipe.
	PipeUnicast = "JxtaUnicast"
	// PipeUnicastSecure is a one-to-one pipe over TLS.
	PipeUnicastSecure = "JxtaUnicastSecure"
	// PipePropagate is a one-to-many pipe.
	PipePropagate = "JxtaPropagate"
)

// PipeAdv is a pipe advertisement (jxta:PipeAdvertisement): the ID, type
// and name of a pipe.
type PipeAdv struct {
	PipeID jxta.PipeID
	Type   string // PipeUnicast, PipeUnicastSecure or PipePropagate
	Name   string
	Desc   *etree.Element
	Unknown
}

// NewPipeAdv returns the advertisement of a new pipe of the given type and
// name in group.
func NewPipeAdv(group jxta.GroupID, pipeType, name string) *PipeAdv {
	return &PipeAdv{PipeID: jxta.NewPipeID(group), Type: pipeType, Name: name}
}

// AdvType returns "jxta:PipeAdvertisement".
func (*PipeAdv) AdvType() string { return "jxta:PipeAdvertisement" }

// ID returns the pipe ID.
func (p *PipeAdv) ID() jxta.ID { return p.PipeID.ID }

// IndexFields returns Name and Id.
func (p *PipeAdv) IndexFields() []Field {
	return fields("Name", p.Name, "Id", idText(p.PipeID.ID))
}

// EncodeXML writes Id, Type, Name and Desc. An empty Type is written as
// JxtaUnicast, as JXSE does.
func (p *PipeAdv) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument("jxta:PipeAdvertisement", p.Attrs...)
	w.TextElementOf("Id", p.PipeID)
	t := p.Type
	if t == "" {
		t = PipeUnicast
	}
	w.TextElement("Type", t)
	textElement(w, "Name", p.Name)
	w.Element(p.Desc)
	p.Unknown.encode(w)
	w.End("jxta:PipeAdvertisement")
}

func decodePipeAdv(d *Decoder, root *etree.Element) (Advertisement, error) {
	p := &PipeAdv{}
	p.keepAttrs(root)
	for c := range root.ChildElementsSeq() {
		switch xmldoc.FullName(c.Space, c.Tag) {
		case "Id":
			p.PipeID = d.PipeID(c)
		case "Type":
			p.Type = Text(c)
		case "Name":
			p.Name = Text(c)
		case "Desc":
			p.Desc = c
		default:
			p.keep(c)
		}
	}
	if p.PipeID.IsNull() {
		d.Missing(root, "Id")
	}
	// Other type names are kept: JXSE reads them, and the pipe service is
	// where an unknown type is refused.
	if p.Type == "" {
		d.Missing(root, "Type")
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return p, nil
}
