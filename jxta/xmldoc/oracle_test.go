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

// This file keeps the reader xmldoc had before its own scanner: a tree
// built from encoding/xml's RawToken in strict mode. It is the reference
// the scanner is checked against (FuzzParseMatchesEncodingXML): the same
// documents must be accepted, with the same trees and lines.

// oracleParse reads data as the encoding/xml-based reader did.
func oracleParse(data []byte, lim Limits) (*Document, error) {
	if int64(len(data)) > lim.maxBytes() {
		return nil, &SyntaxError{Msg: "too large", Err: ErrTooLarge}
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	dec.CharsetReader = func(_ string, r io.Reader) (io.Reader, error) { return r, nil }
	b := oracleBuilder{doc: &Document{}}
	maxDepth := lim.maxDepth()
	line := func() int { l, _ := dec.InputPos(); return l }
	for {
		tok, err := dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, oracleSyntaxError(err, line())
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(b.stack) == 0 && b.doc.Root != nil {
				return nil, &SyntaxError{Line: line(), Msg: "element after the root element"}
			}
			if len(b.stack) >= maxDepth {
				return nil, &SyntaxError{Line: line(), Msg: "too deep", Err: ErrTooDeep}
			}
			if err := oracleCheckNames(t); err != nil {
				return nil, &SyntaxError{Line: line(), Msg: err.Error()}
			}
			b.start(t, line())
		case xml.EndElement:
			if len(b.stack) == 0 {
				return nil, &SyntaxError{Line: line(), Msg: "end tag without a start tag"}
			}
			if b.stack[len(b.stack)-1].FullTag() != oracleQName(t.Name) {
				return nil, &SyntaxError{Line: line(), Msg: "end tag does not match"}
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
		}
	}
	if len(b.stack) != 0 {
		return nil, &SyntaxError{Line: line(), Msg: "document ends inside an element"}
	}
	if b.doc.Root == nil {
		return nil, &SyntaxError{Line: line(), Msg: "no root element", Err: ErrNoRoot}
	}
	return b.doc, nil
}

func oracleCheckNames(t xml.StartElement) error {
	good := func(n xml.Name) bool {
		return n.Local != "" && !strings.Contains(n.Local, ":") && !strings.Contains(n.Space, ":") &&
			!(n.Space == "" && strings.HasPrefix(n.Local, ":"))
	}
	if !good(t.Name) {
		return fmt.Errorf("invalid element name %q", oracleQName(t.Name))
	}
	for _, a := range t.Attr {
		if !good(a.Name) {
			return fmt.Errorf("invalid attribute name %q", oracleQName(a.Name))
		}
	}
	return nil
}

func oracleQName(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

func oracleSyntaxError(err error, line int) *SyntaxError {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		if se.Line > 0 {
			line = se.Line
		}
		return &SyntaxError{Line: line, Msg: se.Msg}
	}
	return &SyntaxError{Line: line, Msg: err.Error()}
}

type oracleBuilder struct {
	doc   *Document
	stack []*etree.Element
	text  [][]byte
}

func (b *oracleBuilder) start(t xml.StartElement, line int) {
	var e *etree.Element
	if n := len(b.stack); n == 0 {
		e = etree.NewElement(oracleQName(t.Name))
		b.doc.Root = e
	} else {
		parent := b.stack[n-1]
		b.flushText(n-1, false)
		e = parent.CreateElement(oracleQName(t.Name))
	}
	for _, a := range t.Attr {
		e.CreateAttr(oracleQName(a.Name), a.Value)
	}
	b.stack = append(b.stack, e)
	if len(b.text) < len(b.stack) {
		b.text = append(b.text, nil)
	}
	b.doc.lines = append(b.doc.lines, elementLine{e, line})
}

func (b *oracleBuilder) end() {
	n := len(b.stack) - 1
	b.flushText(n, true)
	b.stack = b.stack[:n]
}

func (b *oracleBuilder) flushText(i int, closing bool) {
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
