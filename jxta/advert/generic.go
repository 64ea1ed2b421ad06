package advert

import (
	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// Generic is an advertisement of a type this package does not define (an
// application's own type, or a protocol document). It keeps the whole
// element tree and writes it back unchanged.
type Generic struct {
	Root *etree.Element
}

// AdvType returns the root's type attribute, or its name.
func (g *Generic) AdvType() string { return docTypeOf(g.Root) }

// ID returns the Null ID: the type of the ID, if any, is not known.
func (g *Generic) ID() jxta.ID { return jxta.NullID }

// IndexFields returns nil: the indexed fields of an unknown type are not
// known.
func (g *Generic) IndexFields() []Field { return nil }

// EncodeXML writes the tree as it was read.
func (g *Generic) EncodeXML(w *xmldoc.Writer) { w.Element(g.Root) }
