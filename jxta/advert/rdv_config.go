package advert

import (
	"strconv"
	"strings"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// Rendezvous roles, the values of RdvConfig's config attribute.
const (
	RdvModeAdhoc      = "adhoc"
	RdvModeEdge       = "client"
	RdvModeRendezvous = "rendezvous"
)

// Seed is a rendezvous or relay seed address.
type Seed struct {
	Addr string
	// Seeding marks a URI that returns a list of seeds rather than being
	// a seed itself (seeding="true").
	Seeding bool
}

// RdvConfig is the rendezvous service configuration (jxta:RdvConfig),
// usually stored in a PlatformConfig as <Parm type="jxta:RdvConfig">.
type RdvConfig struct {
	Mode          string // RdvModeAdhoc, RdvModeEdge or RdvModeRendezvous (the config attribute)
	MaxTTL        int
	MaxClients    int
	LeaseDuration int64 // milliseconds
	Seeds         []Seed
	UseOnlySeeds  bool
	ConnectDelay  int64 // milliseconds
	Unknown
}

// AdvType returns "jxta:RdvConfig".
func (*RdvConfig) AdvType() string { return "jxta:RdvConfig" }

// ID returns the Null ID.
func (*RdvConfig) ID() jxta.ID { return jxta.NullID }

// IndexFields returns nil.
func (*RdvConfig) IndexFields() []Field { return nil }

// EncodeXML writes the configuration.
func (r *RdvConfig) EncodeXML(w *xmldoc.Writer) {
	var attrs []xmldoc.Attr
	attrs = appendAttr(attrs, "config", r.Mode)
	attrs = appendIntAttr(attrs, "maxTTL", int64(r.MaxTTL))
	attrs = appendIntAttr(attrs, "maxClients", int64(r.MaxClients))
	attrs = appendIntAttr(attrs, "leaseDuration", r.LeaseDuration)
	w.StartDocument("jxta:RdvConfig", append(attrs, r.Attrs...)...)
	if len(r.Seeds) > 0 || r.UseOnlySeeds || r.ConnectDelay != 0 {
		var sa []xmldoc.Attr
		if r.UseOnlySeeds {
			sa = append(sa, xmldoc.Attr{Key: "useOnlySeeds", Value: "true"})
		}
		sa = appendIntAttr(sa, "connectDelay", r.ConnectDelay)
		encodeSeeds(w, sa, r.Seeds)
	}
	r.Unknown.encode(w)
	w.End("jxta:RdvConfig")
}

func decodeRdvConfig(d *Decoder, root *etree.Element) (Advertisement, error) {
	r := &RdvConfig{}
	for _, a := range root.Attr {
		v := strings.TrimSpace(a.Value)
		switch xmldoc.FullName(a.Space, a.Key) {
		case "xmlns:jxta", "xml:space", "type":
		case "config":
			r.Mode = v
		case "maxTTL":
			r.MaxTTL = int(d.AttrInt(root, "maxTTL"))
		case "maxClients":
			r.MaxClients = int(d.AttrInt(root, "maxClients"))
		case "leaseDuration":
			r.LeaseDuration = d.AttrInt(root, "leaseDuration")
		default:
			r.Attrs = append(r.Attrs, xmldoc.Attr{Key: xmldoc.FullName(a.Space, a.Key), Value: a.Value})
		}
	}
	for c := range root.ChildElementsSeq() {
		// A <seeds> with attributes beyond the two known ones is kept whole
		// so that nothing is lost.
		if xmldoc.FullName(c.Space, c.Tag) != "seeds" || len(c.Attr) > 2 {
			r.keep(c)
			continue
		}
		r.UseOnlySeeds = strings.EqualFold(strings.TrimSpace(c.SelectAttrValue("useOnlySeeds", "")), "true")
		r.ConnectDelay = d.AttrInt(c, "connectDelay")
		r.Seeds = append(r.Seeds, decodeSeeds(c)...)
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return r, nil
}

func decodeSeeds(seeds *etree.Element) []Seed {
	var out []Seed
	for _, a := range seeds.SelectElements("addr") {
		if s := Text(a); s != "" {
			out = append(out, Seed{Addr: s, Seeding: strings.EqualFold(a.SelectAttrValue("seeding", ""), "true")})
		}
	}
	return out
}

func encodeSeeds(w *xmldoc.Writer, attrs []xmldoc.Attr, seeds []Seed) {
	w.Start("seeds", attrs...)
	for _, s := range seeds {
		if s.Seeding {
			w.Start("addr", xmldoc.Attr{Key: "seeding", Value: "true"})
			w.Text(s.Addr)
			w.End("addr")
		} else {
			w.TextElement("addr", s.Addr)
		}
	}
	w.End("seeds")
}

func appendAttr(attrs []xmldoc.Attr, key, value string) []xmldoc.Attr {
	if value == "" {
		return attrs
	}
	return append(attrs, xmldoc.Attr{Key: key, Value: value})
}

func appendIntAttr(attrs []xmldoc.Attr, key string, v int64) []xmldoc.Attr {
	if v == 0 {
		return attrs
	}
	return append(attrs, xmldoc.Attr{Key: key, Value: strconv.FormatInt(v, 10)})
}
