package advert

import (
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// DecodeFunc decodes the element e (a document root, or a document
// embedded in another) into an advertisement. It reports problems through
// d and returns d.Err().
type DecodeFunc func(d *Decoder, e *etree.Element) (Advertisement, error)

// Registry maps advertisement types to their decoders. The zero value is
// empty; NewRegistry returns one holding every type this package defines.
// A Registry is not safe for concurrent Register calls, but once filled it
// may be used from many goroutines.
type Registry struct {
	decoders map[string]DecodeFunc
	// Limits bound the size and depth of documents read through the
	// registry. The zero value means xmldoc's defaults.
	Limits xmldoc.Limits
}

// NewRegistry returns a registry of the built-in advertisement types.
func NewRegistry() *Registry {
	r := &Registry{}
	registerBuiltins(r)
	return r
}

// Register makes fn the decoder of the given types (a type is matched
// against a document's type attribute, then against its root name).
func (r *Registry) Register(fn DecodeFunc, types ...string) {
	if r.decoders == nil {
		r.decoders = make(map[string]DecodeFunc)
	}
	for _, t := range types {
		r.decoders[t] = fn
	}
}

// Known reports whether advType has a registered decoder.
func (r *Registry) Known(advType string) bool {
	_, ok := r.decoders[advType]
	return ok
}

// Parse reads one advertisement from data.
func (r *Registry) Parse(data []byte) (Advertisement, error) {
	doc, err := xmldoc.Parse(data, r.Limits)
	if err != nil {
		return nil, &Error{DocType: "document", Err: err}
	}
	return r.Decode(doc)
}

// ParseString reads one advertisement from s, as Parse does; the
// advertisement's text may share s's memory.
func (r *Registry) ParseString(s string) (Advertisement, error) {
	doc, err := xmldoc.ParseString(s, r.Limits)
	if err != nil {
		return nil, &Error{DocType: "document", Err: err}
	}
	return r.Decode(doc)
}

// Read reads one advertisement from rd.
func (r *Registry) Read(rd io.Reader) (Advertisement, error) {
	doc, err := xmldoc.Read(rd, r.Limits)
	if err != nil {
		return nil, &Error{DocType: "document", Err: err}
	}
	return r.Decode(doc)
}

// Decode decodes a parsed document.
func (r *Registry) Decode(doc *xmldoc.Document) (Advertisement, error) {
	d := &Decoder{doc: doc, reg: r, docType: docTypeOf(doc.Root)}
	return r.decode(d, doc.Root)
}

func (r *Registry) decode(d *Decoder, e *etree.Element) (Advertisement, error) {
	fn, ok := r.decoders[e.SelectAttrValue("type", "")]
	if !ok {
		fn, ok = r.decoders[xmldoc.FullName(e.Space, e.Tag)]
	}
	if !ok {
		return &Generic{Root: e}, nil
	}
	// The typed documents hold elements only: text beside them is not part
	// of any JXTA type, and in practice marks an incomplete document (the
	// specification's examples stand "... omitted ..." in for elements).
	for _, c := range e.Child {
		if cd, ok := c.(*etree.CharData); ok && strings.TrimSpace(cd.Data) != "" {
			return nil, d.Fail(e, fmt.Errorf("%w: unexpected text %q between elements (an incomplete document?)", ErrInvalid, shorten(strings.TrimSpace(cd.Data))))
		}
	}
	a, err := fn(d, e)
	if err != nil {
		return nil, err
	}
	return a, nil
}

// docTypeOf names the document type of a root element: its type attribute
// if it has one, else its name.
func docTypeOf(e *etree.Element) string {
	if t := e.SelectAttrValue("type", ""); t != "" {
		return t
	}
	return xmldoc.FullName(e.Space, e.Tag)
}

// defaultRegistry holds the built-in types; it is never modified after
// package initialisation.
var defaultRegistry = NewRegistry()

// Parse reads one advertisement of any built-in type from data, with the
// default limits. Other types parse into a Generic advertisement.
func Parse(data []byte) (Advertisement, error) { return defaultRegistry.Parse(data) }

// Read reads one advertisement from r, as Parse does.
func Read(r io.Reader) (Advertisement, error) { return defaultRegistry.Read(r) }

// Marshal writes a in JXSE's compact storage form: XML declaration,
// DOCTYPE, xmlns:jxta and xml:space="preserve" on the root, no
// indentation.
func Marshal(a Advertisement) []byte {
	w := xmldoc.NewWriter(xmldoc.Compact, true)
	a.EncodeXML(w)
	return w.Bytes()
}

// MarshalIndent writes a with one element per line, indented with tabs,
// for people to read.
func MarshalIndent(a Advertisement) []byte {
	w := xmldoc.NewWriter(xmldoc.Indented, true)
	a.EncodeXML(w)
	return w.Bytes()
}

// Element returns a as an element tree, for embedding it in another
// document.
func Element(a Advertisement) (*etree.Element, error) {
	w := xmldoc.NewWriter(xmldoc.Compact, false)
	a.EncodeXML(w)
	doc, err := xmldoc.Parse(w.Bytes(), xmldoc.Limits{MaxBytes: int64(len(w.Bytes()))})
	if err != nil {
		return nil, &Error{DocType: a.AdvType(), Err: err}
	}
	return doc.Root, nil
}

func registerBuiltins(r *Registry) {
	r.Register(decodePeerAdv, "jxta:PA")
	r.Register(decodeGroupAdv, "jxta:PGA")
	r.Register(decodePipeAdv, "jxta:PipeAdvertisement")
	r.Register(decodeModuleClassAdv, "jxta:MCA")
	r.Register(decodeModuleSpecAdv, "jxta:MSA")
	r.Register(decodeModuleImplAdv, "jxta:MIA")
	r.Register(decodeRdvAdv, "jxta:RdvAdvertisement")
	r.Register(decodeRouteAdv, "jxta:RA")
	r.Register(decodeAccessPointAdv, "jxta:APA")
	r.Register(decodePlatformConfig, "jxta:CP", "jxta:PlatformConfig", "jxta:GroupConfig")
	r.Register(decodeTCPTransportAdv, "jxta:TCPTransportAdvertisement")
	r.Register(decodeHTTPTransportAdv, "jxta:HTTPTransportAdvertisement")
	r.Register(decodeMulticastTransportAdv, "jxta:MulticastTransportAdvertisement")
	r.Register(decodeRdvConfig, "jxta:RdvConfig")
	r.Register(decodeRelayConfig, "jxta:RelayConfig")
	r.Register(decodeSignedAdv, "jxta:SA")
}

func shorten(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// ErrWrongType reports a document of another type than the one asked for.
var ErrWrongType = errors.New("wrong document type")

// ParseAs reads one advertisement from data and checks that it is of type
// T, for example ParseAs[*PeerAdv](data).
func ParseAs[T Advertisement](data []byte) (T, error) {
	var zero T
	a, err := Parse(data)
	if err != nil {
		return zero, err
	}
	t, ok := a.(T)
	if !ok {
		return zero, &Error{DocType: a.AdvType(), Err: fmt.Errorf("%w: want %T", ErrWrongType, zero)}
	}
	return t, nil
}
