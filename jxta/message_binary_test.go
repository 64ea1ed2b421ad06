package jxta

import (
	"bytes"
	"encoding/binary"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sampleMessage is a message shaped like the endpoint messages JXSE sends.
func sampleMessage() *Message {
	m := new(Message)
	m.AddXML(NamespaceJXTA, "Connect", []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n<!DOCTYPE jxta:PA>\n<jxta:PA/>"))
	m.AddString(NamespaceJXTA, "EndpointSourceAddress", "jxta://uuid-59616261646162614E50472050325033F1A68F7234834877BB5C94BD41B87DE303")
	m.AddString(NamespaceJXTA, "EndpointDestinationAddress", "tcp://127.0.0.1:9711/EndpointService:jxta-NetGroup/EndpointRouter")
	m.AddBytes("app", "payload", []byte{0, 1, 2, 0xff})
	return m
}

// TestEncodeBinaryLayout checks the version 0 bytes field by field: the
// table holds only namespaces other than "" and "jxta", untyped elements
// carry no type, and signatures follow their element.
func TestEncodeBinaryLayout(t *testing.T) {
	t.Parallel()
	m := NewMessage(
		Element{Namespace: "jxta", Name: "A", Type: TypeText, Data: []byte("hi")},
		Element{Namespace: "x", Name: "B", Data: []byte{7}},
		Element{Namespace: "", Name: "C", Type: TypeOctetStream, Data: nil,
			Signature: &Element{Namespace: "", Name: "S", Data: []byte{9}}},
	)
	var want []byte
	want = append(want, "jxmg\x00"...)
	want = append(want, 0, 1, 0, 1, 'x') // one namespace: "x" (id 2)
	want = append(want, 0, 3)            // three elements
	want = append(want, "jxel\x01\x01\x00\x01A"...)
	want = append(want, 0, byte(len(TypeText)))
	want = append(want, TypeText...)
	want = append(want, 0, 0, 0, 2, 'h', 'i')
	want = append(want, "jxel\x02\x00\x00\x01B\x00\x00\x00\x01\x07"...)
	want = append(want, "jxel\x00\x04\x00\x01C\x00\x00\x00\x00"...)
	want = append(want, "jxel\x00\x00\x00\x01S\x00\x00\x00\x01\x09"...)
	assert.Equal(t, want, EncodeBinary(m))

	got, err := DecodeBinary(want, MessageLimits{})
	require.NoError(t, err)
	assert.True(t, got.Equal(m))
}

// TestEncodeBinaryV1Layout checks version 1 as JXTA-C writes it: names
// table of namespaces and types gathered from the last element to the
// first, literal element names, refs into the table.
func TestEncodeBinaryV1Layout(t *testing.T) {
	t.Parallel()
	m := NewMessage(
		Element{Namespace: "jxta", Name: "A", Type: TypeText, Data: []byte("hi")},
		Element{Namespace: "x", Name: "B", Data: []byte{7}},
	)
	var want []byte
	want = append(want, "jxmg\x01\x00"...)
	want = append(want, 0, 2, 0, 1, 'x', 0, byte(len(TypeText))) // names: "x" (2), TypeText (3)
	want = append(want, TypeText...)
	want = append(want, 0, 2) // two elements
	want = append(want, "jxel\x06\x00\x01\x00\x01A\x00\x03\x00\x00\x00\x02hi"...)
	want = append(want, "jxel\x02\x00\x02\x00\x01B\x00\x00\x00\x01\x07"...)
	assert.Equal(t, want, EncodeBinaryV1(m))

	got, err := DecodeBinary(want, MessageLimits{})
	require.NoError(t, err)
	assert.True(t, got.Equal(m))
}

// TestDecodeBinaryInterop decodes the JXTA-C 2002 samples against the
// notes in interop/SOURCES.md.
func TestDecodeBinaryInterop(t *testing.T) {
	t.Parallel()
	type el struct{ ns, name, typ string }
	want := map[string][]el{
		// Irregular early encoding: namespace table ["RendezVousPropagateurn",
		// "jxta", ""], names still carrying a prefix.
		"jxmg_v0_discovery_propagate_early_jxtac.bin": {
			{"", "RendezVousPropagate", "text/xml"},
			{"RendezVousPropagateurn", "jxta:jxta-NetGroup", "text/xml"},
			{"", "jxta-NetGroupORes", "text/xml"},
			{"jxta", "EndpointHeaderSrcPeer", TypeOctetStream},
			{"jxta", "EndpointDestinationAddress", TypeOctetStream},
			{"jxta", "EndpointSourceAddress", TypeOctetStream},
		},
		// Namespace table ["jxta"]: id 2 duplicates id 1; types always sent.
		"jxmg_v0_rdv_connect_2.bin": {
			{"jxta", "Connect", "text/xml"},
			{"jxta", "EndpointDestinationAddress", TypeOctetStream},
			{"jxta", "EndpointSourceAddress", TypeOctetStream},
		},
	}
	files := interop.Files(t, "binary", ".bin")
	require.NotEmpty(t, files)
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			data, err := os.ReadFile(f)
			require.NoError(t, err)
			m, err := DecodeBinary(data, MessageLimits{})
			require.NoError(t, err)
			exp, known := want[filepath.Base(f)]
			if known {
				require.Equal(t, len(exp), m.Len())
				for i, e := range m.Elements() {
					assert.Equal(t, exp[i], el{e.Namespace, e.Name, e.MIMEType()}, "element %d", i)
				}
			}
			total := 0
			for _, e := range m.Elements() {
				assert.True(t, inside(e.Data, data), "element data must refer into the input")
				total += len(e.Data)
			}
			assert.Positive(t, total)
			if dst, ok := m.String(NamespaceJXTA, "EndpointDestinationAddress"); ok {
				assert.Regexp(t, `^(http|tcp)://`, dst)
			}
			// Re-encoding is not byte-identical (JXSE drops the duplicate
			// table entry and octet-stream types) but decodes equal.
			again, err := DecodeBinary(EncodeBinary(m), MessageLimits{})
			require.NoError(t, err)
			assert.True(t, again.Equal(m))
		})
	}
}

