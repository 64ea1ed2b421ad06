package jxta

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDecodeXMLSpecExample reads the specification's sample: an indented
// text element and a wrapped base64 one.
func TestDecodeXMLSpecExample(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile(filepath.Join(interop.Dir(t), "messages", "spec_example_xml_message_format.xml"))
	require.NoError(t, err)
	m, err := DecodeXMLMessage(data, MessageLimits{})
	require.NoError(t, err)
	require.Equal(t, 2, m.Len())
	e := m.Elements()[0]
	assert.Equal(t, Element{Namespace: "jxta", Name: "SourceAddress", Type: "text/plain", Data: []byte("tcp://123.456.205.212")}, e)
	e = m.Elements()[1]
	assert.Equal(t, "", e.Namespace)
	assert.Equal(t, "stuff", e.Name)
	assert.Equal(t, TypeOctetStream, e.MIMEType())
	require.Len(t, e.Data, 200)
	for i, c := range e.Data {
		require.Equal(t, byte(i), c)
	}
	again, err := DecodeXMLMessage(EncodeXMLMessage(m), MessageLimits{})
	require.NoError(t, err)
	assert.True(t, again.Equal(m))
}

func TestEncodeXMLMessageLayout(t *testing.T) {
	t.Parallel()
	m := NewMessage(
		Element{Namespace: "jxta", Name: "SourceAddress", Type: "text/plain", Data: []byte("tcp://10.0.0.1:9701")},
		Element{Name: "stuff", Data: []byte{0, 1, 2, 3}},
		Element{Name: "a:b", Type: TypeXML, Data: []byte("<x a=\"1\">&</x>"),
			Signature: &Element{Namespace: "jxta", Name: "sig", Data: []byte{1, 2}}},
	)
	want := `<?xml version="1.0"?>
<!DOCTYPE Message>
<Message version="0">
<Element name="jxta:SourceAddress" mime_type="text/plain">tcp://10.0.0.1:9701</Element>
<Element name="stuff" mime_type="application/octet-stream" encoding="base64">AAECAw==</Element>
<Element name=":a:b" mime_type="text/xml;charset=UTF-8">&lt;x a="1"&gt;&amp;&lt;/x&gt;<Signature name="jxta:sig" mime_type="application/octet-stream" encoding="base64">AQI=</Signature></Element>
</Message>
`
	assert.Equal(t, want, string(EncodeXMLMessage(m)))
}

// TestXMLTextOrBase64 checks which text content is written as text: only
// what an XML reader gives back unchanged.
func TestXMLTextOrBase64(t *testing.T) {
	t.Parallel()
	tests := []struct {
		typ, data string
		text      bool
	}{
		{TypeText, "plain", true},
		{TypeText, "", true},
		{TypeText, "a\nb\tc", true},
		{TypeText, "<&>\"'", true},
		{TypeText, "é 😀", true},
		{"application/xml", "<a/>", true},
		{"application/atom+xml", "<a/>", true},
		{"TEXT/Plain", "x", true},
		{TypeText, "a\r\nb", false}, // XML readers fold CR
		{TypeText, " lead", false},  // trimmed on input
		{TypeText, "trail\n", false},
		{TypeText, "nul\x00", false},
		{TypeText, "bad\xff", false},
		{TypeText, "\uFFFE", false},
		{TypeOctetStream, "plain", false},
		{"application/json", "{}", false},
	}
	for _, tt := range tests {
		m := NewMessage(Element{Name: "e", Type: tt.typ, Data: []byte(tt.data)})
		out := string(EncodeXMLMessage(m))
		assert.Equal(t, !tt.text, strings.Contains(out, `encoding="base64"`), "%s %q:\n%s", tt.typ, tt.data, out)
		got, err := DecodeXMLMessage([]byte(out), MessageLimits{})
		require.NoError(t, err)
		assert.True(t, got.Equal(m), "%s %q", tt.typ, tt.data)
	}
}

func TestDecodeXMLMessageAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		want      []Element
	}{
		{"no prolog, no version", `<Message><Element name="a">x</Element></Message>`,
			[]Element{{Name: "a", Data: []byte("x")}}},
		{"comments and CDATA", "<?xml version=\"1.0\" encoding=\"UTF-8\"?><!-- c --><Message version=\"0\"><!-- c --><Element name=\"jxta:a\" mime_type=\"text/plain\"><![CDATA[<x>]]> &#x41;&amp;</Element></Message><!-- end -->\n",
			[]Element{{Namespace: "jxta", Name: "a", Type: "text/plain", Data: []byte("<x> A&")}}},
		{"unknown elements and attributes", `<Message><Other><Element name="no"/></Other><Element name="a" extra="1">x<b>ignored</b></Element></Message>`,
			[]Element{{Name: "a", Data: []byte("x")}}},
		{"wrapped base64, upper-case encoding", "<Message><Element name=\"a\" encoding=\"BASE64\">\n AAEC\n Aw==\n</Element></Message>",
			[]Element{{Name: "a", Data: []byte{0, 1, 2, 3}}}},
		{"empty", `<Message/>`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := DecodeXMLMessage([]byte(tt.doc), MessageLimits{})
			require.NoError(t, err)
			assert.True(t, m.Equal(NewMessage(tt.want...)), "%+v", m.Elements())
		})
	}
}

