package protocol

import (
	"bytes"
	"fmt"
	"strings"
	"unsafe"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// MaxNesting bounds how many documents deep Validate reads flattened
// documents: the outer document is level 1, a document flattened into it
// level 2, and so on. Real traffic goes three deep (a resolver response
// carrying a discovery response carrying advertisements).
const MaxNesting = 8

// Flatten returns a as the text of a flattened document: JXSE's compact
// form (XML declaration, DOCTYPE, root), without a final line break. Put
// it in a text element (ResolverQuery.Query, ResolverResponse.Response,
// ...); the writer escapes it.
func Flatten(a advert.Advertisement) string {
	b := bytes.TrimSuffix(advert.Marshal(a), []byte{'\n'})
	// The writer's buffer is this call's alone: the string can share it.
	return unsafe.String(unsafe.SliceData(b), len(b))
}

// Unflatten reads a flattened document with reg (the default registry of
// this package when reg is nil), within reg's limits. It reads one level:
// documents flattened inside are read as their types read them.
func Unflatten(text string, reg *advert.Registry) (advert.Advertisement, error) {
	if reg == nil {
		reg = defaultRegistry
	}
	return reg.ParseString(strings.TrimSpace(text))
}

// UnflattenAs reads a flattened document as Unflatten does and checks that
// it is of type T, for example UnflattenAs[*DiscoveryQuery](q.Query, nil).
func UnflattenAs[T advert.Advertisement](text string, reg *advert.Registry) (T, error) {
	return as[T](Unflatten(text, reg))
}

// advertisement reads a flattened advertisement (a discovery Response).
// Protocol documents are refused: JXSE's advertisement factory knows none
// of them, and refusing them bounds how deep reading goes.
func (c *codec) advertisement(text string) (advert.Advertisement, error) {
	doc, err := xmldoc.ParseString(text, c.reg.Limits)
	if err != nil {
		return nil, &advert.Error{DocType: "document", Err: err}
	}
	if t := docTypeOf(doc.Root); isProtocolType(t) || isProtocolType(xmldoc.FullName(doc.Root.Space, doc.Root.Tag)) {
		return nil, &advert.Error{DocType: t, Err: fmt.Errorf("%w: a protocol document where an advertisement is expected", advert.ErrWrongType)}
	}
	return c.reg.Decode(doc)
}

// peerAdv reads a flattened peer advertisement (PeerAdv): a jxta:PA, or
// a jxta:SA of one (as gojxta sends it, signed by its peer; the signature
// is checked, and the peer advertisement returned). Empty text gives nil
// and no error: JXSE ignores an empty PeerAdv.
func (c *codec) peerAdv(text string) (*advert.PeerAdv, error) {
	if text == "" {
		return nil, nil
	}
	doc, err := xmldoc.ParseString(text, c.reg.Limits)
	if err != nil {
		return nil, &advert.Error{DocType: "document", Err: err}
	}
	if t := docTypeOf(doc.Root); t != "jxta:PA" && t != "jxta:SA" {
		return nil, &advert.Error{DocType: t, Err: fmt.Errorf("%w: want a peer advertisement (jxta:PA), or a jxta:SA of one", advert.ErrWrongType)}
	}
	a, err := c.reg.Decode(doc)
	if err != nil {
		return nil, err
	}
	if sa, ok := a.(*advert.SignedAdv); ok {
		a = sa.Adv
	}
	pa, ok := a.(*advert.PeerAdv)
	if !ok {
		return nil, &advert.Error{DocType: a.AdvType(), Err: fmt.Errorf("%w: want a peer advertisement, read %T", advert.ErrWrongType, a)}
	}
	return pa, nil
}

// peerAdvElement reads a PeerAdv element of a docType document: a
// flattened peer advertisement, or nothing when the element is empty.
func (c *codec) peerAdvElement(docType string, e *etree.Element) (*advert.PeerAdv, error) {
	if advert.HasChildElements(e) {
		return nil, &advert.Error{DocType: docType, Element: xmldoc.FullName(e.Space, e.Tag),
			Err: fmt.Errorf("%w: an element tree where a flattened document (escaped text) is expected", advert.ErrInvalid)}
	}
	pa, err := c.peerAdv(advert.Text(e))
	if err != nil {
		return nil, flatError(docType, xmldoc.FullName(e.Space, e.Tag), err)
	}
	return pa, nil
}

// flatError reports a flattened document of element elem of a docType
// document that could not be read.
func flatError(docType, elem string, err error) error {
	return &advert.Error{DocType: docType, Element: elem, Err: fmt.Errorf("flattened document: %w", err)}
}

// checker is implemented by the documents that tolerate problems on
// reading (check reports them) or carry flattened documents that Parse
// leaves as text (check reads and checks them, at nesting level
// depth+1).
type checker interface {
	check(reg *advert.Registry, depth int) error
}

// check runs a's own checks, a being at nesting level depth.
func check(reg *advert.Registry, a advert.Advertisement, depth int) error {
	c, ok := a.(checker)
	if !ok {
		return nil
	}
	return c.check(reg, depth)
}

// checkFlattened reads text, the flattened document held by element elem
// of a docType document at level depth, and checks it, requiring type T.
func checkFlattened[T advert.Advertisement](reg *advert.Registry, docType, elem, text string, depth int) error {
	if depth >= MaxNesting {
		return flatError(docType, elem, fmt.Errorf("%w: flattened documents nested more than %d deep", advert.ErrInvalid, MaxNesting))
	}
	inner, err := UnflattenAs[T](text, reg)
	if err != nil {
		return flatError(docType, elem, err)
	}
	if err := check(reg, inner, depth+1); err != nil {
		return flatError(docType, elem, err)
	}
	return nil
}
