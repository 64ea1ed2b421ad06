package framing

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"runtime"
	"strings"
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// header returns one encoded header.
func header(name string, value []byte) []byte {
	b := append([]byte{byte(len(name))}, name...)
	b = binary.BigEndian.AppendUint16(b, uint16(len(value)))
	return append(b, value...)
}

func length(n uint64) []byte { return binary.BigEndian.AppendUint64(nil, n) }

func pkg(headers ...[]byte) []byte {
	return append(bytes.Join(headers, nil), 0)
}

func TestAppendPackageLayout(t *testing.T) {
	t.Parallel()
	got := AppendPackage([]byte("x"), jxta.TypeMessage, []byte("body"))
	want := append([]byte("x"), header("content-length", length(4))...)
	want = append(want, header("content-type", []byte(jxta.TypeMessage))...)
	want = append(want, 0)
	want = append(want, "body"...)
	assert.Equal(t, want, got)
}

// writeCounter counts Write calls.
type writeCounter struct {
	bytes.Buffer
	calls int
}

func (w *writeCounter) Write(p []byte) (int, error) {
	w.calls++
	return w.Buffer.Write(p)
}

func TestPackageRoundTrip(t *testing.T) {
	t.Parallel()
	var w writeCounter
	bodies := [][]byte{[]byte("first"), {}, bytes.Repeat([]byte{7}, 200000)}
	for _, b := range bodies {
		require.NoError(t, WritePackage(&w, jxta.TypeMessage, b))
	}
	assert.Equal(t, len(bodies), w.calls, "one Write per package")
	r := NewReader(&w, 1<<20)
	for _, want := range bodies {
		ct, body, err := r.ReadPackage()
		require.NoError(t, err)
		assert.Equal(t, jxta.TypeMessage, ct)
		assert.Equal(t, want, body)
	}
	_, _, err := r.ReadPackage()
	assert.Equal(t, io.EOF, err)
}

// TestReadPackageAccepts: either order, any case, unknown headers and
// content-coding ignored, any content type returned.
func TestReadPackageAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   []byte
		ct   string
	}{
		{"JXSE order", pkg(header("content-length", length(2)), header("content-type", []byte("application/x-jxta-msg"))), jxta.TypeMessage},
		{"SPEC order", pkg(header("content-type", []byte("text/plain")), header("content-length", length(2))), "text/plain"},
		{"upper case", pkg(header("Content-Length", length(2)), header("CONTENT-TYPE", []byte("a/b"))), "a/b"},
		{"unknown headers", pkg(header("x", nil), header("content-coding", append(length(9), "deflate"...)), header("content-length", length(2)), header("content-type", nil), header(strings.Repeat("h", 255), []byte("v"))), ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(bytes.NewReader(append(tt.in, "ok"...)), 10)
			ct, body, err := r.ReadPackage()
			require.NoError(t, err)
			assert.Equal(t, tt.ct, ct)
			assert.Equal(t, "ok", string(body))
		})
	}
}

func TestReadPackageRejects(t *testing.T) {
	t.Parallel()
	typ := header("content-type", []byte(jxta.TypeMessage))
	many := make([][]byte, 0, 100)
	for range 100 {
		many = append(many, header("x-filler", []byte("0123456789")))
	}
	tests := []struct {
		name string
		in   []byte
		max  int
		err  error
		msg  string
	}{
		{"duplicate content-length", pkg(header("content-length", length(0)), typ, header("Content-Length", length(0))), 10, ErrBadHeader, "framing: duplicate content-length header"},
		{"duplicate content-type", pkg(typ, header("content-length", length(0)), header("Content-Type", nil)), 10, ErrBadHeader, "framing: duplicate content-type header"},
		{"missing content-length", pkg(typ), 10, ErrBadHeader, "framing: missing content-length header"},
		{"missing content-type", pkg(header("content-length", length(0))), 10, ErrBadHeader, "framing: missing content-type header"},
		{"short content-length", pkg(header("content-length", []byte{0, 0, 0, 1}), typ), 10, ErrBadHeader, "framing: content-length value of 4 bytes, want 8"},
		{"oversized header block", pkg(append(many, header("content-length", length(0)), typ)...), 10, ErrTooLarge, "framing: message package header block longer than 1024 bytes"},
		{"oversized header value", pkg(header("x", make([]byte, 1100))), 10, ErrTooLarge, "header block longer than 1024 bytes"},
		{"body larger than maxBody", pkg(header("content-length", length(11)), typ), 10, ErrTooLarge, "framing: message package body of 11 bytes exceeds the limit of 10 bytes"},
		{"body of 2^64-1 bytes", pkg(header("content-length", length(1<<64-1)), typ), 1 << 20, ErrTooLarge, "exceeds the limit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := NewReader(bytes.NewReader(append(tt.in, make([]byte, 11)...)), tt.max)
			_, _, err := r.ReadPackage()
			assert.ErrorIs(t, err, tt.err)
			if strings.HasPrefix(tt.msg, "framing:") {
				assert.EqualError(t, err, tt.msg)
			} else {
				assert.ErrorContains(t, err, tt.msg)
			}
		})
	}
}

