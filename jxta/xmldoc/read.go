package xmldoc

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/beevik/etree"
)

// Limits bound the work and memory spent reading one document.
type Limits struct {
	// MaxBytes is the largest document accepted, in bytes. Zero means
	// DefaultMaxBytes.
	MaxBytes int64
	// MaxDepth is the deepest element nesting accepted (the root is depth
	// 1). Zero means DefaultMaxDepth.
	MaxDepth int
}

// The default limits. Real JXTA documents are a few KB and nest less than
// ten levels; a discovery response with fifty advertisements is well under
// a megabyte.
const (
	DefaultMaxBytes = 4 << 20
	DefaultMaxDepth = 64
)

func (l Limits) maxBytes() int64 {
	if l.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return l.MaxBytes
}

func (l Limits) maxDepth() int {
	if l.MaxDepth <= 0 {
		return DefaultMaxDepth
	}
	return l.MaxDepth
}

// Errors wrapped by SyntaxError for the limits.
var (
	ErrTooLarge = errors.New("document too large")
	ErrTooDeep  = errors.New("document nested too deeply")
	ErrNoRoot   = errors.New("no root element")
)

// SyntaxError reports a document that is not acceptable XML, with the line
// where the problem was found.
type SyntaxError struct {
	Line int
	Msg  string
	Err  error // ErrTooLarge, ErrTooDeep, ErrNoRoot or nil
}

// Error returns the message.
func (e *SyntaxError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// Unwrap returns the underlying error.
func (e *SyntaxError) Unwrap() error { return e.Err }

// Document is a parsed JXTA document.
type Document struct {
	// Root is the root element. Whitespace-only text between elements has
	// been dropped, comments and processing instructions removed, and
	// adjacent text (including CDATA) merged.
	Root *etree.Element
	// Doctype is the name given in <!DOCTYPE name>, or "".
	Doctype string
	lines   []elementLine
}

type elementLine struct {
	e    *etree.Element
	line int
}

// Line returns the line on which element e of the document started, or 0
// if e is not part of the document as parsed.
func (d *Document) Line(e *etree.Element) int {
	for _, l := range d.lines {
		if l.e == e {
			return l.line
		}
	}
	return 0
}

// Parse reads one document from data.
func Parse(data []byte, lim Limits) (*Document, error) {
	if int64(len(data)) > lim.maxBytes() {
		return nil, &SyntaxError{Msg: fmt.Sprintf("document is %d bytes, more than the limit of %d", len(data), lim.maxBytes()), Err: ErrTooLarge}
	}
	return parse(bytes.NewReader(data), lim, nil)
}

// Read reads one document from r, reading at most lim.MaxBytes+1 bytes.
func Read(r io.Reader, lim Limits) (*Document, error) {
	lr := &limitReader{r: r, n: lim.maxBytes()}
	return parse(lr, lim, lr)
}

// limitReader fails with ErrTooLarge once more than n bytes were asked for.
type limitReader struct {
	r        io.Reader
	n        int64
	exceeded bool
}

func (l *limitReader) Read(p []byte) (int, error) {
	if l.n <= 0 {
		l.exceeded = true
		return 0, ErrTooLarge
	}
	if int64(len(p)) > l.n {
		p = p[:l.n]
	}
	n, err := l.r.Read(p)
	l.n -= int64(n)
	return n, err
}

type builder struct {
	doc   *Document
	stack []*etree.Element
	text  [][]byte // pending text per open element
}

func parse(r io.Reader, lim Limits, lr *limitReader) (*Document, error) {
	dec := xml.NewDecoder(r)
	dec.Strict = true
	dec.CharsetReader = passCharset
	b := builder{doc: &Document{}}
	maxDepth := lim.maxDepth()
	line := func() int { l, _ := dec.InputPos(); return l }
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			if lr != nil && lr.exceeded {
				return nil, &SyntaxError{Line: line(), Msg: fmt.Sprintf("document larger than the limit of %d bytes", lim.maxBytes()), Err: ErrTooLarge}
			}
			return nil, syntaxError(err, line())
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(b.stack) == 0 && b.doc.Root != nil {
				return nil, &SyntaxError{Line: line(), Msg: fmt.Sprintf("element <%s> after the root element", qname(t.Name))}
			}
			if len(b.stack) >= maxDepth {
				return nil, &SyntaxError{Line: line(), Msg: fmt.Sprintf("elements nested more than %d deep", maxDepth), Err: ErrTooDeep}
			}
			if err := checkNames(t); err != nil {
				return nil, &SyntaxError{Line: line(), Msg: err.Error()}
			}
			b.start(t, line())
		case xml.EndElement:
			if len(b.stack) == 0 {
				return nil, &SyntaxError{Line: line(), Msg: fmt.Sprintf("end tag </%s> without a start tag", qname(t.Name))}
			}
			top := b.stack[len(b.stack)-1]
			if top.FullTag() != qname(t.Name) {
				return nil, &SyntaxError{Line: line(), Msg: fmt.Sprintf("end tag </%s> does not match <%s>", qname(t.Name), top.FullTag())}
			}
			b.end()
		case xml.CharData:
			if len(b.stack) == 0 {
				if len(bytes.TrimSpace(t)) != 0 {
					return nil, &SyntaxError{Line: line(), Msg: "text outside the root element"}
				}
				continue
			}
			i := len(b.stack) - 1
			b.text[i] = append(b.text[i], t...)
		case xml.Directive:
			if len(b.stack) == 0 && b.doc.Root == nil {
				b.doc.Doctype = doctypeName(t)
			}
		case xml.Comment, xml.ProcInst:
			// Comments and processing instructions carry nothing for JXTA.
		}
	}
	if len(b.stack) != 0 {
		return nil, &SyntaxError{Line: line(), Msg: fmt.Sprintf("document ends inside <%s>", b.stack[len(b.stack)-1].FullTag())}
	}
	if b.doc.Root == nil {
		return nil, &SyntaxError{Line: line(), Msg: "no root element", Err: ErrNoRoot}
	}
	return b.doc, nil
}

