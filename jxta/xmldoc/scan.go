package xmldoc

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file holds the tokenizer. It reads a document held in memory with
// the rules of encoding/xml's Decoder in strict mode (RawToken): the same
// documents are accepted, with the same names, attribute values and
// character data (entities and character references replaced, CR and CRLF
// turned into LF, every character checked against the XML Char
// production), and the same lines. It differs only in speed: it scans
// bytes in place, copies text only when it must be decoded, and keeps the
// names JXTA documents use as shared strings. FuzzParseMatchesEncodingXML
// checks the equivalence against encoding/xml itself.

// tokenKind is the kind of token the scanner read.
type tokenKind uint8

const (
	tokEOF       tokenKind = iota
	tokStart               // a start tag: name, attrs, empty
	tokEnd                 // an end tag (also after an empty-element tag): name
	tokText                // character data or a CDATA section: text
	tokDirective           // <!...>: directive
	tokOther               // a comment or processing instruction, which carry nothing
)

// rawAttr is an attribute as written in a start tag.
type rawAttr struct {
	key, value string
}

// scanner reads the tokens of one document.
type scanner struct {
	data []byte
	pos  int
	// lineAt's memory: line is the line of data[linePos].
	linePos, line int

	// The last token.
	name      string    // tokStart, tokEnd
	attrs     []rawAttr // tokStart; reused
	empty     bool      // tokStart: an empty-element tag, whose tokEnd comes next
	text      []byte    // tokText: may point into data
	directive []byte    // tokDirective
	closeNext bool      // the next token is the end of the empty element name

	// expect is the name of the innermost open element, which the next
	// end tag most likely repeats; the reader of the tokens sets it.
	expect string
}

func newScanner(data []byte) *scanner {
	return &scanner{data: data, line: 1}
}

// lineAt returns the line of data[pos], counting from 1.
func (s *scanner) lineAt(pos int) int {
	pos = min(pos, len(s.data))
	if pos < s.linePos {
		s.linePos, s.line = 0, 1
	}
	s.line += bytes.Count(s.data[s.linePos:pos], []byte{'\n'})
	s.linePos = pos
	return s.line
}

// errAt returns a syntax error found after reading data[:pos].
func (s *scanner) errAt(pos int, msg string) *SyntaxError {
	return &SyntaxError{Line: s.lineAt(pos), Msg: msg}
}

// err returns a syntax error at the current position.
func (s *scanner) err(msg string) *SyntaxError { return s.errAt(s.pos, msg) }

// eof returns the error for a document that ends inside a token.
func (s *scanner) eof() *SyntaxError { return s.errAt(len(s.data), "unexpected EOF") }

// next reads the next token.
func (s *scanner) next() (tokenKind, error) {
	if s.closeNext {
		s.closeNext = false
		return tokEnd, nil
	}
	if s.pos >= len(s.data) {
		return tokEOF, nil
	}
	if s.data[s.pos] != '<' {
		text, err := s.charData()
		if err != nil {
			return 0, err
		}
		s.text = text
		return tokText, nil
	}
	s.pos++
	if s.pos >= len(s.data) {
		return 0, s.eof()
	}
	switch s.data[s.pos] {
	case '/':
		s.pos++
		return s.endTag()
	case '?':
		s.pos++
		return s.procInst()
	case '!':
		s.pos++
		return s.bang()
	}
	return s.startTag()
}

// endTag reads the rest of "</name >".
func (s *scanner) endTag() (tokenKind, error) {
	var name string
	var ok bool
	var err error
	if e := s.expect; e != "" && len(s.data)-s.pos > len(e) && string(s.data[s.pos:s.pos+len(e)]) == e &&
		s.data[s.pos+len(e)] < utf8.RuneSelf && !isNameByte(s.data[s.pos+len(e)]) {
		// The usual end tag: the open element's name, read and checked
		// when the element started.
		name, ok = e, true
		s.pos += len(e)
	} else if name, ok, err = s.nsName(); err != nil {
		return 0, err
	}
	if !ok {
		return 0, s.err("expected element name after </")
	}
	s.space()
	if s.pos >= len(s.data) {
		return 0, s.eof()
	}
	s.pos++
	if s.data[s.pos-1] != '>' {
		return 0, s.err("invalid characters between </" + localName(name) + " and >")
	}
	s.name = name
	return tokEnd, nil
}

// localName returns the part of a name after its prefix, as encoding/xml
// names it in messages.
func localName(name string) string {
	if space, local, ok := strings.Cut(name, ":"); ok && space != "" && local != "" {
		return local
	}
	return name
}