// inside reports whether b is a sub-slice of buf (not a copy).
func inside(b, buf []byte) bool {
	if len(b) == 0 {
		return true
	}
	for i := range buf {
		if &buf[i] == &b[0] {
			return i+len(b) <= len(buf)
		}
	}
	return false
}

// captureBodies returns the message package bodies of the JXSE 2.6
// capture streams, parsed here without the framing package (which imports
// this one).
func captureBodies(tb testing.TB) [][]byte {
	tb.Helper()
	var bodies [][]byte
	for _, f := range interop.Files(tb, "captures", ".stream") {
		data, err := os.ReadFile(f)
		if err != nil {
			tb.Fatal(err)
		}
		i := bytes.Index(data, []byte("\r\n"))
		if i < 0 {
			tb.Fatalf("%s: no welcome line", f)
		}
		data = data[i+2:]
		for len(data) > 0 {
			var length uint64
			for {
				n := int(data[0])
				data = data[1:]
				if n == 0 {
					break
				}
				name := string(data[:n])
				vlen := int(binary.BigEndian.Uint16(data[n:]))
				if name == "content-length" {
					length = binary.BigEndian.Uint64(data[n+2:])
				}
				data = data[n+2+vlen:]
			}
			bodies = append(bodies, data[:length])
			data = data[length:]
		}
	}
	return bodies
}

// TestCaptureBodiesReencodeExactly checks that our version 0 writer agrees
// with JXSE 2.6's byte for byte on every message of the capture (the
// framing tests compare the elements with the capture's listing).
func TestCaptureBodiesReencodeExactly(t *testing.T) {
	t.Parallel()
	bodies := captureBodies(t)
	require.Len(t, bodies, 6)
	for i, body := range bodies {
		m, err := DecodeBinary(body, MessageLimits{MaxSize: LegacyMaxMessageSize})
		require.NoError(t, err, "message %d", i)
		assert.Equal(t, body, EncodeBinary(m), "message %d", i)
		assert.Equal(t, body, AppendBinary(make([]byte, 0, len(body)), m))
	}
}

