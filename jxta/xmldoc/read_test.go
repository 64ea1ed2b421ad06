package xmldoc

import (
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseLenientInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		root string
		text map[string]string // child name -> text
	}{
		{"undeclared prefix", `<jxta:PA><PID>x</PID></jxta:PA>`, "jxta:PA", map[string]string{"PID": "x"}},
		{"no declaration, doctype", "<!DOCTYPE jxta:PA>\n\n<jxta:PA xmlns:jxta=\"http://jxta.org\"><Name>n</Name></jxta:PA>", "jxta:PA", map[string]string{"Name": "n"}},
		{"comments everywhere", "<?xml version=\"1.0\"?>\n<!-- c --><r><!-- c --><PID><!-- c -->v<!-- c --></PID></r><!-- c -->", "r", map[string]string{"PID": "v"}},
		{"cdata", `<r><Name><![CDATA[a <b> & c]]></Name></r>`, "r", map[string]string{"Name": "a <b> & c"}},
		{"space before >", `<r ><Name >n</Name ></r >`, "r", map[string]string{"Name": "n"}},
		{"empty forms", `<r><A/><B></B></r>`, "r", map[string]string{"A": "", "B": ""}},
		{"entities", `<r><V>&amp;&lt;&gt;&quot;&apos;&#65;&#x42;</V></r>`, "r", map[string]string{"V": `&<>"'AB`}},
		{"crlf", "<r>\r\n<V>a\r\nb</V>\r\n</r>", "r", map[string]string{"V": "a\nb"}},
		{"attribute on element", `<r><Name name="foo">n</Name></r>`, "r", map[string]string{"Name": "n"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc, err := Parse([]byte(tt.in), Limits{})
			require.NoError(t, err)
			assert.Equal(t, tt.root, doc.Root.FullTag())
			for name, want := range tt.text {
				e := doc.Root.SelectElement(name)
				require.NotNil(t, e, name)
				assert.Equal(t, want, e.Text())
			}
			// Indentation between elements is dropped.
			for _, c := range doc.Root.Child {
				if cd, ok := c.(interface{ IsWhitespace() bool }); ok {
					assert.False(t, cd.IsWhitespace(), "whitespace kept in %q", tt.in)
				}
			}
		})
	}
}

func TestLinesOfElements(t *testing.T) {
	t.Parallel()
	doc, err := Parse([]byte("<?xml version=\"1.0\"?>\n<r>\n  <A>1</A>\n\n  <B>\n    2\n  </B>\n</r>\n"), Limits{})
	require.NoError(t, err)
	assert.Equal(t, 2, doc.Line(doc.Root))
	assert.Equal(t, 3, doc.Line(doc.Root.SelectElement("A")))
	assert.Equal(t, 5, doc.Line(doc.Root.SelectElement("B")))
	assert.Equal(t, 0, doc.Line(nil))
}

func TestBadInputErrors(t *testing.T) {
	t.Parallel()
	billionLaughs := `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<lolz>&lol9;</lolz>`
	xxe := `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY e SYSTEM "file:///etc/passwd">]><r>&e;</r>`
	tests := []struct {
		name, in, want string
		line           int
	}{
		{"empty", "", "no root element", 1},
		{"not xml", "hello world", "text outside the root element", 1},
		{"truncated", "<r>\n<PID>abc", "document ends inside <PID>", 2},
		{"truncated tag", "<r>\n<PI", "unexpected", 2},
		{"mismatched", "<r>\n<A></B>\n</r>", "end tag </B> does not match <A>", 2},
		{"stray end", "<r/></r>", "without a start tag", 1},
		{"two roots", "<r/>\n<s/>", "after the root element", 2},
		{"text after root", "<r/>junk", "text outside the root element", 1},
		{"entity bomb", billionLaughs, "entity declarations are not supported", 8},
		{"external entity", xxe, "entity declarations are not supported", 1},
		{"unknown entity", "<r>&nbsp;</r>", "invalid character entity &nbsp;", 1},
		{"bad attribute", `<r a=b/>`, "unquoted or missing attribute value", 1},
		{"bad name", "<r><1a/></r>", "invalid", 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse([]byte(tt.in), Limits{})
			require.Error(t, err)
			var se *SyntaxError
			require.True(t, errors.As(err, &se), "%T", err)
			assert.Contains(t, err.Error(), tt.want)
			assert.Equal(t, tt.line, se.Line, err.Error())
		})
	}
}