func TestDecodeXMLMessageRejects(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, doc string
		lim       MessageLimits
		err       error
		msg       string
	}{
		{"text", "jxmg", MessageLimits{}, ErrBadMessage, "text before the Message element"},
		{"binary", "jxmg\x00", MessageLimits{}, ErrBadMessage, "illegal character code U+0000"},
		{"empty", "", MessageLimits{}, ErrBadMessage, "no Message element"},
		{"wrong root", `<Msg/>`, MessageLimits{}, ErrBadMessage, "root element is <Msg>"},
		{"version 1", `<Message version="1"/>`, MessageLimits{}, ErrBadMessage, `version "1" not supported`},
		{"unterminated", `<Message><Element name="a">x`, MessageLimits{}, ErrBadMessage, "XML"},
		{"mismatched", `<Message><Element name="a">x</Message>`, MessageLimits{}, ErrBadMessage, "XML line 1"},
		{"no name", `<Message><Element>x</Element></Message>`, MessageLimits{}, ErrBadMessage, "without a name attribute"},
		{"unknown encoding", `<Message><Element name="a" encoding="gzip">x</Element></Message>`, MessageLimits{}, ErrBadMessage, `encoding "gzip" not supported`},
		{"bad base64", `<Message><Element name="a" encoding="base64">!!</Element></Message>`, MessageLimits{}, ErrBadMessage, "bad base64"},
		{"undefined entity", `<Message><Element name="a">&foo;</Element></Message>`, MessageLimits{}, ErrBadMessage, "XML"},
		{"DTD entities are not expanded", `<!DOCTYPE Message [<!ENTITY x "yyyy">]><Message><Element name="a">&x;</Element></Message>`, MessageLimits{}, ErrBadMessage, "XML"},
		{"other charset", `<?xml version="1.0" encoding="ISO-8859-1"?><Message/>`, MessageLimits{}, ErrBadMessage, "XML"},
		{"two roots", `<Message/><Message/>`, MessageLimits{}, ErrBadMessage, "after the Message element"},
		{"two signatures", `<Message><Element name="a"><Signature name="s"/><Signature name="s"/></Element></Message>`, MessageLimits{}, ErrBadMessage, "two signatures"},
		{"bad nested message", `<Message><Element name="a" mime_type="application/x-jxta-msg" encoding="base64">anhtZw==</Element></Message>`, MessageLimits{}, ErrBadMessage, "nested message: truncated message version"},
		{"over MaxSize", `<Message/>`, MessageLimits{MaxSize: 5}, ErrMessageTooLarge, "exceeds the limit of 5 bytes"},
		{"too many elements", `<Message><Element name="a"/><Element name="a"/></Message>`, MessageLimits{MaxElements: 1}, ErrMessageTooLarge, "more than 1 elements"},
		{"signature chain", `<Message><Element name="a"><Signature name="s"><Signature name="s"/></Signature></Element></Message>`, MessageLimits{MaxDepth: 1}, ErrMessageTooLarge, "signature chain longer than 1"},
		{"name too long", `<Message><Element name="` + strings.Repeat("n", 70000) + `"/></Message>`, MessageLimits{}, ErrMessageTooLarge, "name of 70000 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := DecodeXMLMessage([]byte(tt.doc), tt.lim)
			require.Error(t, err)
			assert.Nil(t, m)
			assert.ErrorIs(t, err, tt.err)
			assert.ErrorContains(t, err, tt.msg)
		})
	}
}

// TestDecodeXMLMessageOwnsItsMemory checks that a decoded XML message
// shares no memory with its input, through the fast path and the full
// decoder alike: overwriting the input leaves the message as it was.
func TestDecodeXMLMessageOwnsItsMemory(t *testing.T) {
	m := NewMessage()
	m.AddString("", "text", "plain text")
	m.AddString("", "escaped", "a < b & c")
	m.AddBytes("app", "bin", []byte{0, 1, 2, 3, 0xff})
	fast := EncodeXMLMessage(m)
	full := bytes.Replace(fast, []byte(`<Message version="0">`), []byte(`<Message  version='0'>`), 1)
	for name, data := range map[string][]byte{"fast path": fast, "full decoder": full} {
		got, err := DecodeXMLMessage(data, MessageLimits{})
		require.NoError(t, err, name)
		for i := range data {
			data[i] = '#'
		}
		require.True(t, m.Equal(got), "%s: the message changed with its input", name)
	}
}