// letters for random names: ASCII, XML specials, a colon, non-ASCII.
var nameRunes = []rune("abcXYZ019-_.:&<>\"' \téü中😀")

func randomString(r *rand.Rand, max int, colon bool) string {
	n := r.IntN(max + 1)
	var sb strings.Builder
	for range n {
		c := nameRunes[r.IntN(len(nameRunes))]
		if c == ':' && !colon {
			c = '_'
		}
		sb.WriteRune(c)
	}
	return sb.String()
}

// randomText returns text that tests the XML text rules: markup
// characters, CR, surrounding white space, control and non-BMP characters.
func randomText(r *rand.Rand) []byte {
	parts := []string{"hello", " ", "\n", "\r\n", "\r", "<a>&amp;", "]]>", "\t", "é", "😀", "\x00", "\x1f", "\uFFFE", "\xff", "x"}
	var b []byte
	for range r.IntN(8) {
		b = append(b, parts[r.IntN(len(parts))]...)
	}
	return b
}

var (
	randomNamespaces = []string{"", "", "jxta", "jxta", "app", "ns2", "ünï", "a b"}
	randomNames      = []string{"EndpointSourceAddress", "Connect", "x", "x", "", "a:b"}
	randomTypes      = []string{"", TypeOctetStream, TypeText, TypeXML, "text/plain", "application/xml", "image/png", "application/json;q=1"}
)

// randomElement returns a random element. Names are valid XML text and
// namespaces hold no colon, so that every format can carry them.
func randomElement(r *rand.Rand, depth int) Element {
	var e Element
	if r.IntN(4) == 0 {
		e.Namespace = randomString(r, 6, false)
	} else {
		e.Namespace = randomNamespaces[r.IntN(len(randomNamespaces))]
	}
	if r.IntN(3) == 0 {
		e.Name = randomString(r, 10, true)
	} else {
		e.Name = randomNames[r.IntN(len(randomNames))]
	}
	e.Type = randomTypes[r.IntN(len(randomTypes))]
	switch k := r.IntN(10); {
	case k < 4 && strings.HasPrefix(e.MIMEType(), "text/"):
		e.Data = randomText(r)
	case k < 6:
		e.Data = make([]byte, r.IntN(300))
		for i := range e.Data {
			e.Data[i] = byte(r.Uint32())
		}
	case k < 7 && depth < 2:
		e.Type = TypeMessage
		sub := randomMessage(r, depth+1)
		if r.IntN(2) == 0 {
			e.Data = EncodeBinary(sub)
		} else {
			e.Data = EncodeBinaryV1(sub)
		}
	case k < 9:
		e.Data = randomText(r)
	}
	if r.IntN(6) == 0 {
		sig := randomElement(r, 2)
		e.Signature = &sig
	}
	return e
}

func randomMessage(r *rand.Rand, depth int) *Message {
	m := new(Message)
	for range r.IntN(8) {
		m.Add(randomElement(r, depth))
	}
	return m
}

// TestRoundTripFormats checks, for random messages, that binary versions 0
// and 1 and the XML format all carry every message exactly, and that the
// version 0 bytes do not depend on the format a message was read from.
func TestRoundTripFormats(t *testing.T) {
	t.Parallel()
	for seed := range uint64(500) {
		r := rand.New(rand.NewPCG(seed, 42))
		m := randomMessage(r, 0)
		require.NoError(t, m.CheckEncodable())
		v0 := EncodeBinary(m)
		formats := map[string]struct {
			data   []byte
			decode func([]byte, MessageLimits) (*Message, error)
		}{
			"v0":  {v0, DecodeBinary},
			"v1":  {EncodeBinaryV1(m), DecodeBinary},
			"xml": {EncodeXMLMessage(m), DecodeXMLMessage},
		}
		for name, f := range formats {
			got, err := f.decode(f.data, MessageLimits{})
			require.NoError(t, err, "seed %d %s:\n%q", seed, name, f.data)
			require.True(t, got.Equal(m), "seed %d %s: decoded message differs:\n%q", seed, name, f.data)
			require.Equal(t, v0, EncodeBinary(got), "seed %d %s", seed, name)
		}
		prefix := []byte("prefix")
		require.Equal(t, append(prefix[:len(prefix):len(prefix)], v0...), AppendBinary(prefix, m))
		for _, e := range m.Elements() {
			if e.Type == TypeMessage {
				sub, err := e.Message(MessageLimits{})
				require.NoError(t, err)
				again, err := DecodeBinary(EncodeBinary(sub), MessageLimits{})
				require.NoError(t, err)
				require.True(t, again.Equal(sub))
			}
		}
	}
}

