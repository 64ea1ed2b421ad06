package advert

import (
	"strconv"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// Transport advertisements configure a peer's message transports. JXSE
// writes them with the base root jxta:TransportAdvertisement and the
// concrete type in the type attribute; JXTA-C also uses the concrete type as
// the root name. Both read; EncodeXML writes JXSE's form. Elements that are
// flags (ClientOff, ServerOff, ProxyOff, MulticastOff) mean "on" by their
// presence.

const transportRoot = "jxta:TransportAdvertisement"

// TCPTransportAdv configures the TCP transport
// (jxta:TCPTransportAdvertisement).
type TCPTransportAdv struct {
	Protocol         string // "tcp"
	ClientOff        bool
	ServerOff        bool
	ConfigMode       string // "auto" or "manual"
	InterfaceAddress string
	Port             int    // listen port
	PortStart        int    // start attribute of Port: first port to try (0 if unset)
	PortEnd          int    // end attribute of Port: last port to try (0 if unset)
	Server           string // public host:port
	// PublicAddressOnly is the root's Flags="PublicAddressOnly".
	PublicAddressOnly bool
	// The multicast settings older JXSE versions kept here.
	MulticastOff  bool
	MulticastAddr string
	MulticastPort int
	MulticastSize int
	Unknown
}

// AdvType returns "jxta:TCPTransportAdvertisement".
func (*TCPTransportAdv) AdvType() string { return "jxta:TCPTransportAdvertisement" }

// ID returns the Null ID.
func (*TCPTransportAdv) ID() jxta.ID { return jxta.NullID }

// IndexFields returns nil.
func (*TCPTransportAdv) IndexFields() []Field { return nil }

// EncodeXML writes the advertisement in JXSE's element order.
func (t *TCPTransportAdv) EncodeXML(w *xmldoc.Writer) {
	attrs := []xmldoc.Attr{{Key: "type", Value: t.AdvType()}}
	if t.PublicAddressOnly {
		attrs = append(attrs, xmldoc.Attr{Key: "Flags", Value: "PublicAddressOnly"})
	}
	w.StartDocument(transportRoot, append(attrs, t.Attrs...)...)
	w.TextElement("Protocol", orDefault(t.Protocol, "tcp"))
	flagElement(w, "ClientOff", t.ClientOff)
	flagElement(w, "ServerOff", t.ServerOff)
	textElement(w, "ConfigMode", t.ConfigMode)
	textElement(w, "InterfaceAddress", t.InterfaceAddress)
	if t.Port != 0 || t.PortStart != 0 || t.PortEnd != 0 {
		var pa []xmldoc.Attr
		if t.PortStart != 0 {
			pa = append(pa, xmldoc.Attr{Key: "start", Value: strconv.Itoa(t.PortStart)})
		}
		if t.PortEnd != 0 {
			pa = append(pa, xmldoc.Attr{Key: "end", Value: strconv.Itoa(t.PortEnd)})
		}
		w.Start("Port", pa...)
		w.Text(strconv.Itoa(t.Port))
		w.End("Port")
	}
	textElement(w, "Server", t.Server)
	flagElement(w, "MulticastOff", t.MulticastOff)
	textElement(w, "MulticastAddr", t.MulticastAddr)
	intElement(w, "MulticastPort", t.MulticastPort)
	intElement(w, "MulticastSize", t.MulticastSize)
	t.Unknown.encode(w)
	w.End(transportRoot)
}

func decodeTCPTransportAdv(d *Decoder, root *etree.Element) (Advertisement, error) {
	t := &TCPTransportAdv{PublicAddressOnly: root.SelectAttrValue("Flags", "") == "PublicAddressOnly"}
	keepTransportAttrs(&t.Unknown, root)
	for c := range root.ChildElementsSeq() {
		switch xmldoc.FullName(c.Space, c.Tag) {
		case "Protocol":
			t.Protocol = Text(c)
		case "ClientOff":
			t.ClientOff = true
		case "ServerOff":
			t.ServerOff = true
		case "ConfigMode":
			t.ConfigMode = Text(c)
		case "InterfaceAddress":
			t.InterfaceAddress = Text(c)
		case "Port":
			t.Port = int(d.Int(c))
			t.PortStart = int(d.AttrInt(c, "start"))
			t.PortEnd = int(d.AttrInt(c, "end"))
		case "Server":
			t.Server = Text(c)
		case "MulticastOff":
			t.MulticastOff = true
		case "MulticastAddr":
			t.MulticastAddr = Text(c)
		case "MulticastPort":
			t.MulticastPort = int(d.Int(c))
		case "MulticastSize":
			t.MulticastSize = int(d.Int(c))
		default:
			t.keep(c)
		}
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return t, nil
}

// HTTPTransportAdv configures the HTTP transport
// (jxta:HTTPTransportAdvertisement).
type HTTPTransportAdv struct {
	Protocol         string // "http"
	InterfaceAddress string
	ConfigMode       string
	Port             int
	Proxy            string // host:port
	ProxyOff         bool
	Server           string // public host:port
	ServerOff        bool
	ClientOff        bool
	Unknown
}

// AdvType returns "jxta:HTTPTransportAdvertisement".
func (*HTTPTransportAdv) AdvType() string { return "jxta:HTTPTransportAdvertisement" }

// ID returns the Null ID.
func (*HTTPTransportAdv) ID() jxta.ID { return jxta.NullID }

// IndexFields returns nil.
func (*HTTPTransportAdv) IndexFields() []Field { return nil }

// EncodeXML writes the advertisement.
func (h *HTTPTransportAdv) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument(transportRoot, append([]xmldoc.Attr{{Key: "type", Value: h.AdvType()}}, h.Attrs...)...)
	w.TextElement("Protocol", orDefault(h.Protocol, "http"))
	textElement(w, "InterfaceAddress", h.InterfaceAddress)
	textElement(w, "ConfigMode", h.ConfigMode)
	intElement(w, "Port", h.Port)
	textElement(w, "Proxy", h.Proxy)
	flagElement(w, "ProxyOff", h.ProxyOff)
	textElement(w, "Server", h.Server)
	flagElement(w, "ServerOff", h.ServerOff)
	flagElement(w, "ClientOff", h.ClientOff)
	h.Unknown.encode(w)
	w.End(transportRoot)
}

func decodeHTTPTransportAdv(d *Decoder, root *etree.Element) (Advertisement, error) {
	h := &HTTPTransportAdv{}
	keepTransportAttrs(&h.Unknown, root)
	for c := range root.ChildElementsSeq() {
		switch xmldoc.FullName(c.Space, c.Tag) {
		case "Protocol":
			h.Protocol = Text(c)
		case "InterfaceAddress":
			h.InterfaceAddress = Text(c)
		case "ConfigMode":
			h.ConfigMode = Text(c)
		case "Port":
			h.Port = int(d.Int(c))
		case "Proxy":
			h.Proxy = Text(c)
		case "ProxyOff":
			h.ProxyOff = true
		case "Server":
			h.Server = Text(c)
		case "ServerOff":
			h.ServerOff = true
		case "ClientOff":
			h.ClientOff = true
		default:
			h.keep(c)
		}
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return h, nil
}

// MulticastTransportAdv configures IP multicast
// (jxta:MulticastTransportAdvertisement).
type MulticastTransportAdv struct {
	Protocol           string // "mcast"
	MulticastOff       bool
	MulticastInterface string
	MulticastAddr      string // JXSE default 224.0.1.85
	MulticastPort      int    // JXSE default 1234
	MulticastSize      int    // largest datagram, JXSE default 16384
	PoolSize           int    // Mcast_Pool_Size
	Unknown
}

// AdvType returns "jxta:MulticastTransportAdvertisement".
func (*MulticastTransportAdv) AdvType() string { return "jxta:MulticastTransportAdvertisement" }

// ID returns the Null ID.
func (*MulticastTransportAdv) ID() jxta.ID { return jxta.NullID }

// IndexFields returns nil.
func (*MulticastTransportAdv) IndexFields() []Field { return nil }

// EncodeXML writes the advertisement.
func (m *MulticastTransportAdv) EncodeXML(w *xmldoc.Writer) {
	w.StartDocument(transportRoot, append([]xmldoc.Attr{{Key: "type", Value: m.AdvType()}}, m.Attrs...)...)
	w.TextElement("Protocol", orDefault(m.Protocol, "mcast"))
	flagElement(w, "MulticastOff", m.MulticastOff)
	textElement(w, "MulticastInterface", m.MulticastInterface)
	textElement(w, "MulticastAddr", m.MulticastAddr)
	intElement(w, "MulticastPort", m.MulticastPort)
	intElement(w, "MulticastSize", m.MulticastSize)
	intElement(w, "Mcast_Pool_Size", m.PoolSize)
	m.Unknown.encode(w)
	w.End(transportRoot)
}

func decodeMulticastTransportAdv(d *Decoder, root *etree.Element) (Advertisement, error) {
	m := &MulticastTransportAdv{}
	keepTransportAttrs(&m.Unknown, root)
	for c := range root.ChildElementsSeq() {
		switch xmldoc.FullName(c.Space, c.Tag) {
		case "Protocol":
			m.Protocol = Text(c)
		case "MulticastOff":
			m.MulticastOff = true
		case "MulticastInterface":
			m.MulticastInterface = Text(c)
		case "MulticastAddr":
			m.MulticastAddr = Text(c)
		case "MulticastPort":
			m.MulticastPort = int(d.Int(c))
		case "MulticastSize":
			m.MulticastSize = int(d.Int(c))
		case "Mcast_Pool_Size":
			m.PoolSize = int(d.Int(c))
		default:
			m.keep(c)
		}
	}
	if err := d.Err(); err != nil {
		return nil, err
	}
	return m, nil
}

func keepTransportAttrs(u *Unknown, root *etree.Element) {
	for _, a := range root.Attr {
		switch xmldoc.FullName(a.Space, a.Key) {
		case "xmlns:jxta", "xml:space", "type", "Flags":
		default:
			u.Attrs = append(u.Attrs, xmldoc.Attr{Key: xmldoc.FullName(a.Space, a.Key), Value: a.Value})
		}
	}
}

func flagElement(w *xmldoc.Writer, name string, on bool) {
	if on {
		w.TextElement(name, "")
	}
}

func intElement(w *xmldoc.Writer, name string, v int) {
	if v != 0 {
		w.TextElement(name, strconv.Itoa(v))
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
