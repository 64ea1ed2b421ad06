package advert

import (
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// Advertisement is a JXTA document describing a resource.
type Advertisement interface {
	// AdvType returns the advertisement type, such as "jxta:PA".
	AdvType() string
	// ID returns the ID of the advertised resource (a PA's peer ID, a PGA's
	// group ID, a pipe's ID...), or the Null ID for types that have none.
	ID() jxta.ID
	// IndexFields returns the fields discovery indexes and matches queries
	// against, in JXSE's order (reference b.12). Empty values are left out.
	IndexFields() []Field
	// EncodeXML writes the advertisement as one root element.
	EncodeXML(w *xmldoc.Writer)
}

// Field is one indexed name/value pair of an advertisement.
type Field struct {
	Name, Value string
}

// Category is the discovery category of an advertisement: the discovery
// query Type and the first part of JXSE's index keys.
type Category uint8

// The discovery categories, numbered as in DiscoveryQuery Type.
const (
	Peers  Category = 0 // peer advertisements
	Groups Category = 1 // peer group advertisements
	Adv    Category = 2 // every other type
)

// String returns "Peers", "Groups" or "Adv", as JXSE names index files.
func (c Category) String() string {
	switch c {
	case Peers:
		return "Peers"
	case Groups:
		return "Groups"
	default:
		return "Adv"
	}
}

// CategoryOf returns the discovery category of a.
func CategoryOf(a Advertisement) Category {
	switch a.(type) {
	case *PeerAdv:
		return Peers
	case *GroupAdv:
		return Groups
	default:
		return Adv
	}
}

func fields(pairs ...string) []Field {
	out := make([]Field, 0, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i+1] != "" {
			out = append(out, Field{pairs[i], pairs[i+1]})
		}
	}
	return out
}

func idText(id jxta.ID) string {
	if id.IsNull() {
		return ""
	}
	return id.String()
}