// startTag reads "<name attr='value' ...>" or "<name .../>".
func (s *scanner) startTag() (tokenKind, error) {
	name, ok, err := s.nsName()
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, s.err("expected element name after <")
	}
	s.name, s.empty = name, false
	s.attrs = s.attrs[:0]
	for {
		s.space()
		if s.pos >= len(s.data) {
			return 0, s.eof()
		}
		b := s.data[s.pos]
		s.pos++
		if b == '/' {
			if s.pos >= len(s.data) {
				return 0, s.eof()
			}
			s.pos++
			if s.data[s.pos-1] != '>' {
				return 0, s.err("expected /> in element")
			}
			s.empty, s.closeNext = true, true
			return tokStart, nil
		}
		if b == '>' {
			return tokStart, nil
		}
		s.pos--
		key, ok, err := s.nsName()
		if err != nil {
			return 0, err
		}
		if !ok {
			return 0, s.err("expected attribute name in element")
		}
		s.space()
		if s.pos >= len(s.data) {
			return 0, s.eof()
		}
		s.pos++
		if s.data[s.pos-1] != '=' {
			return 0, s.err("attribute name without = in element")
		}
		s.space()
		if s.pos >= len(s.data) {
			return 0, s.eof()
		}
		q := s.data[s.pos]
		s.pos++
		if q != '"' && q != '\'' {
			return 0, s.err("unquoted or missing attribute value in element")
		}
		value, err := s.attrValue(q)
		if err != nil {
			return 0, err
		}
		s.attrs = append(s.attrs, rawAttr{key: key, value: intern(value)})
	}
}

// procInst reads the rest of "<?target ...?>", checking the version of an
// XML declaration. The encoding it declares is not checked: documents
// are read as UTF-8, whatever they say (as xmldoc always did).
func (s *scanner) procInst() (tokenKind, error) {
	if bytes.HasPrefix(s.data[s.pos:], commonDeclaration) {
		s.pos += len(commonDeclaration) // what the general path accepts, read at once
		return tokOther, nil
	}
	start, end, ok, err := s.readName()
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, s.err("expected target name after <?")
	}
	if !isName(s.data[start:end]) {
		return 0, s.err("invalid XML name: " + string(s.data[start:end]))
	}
	target := s.data[start:end]
	s.space()
	bodyStart := s.pos
	var b0 byte
	for {
		if s.pos >= len(s.data) {
			return 0, s.eof()
		}
		b := s.data[s.pos]
		s.pos++
		if b0 == '?' && b == '>' {
			break
		}
		b0 = b
	}
	if string(target) == "xml" {
		if ver := procInstParam("version", string(s.data[bodyStart:s.pos-2])); ver != "" && ver != "1.0" {
			return 0, s.err(fmt.Sprintf("xml: unsupported version %q; only version 1.0 is supported", ver))
		}
	}
	return tokOther, nil
}

// commonDeclaration is the rest of the XML declaration every JXTA document
// starts with, after its "<?".
var commonDeclaration = []byte(`xml version="1.0" encoding="UTF-8"?>`)

// procInstParam returns the value of param in the body of a processing
// instruction, as encoding/xml finds it.
func procInstParam(param, s string) string {
	param += "="
	i := 0
	var sep byte
	for i < len(s) {
		sub := s[i:]
		k := strings.Index(sub, param)
		if k < 0 || len(param)+k >= len(sub) {
			return ""
		}
		i += len(param) + k + 1
		if c := sub[len(param)+k]; c == '\'' || c == '"' {
			sep = c
			break
		}
	}
	if sep == 0 {
		return ""
	}
	j := strings.IndexByte(s[i:], sep)
	if j < 0 {
		return ""
	}
	return s[i : i+j]
}

// bang reads the rest of a comment, a CDATA section or a directive.
func (s *scanner) bang() (tokenKind, error) {
	if s.pos >= len(s.data) {
		return 0, s.eof()
	}
	b := s.data[s.pos]
	s.pos++
	switch b {
	case '-':
		return s.comment()
	case '[':
		for i := 0; i < len("CDATA["); i++ {
			if s.pos >= len(s.data) {
				return 0, s.eof()
			}
			s.pos++
			if s.data[s.pos-1] != "CDATA["[i] {
				return 0, s.err("invalid <![ sequence")
			}
		}
		text, err := s.decode(-1, true)
		if err != nil {
			return 0, err
		}
		s.text = text
		return tokText, nil
	}
	return s.directiveBody(b)
}