// TestRoundTripBinaryArbitraryStrings checks that the binary formats carry
// names, namespaces and types that are not UTF-8.
func TestRoundTripBinaryArbitraryStrings(t *testing.T) {
	t.Parallel()
	r := rand.New(rand.NewPCG(7, 7))
	raw := func() string {
		b := make([]byte, r.IntN(12))
		for i := range b {
			b[i] = byte(r.Uint32())
		}
		return string(b)
	}
	for range 200 {
		m := new(Message)
		for range r.IntN(6) {
			e := Element{Namespace: raw(), Name: raw(), Type: raw(), Data: []byte(raw())}
			if r.IntN(3) == 0 {
				e.Signature = &Element{Namespace: raw(), Name: raw(), Type: raw(), Data: []byte(raw())}
			}
			m.Add(e)
		}
		for _, enc := range []func(*Message) []byte{EncodeBinary, EncodeBinaryV1} {
			got, err := DecodeBinary(enc(m), MessageLimits{})
			require.NoError(t, err)
			require.True(t, got.Equal(m))
		}
	}
}

func TestAppendBinaryDoesNotAllocate(t *testing.T) {
	m := sampleMessage()
	m.Add(Element{Namespace: "other", Name: "s", Data: []byte("x"), Signature: &Element{Namespace: "sig", Name: "sig"}})
	buf := make([]byte, 0, 4096)
	allocs := testing.AllocsPerRun(100, func() { buf = AppendBinary(buf[:0], m) })
	assert.Zero(t, allocs)
}

// nest returns a message nested n levels deep in elements of type
// application/x-jxta-msg.
func nest(n int) []byte {
	b := EncodeBinary(NewMessage(Element{Name: "leaf", Data: []byte("x")}))
	for range n {
		b = EncodeBinary(NewMessage(Element{Name: "nested", Type: TypeMessage, Data: b}))
	}
	return b
}

// sigChain returns a message whose element has a chain of n signatures.
func sigChain(n int) []byte {
	e := Element{Name: "s"}
	for range n {
		inner := e
		e = Element{Name: "s", Signature: &inner}
	}
	return EncodeBinary(NewMessage(e))
}

