package advert

import (
	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// Configuration flavours of a jxta:CP document.
const (
	PlatformConfigType = "jxta:PlatformConfig"
	GroupConfigType    = "jxta:GroupConfig"
)

// PlatformConfig is a peer's local configuration (jxta:CP with
// type="jxta:PlatformConfig", or a group's with type="jxta:GroupConfig"):
// its peer ID, name and the parameters of each service. It is stored in a
// file and never published. Unlike a peer advertisement, no element is
// required.
type PlatformConfig struct {
	// ConfigType is PlatformConfigType or GroupConfigType; empty means
	// PlatformConfigType.
	ConfigType string
	PeerID     jxta.PeerID
	Name       string
	Desc       *etree.Element
	Services   []Service
	Unknown
}

// AdvType returns the configuration flavour, "jxta:PlatformConfig" by
// default.
func (c *PlatformConfig) AdvType() string {
	if c.ConfigType == "" {
		return PlatformConfigType
	}
	return c.ConfigType
}

// ID returns the configured peer ID.
func (c *PlatformConfig) ID() jxta.ID { return c.PeerID.ID }

// IndexFields returns nil: configuration is not discoverable.
func (c *PlatformConfig) IndexFields() []Field { return nil }

// Service returns the parameters of the service of module class mcid, or
// nil.
func (c *PlatformConfig) Service(mcid jxta.ModuleClassID) *Service {
	return serviceList(c.Services).find(mcid)
}

// EncodeXML writes a jxta:CP root with the type attribute, then PID, Name,
// Desc and the Svc entries.
func (c *PlatformConfig) EncodeXML(w *xmldoc.Writer) {
	attrs := append([]xmldoc.Attr{{Key: "type", Value: c.AdvType()}}, c.Attrs...)
	w.StartDocument("jxta:CP", attrs...)
	idElement(w, "PID", c.PeerID.ID)
	textElement(w, "Name", c.Name)
	w.Element(c.Desc)
	for i := range c.Services {
		c.Services[i].encode(w)
	}
	c.Unknown.encode(w)
	w.End("jxta:CP")
}

func decodePlatformConfig(d *Decoder, root *etree.Element) (Advertisement, error) {
	c := &PlatformConfig{ConfigType: root.SelectAttrValue("type", PlatformConfigType)}
	if c.ConfigType != GroupConfigType {
		c.ConfigType = PlatformConfigType
	}
	c.keepAttrs(root)
	for e := range root.ChildElementsSeq() {
		switch xmldoc.FullName(e.Space, e.Tag) {
		case "PID":
			c.PeerID = d.PeerID(e)
		case "Name":
			c.Name = Text(e)
		case "Desc":
			c.Desc = e
		case "Svc":
			if svc, ok := decodeService(d, e); ok {
				c.Services = append(c.Services, svc)
			} else {
				c.keep(e)
			}
		default:
			c.keep(e)
		}
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return c, nil
}
