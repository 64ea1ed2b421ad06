package pipe

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// packages returns message packages of binary and XML messages carrying
// bodies of the given sizes, one after the other.
func packages(sizes ...int) []byte {
	var out []byte
	for i, size := range sizes {
		m := jxta.NewMessage()
		m.AddBytes("app", "body", bytes.Repeat([]byte{byte(i)}, size))
		if i%2 == 0 {
			out = framing.AppendPackage(out, jxta.TypeMessage, jxta.EncodeBinary(m))
		} else {
			out = framing.AppendPackage(out, ContentTypeXML, jxta.AppendXMLMessage(nil, m))
		}
	}
	return out
}

type readPackage struct {
	ct   string
	body []byte
}

// readAll reads packages until the first error with next.
func readAll(next func() (string, []byte, error)) ([]readPackage, error) {
	var out []readPackage
	for {
		ct, body, err := next()
		if err != nil {
			return out, err
		}
		out = append(out, readPackage{ct, bytes.Clone(body)})
	}
}

// sameAsFraming checks that packageReader reads from r what
// framing.Reader reads from data: the same packages, then the same kind
// of error.
func sameAsFraming(t *testing.T, data []byte, r io.Reader, maxBody int) {
	fr := framing.NewReader(bytes.NewReader(data), maxBody)
	want, wantErr := readAll(fr.ReadPackage)
	pr := &packageReader{r: r, maxBody: maxBody}
	got, err := readAll(func() (string, []byte, error) {
		ct, n, err := pr.readHeader()
		if err != nil {
			return "", nil, err
		}
		body, err := pr.readBody(n, nil)
		return ct, body, err
	})
	require.Equal(t, want, got)
	for _, kind := range []error{io.EOF, io.ErrUnexpectedEOF, framing.ErrBadHeader, framing.ErrTooLarge} {
		assert.Equal(t, errors.Is(wantErr, kind), errors.Is(err, kind), "%v against framing's %v", err, wantErr)
	}
}

func TestPackageReaderReadsAsFramingDoes(t *testing.T) {
	t.Parallel()
	data := packages(0, 1, 1000, 8<<10, 9<<10, 70<<10, 300<<10, 64)
	for name, r := range map[string]io.Reader{
		"whole":    bytes.NewReader(data),
		"one byte": iotest.OneByteReader(bytes.NewReader(data)),
		"halves":   iotest.HalfReader(bytes.NewReader(data)),
	} {
		t.Run(name, func(t *testing.T) {
			sameAsFraming(t, data, r, jxta.DefaultMaxMessageSize)
		})
	}
	t.Run("cut", func(t *testing.T) {
		for _, at := range []int{1, 20, 40, 100, len(data) - 1} {
			sameAsFraming(t, data[:at], bytes.NewReader(data[:at]), jxta.DefaultMaxMessageSize)
		}
	})
	t.Run("over the limit", func(t *testing.T) {
		sameAsFraming(t, data, bytes.NewReader(data), 4<<10)
	})
}

func TestLargeXMLBodiesReuseTheBuffer(t *testing.T) {
	t.Parallel()
	data := packages(0, 100<<10, 0, 100<<10)
	pr := &packageReader{r: bytes.NewReader(data), maxBody: jxta.DefaultMaxMessageSize}
	buf := make([]byte, 0, 1<<20)
	for range 4 {
		ct, n, err := pr.readHeader()
		require.NoError(t, err)
		body, err := pr.readBody(n, buf)
		require.NoError(t, err)
		assert.Equal(t, ct == ContentTypeXML, &body[0] == &buf[:1][0], "a large body goes into the buffer offered")
	}
}

func FuzzPackageReader(f *testing.F) {
	f.Add(packages(0, 10, 100), uint8(0))
	f.Add(packages(3, 5)[:30], uint8(1))
	f.Add([]byte{0}, uint8(2))
	f.Add(append(packages(1), 0xff, 0, 0), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, mode uint8) {
		var r io.Reader = bytes.NewReader(data)
		switch mode % 3 {
		case 1:
			r = iotest.OneByteReader(r)
		case 2:
			r = iotest.HalfReader(r)
		}
		sameAsFraming(t, data, r, 16<<10)
	})
}
