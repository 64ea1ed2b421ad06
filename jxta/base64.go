package jxta

import (
	"github.com/segmentio/asm/base64"
)

// XML messages carry every non-text element in base64, so the encoding
// sets the speed of XML messages with binary payloads. encoding/base64
// runs at about 0.5 GB/s on the machines we measure on; segmentio/asm's
// encoding (same alphabet and padding, vector code on amd64 and arm64,
// falling back to encoding/base64 for the tail, for invalid input and on
// other architectures) runs at 5-6 GB/s there.

// appendBase64 appends the padded standard base64 encoding of data to b.
func appendBase64(b, data []byte) []byte {
	n := base64.StdEncoding.EncodedLen(len(data))
	b = grow(b, n)
	base64.StdEncoding.Encode(b[len(b):len(b)+n], data)
	return b[:len(b)+n]
}

// decodeBase64 decodes padded standard base64 text into a new slice. Like
// encoding/base64 it skips carriage returns and newlines and refuses
// anything else outside the alphabet.
func decodeBase64(text []byte) ([]byte, error) {
	data := make([]byte, base64.StdEncoding.DecodedLen(len(text)))
	n, err := base64.StdEncoding.Decode(data, text)
	return data[:n], err
}