// comment reads the rest of "<!--...-->"; "--" may only end it.
func (s *scanner) comment() (tokenKind, error) {
	if s.pos >= len(s.data) {
		return 0, s.eof()
	}
	s.pos++
	if s.data[s.pos-1] != '-' {
		return 0, s.err("invalid sequence <!- not part of <!--")
	}
	var b0, b1 byte
	for {
		if s.pos >= len(s.data) {
			return 0, s.eof()
		}
		b := s.data[s.pos]
		s.pos++
		if b0 == '-' && b1 == '-' {
			if b != '>' {
				return 0, s.err(`invalid sequence "--" not allowed in comments`)
			}
			return tokOther, nil
		}
		b0, b1 = b1, b
	}
}

// directiveBody reads a directive such as <!DOCTYPE ...> whose first byte
// after "<!" was first, up to the '>' that ends it: quoted text and
// nested <...> pairs do not end it, and comments inside become a space.
func (s *scanner) directiveBody(first byte) (tokenKind, error) {
	if s.directive == nil {
		s.directive = make([]byte, 0, 64) // a DOCTYPE with its name
	}
	out := append(s.directive[:0], first)
	var inQuote byte
	depth := 0
	for {
		if s.pos >= len(s.data) {
			return 0, s.eof()
		}
		b := s.data[s.pos]
		s.pos++
		if inQuote == 0 && b == '>' && depth == 0 {
			break
		}
	handle:
		out = append(out, b)
		switch {
		case b == inQuote:
			inQuote = 0
		case inQuote != 0:
		case b == '\'' || b == '"':
			inQuote = b
		case b == '>':
			depth--
		case b == '<':
			const open = "!--"
			for i := 0; i < len(open); i++ {
				if s.pos >= len(s.data) {
					return 0, s.eof()
				}
				b = s.data[s.pos]
				s.pos++
				if b != open[i] {
					out = append(out, open[:i]...)
					depth++
					goto handle
				}
			}
			out = out[:len(out)-1] // the '<'
			var b0, b1 byte
			for {
				if s.pos >= len(s.data) {
					return 0, s.eof()
				}
				b = s.data[s.pos]
				s.pos++
				if b0 == '-' && b1 == '-' && b == '>' {
					break
				}
				b0, b1 = b1, b
			}
			out = append(out, ' ')
		}
	}
	s.directive = out
	return tokDirective, nil
}

// space skips white space.
func (s *scanner) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\r', '\n', '\t':
			s.pos++
		default:
			return
		}
	}
}

// readName reads the bytes of a name: name bytes and every byte of a
// multi-byte character (checked by isName). ok is false, with nothing
// read, when the next byte cannot start one. A document ending inside a
// name is an error.
func (s *scanner) readName() (start, end int, ok bool, err error) {
	if s.pos >= len(s.data) {
		return 0, 0, false, s.eof()
	}
	if b := s.data[s.pos]; b < utf8.RuneSelf && !isNameByte(b) {
		return 0, 0, false, nil
	}
	start = s.pos
	for s.pos++; ; s.pos++ {
		if s.pos >= len(s.data) {
			return 0, 0, false, s.eof()
		}
		if b := s.data[s.pos]; b < utf8.RuneSelf && !isNameByte(b) {
			return start, s.pos, true, nil
		}
	}
}

// nsName reads an element or attribute name: a valid XML name with at
// most one colon. ok is false when there is no name to read.
func (s *scanner) nsName() (name string, ok bool, err error) {
	start, end, ok, err := s.readName()
	if err != nil || !ok {
		return "", false, err
	}
	b := s.data[start:end]
	if !isName(b) {
		return "", false, s.err("invalid XML name: " + string(b))
	}
	if i := bytes.IndexByte(b, ':'); i >= 0 && bytes.IndexByte(b[i+1:], ':') >= 0 {
		return "", false, nil // more than one colon
	}
	return intern(b), true, nil
}

func isNameByte(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' ||
		c == '_' || c == ':' || c == '.' || c == '-'
}

// isName reports whether b, made of name bytes and multi-byte characters,
// is an XML name. ASCII names are checked here; a name with other
// characters is rare, and checked by encoding/xml's own tables.
func isName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	ascii := true
	for _, c := range b {
		if c >= utf8.RuneSelf {
			ascii = false
			break
		}
	}
	if ascii {
		c := b[0]
		return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':'
	}
	// A processing instruction's target is read as a plain name, so the
	// instruction tokenizes without error exactly when b is a name.
	d := xml.NewDecoder(bytes.NewReader(append(append([]byte("<?"), b...), "?>"...)))
	_, err := d.RawToken()
	return err == nil
}

