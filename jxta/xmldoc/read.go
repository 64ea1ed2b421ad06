package xmldoc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unsafe"

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
	return parse(data, lim)
}

// ParseString reads one document from s, as Parse does. The tree's text
// shares s's memory instead of copying it (strings do not change).
func ParseString(s string, lim Limits) (*Document, error) {
	if int64(len(s)) > lim.maxBytes() {
		return nil, &SyntaxError{Msg: fmt.Sprintf("document is %d bytes, more than the limit of %d", len(s), lim.maxBytes()), Err: ErrTooLarge}
	}
	return parseShared(unsafe.Slice(unsafe.StringData(s), len(s)), lim, true)
}

// Read reads one document from r, reading at most lim.MaxBytes+1 bytes.
func Read(r io.Reader, lim Limits) (*Document, error) {
	data, err := io.ReadAll(io.LimitReader(r, lim.maxBytes()+1))
	line := 1 + bytes.Count(data, []byte{'\n'})
	if err != nil {
		return nil, &SyntaxError{Line: line, Msg: err.Error()}
	}
	if int64(len(data)) > lim.maxBytes() {
		return nil, &SyntaxError{Line: line, Msg: fmt.Sprintf("document larger than the limit of %d bytes", lim.maxBytes()), Err: ErrTooLarge}
	}
	return parse(data, lim)
}

// builder makes the element tree of a document from its tokens.
type builder struct {
	doc   *Document
	stack []*etree.Element
	names []string // the names of the open elements, as written
	// text holds the pending character data of each open element; it
	// may point into the input until a second piece is added.
	text [][]byte
	// elems, texts and tokens are where the elements, text nodes and
	// (first) child lists of the tree are taken from, allocated for the
	// whole document at once.
	elems  []etree.Element
	texts  []etree.CharData
	tokens []etree.Token
	// input is the document: text that points into it is copied into
	// the tree, unless immutable says input never changes; text decoded
	// from it is the tree's already.
	input     []byte
	immutable bool
}

func parse(data []byte, lim Limits) (*Document, error) { return parseShared(data, lim, false) }

// parseShared parses data; with immutable true, data never changes and
// the tree's text may point into it.
func parseShared(data []byte, lim Limits, immutable bool) (*Document, error) {
	s := newScanner(data)
	// Every element but the root starts with a '<' that does not start
	// an end tag; so does little else in a JXTA document.
	n := max(bytes.Count(data, []byte{'<'})-bytes.Count(data, []byte("</"))-1, 0)
	// JXTA documents nest a few levels deep: room for that, so that the
	// stacks do not grow element by element.
	const depth = 16
	b := builder{doc: &Document{}, elems: make([]etree.Element, 0, n), texts: make([]etree.CharData, 0, n+1),
		tokens: make([]etree.Token, n), input: data, immutable: immutable,
		stack: make([]*etree.Element, 0, depth), names: make([]string, 0, depth), text: make([][]byte, 0, depth)}
	b.doc.lines = make([]elementLine, 0, n+1)
	maxDepth := lim.maxDepth()
	for {
		s.expect = ""
		if n := len(b.names); n > 0 {
			s.expect = b.names[n-1]
		}
		tok, err := s.next()
		if err != nil {
			return nil, err
		}
		switch tok {
		case tokEOF:
			if len(b.stack) != 0 {
				return nil, s.errAt(len(data), fmt.Sprintf("document ends inside <%s>", b.names[len(b.names)-1]))
			}
			if b.doc.Root == nil {
				return nil, &SyntaxError{Line: s.lineAt(len(data)), Msg: "no root element", Err: ErrNoRoot}
			}
			return b.doc, nil
		case tokStart:
			if len(b.stack) == 0 && b.doc.Root != nil {
				return nil, s.err(fmt.Sprintf("element <%s> after the root element", s.name))
			}
			if len(b.stack) >= maxDepth {
				return nil, &SyntaxError{Line: s.lineAt(s.pos), Msg: fmt.Sprintf("elements nested more than %d deep", maxDepth), Err: ErrTooDeep}
			}
			if err := checkNames(s.name, s.attrs); err != nil {
				return nil, s.err(err.Error())
			}
			b.start(s.name, s.attrs, s.lineAt(s.pos))
		case tokEnd:
			if len(b.stack) == 0 {
				return nil, s.err(fmt.Sprintf("end tag </%s> without a start tag", s.name))
			}
			if top := b.names[len(b.names)-1]; top != s.name {
				return nil, s.err(fmt.Sprintf("end tag </%s> does not match <%s>", s.name, top))
			}
			b.end()
		case tokText:
			if len(b.stack) == 0 {
				if !isSpace(s.text) {
					return nil, s.err("text outside the root element")
				}
				continue
			}
			i := len(b.stack) - 1
			if len(b.text[i]) == 0 {
				b.text[i] = s.text
			} else {
				// A second piece: copy, never writing into the input.
				b.text[i] = append(b.text[i][:len(b.text[i]):len(b.text[i])], s.text...)
			}
		case tokDirective:
			if len(b.stack) == 0 && b.doc.Root == nil {
				b.doc.Doctype = doctypeName(s.directive)
			}
		case tokOther:
			// Comments and processing instructions carry nothing for JXTA.
		}
	}
}