// endless produces "<a>" followed by an unbounded run of one byte.
type endless struct {
	head string
	fill byte
	n    int64
}

func (e *endless) Read(p []byte) (int, error) {
	if e.head != "" {
		n := copy(p, e.head)
		e.head = e.head[n:]
		return n, nil
	}
	for i := range p {
		p[i] = e.fill
	}
	e.n += int64(len(p))
	return len(p), nil
}

func TestHugeDocumentIsRefusedWithBoundedMemory(t *testing.T) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	src := &endless{head: "<r><Name>", fill: 'x'}
	start := time.Now()
	_, err := Read(src, Limits{}) // a 100 MB (or endless) document
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.Less(t, time.Since(start), 10*time.Second)
	assert.LessOrEqual(t, src.n, int64(DefaultMaxBytes)+64<<10, "read no further than the limit")
	runtime.ReadMemStats(&after)
	assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(64<<20), "bounded allocation")

	big := make([]byte, 100<<20)
	_, err = Parse(big, Limits{})
	assert.ErrorIs(t, err, ErrTooLarge)
	assert.Contains(t, err.Error(), "more than the limit")

	_, err = Parse([]byte(`<r>`+strings.Repeat("y", 2000)+`</r>`), Limits{MaxBytes: 1000})
	assert.ErrorIs(t, err, ErrTooLarge)
}

func TestDeepNestingIsRefused(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("<a>", 100000) + strings.Repeat("</a>", 100000)
	start := time.Now()
	_, err := Parse([]byte(deep), Limits{})
	require.Error(t, err)
	assert.ErrorIs(t, err, ErrTooDeep)
	assert.Contains(t, err.Error(), "nested more than 64 deep")
	assert.Less(t, time.Since(start), 5*time.Second)

	ok := strings.Repeat("<a>", 10) + strings.Repeat("</a>", 10)
	_, err = Parse([]byte(ok), Limits{MaxDepth: 10})
	assert.NoError(t, err)
	_, err = Parse([]byte(ok), Limits{MaxDepth: 9})
	assert.ErrorIs(t, err, ErrTooDeep)
}

func TestReadStopsAtReaderError(t *testing.T) {
	t.Parallel()
	r := io.MultiReader(strings.NewReader("<r><A>"), iotestErr{})
	_, err := Read(r, Limits{})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "boom")
}

type iotestErr struct{}

func (iotestErr) Read([]byte) (int, error) { return 0, errors.New("boom") }

func TestNamesThatCannotBeWrittenAreRefused(t *testing.T) {
	t.Parallel()
	for _, in := range []string{`<r :=""/>`, `<r a:=""/>`, `<a:/>`, `<r><:x/></r>`} {
		_, err := Parse([]byte(in), Limits{})
		assert.Error(t, err, in)
	}
}

func TestParseStringSharesNothingWritable(t *testing.T) {
	t.Parallel()
	in := "<r a='&amp;x'><A>plain</A><B>a &lt; b</B><C>x<!-- c -->y</C></r>"
	doc, err := ParseString(in, Limits{})
	require.NoError(t, err)
	data := []byte(in)
	doc2, err := Parse(data, Limits{})
	require.NoError(t, err)
	for i := range data {
		data[i] = 'z' // the caller reuses its buffer: Parse's tree copied what it kept
	}
	for _, d := range []*Document{doc, doc2} {
		assert.Equal(t, "&x", d.Root.SelectAttrValue("a", ""))
		assert.Equal(t, "plain", d.Root.SelectElement("A").Text())
		assert.Equal(t, "a < b", d.Root.SelectElement("B").Text())
		assert.Equal(t, "xy", d.Root.SelectElement("C").Text())
	}
}

func TestFullName(t *testing.T) {
	for _, c := range []struct{ space, local, want string }{
		{"", "PID", "PID"},
		{"jxta", "PA", "jxta:PA"},
		{"xmlns", "jxta", "xmlns:jxta"},
		{"my", "thing", "my:thing"}, // not a common name: built
	} {
		assert.Equal(t, c.want, FullName(c.space, c.local))
	}
	assert.Zero(t, testing.AllocsPerRun(100, func() { FullName("xml", "space") }), "a common name is shared")
}
