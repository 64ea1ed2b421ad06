package xmldoc

import (
	"fmt"
	"testing"

	"github.com/beevik/etree"

	"github.com/gojxta/gojxta/internal/interop"
)

// FuzzParse checks that any input gives a document or an error, never a
// panic, within the limits; and that a parsed tree written out parses
// again. Seeded with the shared interop documents.
func FuzzParse(f *testing.F) {
	f.Add([]byte(`<jxta:PA><PID>urn:jxta:uuid-0003</PID></jxta:PA>`))
	f.Add([]byte(`<!DOCTYPE r [<!ENTITY a "x">]><r>&a;</r>`))
	interop.AddXMLSeeds(f)
	lim := Limits{MaxBytes: 1 << 20, MaxDepth: 32}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc, err := Parse(data, lim)
		if err != nil {
			return
		}
		for _, style := range []Style{Compact, Indented} {
			w := NewWriter(style, true)
			w.Element(doc.Root)
			if _, err := Parse(w.Bytes(), Limits{MaxBytes: 4 << 20, MaxDepth: 32}); err != nil {
				t.Fatalf("written tree does not parse: %v\n%q\n%q", err, data, w.Bytes())
			}
		}
	})
}

// FuzzParseMatchesEncodingXML checks the scanner against the reader built
// on encoding/xml (oracle_test.go): both accept the same documents, and
// give the same tree, DOCTYPE name and element lines.
func FuzzParseMatchesEncodingXML(f *testing.F) {
	for _, s := range []string{
		`<jxta:PA><PID>urn:jxta:uuid-0003</PID></jxta:PA>`,
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE jxta:PA>\n<jxta:PA xml:space=\"preserve\" xmlns:jxta=\"http://jxta.org\">\n<PID>x</PID></jxta:PA>\n",
		`<r a="1" b='&amp;&#x41;&#66;'><![CDATA[x]]]>y<!-- c -->z</r>`,
		"<r>\r\n a\r b &lt;&gt;&quot;&apos; <e/> </r>",
		`<!DOCTYPE r [<!ENTITY a "x"><!-- c -->]><r>&a;</r>`,
		`<?xml version="1.1"?><r/>`,
		"<r>\u00e9\u4e2d<\u00e9l\u00e9ment/>]]></r>",
		`<r a:b:c="1"/>`,
		// Corner cases of encoding/xml's strict mode.
		`<r>&#;</r>`, `<r>&#x110000;</r>`, `<r>&#xD800;</r>`, `<r>&#0;</r>`, `<r>&#65</r>`,
		`<r>& </r>`, `<r>&amp</r>`, `<r>&;</r>`, `<r>&X;</r>`, `<r a="&#9;&#10;&#13;"/>`,
		`<r><!-- a -- b --></r>`, `<r><!----></r>`, `<r><!---></r>`, `<r><!-x--></r>`,
		`<!DOCTYPE r [<!ELEMENT r (#PCDATA)> <!-- > --> "'>'"]><r/>`, `<!DOCTYPE>`, `<!DOCTYPE r ><r/>`,
		`<?xml version='2.0'?><r/>`, `<?x?><r/>`, `<?xml?><r/>`, `<? x?><r/>`, `<r/><?pi data?>`,
		"<\u00e9/>", "<r \u00e9='1'/>", "<\u00d7/>", "<r\u00b7/>", "<\u0300/>",
		`<r>]]></r>`, `<r>]]&gt;</r>`, `<r>]]]></r>`, `<r a="]]>"/>`, `<r><![CDATA[]]></r>`,
		`<r>]&#93;></r>`, "<r>]\r]></r>", "<r>]]\r></r>", "<r><![CDATA[a]]\r]]]]></r>", `<r>]</r>`, `<r>]]</r>`,
		`<r a/>`, `<r a=""/>`, `<r a="1" a="2"/>`, `<r a="1"b="2"/>`, `<r/ >`, `</r>`,
		"\ufeff<r/>", "<r>\x01</r>", "<r a='\r\n\t'/>", "<r>\xff</r>", "<r>\uffff</r>",
		`<a:/>`, `<:a/>`, `<r :a=""/>`, `<r></r >`, `<r></r x>`, "<r/>\n \t", "<r/>x",
		"<r>\n<a>1</a>\n<b\n  c='2'\n/>\n</r>",
	} {
		f.Add([]byte(s))
	}
	interop.AddXMLSeeds(f)
	lim := Limits{MaxBytes: 1 << 20, MaxDepth: 32}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Parse(data, lim)
		want, wantErr := oracleParse(data, lim)
		if (err == nil) != (wantErr == nil) {
			t.Fatalf("scanner error %v, encoding/xml error %v\n%q", err, wantErr, data)
		}
		if err != nil {
			return
		}
		if got.Doctype != want.Doctype {
			t.Fatalf("doctype %q, encoding/xml %q\n%q", got.Doctype, want.Doctype, data)
		}
		if diff := sameTree(got, got.Root, want, want.Root); diff != "" {
			t.Fatalf("%s\n%q", diff, data)
		}
		shared, err := ParseString(string(data), lim)
		if err != nil {
			t.Fatalf("ParseString fails where Parse does not: %v\n%q", err, data)
		}
		if diff := sameTree(shared, shared.Root, want, want.Root); diff != "" {
			t.Fatalf("ParseString: %s\n%q", diff, data)
		}
	})
}

// sameTree describes the first difference between the tree of e, in a,
// and that of f, in b, or returns "".
func sameTree(a *Document, e *etree.Element, b *Document, f *etree.Element) string {
	if e.FullTag() != f.FullTag() || a.Line(e) != b.Line(f) {
		return fmt.Sprintf("element <%s> line %d, encoding/xml <%s> line %d", e.FullTag(), a.Line(e), f.FullTag(), b.Line(f))
	}
	if len(e.Attr) != len(f.Attr) {
		return fmt.Sprintf("<%s>: %d attributes, encoding/xml %d", e.FullTag(), len(e.Attr), len(f.Attr))
	}
	for i := range e.Attr {
		if e.Attr[i].FullKey() != f.Attr[i].FullKey() || e.Attr[i].Value != f.Attr[i].Value {
			return fmt.Sprintf("<%s>: attribute %s=%q, encoding/xml %s=%q", e.FullTag(), e.Attr[i].FullKey(), e.Attr[i].Value, f.Attr[i].FullKey(), f.Attr[i].Value)
		}
	}
	if len(e.Child) != len(f.Child) {
		return fmt.Sprintf("<%s>: %d children, encoding/xml %d", e.FullTag(), len(e.Child), len(f.Child))
	}
	for i := range e.Child {
		switch c := e.Child[i].(type) {
		case *etree.Element:
			g, ok := f.Child[i].(*etree.Element)
			if !ok {
				return fmt.Sprintf("<%s>: child %d is an element, not for encoding/xml", e.FullTag(), i)
			}
			if d := sameTree(a, c, b, g); d != "" {
				return d
			}
		case *etree.CharData:
			g, ok := f.Child[i].(*etree.CharData)
			if !ok || c.Data != g.Data {
				return fmt.Sprintf("<%s>: text %d %q differs from encoding/xml's", e.FullTag(), i, c.Data)
			}
		}
	}
	return ""
}