// charData reads character data up to the next '<' or the end of the
// document.
func (s *scanner) charData() ([]byte, error) {
	// The common case: nothing to decode, so the text is the input.
	start, i := s.pos, s.pos
	for i < len(s.data) {
		c := s.data[i]
		if c == '<' {
			break
		}
		if c >= 0x20 && c < utf8.RuneSelf {
			if c == '&' || c == '>' && i-start >= 2 && s.data[i-1] == ']' && s.data[i-2] == ']' {
				return s.decode(-1, false)
			}
			i++
			continue
		}
		if c == '\n' || c == '\t' {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			return s.decode(-1, false) // CR, or a control character
		}
		r, size := utf8.DecodeRune(s.data[i:])
		if r == utf8.RuneError && size == 1 || !isInCharacterRange(r) {
			return s.decode(-1, false)
		}
		i += size
	}
	s.pos = i
	return s.data[start:i], nil
}

// attrValue reads an attribute value after its opening quote q, and the
// closing quote.
func (s *scanner) attrValue(q byte) ([]byte, error) {
	start, i := s.pos, s.pos
	for i < len(s.data) {
		c := s.data[i]
		if c == q {
			s.pos = i + 1
			return s.data[start:i], nil
		}
		if c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' || c == '\n' || c == '\t' {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			break // an entity, '<', CR or a control character
		}
		r, size := utf8.DecodeRune(s.data[i:])
		if r == utf8.RuneError && size == 1 || !isInCharacterRange(r) {
			break
		}
		i += size
	}
	return s.decode(int(q), false)
}

// entities are the entities XML defines; no others are expanded.
var entities = map[string]string{"lt": "<", "gt": ">", "amp": "&", "apos": "'", "quot": `"`}

// decode reads and decodes character data from the current position as
// encoding/xml's Decoder.text does: up to a '<' (left unread) or the end
// of the document when quote < 0 and !cdata; up to and including the
// quote byte when quote >= 0 (an attribute value); up to and including
// "]]>" for a CDATA section. Every character is checked against the XML
// Char production as it is copied, in one pass over the text.
func (s *scanner) decode(quote int, cdata bool) ([]byte, error) {
	data := s.data
	i := s.pos
	buf := make([]byte, 0, s.textEstimate(quote, cdata))
	for {
		// Copy a run of bytes that need no decoding or checking at once.
		start := i
		for i < len(data) && !decodeStop[data[i]] {
			i++
		}
		buf = append(buf, data[start:i]...)
		if i >= len(data) {
			s.pos = i
			if cdata {
				return nil, s.eof().with("unexpected EOF in CDATA section")
			}
			if quote >= 0 {
				return nil, s.eof()
			}
			return buf, nil
		}
		b := data[i]
		i++
		switch {
		case b >= utf8.RuneSelf:
			r, size := utf8.DecodeRune(data[i-1:])
			if r == utf8.RuneError && size == 1 {
				s.pos = i
				return nil, s.err("invalid UTF-8")
			}
			if !isInCharacterRange(r) {
				s.pos = i
				return nil, s.err(fmt.Sprintf("illegal character code %U", r))
			}
			buf = append(buf, data[i-1:i-1+size]...)
			i += size - 1
		case b == ']':
			if quote < 0 && i+1 < len(data) && data[i] == ']' && data[i+1] == '>' {
				// "]]>": the end of a CDATA section, an error elsewhere.
				i += 2
				s.pos = i
				if cdata {
					return buf, nil
				}
				return nil, s.err("unescaped ]]> not in CDATA section")
			}
			buf = append(buf, b)
		case b == '<' && !cdata:
			if quote >= 0 {
				s.pos = i
				return nil, s.err("unescaped < inside quoted string")
			}
			s.pos = i - 1
			return buf, nil
		case int(b) == quote:
			s.pos = i
			return buf, nil
		case b == '&' && !cdata:
			if c, n := commonEntity(data[i:]); n > 0 {
				buf = append(buf, c)
				i += n
				continue
			}
			s.pos = i
			var err error
			if buf, err = s.entity(buf); err != nil {
				return nil, err
			}
			i = s.pos
		case b == '\r':
			// CR and CRLF are read as LF.
			buf = append(buf, '\n')
			if i < len(data) && data[i] == '\n' {
				i++
			}
		case b < 0x20 && b != '\t' && b != '\n':
			s.pos = i
			return nil, s.err(fmt.Sprintf("illegal character code %U", rune(b)))
		default:
			buf = append(buf, b) // a quote that is not this value's, or '&' and '<' in CDATA
		}
	}
}

