package endpoint

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// FuzzReadStreamHeader checks that any bytes read as a stream header give
// a header or an error, consume at most the header, and that headers
// written by appendStreamHeader read back.
func FuzzReadStreamHeader(f *testing.F) {
	f.Add(appendStreamHeader(nil, "/gojxta/pipe/1/jxta-NetGroup", "urn:jxta:uuid-0104"), "/p", "a b")
	f.Add([]byte{0xff, 0xff, 'x'}, "/x", "")
	f.Fuzz(func(t *testing.T, data []byte, proto, arg string) {
		r := bytes.NewReader(data)
		if _, _, err := readStreamHeader(r); err == nil {
			if used, size := len(data)-r.Len(), 2+int(binary.BigEndian.Uint16(data)); used != size {
				t.Fatalf("read %d bytes of a %d-byte header", used, size)
			}
		}
		if checkProtocolLine(proto, arg) != nil {
			return
		}
		in := append(appendStreamHeader(nil, proto, arg), "rest"...)
		r = bytes.NewReader(in)
		p, a, err := readStreamHeader(r)
		if err != nil || p != proto || a != arg {
			t.Fatalf("%q %q read back as %q %q (%v)", proto, arg, p, a, err)
		}
		if r.Len() != len("rest") {
			t.Fatalf("the header read consumed %d bytes past itself", len("rest")-r.Len())
		}
	})
}
