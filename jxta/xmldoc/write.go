package xmldoc

import (
	"encoding"
	"unicode/utf8"

	"github.com/beevik/etree"
)

// Style selects how a Writer lays out a document.
type Style uint8

const (
	// Compact is JXSE's storage and wire form: xml:space="preserve" on the
	// root and no indentation.
	Compact Style = iota
	// Indented puts each element on its own line, indented with tabs.
	Indented
)

// Namespace is the URI JXTA binds to the jxta prefix.
const Namespace = "http://jxta.org"

// Attr is an attribute to write.
type Attr struct {
	Key, Value string
}

// Writer builds one XML document in memory. Element and attribute names are
// written as given; text and attribute values are escaped so that the
// result is always well-formed XML 1.0 (characters XML cannot carry are
// replaced by U+FFFD).
type Writer struct {
	buf     []byte
	style   Style
	depth   int
	prolog  bool // write the XML declaration and DOCTYPE before the root
	scratch []byte
	// open reports, per open element, whether it has child elements, so
	// that End knows whether to break the line before the end tag.
	open []bool
}

// NewWriter returns a Writer for one document in the given style. When
// prolog is true the root element is preceded by the XML declaration and
// <!DOCTYPE root>, as JXSE writes standalone documents.
func NewWriter(style Style, prolog bool) *Writer {
	return &Writer{buf: make([]byte, 0, 1024), style: style, prolog: prolog}
}

// Style returns the writer's layout style.
func (w *Writer) Style() Style { return w.style }

// Bytes returns the document written so far.
func (w *Writer) Bytes() []byte { return w.buf }

// StartDocument writes the start tag of a document's root element: name,
// then any attrs, then xml:space="preserve" (compact style only) and
// xmlns:jxta. It is also used for documents embedded in others (a jxta:RA
// inside a peer advertisement), which repeat the declarations as JXSE does.
func (w *Writer) StartDocument(name string, attrs ...Attr) {
	w.startTag(name, attrs)
	if w.style == Compact {
		w.buf = append(w.buf, ` xml:space="preserve"`...)
	}
	w.buf = append(w.buf, ` xmlns:jxta="`+Namespace+`">`...)
	w.pushOpen()
	if w.depth == 1 && w.style == Compact {
		w.buf = append(w.buf, '\n')
	}
}

// Start writes a start tag.
func (w *Writer) Start(name string, attrs ...Attr) {
	w.startTag(name, attrs)
	w.buf = append(w.buf, '>')
	w.pushOpen()
}

func (w *Writer) startTag(name string, attrs []Attr) {
	if n := len(w.open); n > 0 {
		w.open[n-1] = true
	} else if w.prolog {
		w.prolog = false
		w.buf = append(w.buf, `<?xml version="1.0" encoding="UTF-8"?>`+"\n<!DOCTYPE "...)
		w.buf = append(w.buf, name...)
		w.buf = append(w.buf, ">\n"...)
	}
	w.newline()
	w.buf = append(w.buf, '<')
	w.buf = append(w.buf, name...)
	for _, a := range attrs {
		w.attr(a.Key, a.Value)
	}
}

func (w *Writer) pushOpen() {
	w.open = append(w.open, false)
	w.depth++
}

// End writes the end tag of the innermost open element, which must be
// name.
func (w *Writer) End(name string) {
	w.depth--
	hadChildren := w.open[len(w.open)-1]
	w.open = w.open[:len(w.open)-1]
	if hadChildren {
		w.newline()
	}
	w.buf = append(w.buf, "</"...)
	w.buf = append(w.buf, name...)
	w.buf = append(w.buf, '>')
	if w.depth == 0 {
		w.buf = append(w.buf, '\n')
	}
}

// TextElementOf writes <name>text</name> with the text v appends, such as
// an ID, without building an intermediate string.
func (w *Writer) TextElementOf(name string, v encoding.TextAppender) {
	var err error
	w.scratch, err = v.AppendText(w.scratch[:0])
	if err != nil {
		w.scratch = w.scratch[:0]
	}
	w.startTag(name, nil)
	finishLeaf(w, name, w.scratch)
}

// finishLeaf ends a start tag as an element holding only text: <x/> when
// the text is empty, >text</x> otherwise.
func finishLeaf[T string | []byte](w *Writer, name string, text T) {
	if len(text) == 0 {
		w.buf = append(w.buf, "/>"...)
		return
	}
	w.buf = append(w.buf, '>')
	w.buf = appendEscaped(w.buf, text, false)
	w.buf = append(w.buf, "</"...)
	w.buf = append(w.buf, name...)
	w.buf = append(w.buf, '>')
}

// Text writes escaped character data inside the current element.
func (w *Writer) Text(s string) {
	w.buf = appendEscaped(w.buf, s, false)
}

// TextElement writes <name>text</name>. An empty text gives <name/>.
func (w *Writer) TextElement(name, text string) {
	w.startTag(name, nil)
	finishLeaf(w, name, text)
}

