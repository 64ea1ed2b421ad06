package jxta

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"slices"
	"strings"
	"unicode/utf8"
)

// The XML message format of the JXTA specification, for text-only
// transports (JXSE 2.x transports do not use it):
//
//	<?xml version="1.0"?>
//	<!DOCTYPE Message>
//	<Message version="0">
//	<Element name="jxta:SourceAddress" mime_type="text/plain">tcp://10.0.0.1:9701</Element>
//	<Element name="stuff" mime_type="application/octet-stream" encoding="base64">AAECAw==</Element>
//	</Message>
//
// An element's name attribute is its namespace, a colon and its name; in
// namespace "" it is just the name (or ":name" when the name itself holds
// a colon). A missing mime_type means application/octet-stream.
//
// Signatures, which the specification does not cover, are written as a
// Signature child at the end of their element, with the same attributes
// and content rules as an Element:
//
//	<Element name="a" mime_type="text/plain">hello<Signature name="jxta:sig" mime_type="application/octet-stream" encoding="base64">AQI=</Signature></Element>

// EncodeXMLMessage returns m in the XML message format. Content of text
// types (text/*, application/xml and */*+xml) is written as escaped text
// when it survives an XML reader unchanged: valid UTF-8 of characters XML
// 1.0 allows, no CR (readers fold it into LF), and no leading or trailing
// white space (DecodeXMLMessage trims text, as the specification's sample
// is indented). Everything else is base64, so that content round-trips
// exactly. Signature elements are written as nested Signature elements.
//
// Names, namespaces and types are attribute values and must be valid XML
// text: characters XML cannot carry become U+FFFD. A namespace must not
// contain a colon, which separates it from the name.
func EncodeXMLMessage(m *Message) []byte { return AppendXMLMessage(nil, m) }

// AppendXMLMessage appends m in the XML message format (see
// EncodeXMLMessage) to dst.
func AppendXMLMessage(dst []byte, m *Message) []byte {
	size := 80
	for i := range m.elements {
		for e := &m.elements[i]; e != nil; e = e.Signature {
			size += 60 + len(e.Namespace) + len(e.Name) + len(e.MIMEType()) + len(e.Data)*4/3 + 4
		}
	}
	b := slices.Grow(dst, size)
	b = append(b, xmlProlog...)
	for i := range m.elements {
		b = appendXMLElement(b, "Element", &m.elements[i])
		b = append(b, '\n')
	}
	return append(b, xmlEpilog...)
}

func appendXMLElement(b []byte, tag string, e *Element) []byte {
	b = append(b, '<')
	b = append(b, tag...)
	b = append(b, ` name="`...)
	switch {
	case e.Namespace != "":
		b = appendXMLAttr(b, e.Namespace)
		b = append(b, ':')
	case strings.IndexByte(e.Name, ':') >= 0:
		b = append(b, ':')
	}
	b = appendXMLAttr(b, e.Name)
	b = append(b, `" mime_type="`...)
	b = appendXMLAttr(b, e.MIMEType())
	b = append(b, '"')
	if isTextType(e.MIMEType()) && xmlSafeText(e.Data) {
		b = append(b, '>')
		b = appendXMLText(b, e.Data)
	} else {
		b = append(b, ` encoding="base64">`...)
		b = appendBase64(b, e.Data)
	}
	if e.Signature != nil {
		b = appendXMLElement(b, "Signature", e.Signature)
	}
	b = append(b, "</"...)
	b = append(b, tag...)
	return append(b, '>')
}