func v0Header(nsCount, elemCount int) []byte {
	b := []byte("jxmg\x00")
	b = binary.BigEndian.AppendUint16(b, uint16(nsCount))
	for i := range nsCount {
		b = appendString(b, "ns"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	return binary.BigEndian.AppendUint16(b, uint16(elemCount))
}

// amplified returns a version 1 message of n elements whose names all
// refer to one 60000-byte table entry.
func amplified(n int) []byte {
	b := []byte("jxmg\x01\x00\x00\x01")
	b = appendString(b, strings.Repeat("n", 60000))
	b = binary.BigEndian.AppendUint16(b, uint16(n))
	for range n {
		b = append(b, "jxel\x00\x00\x00\x00\x02\x00\x00\x00\x00"...)
	}
	return b
}

func cat(parts ...string) []byte { return []byte(strings.Join(parts, "")) }

// TestDecodeBinaryRejects is the table of bad input: each must fail with
// the right sentinel and a message naming the problem.
func TestDecodeBinaryRejects(t *testing.T) {
	t.Parallel()
	valid := EncodeBinary(sampleMessage())
	tests := []struct {
		name string
		data []byte
		lim  MessageLimits
		err  error
		msg  string
	}{
		{"empty", nil, MessageLimits{}, ErrBadMessage, "truncated message magic"},
		{"wrong magic", append([]byte("jxmx"), valid[4:]...), MessageLimits{}, ErrBadMessage, `bad message magic "jxmx"`},
		{"version 2", append([]byte("jxmg\x02"), valid[5:]...), MessageLimits{}, ErrBadMessage, "message version 2 not supported"},
		{"element magic", cat("jxmg\x00\x00\x00\x00\x01", "jxex\x00\x00\x00\x00\x00\x00\x00\x00"), MessageLimits{}, ErrBadMessage, `bad element magic "jxex"`},
		{"name length past end", cat("jxmg\x00\x00\x00\x00\x01", "jxel\x00\x00\x03\xe7abc"), MessageLimits{}, ErrBadMessage, "element name length 999 exceeds remaining 3 bytes"},
		{"4 GB element", cat("jxmg\x00\x00\x00\x00\x01", "jxel\x00\x00\x00\x00\xff\xff\xff\xff"), MessageLimits{}, ErrBadMessage, "element content length 4294967295 exceeds remaining 0 bytes"},
		{"namespace id out of range", cat("jxmg\x00\x00\x00\x00\x01", "jxel\x02\x00\x00\x00\x00\x00\x00\x00"), MessageLimits{}, ErrBadMessage, "namespace id 2 is not defined"},
		{"254 namespaces", v0Header(254, 0), MessageLimits{}, ErrBadMessage, "namespace table has 254 entries, at most 253"},
		{"namespace count past end", cat("jxmg\x00\xff\xff\x00\x05"), MessageLimits{}, ErrBadMessage, "namespace table has 65535 entries"},
		{"too few elements", cat("jxmg\x00\x00\x00\x00\x02", "jxel\x00\x00\x00\x00\x00\x00\x00\x00"), MessageLimits{}, ErrBadMessage, "truncated element magic"},
		{"trailing bytes", append(bytes.Clone(valid), 0), MessageLimits{}, ErrBadMessage, "1 bytes follow the last of 4 elements"},
		{"encoding flag", cat("jxmg\x00\x00\x00\x00\x01", "jxel\x00\x02\x00\x00\x00\x00\x00\x00"), MessageLimits{}, ErrBadMessage, "content encodings (flag 0x02) are not supported"},
		{"bad nested", EncodeBinary(NewMessage(Element{Name: "n", Type: TypeMessage + ";x=1", Data: []byte("jxmg\x00\x00")})), MessageLimits{}, ErrBadMessage, "truncated namespace count"},
		{"over MaxSize", valid, MessageLimits{MaxSize: len(valid) - 1}, ErrMessageTooLarge, "exceeds the limit"},
		{"too many elements", valid, MessageLimits{MaxElements: 3}, ErrMessageTooLarge, "message of 4 elements exceeds the limit of 3"},
		{"too many uncounted elements", cat("jxmg\x00\x00\x00\x00\x00", strings.Repeat("jxel\x00\x00\x00\x00\x00\x00\x00\x00", 4)), MessageLimits{MaxElements: 3}, ErrMessageTooLarge, "more than 3 elements"},
		{"nested too deep", nest(9), MessageLimits{}, ErrMessageTooLarge, "nested more than 8 deep"},
		{"nested deeper than limit", nest(3), MessageLimits{MaxDepth: 2}, ErrMessageTooLarge, "nested more than 2 deep"},
		{"signature chain", sigChain(9), MessageLimits{}, ErrMessageTooLarge, "signature chain longer than 8"},
		{"v1 names amplified beyond MaxSize", amplified(300), MessageLimits{}, ErrMessageTooLarge, "would take 18003609 bytes in version 0"},
		{"v1 flags", cat("jxmg\x01\x01\x00\x00\x00\x00"), MessageLimits{}, ErrBadMessage, "message flags 0x01 not supported"},
		{"v1 names past end", cat("jxmg\x01\x00\xff\xff\x00"), MessageLimits{}, ErrBadMessage, "names table of 65535 entries exceeds remaining 1 bytes"},
		{"v1 name ref out of range", cat("jxmg\x01\x00\x00\x00\x00\x01", "jxel\x02\x00\x05\x00\x00\x00\x00\x00\x00"), MessageLimits{}, ErrBadMessage, "element namespace refers to name 5, but the table has names 0 to 1"},
		{"v1 encodings", cat("jxmg\x01\x00\x00\x00\x00\x01", "jxel\x12\x00\x00\x00\x00\x00\x00\x00\x00"), MessageLimits{}, ErrBadMessage, "content encodings (flags 0x12)"},
		{"v1 huge u64 length", cat("jxmg\x01\x00\x00\x00\x00\x01", "jxel\x03\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff"), MessageLimits{}, ErrBadMessage, "element content length 18446744073709551615 exceeds remaining 0 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := DecodeBinary(tt.data, tt.lim)
			require.Error(t, err)
			assert.Nil(t, m)
			assert.ErrorIs(t, err, tt.err)
			assert.Contains(t, err.Error(), tt.msg)
			var me *MessageError
			require.ErrorAs(t, err, &me)
			assert.True(t, me.Offset >= 0 && me.Offset <= len(tt.data), "offset %d", me.Offset)
		})
	}
	// Limits are limits, not errors.
	_, err := DecodeBinary(nest(8), MessageLimits{})
	assert.NoError(t, err)
	_, err = DecodeBinary(nest(12), MessageLimits{MaxDepth: 12})
	assert.NoError(t, err)
	_, err = DecodeBinary(sigChain(8), MessageLimits{})
	assert.NoError(t, err)
	_, err = DecodeBinary(amplified(3), MessageLimits{})
	assert.NoError(t, err)
}

func TestMessageErrorText(t *testing.T) {
	data := cat("jxmg\x00\x00\x00\x00\x01", "jxel\x00\x00\x03\xe7abcdefghij")
	_, err := DecodeBinary(data, MessageLimits{})
	assert.EqualError(t, err, "message: offset 17: element name length 999 exceeds remaining 10 bytes")
}

// TestDecodeBinaryEveryPrefixFails truncates valid messages at every
// length: each prefix must fail, never panic.
func TestDecodeBinaryEveryPrefixFails(t *testing.T) {
	t.Parallel()
	m := sampleMessage()
	m.Add(Element{Namespace: "sig", Name: "signed", Data: []byte("abc"), Signature: &Element{Namespace: "sig", Name: "s", Type: "application/x-sig", Data: []byte{1, 2}}})
	m.AddMessage("", "nested", sampleMessage())
	inputs := [][]byte{EncodeBinary(m), EncodeBinaryV1(m), EncodeBinary(new(Message))}
	if interop.Locate() != "" {
		inputs = append(inputs, captureBodies(t)[0])
	}
	for _, full := range inputs {
		_, err := DecodeBinary(full, MessageLimits{})
		require.NoError(t, err)
		for n := range len(full) {
			_, err := DecodeBinary(full[:n], MessageLimits{})
			require.Error(t, err, "prefix of %d of %d bytes", n, len(full))
			require.ErrorIs(t, err, ErrBadMessage)
		}
	}
}

// TestDecodeBinaryBoundedMemory checks that claimed counts and lengths
// cost nothing before their bytes are there.
func TestDecodeBinaryBoundedMemory(t *testing.T) {
	inputs := map[string][]byte{
		"4 GB element":    cat("jxmg\x00\x00\x00\x00\x01", "jxel\x00\x00\x00\x00\xff\xff\xff\xff"),
		"65535 elements":  cat("jxmg\x00\x00\x00\xff\xff", "jxel"),
		"65535 names":     cat("jxmg\x01\x00\xff\xff\x00\x01x"),
		"u64 length":      cat("jxmg\x01\x00\x00\x00\x00\x01", "jxel\x03\x00\x00\x00\x00\xff\xff\xff\xff\xff\xff\xff\xff"),
		"namespace count": cat("jxmg\x00\x00\xfd\x00"),
	}
	for name, data := range inputs {
		lim := MessageLimits{MaxElements: 65535}
		allocs := testing.AllocsPerRun(20, func() {
			if _, err := DecodeBinary(data, lim); err == nil {
				t.Fatalf("%s: decoded", name)
			}
		})
		assert.LessOrEqual(t, allocs, 8.0, name)
	}
}

func TestCheckEncodable(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("n", 70000)
	tests := []struct {
		name string
		m    *Message
		msg  string
	}{
		{"long name", NewMessage(Element{Name: long}), "name of 70000 bytes"},
		{"long namespace", NewMessage(Element{Namespace: long}), "namespace of 70000 bytes"},
		{"long type", NewMessage(Element{Signature: &Element{Type: long}}), "type of 70000 bytes"},
	}
	many := new(Message)
	for i := range 254 {
		many.AddBytes("ns"+string(rune(0x100+i)), "x", nil)
	}
	tests = append(tests, struct {
		name string
		m    *Message
		msg  string
	}{"254 namespaces", many, "more than 253 namespaces"})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := tt.m.CheckEncodable()
			assert.ErrorIs(t, err, ErrMessageTooLarge)
			assert.ErrorContains(t, err, tt.msg)
			// Version 0 encoding is lossy but always decodable.
			_, err = DecodeBinary(EncodeBinary(tt.m), MessageLimits{})
			assert.NoError(t, err)
		})
	}
	got, err := DecodeBinary(EncodeBinary(many), MessageLimits{})
	require.NoError(t, err)
	assert.Equal(t, 253, got.Len(), "elements in the 254th namespace are left out")
	got, err = DecodeBinary(EncodeBinaryV1(many), MessageLimits{})
	require.ErrorIs(t, err, ErrMessageTooLarge, "version 1 carries it, but it could not be re-encoded as version 0")
	assert.Nil(t, got)
	assert.NoError(t, sampleMessage().CheckEncodable())
}

