package protocol

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"
	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/xmldoc"
)

// This file holds the reading and writing helpers the document types
// share.

// ErrMissingAttr reports a required attribute that is absent (the lease
// documents carry their IDs in attributes). Errors about documents are
// *advert.Error values wrapping it, advert.ErrMissing, advert.ErrInvalid or
// advert.ErrWrongType.
var ErrMissingAttr = errors.New("missing required attribute")

// keepRootAttrs records in u the root attributes of e that the writer does
// not produce itself (advert.Unknown's rule: all but xmlns:jxta, xml:space
// and type), leaving out the keys in skip, which the type reads itself.
func keepRootAttrs(u *advert.Unknown, e *etree.Element, skip ...string) {
	for _, a := range e.Attr {
		switch k := xmldoc.FullName(a.Space, a.Key); k {
		case "xmlns:jxta", "xml:space", "type":
		default:
			if !contains(skip, k) {
				u.Attrs = append(u.Attrs, xmldoc.Attr{Key: k, Value: a.Value})
			}
		}
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// writeUnknown writes the unknown elements kept in u.
func writeUnknown(w *xmldoc.Writer, u *advert.Unknown) {
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

// intElement writes <name>v</name>.
func intElement(w *xmldoc.Writer, name string, v int64) {
	w.TextElement(name, strconv.FormatInt(v, 10))
}

// The ranges of the integers JXSE reads with Integer.parseInt and
// Long.parseLong.
const (
	minInt32 = math.MinInt32
	maxInt32 = math.MaxInt32
)

// parseInt parses s as a decimal integer in [lo, hi], describing what is
// wrong when it is not.
func parseInt(s string, lo, hi int64) (int64, error) {
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) {
			return 0, fmt.Errorf("%w: %s is out of range", advert.ErrInvalid, shorten(s))
		}
		return 0, fmt.Errorf("%w: %q is not an integer", advert.ErrInvalid, shorten(s))
	}
	if v < lo || v > hi {
		if v < 0 && lo == 0 {
			return 0, fmt.Errorf("%w: %d is negative", advert.ErrInvalid, v)
		}
		return 0, fmt.Errorf("%w: %d is out of range [%d, %d]", advert.ErrInvalid, v, lo, hi)
	}
	return v, nil
}

// intText parses the trimmed text of e as an integer in [lo, hi],
// recording a failure in d. ok is false when the text is empty or bad.
func intText(d *advert.Decoder, e *etree.Element, lo, hi int64) (v int64, ok bool) {
	s := advert.Text(e)
	if s == "" {
		d.Failf(e, "empty, want an integer")
		return 0, false
	}
	v, err := parseInt(s, lo, hi)
	if err != nil {
		d.Fail(e, err)
		return 0, false
	}
	return v, true
}

// intAttr parses attribute key of e as an integer in [lo, hi]; present is
// false when the attribute is absent or empty.
func intAttr(d *advert.Decoder, e *etree.Element, key string, lo, hi int64) (v int64, present bool) {
	s := strings.TrimSpace(e.SelectAttrValue(key, ""))
	if s == "" {
		return 0, false
	}
	v, err := parseInt(s, lo, hi)
	if err != nil {
		d.Fail(e, fmt.Errorf("attribute %s: %w", key, err))
		return 0, false
	}
	return v, true
}

// millisAttr reads attribute key of e as a count of milliseconds (any
// 64-bit value; see millisToDuration).
func millisAttr(d *advert.Decoder, e *etree.Element, key string) (time.Duration, bool) {
	v, ok := intAttr(d, e, key, math.MinInt64, math.MaxInt64)
	if !ok {
		return 0, false
	}
	return millisToDuration(v), true
}

// millisAttrValue formats a duration for an attribute.
func millisAttrValue(key string, d time.Duration) xmldoc.Attr {
	return xmldoc.Attr{Key: key, Value: strconv.FormatInt(durationToMillis(d), 10)}
}

// requiredPeerID parses the text of e as a peer ID that must not be the
// Null ID.
func requiredPeerID(d *advert.Decoder, e *etree.Element) jxta.PeerID {
	id := d.PeerID(e)
	if id.IsNull() && d.Err() == nil {
		d.Failf(e, "a peer ID is required, not %q", shorten(advert.Text(e)))
	}
	return id
}

// attrPeerID parses attribute key of e as a peer ID.
func attrPeerID(d *advert.Decoder, e *etree.Element, key string) jxta.PeerID {
	s := strings.TrimSpace(e.SelectAttrValue(key, ""))
	if s == "" {
		return jxta.PeerID{}
	}
	id, err := jxta.ParsePeerID(s)
	if err != nil {
		d.Fail(e, fmt.Errorf("attribute %s: %w", key, err))
	}
	return id
}

// isCredential reports whether e is a credential: jxta:Cred as JXSE writes
// it, or Credential as old JXTA-C peers do.
func isCredential(e *etree.Element) bool {
	switch xmldoc.FullName(e.Space, e.Tag) {
	case "jxta:Cred", "Credential":
		return true
	}
	return false
}

// shorten cuts long values quoted in error messages.
func shorten(s string) string {
	if len(s) > 40 {
		return s[:37] + "..."
	}
	return s
}

// docTypeOf names the type of a document root: its type attribute if it
// has one, else its name (advert's rule).
func docTypeOf(e *etree.Element) string {
	if t := e.SelectAttrValue("type", ""); t != "" {
		return t
	}
	return xmldoc.FullName(e.Space, e.Tag)
}