// isTextType reports whether content of MIME type t is text to be written
// as such in XML.
func isTextType(t string) bool {
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	t = strings.ToLower(strings.TrimSpace(t))
	return strings.HasPrefix(t, "text/") || t == "application/xml" || strings.HasSuffix(t, "+xml")
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// isXMLChar reports whether XML 1.0 allows r in a document.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// xmlSafeText reports whether b, written as XML text, reads back as b
// after DecodeXMLMessage's trimming.
func xmlSafeText(b []byte) bool {
	if len(b) > 0 && (isXMLSpace(b[0]) || isXMLSpace(b[len(b)-1])) {
		return false
	}
	for len(b) > 0 {
		r, n := utf8.DecodeRune(b)
		if r == utf8.RuneError && n == 1 || r == '\r' || !isXMLChar(r) {
			return false
		}
		b = b[n:]
	}
	return true
}

func appendXMLText(b, text []byte) []byte {
	for _, c := range text {
		switch c {
		case '&':
			b = append(b, "&amp;"...)
		case '<':
			b = append(b, "&lt;"...)
		case '>':
			b = append(b, "&gt;"...)
		default:
			b = append(b, c)
		}
	}
	return b
}

func appendXMLAttr(b []byte, s string) []byte {
	for _, r := range s {
		switch {
		case r == '&':
			b = append(b, "&amp;"...)
		case r == '<':
			b = append(b, "&lt;"...)
		case r == '>':
			b = append(b, "&gt;"...)
		case r == '"':
			b = append(b, "&quot;"...)
		case r == '\t':
			b = append(b, "&#x9;"...)
		case r == '\n':
			b = append(b, "&#xA;"...)
		case r == '\r':
			b = append(b, "&#xD;"...)
		case !isXMLChar(r): // includes invalid UTF-8, decoded as U+FFFD
			b = utf8.AppendRune(b, utf8.RuneError)
		default:
			b = utf8.AppendRune(b, r)
		}
	}
	return b
}

// DecodeXMLMessage decodes a message in the XML message format. The input
// must be UTF-8 XML with no entities besides XML's own; its size is checked
// against lim.MaxSize before it is parsed. Text content is trimmed of
// surrounding white space; base64 content may be wrapped. Unknown elements
// and attributes are ignored. Nested binary messages (elements of type
// application/x-jxta-msg) are checked as DecodeBinary checks them. The
// message shares no memory with data, which the caller may reuse (unlike
// DecodeBinary's, whose elements refer into its input).
// Errors are *MessageError values wrapping ErrBadMessage or
// ErrMessageTooLarge; their Offset is a byte offset into data.
func DecodeXMLMessage(data []byte, lim MessageLimits) (*Message, error) {
	lim = lim.withDefaults()
	if len(data) > lim.MaxSize {
		return nil, tooLarge(0, "message of %d bytes exceeds the limit of %d bytes", len(data), lim.MaxSize)
	}
	if m, ok := decodeXMLMessageFast(data, lim); ok && m.CheckEncodable() == nil {
		return m, nil
	}
	return decodeXMLMessageFull(data, lim)
}

// decodeXMLMessageFull decodes any XML message with encoding/xml.
func decodeXMLMessageFull(data []byte, lim MessageLimits) (*Message, error) {
	x := xmlDecoder{d: xml.NewDecoder(bytes.NewReader(data)), lim: lim}
	x.d.Strict = true
	m := new(Message)
	if err := x.message(m); err != nil {
		return nil, err
	}
	if err := m.CheckEncodable(); err != nil {
		return nil, err
	}
	return m, nil
}

type xmlDecoder struct {
	d   *xml.Decoder
	lim MessageLimits
}

func (x *xmlDecoder) bad(format string, args ...any) error {
	return badMessage(int(x.d.InputOffset()), format, args...)
}

// token returns the next token, reporting a syntax error as ErrBadMessage.
func (x *xmlDecoder) token() (xml.Token, error) {
	at := int(x.d.InputOffset())
	t, err := x.d.Token()
	if err == io.EOF {
		return nil, err
	}
	if err != nil {
		var se *xml.SyntaxError
		if errors.As(err, &se) {
			return nil, badMessage(at, "XML line %d: %s", se.Line, se.Msg)
		}
		return nil, badMessage(at, "XML: %v", err)
	}
	return t, nil
}

func (x *xmlDecoder) message(m *Message) error {
	// Prolog: the declaration, DOCTYPE, comments, white space.
	var root xml.StartElement
	for root.Name.Local == "" {
		t, err := x.token()
		if err == io.EOF {
			return x.bad("no Message element")
		}
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.StartElement:
			root = t
		case xml.CharData:
			if len(bytes.TrimLeft(t, " \t\r\n")) > 0 {
				return x.bad("text before the Message element")
			}
		}
	}
	if root.Name.Local != "Message" || root.Name.Space != "" {
		return x.bad("root element is <%s>, want <Message>", root.Name.Local)
	}
	if v, ok := attr(root, "version"); ok && v != "0" {
		return x.bad("XML message version %q not supported (want 0)", v)
	}
	for {
		t, err := x.token()
		if err == io.EOF {
			return x.bad("unterminated Message element")
		}
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.StartElement:
			if t.Name.Local != "Element" || t.Name.Space != "" {
				if err := x.skip(); err != nil {
					return err
				}
				continue
			}
			if m.Len() >= x.lim.MaxElements {
				return tooLarge(int(x.d.InputOffset()), "message has more than %d elements", x.lim.MaxElements)
			}
			e := next(m)
			if err := x.element(t, e, 0); err != nil {
				return err
			}
		case xml.EndElement:
			return x.epilog()
		}
	}
}