// decodeStop marks the bytes decode looks at one by one: the markup and
// line-end bytes it decodes, the bytes that may end the text, and those
// it must check (control characters and the bytes of multi-byte
// characters). It copies runs of the others.
var decodeStop = func() (t [256]bool) {
	for _, c := range "&<]\r\"'" {
		t[c] = true
	}
	for c := range 0x20 {
		t[c] = c != '\t' && c != '\n'
	}
	for c := utf8.RuneSelf; c < 256; c++ {
		t[c] = true
	}
	return t
}()

// textEstimate returns a capacity for the decoded text starting at the
// current position: the bytes up to the next '<' (or quote), which
// decoding only shortens, within reason.
func (s *scanner) textEstimate(quote int, cdata bool) int {
	end := byte('<')
	if quote >= 0 {
		end = byte(quote)
	}
	rest := s.data[s.pos:]
	if cdata {
		return min(len(rest), 4096)
	}
	if i := bytes.IndexByte(rest, end); i >= 0 {
		return i
	}
	return min(len(rest), 4096)
}

// entity reads an entity or character reference after its '&' and
// appends what it stands for to buf. Only the five XML entities are
// known.
func (s *scanner) entity(buf []byte) ([]byte, error) {
	if c, n := commonEntity(s.data[s.pos:]); n > 0 {
		s.pos += n
		return append(buf, c), nil
	}
	before := len(buf)
	buf = append(buf, '&')
	b, err := s.getc()
	if err != nil {
		return nil, err
	}
	var text string
	found := false
	if b == '#' {
		buf = append(buf, '#')
		if b, err = s.getc(); err != nil {
			return nil, err
		}
		base := 10
		if b == 'x' {
			base = 16
			buf = append(buf, 'x')
			if b, err = s.getc(); err != nil {
				return nil, err
			}
		}
		start := len(buf)
		for '0' <= b && b <= '9' || base == 16 && ('a' <= b && b <= 'f' || 'A' <= b && b <= 'F') {
			buf = append(buf, b)
			if b, err = s.getc(); err != nil {
				return nil, err
			}
		}
		if b != ';' {
			s.pos--
		} else {
			digits := string(buf[start:])
			buf = append(buf, ';')
			if n, err := strconv.ParseUint(digits, base, 64); err == nil && n <= unicode.MaxRune {
				text, found = string(rune(n)), true
			}
		}
	} else {
		s.pos--
		start, end, ok, err := s.readName()
		if err != nil {
			return nil, err
		}
		if ok {
			buf = append(buf, s.data[start:end]...)
		}
		if b, err = s.getc(); err != nil {
			return nil, err
		}
		if b != ';' {
			s.pos--
		} else {
			text, found = entities[string(buf[before+1:])]
			buf = append(buf, ';')
		}
	}
	if found {
		// A character reference may name a character XML does not allow.
		if r, _ := utf8.DecodeRuneInString(text); !isInCharacterRange(r) {
			return nil, s.err(fmt.Sprintf("illegal character code %U", r))
		}
		return append(buf[:before], text...), nil
	}
	ent := string(buf[before:])
	if !strings.HasSuffix(ent, ";") {
		ent += " (no semicolon)"
	}
	return nil, s.err("invalid character entity " + ent +
		" (entity declarations are not supported; only &amp; &lt; &gt; &quot; &apos; and character references are)")
}

// commonEntity recognises one of the five XML entities at the start of b
// (after its '&'), returning what it stands for and its length.
func commonEntity(b []byte) (byte, int) {
	if len(b) < 3 {
		return 0, 0
	}
	switch b[0] {
	case 'l':
		if b[1] == 't' && b[2] == ';' {
			return '<', 3
		}
	case 'g':
		if b[1] == 't' && b[2] == ';' {
			return '>', 3
		}
	case 'a':
		if len(b) >= 4 && b[1] == 'm' && b[2] == 'p' && b[3] == ';' {
			return '&', 4
		}
		if len(b) >= 5 && b[1] == 'p' && b[2] == 'o' && b[3] == 's' && b[4] == ';' {
			return '\'', 5
		}
	case 'q':
		if len(b) >= 5 && b[1] == 'u' && b[2] == 'o' && b[3] == 't' && b[4] == ';' {
			return '"', 5
		}
	}
	return 0, 0
}

// getc reads one byte; the document must not end here.
func (s *scanner) getc() (byte, error) {
	if s.pos >= len(s.data) {
		return 0, s.eof()
	}
	s.pos++
	return s.data[s.pos-1], nil
}

// with returns e with another message.
func (e *SyntaxError) with(msg string) *SyntaxError {
	e.Msg = msg
	return e
}

// isInCharacterRange reports whether r is an XML Char.
func isInCharacterRange(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D || r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
