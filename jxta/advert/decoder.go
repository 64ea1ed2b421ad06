package advert

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// Decoder carries the state of reading one document: where its elements
// start, the registry for nested documents, and the first error found.
// Decode functions call its helpers, which record the first failure with
// the element and line, and return Err at the end (like bufio.Scanner).
type Decoder struct {
	doc     *xmldoc.Document
	reg     *Registry
	docType string
	err     error
}

// DocType returns the type of the document being decoded, used in errors.
func (d *Decoder) DocType() string { return d.docType }

// Err returns the first error recorded.
func (d *Decoder) Err() error { return d.err }

// Fail records err against element e (if no error was recorded yet) and
// returns the recorded error.
func (d *Decoder) Fail(e *etree.Element, err error) error {
	if d.err == nil {
		ae := &Error{DocType: d.docType, Err: err}
		if e != nil {
			ae.Element = xmldoc.FullName(e.Space, e.Tag)
			if d.doc != nil {
				ae.Line = d.doc.Line(e)
			}
		}
		d.err = ae
	}
	return d.err
}

// Failf records a formatted ErrInvalid error against e.
func (d *Decoder) Failf(e *etree.Element, format string, args ...any) error {
	return d.Fail(e, fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...)))
}

// Missing records that parent lacks the required child element name.
func (d *Decoder) Missing(parent *etree.Element, name string) error {
	return d.Fail(parent, fmt.Errorf("%w <%s>", ErrMissing, name))
}

// Text returns the trimmed text of e, as JXSE reads values.
func Text(e *etree.Element) string {
	if e == nil {
		return ""
	}
	var s string
	for _, c := range e.Child {
		if cd, ok := c.(*etree.CharData); ok {
			s += cd.Data
		}
	}
	return strings.TrimSpace(s)
}

// HasChildElements reports whether e has a child element (text aside),
// without making the list ChildElements returns.
func HasChildElements(e *etree.Element) bool {
	for _, c := range e.Child {
		if _, ok := c.(*etree.Element); ok {
			return true
		}
	}
	return false
}

// ID parses the text of e as an ID of any kind. Empty text gives the Null
// ID.
func (d *Decoder) ID(e *etree.Element) jxta.ID {
	s := Text(e)
	if s == "" {
		return jxta.NullID
	}
	id, err := jxta.Parse(s)
	if err != nil {
		d.Fail(e, err)
	}
	return id
}

// decodeID parses the text of e as an ID and checks its kind with as.
func decodeID[T any](d *Decoder, e *etree.Element, as func(jxta.ID) (T, error)) T {
	v, err := as(d.ID(e))
	if err != nil {
		d.Fail(e, err)
	}
	return v
}

// PeerID parses the text of e as a peer ID.
func (d *Decoder) PeerID(e *etree.Element) jxta.PeerID { return decodeID(d, e, jxta.AsPeerID) }

// GroupID parses the text of e as a peer group ID.
func (d *Decoder) GroupID(e *etree.Element) jxta.GroupID { return decodeID(d, e, jxta.AsGroupID) }

// PipeID parses the text of e as a pipe ID.
func (d *Decoder) PipeID(e *etree.Element) jxta.PipeID { return decodeID(d, e, jxta.AsPipeID) }

// ModuleClassID parses the text of e as a module class ID.
func (d *Decoder) ModuleClassID(e *etree.Element) jxta.ModuleClassID {
	return decodeID(d, e, jxta.AsModuleClassID)
}

// ModuleSpecID parses the text of e as a module spec ID.
func (d *Decoder) ModuleSpecID(e *etree.Element) jxta.ModuleSpecID {
	return decodeID(d, e, jxta.AsModuleSpecID)
}

// Int parses the trimmed text of e as a decimal integer; empty text gives
// 0.
func (d *Decoder) Int(e *etree.Element) int64 {
	s := Text(e)
	if s == "" {
		return 0
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		d.Failf(e, "%q is not an integer", s)
	}
	return v
}

// AttrInt parses attribute key of e as a decimal integer; a missing or
// empty attribute gives 0.
func (d *Decoder) AttrInt(e *etree.Element, key string) int64 {
	s := strings.TrimSpace(e.SelectAttrValue(key, ""))
	if s == "" {
		return 0
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		d.Failf(e, "attribute %s=%q is not an integer", key, s)
	}
	return v
}

// Nested decodes an advertisement embedded as an element tree (a jxta:RA in
// a Parm, a jxta:PipeAdvertisement in an MSA), reporting its errors with
// the lines of the enclosing document.
func (d *Decoder) Nested(e *etree.Element) (Advertisement, error) {
	nd := &Decoder{doc: d.doc, reg: d.reg, docType: docTypeOf(e)}
	a, err := d.reg.decode(nd, e)
	if err != nil && d.err == nil {
		d.err = err
	}
	return a, err
}

// Unknown keeps the parts of a document its type does not define, so that
// they survive a round trip: root attributes other than xmlns:jxta,
// xml:space and type, and unknown child elements.
type Unknown struct {
	Attrs    []xmldoc.Attr
	Elements []*etree.Element
}

// keepAttrs records the root attributes of e that the writer does not
// produce itself.
func (u *Unknown) keepAttrs(e *etree.Element) {
	for _, a := range e.Attr {
		switch k := xmldoc.FullName(a.Space, a.Key); k {
		case "xmlns:jxta", "xml:space", "type":
		default:
			u.Attrs = append(u.Attrs, xmldoc.Attr{Key: k, Value: a.Value})
		}
	}
}

func (u *Unknown) keep(e *etree.Element) { u.Elements = append(u.Elements, e) }

func (u *Unknown) encode(w *xmldoc.Writer) {
	for _, e := range u.Elements {
		w.Element(e)
	}
}

// textElement writes <name>text</name> unless text is empty.
func textElement(w *xmldoc.Writer, name, text string) {
	if text != "" {
		w.TextElement(name, text)
	}
}

// idElement writes <name>id</name> unless id is the Null ID.
func idElement(w *xmldoc.Writer, name string, id jxta.ID) {
	if !id.IsNull() {
		w.TextElementOf(name, id)
	}
}

// NewText returns a new element <tag>text</tag>, for Desc and other
// free-form fields.
func NewText(tag, text string) *etree.Element {
	e := etree.NewElement(tag)
	e.SetText(text)
	return e
}