// epilog checks that only comments and white space follow the root.
func (x *xmlDecoder) epilog() error {
	for {
		t, err := x.token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.StartElement:
			return x.bad("element <%s> after the Message element", t.Name.Local)
		case xml.CharData:
			if len(bytes.TrimLeft(t, " \t\r\n")) > 0 {
				return x.bad("text after the Message element")
			}
		}
	}
}

func (x *xmlDecoder) skip() error {
	if err := x.d.Skip(); err != nil {
		return x.bad("XML: %v", err)
	}
	return nil
}

func attr(t xml.StartElement, name string) (string, bool) {
	for _, a := range t.Attr {
		if a.Name.Local == name && a.Name.Space == "" {
			return a.Value, true
		}
	}
	return "", false
}

// element reads an Element or Signature element whose start tag is start.
func (x *xmlDecoder) element(start xml.StartElement, e *Element, sigDepth int) error {
	at := int(x.d.InputOffset())
	qname, ok := attr(start, "name")
	if !ok {
		return x.bad("<%s> without a name attribute", start.Name.Local)
	}
	e.Namespace, e.Name = NamespaceApp, qname
	if i := strings.IndexByte(qname, ':'); i >= 0 {
		e.Namespace, e.Name = qname[:i], qname[i+1:]
	}
	e.Type, _ = attr(start, "mime_type")
	enc, _ := attr(start, "encoding")
	if enc != "" && !strings.EqualFold(enc, "base64") {
		return x.bad("element %q: encoding %q not supported (want base64)", qname, enc)
	}
	var text []byte
	for done := false; !done; {
		t, err := x.token()
		if err == io.EOF {
			return x.bad("unterminated element %q", qname)
		}
		if err != nil {
			return err
		}
		switch t := t.(type) {
		case xml.CharData:
			text = append(text, t...)
		case xml.StartElement:
			if t.Name.Local != "Signature" || t.Name.Space != "" {
				if err := x.skip(); err != nil {
					return err
				}
				continue
			}
			if e.Signature != nil {
				return x.bad("element %q has two signatures", qname)
			}
			if sigDepth >= x.lim.MaxDepth {
				return tooLarge(int(x.d.InputOffset()), "signature chain longer than %d", x.lim.MaxDepth)
			}
			e.Signature = new(Element)
			if err := x.element(t, e.Signature, sigDepth+1); err != nil {
				return err
			}
		case xml.EndElement:
			done = true
		}
	}
	if enc == "" {
		e.Data = bytes.Trim(text, " \t\r\n")
	} else {
		text = bytes.Map(func(r rune) rune {
			if r == ' ' || r == '\t' || r == '\r' || r == '\n' {
				return -1
			}
			return r
		}, text)
		data, err := decodeBase64(text)
		if err != nil {
			return badMessage(at, "element %q: bad base64 content: %v", qname, err)
		}
		e.Data = data
	}
	if isMessageTypeString(e.Type) {
		d := decoder{data: e.Data, lim: x.lim}
		if err := d.message(0, len(e.Data), 1, nil); err != nil {
			var me *MessageError
			if errors.As(err, &me) {
				return &MessageError{Offset: at, Msg: "element " + qname + ": nested message: " + me.Msg, Err: me.Err}
			}
			return err
		}
	}
	return nil
}