// checkNames refuses element and attribute names that cannot be written
// back: an empty name or prefix around a colon (such as ":" or "a:").
func checkNames(t xml.StartElement) error {
	if !goodName(t.Name) {
		return fmt.Errorf("invalid element name %q", qname(t.Name))
	}
	for _, a := range t.Attr {
		if !goodName(a.Name) {
			return fmt.Errorf("invalid attribute name %q in <%s>", qname(a.Name), qname(t.Name))
		}
	}
	return nil
}

func goodName(n xml.Name) bool {
	return n.Local != "" && !strings.Contains(n.Local, ":") && !strings.Contains(n.Space, ":") &&
		!(n.Space == "" && strings.HasPrefix(n.Local, ":"))
}

func passCharset(_ string, r io.Reader) (io.Reader, error) { return r, nil }

func (b *builder) start(t xml.StartElement, line int) {
	var e *etree.Element
	if n := len(b.stack); n == 0 {
		e = etree.NewElement(qname(t.Name))
		b.doc.Root = e
	} else {
		parent := b.stack[n-1]
		b.flushText(n-1, false)
		e = parent.CreateElement(qname(t.Name))
	}
	for _, a := range t.Attr {
		key := a.Name.Local
		if a.Name.Space != "" {
			key = a.Name.Space + ":" + key
		}
		e.CreateAttr(key, a.Value)
	}
	b.stack = append(b.stack, e)
	if len(b.text) < len(b.stack) {
		b.text = append(b.text, nil)
	}
	b.doc.lines = append(b.doc.lines, elementLine{e, line})
}

func (b *builder) end() {
	n := len(b.stack) - 1
	b.flushText(n, true)
	b.stack = b.stack[:n]
}

// flushText attaches the pending text of the element at depth i. Text that
// is only whitespace is dropped when it sits next to child elements (it is
// indentation), but kept in a leaf element.
func (b *builder) flushText(i int, closing bool) {
	if len(b.text[i]) == 0 {
		return
	}
	s := string(b.text[i])
	b.text[i] = b.text[i][:0]
	e := b.stack[i]
	if isSpace(s) && (!closing || len(e.Child) > 0) {
		return
	}
	if closing && len(e.Child) == 0 {
		e.SetText(s)
		return
	}
	e.CreateText(s)
}

func isSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return true
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

func doctypeName(d xml.Directive) string {
	s := strings.TrimSpace(string(d))
	if !strings.HasPrefix(s, "DOCTYPE") {
		return ""
	}
	f := strings.Fields(s[len("DOCTYPE"):])
	if len(f) == 0 {
		return ""
	}
	return strings.TrimSuffix(f[0], "[")
}

// syntaxError turns an encoding/xml error into a SyntaxError with a clear
// message.
func syntaxError(err error, line int) *SyntaxError {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		msg := se.Msg
		if strings.HasPrefix(msg, "invalid character entity") {
			msg += " (entity declarations are not supported; only &amp; &lt; &gt; &quot; &apos; and character references are)"
		}
		if se.Line > 0 {
			line = se.Line
		}
		return &SyntaxError{Line: line, Msg: msg}
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		return &SyntaxError{Line: line, Msg: "unexpected end of document"}
	}
	return &SyntaxError{Line: line, Msg: err.Error()}
}
