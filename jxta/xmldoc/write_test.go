package xmldoc

import (
	"testing"

	"github.com/beevik/etree"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCompactForm(t *testing.T) {
	t.Parallel()
	w := NewWriter(Compact, true)
	w.StartDocument("jxta:PA")
	w.TextElement("PID", "urn:jxta:uuid-0003")
	w.Start("Svc")
	w.TextElement("MCID", "m")
	w.End("Svc")
	w.End("jxta:PA")
	assert.Equal(t, `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE jxta:PA>
<jxta:PA xml:space="preserve" xmlns:jxta="http://jxta.org">
<PID>urn:jxta:uuid-0003</PID><Svc><MCID>m</MCID></Svc></jxta:PA>
`, string(w.Bytes()))
}

func TestIndentedForm(t *testing.T) {
	t.Parallel()
	w := NewWriter(Indented, true)
	w.StartDocument("jxta:PGA")
	w.TextElement("GID", "g")
	w.Start("Svc")
	w.TextElement("MCID", "m")
	w.End("Svc")
	w.End("jxta:PGA")
	assert.Equal(t, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE jxta:PGA>\n<jxta:PGA xmlns:jxta=\"http://jxta.org\">\n\t<GID>g</GID>\n\t<Svc>\n\t\t<MCID>m</MCID>\n\t</Svc>\n</jxta:PGA>\n", string(w.Bytes()))
}

func TestEscapingRoundTrips(t *testing.T) {
	t.Parallel()
	texts := []string{
		"plain", "a & b < c > d", `quote " and ' apostrophe`, "]]> end", "line\r\nbreak",
		"tab\tand\nnewline", "unicode é 中 🙂", "&lt; already escaped",
	}
	for _, s := range texts {
		w := NewWriter(Compact, true)
		w.StartDocument("r", Attr{Key: "a", Value: s})
		w.TextElement("V", s)
		w.End("r")
		doc, err := Parse(w.Bytes(), Limits{})
		require.NoError(t, err, "%q -> %s", s, w.Bytes())
		assert.Equal(t, s, doc.Root.SelectElement("V").Text())
		assert.Equal(t, s, doc.Root.SelectAttrValue("a", ""))
	}
}

func TestJXSEEscapingLeavesGreaterThan(t *testing.T) {
	t.Parallel()
	w := NewWriter(Compact, false)
	w.TextElement("Query", `<jxta:PA x="1">&`)
	assert.Equal(t, `<Query>&lt;jxta:PA x="1">&amp;</Query>`, string(w.Bytes()))
}

func TestUnrepresentableCharactersAreReplaced(t *testing.T) {
	t.Parallel()
	w := NewWriter(Compact, true)
	w.StartDocument("r")
	w.TextElement("V", "a\x00b\x1bc\xffd\uFFFEe")
	w.End("r")
	doc, err := Parse(w.Bytes(), Limits{})
	require.NoError(t, err, "%q", w.Bytes())
	assert.Equal(t, "a\uFFFDb\uFFFDc\uFFFDd\uFFFDe", doc.Root.SelectElement("V").Text())
}

func TestElementTreeIsWritten(t *testing.T) {
	t.Parallel()
	doc, err := Parse([]byte(`<Parm type="x"><jxta:RA xmlns:jxta="http://jxta.org"><A>1</A>mixed<B/></jxta:RA></Parm>`), Limits{})
	require.NoError(t, err)
	w := NewWriter(Compact, false)
	w.Element(doc.Root)
	// A top-level element ends the document, with a final newline.
	assert.Equal(t, `<Parm type="x"><jxta:RA xmlns:jxta="http://jxta.org"><A>1</A>mixed<B/></jxta:RA></Parm>`+"\n", string(w.Bytes()))
	w = NewWriter(Compact, false)
	w.Element(etree.NewElement("Empty"))
	assert.Equal(t, `<Empty/>`, string(w.Bytes()))
}

func TestIndentedMixedContentIsStable(t *testing.T) {
	t.Parallel()
	in := []byte(`<jxta:ERM>0<jxta:RA/>tail<X><Y>1</Y></X></jxta:ERM>`)
	var prev string
	for i := 0; i < 3; i++ {
		doc, err := Parse(in, Limits{})
		require.NoError(t, err)
		w := NewWriter(Indented, true)
		w.Element(doc.Root)
		if i > 0 {
			assert.Equal(t, prev, string(w.Bytes()), "round %d", i)
		}
		prev = string(w.Bytes())
		in = w.Bytes()
	}
}