// TestReadPackageEveryPrefix cuts a package at every length: the empty
// stream is a clean end, every other prefix an unexpected one.
func TestReadPackageEveryPrefix(t *testing.T) {
	t.Parallel()
	full := AppendPackage(nil, jxta.TypeMessage, []byte("some body"))
	for n := range len(full) {
		_, _, err := NewReader(bytes.NewReader(full[:n]), 100).ReadPackage()
		if n == 0 {
			assert.Equal(t, io.EOF, err)
			continue
		}
		assert.ErrorIs(t, err, io.ErrUnexpectedEOF, "prefix %d", n)
		assert.NotErrorIs(t, err, io.EOF)
	}
}

// TestReadPackageBoundedMemory: a header announcing a large body costs
// nothing when the limit refuses it, and little when the bytes never come.
func TestReadPackageBoundedMemory(t *testing.T) {
	huge := pkg(header("content-length", length(1<<40)), header("content-type", []byte(jxta.TypeMessage)))
	n := allocated(func() {
		_, _, err := NewReader(bytes.NewReader(huge), 1<<20).ReadPackage()
		if err == nil {
			t.Fatal("accepted")
		}
	})
	assert.Less(t, n, uint64(64<<10), "bytes allocated: the reader's own buffers, nothing for the announced body")

	// 16 MiB announced, 10 bytes sent: the buffer stays at its first chunk.
	short := append(pkg(header("content-length", length(16<<20)), header("content-type", nil)), "0123456789"...)
	br := bufio.NewReader(bytes.NewReader(short))
	_, body, err := NewReader(br, 16<<20).ReadPackage()
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Nil(t, body)
	got, err := readBody(bytes.NewReader(make([]byte, 10)), 16<<20, nil)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
	assert.Len(t, got, 10)
	assert.Equal(t, firstChunk, cap(got))
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestNewReaderSharesBufio: the welcome line and the packages after it
// come from one bufio.Reader.
func TestNewReaderSharesBufio(t *testing.T) {
	t.Parallel()
	w := NewWelcome("tcp://a:1", "tcp://b:2", peerID(t))
	stream := AppendPackage(w.AppendLine(nil), "t/t", []byte("x"))
	br := bufio.NewReader(bytes.NewReader(stream))
	got, err := ReadWelcome(br)
	require.NoError(t, err)
	assert.Equal(t, w, got)
	ct, body, err := NewReader(br, 0).ReadPackage()
	require.NoError(t, err)
	assert.Equal(t, "t/t", ct)
	assert.Equal(t, "x", string(body))
}

func TestAppendPackageToMatchesAppendPackage(t *testing.T) {
	body := []byte("some body bytes")
	want := AppendPackage([]byte("prefix"), jxta.TypeMessage, body)
	got, start := AppendPackageTo([]byte("prefix"), jxta.TypeMessage)
	got = append(got, body...)
	SetBodyLength(got[start:], len(body))
	assert.Equal(t, want, got)
}

// TestReadBodyIntoBuffer reads bodies into a caller's buffer: into its
// memory when it has room, into new memory when it has not, and each
// package's body in turn.
func TestReadBodyIntoBuffer(t *testing.T) {
	first, second := bytes.Repeat([]byte("a"), 10_000), bytes.Repeat([]byte("b"), 9_000)
	stream := AppendPackage(AppendPackage(nil, "text/xml", first), "text/xml", second)
	r := NewReader(bytes.NewReader(stream), 1<<20)

	buf := make([]byte, 0, 12_000)
	ct, n, err := r.ReadHeader()
	require.NoError(t, err)
	require.Equal(t, "text/xml", ct)
	require.Equal(t, len(first), n)
	body, err := r.ReadBody(n, buf)
	require.NoError(t, err)
	require.Equal(t, first, body)
	require.Same(t, &buf[:1][0], &body[0], "the body is read into the buffer")

	_, n, err = r.ReadHeader()
	require.NoError(t, err)
	small := make([]byte, 0, 100)
	body, err = r.ReadBody(n, small)
	require.NoError(t, err)
	require.Equal(t, second, body)
	require.NotSame(t, &small[:1][0], &body[0], "a buffer without room is not used")

	_, _, err = r.ReadHeader()
	require.ErrorIs(t, err, io.EOF)
}