// checkNames refuses element and attribute names that cannot be written
// back: a colon at either end of a name (such as ":" or "a:").
func checkNames(name string, attrs []rawAttr) error {
	if !goodName(name) {
		return fmt.Errorf("invalid element name %q", name)
	}
	for _, a := range attrs {
		if !goodName(a.key) {
			return fmt.Errorf("invalid attribute name %q in <%s>", a.key, name)
		}
	}
	return nil
}

// goodName reports whether a name (with at most one colon, as the scanner
// reads them) has a non-empty prefix and local part around its colon.
func goodName(n string) bool {
	i := strings.IndexByte(n, ':')
	return i < 0 || i > 0 && i < len(n)-1
}

func (b *builder) start(name string, attrs []rawAttr, line int) {
	var e *etree.Element
	if n := len(b.stack); n == 0 {
		e = etree.NewElement(name)
		// The root of a JXTA document holds its fields: room for a few.
		e.Child = make([]etree.Token, 0, 8)
		b.doc.Root = e
	} else {
		parent := b.stack[n-1]
		b.flushText(n-1, false)
		if len(b.elems) == cap(b.elems) {
			b.elems = make([]etree.Element, 0, 16) // more than counted (a comment holding '<'?)
		}
		b.elems = b.elems[:len(b.elems)+1]
		e = &b.elems[len(b.elems)-1]
		e.Space, e.Tag = splitName(name)
		// Most elements hold one child (their text): room for it, taken
		// from the slab; more children grow the list as usual.
		if len(b.tokens) > 0 {
			e.Child, b.tokens = b.tokens[:0:1], b.tokens[1:]
		}
		parent.AddChild(e)
	}
	if len(attrs) > 0 {
		e.Attr = make([]etree.Attr, 0, len(attrs))
		for _, a := range attrs {
			e.CreateAttr(a.key, a.value)
		}
	}
	b.stack = append(b.stack, e)
	b.names = append(b.names, name)
	if len(b.text) < len(b.stack) {
		b.text = append(b.text, nil)
	}
	b.doc.lines = append(b.doc.lines, elementLine{e, line})
}

func (b *builder) end() {
	n := len(b.stack) - 1
	b.flushText(n, true)
	b.stack = b.stack[:n]
	b.names = b.names[:n]
}

// flushText attaches the pending text of the element at depth i. Text that
// is only whitespace is dropped when it sits next to child elements (it is
// indentation), but kept in a leaf element.
func (b *builder) flushText(i int, closing bool) {
	text := b.text[i]
	if len(text) == 0 {
		return
	}
	b.text[i] = nil
	e := b.stack[i]
	if isSpace(text) && (!closing || len(e.Child) > 0) {
		return
	}
	if len(b.texts) == cap(b.texts) {
		b.texts = make([]etree.CharData, 0, 16)
	}
	b.texts = b.texts[:len(b.texts)+1]
	cd := &b.texts[len(b.texts)-1]
	if !b.immutable && b.inInput(text) {
		cd.Data = string(text)
	} else {
		// Decoded or joined text is a buffer of its own that nothing
		// writes to again, and immutable input never changes: the string
		// can share it.
		cd.Data = unsafe.String(unsafe.SliceData(text), len(text))
	}
	// Appended as the last child, as CreateText does, and as SetText does
	// for an element without children.
	e.AddChild(cd)
}

// inInput reports whether text points into the document being read.
func (b *builder) inInput(text []byte) bool {
	if len(b.input) == 0 {
		return false
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(b.input)))
	p := uintptr(unsafe.Pointer(unsafe.SliceData(text)))
	return p >= start && p < start+uintptr(len(b.input))
}

// splitName splits a name into its prefix and local part, as etree
// does.
func splitName(name string) (space, local string) {
	if i := strings.IndexByte(name, ':'); i >= 0 {
		return name[:i], name[i+1:]
	}
	return "", name
}

func isSpace[T string | []byte](s T) bool {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\n', '\r':
		default:
			return false
		}
	}
	return true
}

func doctypeName[T ~string | ~[]byte](d T) string {
	s := bytes.TrimSpace([]byte(d))
	rest, ok := bytes.CutPrefix(s, []byte("DOCTYPE"))
	if !ok {
		return ""
	}
	// The first field after DOCTYPE, as strings.Fields splits them.
	f := bytes.Fields(rest)
	if len(f) == 0 {
		return ""
	}
	return intern(bytes.TrimSuffix(f[0], []byte("[")))
}
