package jxta

import (
	"bytes"
	"unicode/utf8"
)

// The fast path of DecodeXMLMessage reads messages laid out exactly as
// EncodeXMLMessage writes them, by scanning bytes rather than through
// encoding/xml's tokenizer, which reads about 40 MB/s and made bulk data
// in XML messages crawl. Anything else — other spacing or attribute order,
// single quotes, comments, CDATA, character references, carriage returns outside base64,
// signatures, nested messages, non-ASCII outside text — falls back to the
// full decoder, and so does input that would fail. The fuzz target
// FuzzXMLMessageFastPath checks that whatever the fast path accepts, the
// full decoder decodes to the same message.

const (
	xmlProlog   = "<?xml version=\"1.0\"?>\n<!DOCTYPE Message>\n<Message version=\"0\">\n"
	xmlEpilog   = "</Message>\n"
	xmlElemOpen = "<Element name=\""
	xmlElemEnd  = "</Element>\n"
)

// decodeXMLMessageFast decodes data if it has EncodeXMLMessage's exact
// layout and reports whether it did.
func decodeXMLMessageFast(data []byte, lim MessageLimits) (*Message, bool) {
	rest, ok := bytes.CutPrefix(data, []byte(xmlProlog))
	if !ok {
		return nil, false
	}
	m := new(Message)
	for !bytes.Equal(rest, []byte(xmlEpilog)) {
		if m.Len() >= lim.MaxElements {
			return nil, false
		}
		var e Element
		if rest, ok = fastElement(rest, &e); !ok {
			return nil, false
		}
		m.elements = append(m.elements, e)
	}
	return m, true
}

// fastElement reads one <Element ...>content</Element>\n from b.
func fastElement(b []byte, e *Element) ([]byte, bool) {
	b, ok := bytes.CutPrefix(b, []byte(xmlElemOpen))
	if !ok {
		return nil, false
	}
	var qname, typ string
	if qname, b, ok = fastAttr(b); !ok {
		return nil, false
	}
	if b, ok = bytes.CutPrefix(b, []byte(` mime_type="`)); !ok {
		return nil, false
	}
	if typ, b, ok = fastAttr(b); !ok {
		return nil, false
	}
	base64Content := false
	if rest, found := bytes.CutPrefix(b, []byte(` encoding="base64">`)); found {
		base64Content, b = true, rest
	} else if b, ok = bytes.CutPrefix(b, []byte(">")); !ok {
		return nil, false
	}
	end := bytes.IndexByte(b, '<')
	if end < 0 {
		return nil, false
	}
	content := b[:end]
	b, ok = bytes.CutPrefix(b[end:], []byte(xmlElemEnd))
	if !ok || isMessageTypeString(typ) {
		return nil, false
	}
	e.Namespace, e.Name, e.Type = NamespaceApp, qname, typ
	if i := indexByteString(qname, ':'); i >= 0 {
		e.Namespace, e.Name = qname[:i], qname[i+1:]
	}
	if base64Content {
		// Base64 decoding skips carriage returns and newlines, which the
		// full decoder strips too, and refuses spaces and tabs, which
		// fall back to it.
		data, err := decodeBase64(content)
		if err != nil {
			return nil, false
		}
		e.Data = data
		return b, true
	}
	text, ok := fastText(content)
	if !ok {
		return nil, false
	}
	// A copy: DecodeXMLMessage's messages do not refer into their input.
	e.Data = bytes.Clone(bytes.Trim(text, " \t\n"))
	return b, true
}

// fastAttr reads an attribute value up to its closing quote: printable
// ASCII with XML's predefined entities only.
func fastAttr(b []byte) (string, []byte, bool) {
	end := bytes.IndexByte(b, '"')
	if end < 0 {
		return "", nil, false
	}
	v := b[:end]
	for _, c := range v {
		if c < 0x20 || c >= 0x7f || c == '<' {
			return "", nil, false
		}
	}
	text, ok := unescapeXML(v)
	if !ok {
		return "", nil, false
	}
	return string(text), b[end+1:], true
}

// fastText checks and unescapes element text: valid XML characters,
// predefined entities only, no "]]>".
func fastText(b []byte) ([]byte, bool) {
	if bytes.Contains(b, []byte("]]>")) {
		return nil, false
	}
	for i := 0; i < len(b); {
		if c := b[i]; c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' {
				return nil, false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || !isXMLChar(r) {
			return nil, false
		}
		i += n
	}
	return unescapeXML(b)
}

// unescapeXML replaces &amp; &lt; &gt; &quot; and &apos;; any other
// reference is refused.
func unescapeXML(b []byte) ([]byte, bool) {
	i := bytes.IndexByte(b, '&')
	if i < 0 {
		return b, true
	}
	out := make([]byte, 0, len(b))
	for i >= 0 {
		out = append(out, b[:i]...)
		b = b[i:]
		var r byte
		switch {
		case bytes.HasPrefix(b, []byte("&amp;")):
			r, b = '&', b[5:]
		case bytes.HasPrefix(b, []byte("&lt;")):
			r, b = '<', b[4:]
		case bytes.HasPrefix(b, []byte("&gt;")):
			r, b = '>', b[4:]
		case bytes.HasPrefix(b, []byte("&quot;")):
			r, b = '"', b[6:]
		case bytes.HasPrefix(b, []byte("&apos;")):
			r, b = '\'', b[6:]
		default:
			return nil, false
		}
		out = append(out, r)
		i = bytes.IndexByte(b, '&')
	}
	return append(out, b...), true
}

func indexByteString(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}
