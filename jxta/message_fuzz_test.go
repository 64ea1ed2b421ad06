package jxta

import (
	"os"
	"testing"

	"github.com/gojxta/gojxta/internal/interop"
)

// relaxed are the limits for decoding a re-encoded message, which may be
// larger than the input (XML's base64, version 1's shared names).
var relaxed = MessageLimits{MaxSize: 1 << 30}

// checkReencode fails t unless m survives every encoder.
func checkReencode(t *testing.T, m *Message) {
	t.Helper()
	if err := m.CheckEncodable(); err != nil {
		t.Fatalf("decoded message is not encodable: %v", err)
	}
	v0 := EncodeBinary(m)
	for name, enc := range map[string]struct {
		data   []byte
		decode func([]byte, MessageLimits) (*Message, error)
	}{
		"v0": {v0, DecodeBinary},
		"v1": {EncodeBinaryV1(m), DecodeBinary},
	} {
		again, err := enc.decode(enc.data, relaxed)
		if err != nil {
			t.Fatalf("%s re-encoding does not decode: %v\n%q", name, err, enc.data)
		}
		if !again.Equal(m) {
			t.Fatalf("%s re-encoding decodes differently:\n%q", name, enc.data)
		}
	}
}

// FuzzDecodeBinary checks that DecodeBinary never panics, and that every
// message it accepts re-encodes (version 0 and 1) to a message that
// decodes equal. Seeded with the interop samples and the capture bodies.
func FuzzDecodeBinary(f *testing.F) {
	f.Add(EncodeBinary(sampleMessage()))
	f.Add(EncodeBinaryV1(sampleMessage()))
	f.Add(nest(3))
	f.Add(sigChain(3))
	if interop.Locate() != "" {
		for _, file := range interop.Files(f, "binary", ".bin") {
			data, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(data)
		}
		for _, b := range captureBodies(f) {
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeBinary(data, MessageLimits{MaxSize: 1 << 20})
		if err != nil {
			return
		}
		checkReencode(t, m)
		for _, e := range m.Elements() {
			if isMessageTypeString(e.MIMEType()) {
				if _, err := e.Message(MessageLimits{}); err != nil {
					t.Fatalf("nested message was checked but does not decode: %v", err)
				}
			}
		}
	})
}

// FuzzDecodeXMLMessage checks that DecodeXMLMessage never panics, and that
// every message it accepts re-encodes as XML and binary to a message that
// decodes equal. Seeded with the specification's sample.
func FuzzDecodeXMLMessage(f *testing.F) {
	f.Add(EncodeXMLMessage(sampleMessage()))
	f.Add([]byte(`<Message><Element name="a" mime_type="text/plain">x<Signature name="jxta:s" encoding="base64">AQI=</Signature></Element></Message>`))
	if dir := interop.Locate(); dir != "" {
		data, err := os.ReadFile(dir + "/messages/spec_example_xml_message_format.xml")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeXMLMessage(data, MessageLimits{MaxSize: 1 << 20})
		if err != nil {
			return
		}
		x := EncodeXMLMessage(m)
		again, err := DecodeXMLMessage(x, relaxed)
		if err != nil {
			t.Fatalf("XML re-encoding does not decode: %v\n%s", err, x)
		}
		if !again.Equal(m) {
			t.Fatalf("XML re-encoding decodes differently:\n%s", x)
		}
		checkReencode(t, m)
	})
}

// FuzzXMLMessageFastPath checks that every input the fast path of
// DecodeXMLMessage accepts decodes to the same message through the full
// decoder. Seeded with messages EncodeXMLMessage wrote.
func FuzzXMLMessageFastPath(f *testing.F) {
	f.Add(EncodeXMLMessage(sampleMessage()))
	m := NewMessage()
	m.AddString("", "text", " a & b < c > d \"e\" 'f' ")
	m.AddString("jxta", "ns:colon", "x")
	m.AddBytes("app", "bin", []byte{0, 1, 2, 0xff, '<', '&'})
	m.AddXML("", "doc", []byte(`<a b="c">&amp;</a>`))
	m.Add(Element{Name: "empty", Type: TypeText})
	f.Add(EncodeXMLMessage(m))
	f.Add([]byte(xmlProlog + xmlEpilog))
	// Wrapped base64, with newlines and carriage returns, long enough for
	// the vector decoder.
	f.Add([]byte(xmlProlog + `<Element name="b" mime_type="application/octet-stream" encoding="base64">` +
		"QUJDREVGR0hJSktMTU5PUFFSU1RVVldY\r\nWVpBQkNERUZHSElKS0xNTk9QUVJTVFVWV1hZWkFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFla\rWVo=\n" +
		xmlElemEnd + xmlEpilog))
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := MessageLimits{MaxSize: 1 << 20}.withDefaults()
		fast, ok := decodeXMLMessageFast(data, lim)
		if !ok || fast.CheckEncodable() != nil {
			return
		}
		full, err := decodeXMLMessageFull(data, lim)
		if err != nil {
			t.Fatalf("the fast path accepts what the full decoder refuses (%v):\n%q", err, data)
		}
		if !full.Equal(fast) {
			t.Fatalf("the fast path decodes differently:\n%q", data)
		}
	})
}
