package advert

import (
	"fmt"
	"strings"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// maxNesting bounds how many flattened documents deep Validate looks.
const maxNesting = 8

// Validate parses data as Parse does and also checks every document
// flattened into it as escaped text (a PeerAdv in a discovery query, the
// Query of a resolver query, and so on, at any depth): each must itself be
// a readable advertisement. It returns the outer advertisement.
func (r *Registry) Validate(data []byte) (Advertisement, error) {
	doc, err := xmldoc.Parse(data, r.Limits)
	if err != nil {
		return nil, &Error{DocType: "document", Err: err}
	}
	a, err := r.Decode(doc)
	if err != nil {
		return nil, err
	}
	if err := r.checkFlattened(doc, doc.Root, 1); err != nil {
		return nil, err
	}
	return a, nil
}

// Validate checks data with the built-in types; see Registry.Validate.
func Validate(data []byte) (Advertisement, error) { return defaultRegistry.Validate(data) }

func (r *Registry) checkFlattened(doc *xmldoc.Document, e *etree.Element, depth int) error {
	for c := range e.ChildElementsSeq() {
		if err := r.checkFlattened(doc, c, depth); err != nil {
			return err
		}
	}
	text := Text(e)
	if HasChildElements(e) || !looksLikeDocument(text) {
		return nil
	}
	fail := func(err error) error {
		return &Error{DocType: docTypeOf(doc.Root), Element: xmldoc.FullName(e.Space, e.Tag), Line: doc.Line(e),
			Err: fmt.Errorf("embedded document: %w", err)}
	}
	if depth >= maxNesting {
		return fail(fmt.Errorf("flattened documents nested more than %d deep", maxNesting))
	}
	inner, err := xmldoc.ParseString(text, r.Limits)
	if err != nil {
		return fail(err)
	}
	if _, err := r.Decode(inner); err != nil {
		return fail(err)
	}
	if err := r.checkFlattened(inner, inner.Root, depth+1); err != nil {
		return fail(err)
	}
	return nil
}

// looksLikeDocument reports whether text is a serialized XML document
// rather than a plain value.
func looksLikeDocument(text string) bool {
	return strings.HasPrefix(text, "<?xml") || strings.HasPrefix(text, "<!DOCTYPE") || strings.HasPrefix(text, "<jxta:")
}