// Element writes an element tree as parsed or built with etree: its
// attributes, text and child elements (comments, directives and processing
// instructions are left out).
func (w *Writer) Element(e *etree.Element) {
	if e == nil {
		return
	}
	hasElem := false
	for _, c := range e.Child {
		if _, ok := c.(*etree.Element); ok {
			hasElem = true
			break
		}
	}
	if !hasElem {
		w.startTag(e.FullTag(), nil)
		for _, a := range e.Attr {
			w.attr(a.FullKey(), a.Value)
		}
		finishLeaf(w, e.FullTag(), e.Text())
		return
	}
	w.startTag(e.FullTag(), nil)
	for _, a := range e.Attr {
		w.attr(a.FullKey(), a.Value)
	}
	w.buf = append(w.buf, '>')
	w.pushOpen()
	// Text beside child elements (mixed content) is written as it is, with
	// no indentation added inside: indentation would become part of the
	// text and grow on every round trip.
	if w.style == Indented && mixed(e) {
		w.style = Compact
		defer func() { w.style = Indented }()
	}
	for _, c := range e.Child {
		switch c := c.(type) {
		case *etree.Element:
			w.Element(c)
		case *etree.CharData:
			if w.style == Indented && isSpace(c.Data) {
				continue
			}
			w.buf = appendEscaped(w.buf, c.Data, false)
		}
	}
	w.End(e.FullTag())
}

// mixed reports whether e holds text that is not only white space next to
// child elements.
func mixed(e *etree.Element) bool {
	text := false
	for _, c := range e.Child {
		if cd, ok := c.(*etree.CharData); ok && !isSpace(cd.Data) {
			text = true
			break
		}
	}
	return text && len(e.ChildElements()) > 0
}

// Children writes the child elements (and text) of e, without e itself.
func (w *Writer) Children(e *etree.Element) {
	if e == nil {
		return
	}
	for _, c := range e.Child {
		switch c := c.(type) {
		case *etree.Element:
			w.Element(c)
		case *etree.CharData:
			w.buf = appendEscaped(w.buf, c.Data, false)
		}
	}
}

func (w *Writer) newline() {
	if w.style != Indented || len(w.buf) == 0 {
		return
	}
	if w.depth == 0 && w.buf[len(w.buf)-1] == '\n' {
		return
	}
	w.buf = append(w.buf, '\n')
	for i := 0; i < w.depth; i++ {
		w.buf = append(w.buf, '\t')
	}
}

// attr writes ` key="value"`, or with single quotes when the value holds a
// double quote and no single quote, as JXSE does.
func (w *Writer) attr(key, value string) {
	q := byte('"')
	if containsByte(value, '"') && !containsByte(value, '\'') {
		q = '\''
	}
	w.buf = append(w.buf, ' ')
	w.buf = append(w.buf, key...)
	w.buf = append(w.buf, '=', q)
	w.buf = appendEscaped(w.buf, value, true)
	w.buf = append(w.buf, q)
}

func containsByte(s string, c byte) bool {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return true
		}
	}
	return false
}

// appendEscaped escapes text the JXSE way: & and < only, plus what
// well-formedness needs: > after "]]", CR (which XML readers fold to LF),
// and in attributes the whitespace readers normalise and a double quote
// when both quote characters appear. Characters XML 1.0 cannot carry and
// invalid UTF-8 become U+FFFD. Runs of plain characters are copied whole.
func appendEscaped[T string | []byte](dst []byte, s T, inAttr bool) []byte {
	dq := inAttr && containsByte(string(s), '"') && containsByte(string(s), '\'')
	last := 0
	for i := 0; i < len(s); {
		c := s[i]
		if plainText[c] {
			i++
			continue
		}
		var esc string
		size := 1
		switch {
		case c == '&':
			esc = "&amp;"
		case c == '<':
			esc = "&lt;"
		case c == '>' && i >= 2 && s[i-1] == ']' && s[i-2] == ']':
			esc = "&gt;"
		case c == '"' && dq:
			esc = "&quot;"
		case c == '\r':
			esc = "&#xD;"
		case c == '\n' && inAttr:
			esc = "&#xA;"
		case c == '\t' && inAttr:
			esc = "&#x9;"
		case c == '>' || c == '"' || c == '\n' || c == '\t':
			i++
			continue
		case c < 0x20:
			esc = "\uFFFD"
		default:
			var r rune
			r, size = utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
			if !(r == utf8.RuneError && size == 1 || r == 0xFFFE || r == 0xFFFF) {
				i += size
				continue
			}
			esc = "\uFFFD"
		}
		dst = append(dst, s[last:i]...)
		dst = append(dst, esc...)
		i += size
		last = i
	}
	return append(dst, s[last:]...)
}

// plainText marks the bytes appendEscaped copies as they are, whatever
// surrounds them: printable ASCII but & < > and ".
var plainText = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '&' && c != '<' && c != '>' && c != '"'
	}
	return t
}()