func TestElementMessage(t *testing.T) {
	t.Parallel()
	outer := new(Message)
	outer.AddMessage(NamespaceJXTA, "inner", sampleMessage())
	outer.AddString("", "text", "not a message")
	data := EncodeBinary(outer)
	m, err := DecodeBinary(data, MessageLimits{})
	require.NoError(t, err)
	e, ok := m.Get(NamespaceJXTA, "inner")
	require.True(t, ok)
	inner, err := e.Message(MessageLimits{})
	require.NoError(t, err)
	assert.True(t, inner.Equal(sampleMessage()))
	assert.True(t, inside(inner.Elements()[0].Data, data), "nested data refers into the outer buffer")
	e, _ = m.Get("", "text")
	_, err = e.Message(MessageLimits{})
	assert.ErrorIs(t, err, ErrBadMessage)
}

func TestUncountedMessage(t *testing.T) {
	t.Parallel()
	b := cat("jxmg\x00\x00\x00\x00\x00", "jxel\x01\x00\x00\x01a\x00\x00\x00\x01x", "jxel\x00\x00\x00\x01b\x00\x00\x00\x00")
	m, err := DecodeBinary(b, MessageLimits{})
	require.NoError(t, err)
	require.Equal(t, 2, m.Len())
	s, _ := m.String(NamespaceJXTA, "a")
	assert.Equal(t, "x", s)
	// An element that ends exactly where an uncounted message does is the
	// last; one cut short is an error.
	_, err = DecodeBinary(b[:len(b)-1], MessageLimits{})
	assert.ErrorIs(t, err, ErrBadMessage)
}

func BenchmarkEncodeBinary1KiB(b *testing.B) {
	m := benchMessage()
	buf := AppendBinary(nil, m)
	b.SetBytes(int64(len(buf)))
	b.ReportAllocs()
	for b.Loop() {
		buf = AppendBinary(buf[:0], m)
	}
}

func BenchmarkDecodeBinary1KiB(b *testing.B) {
	data := EncodeBinary(benchMessage())
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := DecodeBinary(data, MessageLimits{}); err != nil {
			b.Fatal(err)
		}
	}
}

// benchMessage is a 1 KiB endpoint message: a document and the two
// address elements.
func benchMessage() *Message {
	m := sampleMessage()
	m.Remove("app", "payload")
	doc := bytes.Repeat([]byte("<x>abcdefgh</x>\n"), 52)
	m.Replace(Element{Namespace: NamespaceJXTA, Name: "Connect", Type: TypeXML, Data: doc})
	for len(EncodeBinary(m)) < 1024 {
		m.AddString("", "pad", "x")
	}
	return m
}
