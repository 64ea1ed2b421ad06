package advert

import (
	"strings"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// RelayConfig is the relay service configuration (jxta:RelayConfig),
// usually stored in a PlatformConfig as <Parm type="jxta:RelayConfig">.
// The <client> and <server> elements keep their attributes (lease, queue
// and poll settings) as written.
type RelayConfig struct {
	Client bool // client="true": use relays
	Server bool // server="true": act as a relay
	// ClientParams and ServerParams are the <client> and <server>
	// elements, or nil.
	ClientParams *etree.Element
	ServerParams *etree.Element
	Off          bool // <isOff/>
	Unknown
}

// AdvType returns "jxta:RelayConfig".
func (*RelayConfig) AdvType() string { return "jxta:RelayConfig" }

// ID returns the Null ID.
func (*RelayConfig) ID() jxta.ID { return jxta.NullID }

// IndexFields returns nil.
func (*RelayConfig) IndexFields() []Field { return nil }

// Seeds returns the relay seeds listed under <client><seeds>.
func (r *RelayConfig) Seeds() []Seed {
	if r.ClientParams == nil {
		return nil
	}
	var out []Seed
	for _, s := range r.ClientParams.SelectElements("seeds") {
		out = append(out, decodeSeeds(s)...)
	}
	return out
}

// EncodeXML writes the configuration.
func (r *RelayConfig) EncodeXML(w *xmldoc.Writer) {
	var attrs []xmldoc.Attr
	if r.Client {
		attrs = append(attrs, xmldoc.Attr{Key: "client", Value: "true"})
	}
	if r.Server {
		attrs = append(attrs, xmldoc.Attr{Key: "server", Value: "true"})
	}
	w.StartDocument("jxta:RelayConfig", append(attrs, r.Attrs...)...)
	w.Element(r.ClientParams)
	w.Element(r.ServerParams)
	r.Unknown.encode(w)
	flagElement(w, "isOff", r.Off)
	w.End("jxta:RelayConfig")
}

func decodeRelayConfig(d *Decoder, root *etree.Element) (Advertisement, error) {
	r := &RelayConfig{}
	for _, a := range root.Attr {
		switch xmldoc.FullName(a.Space, a.Key) {
		case "xmlns:jxta", "xml:space", "type":
		case "client":
			r.Client = strings.EqualFold(strings.TrimSpace(a.Value), "true")
		case "server":
			r.Server = strings.EqualFold(strings.TrimSpace(a.Value), "true")
		default:
			r.Attrs = append(r.Attrs, xmldoc.Attr{Key: xmldoc.FullName(a.Space, a.Key), Value: a.Value})
		}
	}
	for c := range root.ChildElementsSeq() {
		switch xmldoc.FullName(c.Space, c.Tag) {
		case "client":
			r.ClientParams = c
		case "server":
			r.ServerParams = c
		case "isOff":
			r.Off = true
		default:
			r.keep(c)
		}
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return r, nil
}
