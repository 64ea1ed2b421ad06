package advert

import (
	"crypto/ed25519"
	"encoding/base64"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// PeerAdv is a peer advertisement (jxta:PA): a peer's ID, group, name and
// the parameters of its services, among them its endpoint addresses.
type PeerAdv struct {
	PeerID  jxta.PeerID
	GroupID jxta.GroupID // JXSE requires it; a missing GID reads as the Null ID (JXTA-C test data omits it)
	Name    string
	Desc    *etree.Element
	// Key is the peer's Ed25519 public key (gojxta's Key element), from
	// which PeerID derives; nil when the advertisement carries none
	// (JXSE's and JXTA-C's do not). A key that does not derive PeerID
	// makes the advertisement invalid.
	Key      ed25519.PublicKey
	Services []Service
	Unknown
}

// AdvType returns "jxta:PA".
func (*PeerAdv) AdvType() string { return "jxta:PA" }

// ID returns the peer ID.
func (p *PeerAdv) ID() jxta.ID { return p.PeerID.ID }

// IndexFields returns Name and PID.
func (p *PeerAdv) IndexFields() []Field {
	return fields("Name", p.Name, "PID", idText(p.PeerID.ID))
}

// Service returns the parameters of the service of module class mcid, or
// nil.
func (p *PeerAdv) Service(mcid jxta.ModuleClassID) *Service {
	return serviceList(p.Services).find(mcid)
}

// EncodeXML writes PID, GID, Name, Desc, Key and the Svc entries, in
// JXSE's order with Key after Desc, then unknown elements.
func (p *PeerAdv) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument("jxta:PA", p.Attrs...)
	w.TextElementOf("PID", p.PeerID)
	w.TextElementOf("GID", p.GroupID)
	textElement(w, "Name", p.Name)
	w.Element(p.Desc)
	if p.Key != nil {
		w.Start("Key", xmldoc.Attr{Key: "type", Value: KeyTypeEd25519})
		w.Text(base64.StdEncoding.EncodeToString(p.Key))
		w.End("Key")
	}
	for i := range p.Services {
		p.Services[i].encode(w)
	}
	p.Unknown.encode(w)
	w.End("jxta:PA")
}

func decodePeerAdv(d *Decoder, root *etree.Element) (Advertisement, error) {
	p := &PeerAdv{}
	p.keepAttrs(root)
	var havePID bool
	for c := range root.ChildElementsSeq() {
		switch xmldoc.FullName(c.Space, c.Tag) {
		case "PID":
			p.PeerID = d.PeerID(c)
			havePID = true
		case "GID":
			p.GroupID = d.GroupID(c)
		case "Name":
			p.Name = Text(c)
		case "Desc":
			p.Desc = c
		case "Key":
			p.Key = decodeKey(d, c)
		case "Svc":
			if svc, ok := decodeService(d, c); ok {
				p.Services = append(p.Services, svc)
			} else {
				p.keep(c)
			}
		default:
			p.keep(c)
		}
	}
	if !havePID {
		d.Missing(root, "PID")
	}
	if p.Key != nil && !p.PeerID.IsKeyOf(p.Key) {
		d.Failf(root, "<Key>: the key does not derive the peer ID %s", p.PeerID)
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return p, nil
}

// KeyTypeEd25519 is the type attribute of a peer advertisement's Key.
const KeyTypeEd25519 = "Ed25519"

// decodeKey reads a Key element: base64 of a 32-byte Ed25519 key.
func decodeKey(d *Decoder, c *etree.Element) ed25519.PublicKey {
	if t := c.SelectAttrValue("type", KeyTypeEd25519); t != KeyTypeEd25519 {
		d.Failf(c, "key type %q, want %q", t, KeyTypeEd25519)
		return nil
	}
	b, err := base64.StdEncoding.DecodeString(Text(c))
	if err != nil || len(b) != ed25519.PublicKeySize {
		d.Failf(c, "not the base64 of a %d-byte Ed25519 key", ed25519.PublicKeySize)
		return nil
	}
	return ed25519.PublicKey(b)
}

// EndpointAddresses returns the peer's transport addresses in order of
// preference: the EA list of the jxta:RA in the endpoint service's
// parameters (JXSE 2.x), or its Addr list (JXTA 1.x and JXTA-C).
func (p *PeerAdv) EndpointAddresses() []string {
	svc := p.Service(jxta.EndpointClassID)
	if svc == nil || svc.Parm == nil {
		return nil
	}
	var out []string
	if ra := svc.Parm.SelectElement("jxta:RA"); ra != nil {
		if dst := ra.SelectElement("Dst"); dst != nil {
			if apa := dst.SelectElement("jxta:APA"); apa != nil {
				for _, ea := range apa.SelectElements("EA") {
					if s := Text(ea); s != "" {
						out = append(out, s)
					}
				}
			}
		}
	}
	for _, a := range svc.Parm.SelectElements("Addr") {
		if s := Text(a); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// SetEndpointAddresses makes the endpoint service's parameters a jxta:RA
// whose destination lists addrs, as JXSE 2.x writes it.
func (p *PeerAdv) SetEndpointAddresses(addrs []string) error {
	ra, err := Element(&RouteAdv{DstPeerID: p.PeerID, Dst: &AccessPointAdv{Addresses: addrs}})
	if err != nil {
		return err
	}
	parm := etree.NewElement("Parm")
	parm.AddChild(ra)
	if svc := p.Service(jxta.EndpointClassID); svc != nil {
		svc.Parm = parm
		return nil
	}
	p.Services = append(p.Services, Service{MCID: jxta.EndpointClassID, Parm: parm})
	return nil
}
