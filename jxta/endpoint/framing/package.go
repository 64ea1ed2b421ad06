package framing

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
	"math"
	"slices"

	"github.com/gojxta/gojxta/jxta"
)

// MaxHeaderLen is the longest message package header block, its final
// zero byte included (JXSE's header buffer size).
const MaxHeaderLen = 1024

const (
	contentLength = "content-length"
	contentType   = "content-type"
)

var (
	contentLengthName = []byte(contentLength)
	contentTypeName   = []byte(contentType)
)

// headerLen is the size of the header block AppendPackage writes.
func headerLen(ct string) int {
	return 1 + len(contentLength) + 2 + 8 + 1 + len(contentType) + 2 + len(ct) + 1
}

// AppendPackage appends a message package to dst: a header block holding
// content-length and then content-type (the order JXSE 2.6 writes), its
// terminating zero byte, and body. A content type longer than 65535 bytes
// is cut short; readers accept types of up to about 990 bytes.
func AppendPackage(dst []byte, ct string, body []byte) []byte {
	if len(ct) > math.MaxUint16 {
		ct = ct[:math.MaxUint16]
	}
	dst = slices.Grow(dst, headerLen(ct)+len(body))
	dst = append(dst, byte(len(contentLength)))
	dst = append(dst, contentLength...)
	dst = binary.BigEndian.AppendUint16(dst, 8)
	dst = binary.BigEndian.AppendUint64(dst, uint64(len(body)))
	dst = append(dst, byte(len(contentType)))
	dst = append(dst, contentType...)
	dst = binary.BigEndian.AppendUint16(dst, uint16(len(ct)))
	dst = append(dst, ct...)
	dst = append(dst, 0)
	return append(dst, body...)
}

// WritePackage writes a message package to w in one Write call, so that
// packages written by concurrent callers of a safe writer do not
// interleave.
func WritePackage(w io.Writer, ct string, body []byte) error {
	_, err := w.Write(AppendPackage(nil, ct, body))
	return err
}

// Reader reads message packages.
type Reader struct {
	r       *bufio.Reader
	src     io.Reader // what r reads from, when NewReader made r; nil otherwise
	maxBody int
	// chunk is shared memory small bodies are carved from, so that a
	// burst of small messages costs one allocation per chunk rather than
	// one per message. A body keeps its chunk alive while it is referenced.
	chunk []byte
	// name and value hold the header being read (kept here: on the stack
	// they would escape to the heap on every call).
	name  [255]byte
	value [MaxHeaderLen]byte
	// used counts the bytes of the package read so far, for errors.
	used int
	// grow, if set, is asked before a large body's memory grows past
	// firstChunk (see SetGrow).
	grow func(n int) error
}

// Buffered returns how many bytes the Reader holds already, read ahead:
// a body no longer than that is read without waiting.
func (r *Reader) Buffered() int { return r.r.Buffered() }

// SetGrow has the Reader ask grow for each n bytes by which a body's
// memory is to grow past its first firstChunk (256 KiB) bytes, before it
// allocates them; an error from grow ends the read with that error. A
// peer's endpoint uses it to hold the memory of all partly received
// messages within one budget.
func (r *Reader) SetGrow(grow func(n int) error) { r.grow = grow }

// Small bodies that come in a burst are carved from chunks of chunkSize
// bytes; a lone one gets memory of its own, so that an idle connection
// keeps no chunk.
const (
	smallBody = 2 << 10
	chunkSize = 8 << 10
)

// NewReader returns a Reader of packages whose bodies are at most maxBody
// bytes (jxta.DefaultMaxMessageSize when maxBody <= 0; use
// jxta.LegacyMaxMessageSize for legacy peers). A *bufio.Reader is used as
// is, so that a welcome line and the packages after it can be read from
// the same one.
func NewReader(r io.Reader, maxBody int) *Reader {
	if maxBody <= 0 {
		maxBody = jxta.DefaultMaxMessageSize
	}
	if br, ok := r.(*bufio.Reader); ok {
		return &Reader{r: br, maxBody: maxBody}
	}
	return &Reader{r: bufio.NewReaderSize(r, readBufferSize), src: r, maxBody: maxBody}
}

// readBufferSize is the buffer NewReader puts in front of a plain reader:
// enough for the headers and small bodies of many messages per read.
// Bodies larger than it are read past the buffer, straight into their own
// memory, so that bulk data is copied once. It is small because every
// connection keeps it while idle, and the stream it reads from buffers
// already.
const readBufferSize = 4 << 10

func headerError(err error, format string, args ...any) error {
	return &Error{Msg: fmt.Sprintf(format, args...), Err: err}
}

// cut reports a read error within a package.
func cut(err error, at int) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("framing: message package cut short after %d bytes: %w", at, err)
}

// ReadPackage reads one message package and returns its content type and
// body. The body is newly allocated and belongs to the caller (decoded
// messages refer into it). The content type is returned whatever it is:
// callers decide which they accept (JXTA closes the connection on an
// unknown one).
//
// Header names are matched without regard to case and in any order;
// content-type and content-length must both be present, once each;
// other headers are ignored. The header block is at most MaxHeaderLen
// bytes, and the body length is checked against the Reader's limit before
// anything is allocated for it; a large body's buffer grows as its bytes
// arrive. ReadPackage returns io.EOF when the stream ends before a
// package begins. Framing violations are *Error values wrapping
// ErrBadHeader or ErrTooLarge.
func (r *Reader) ReadPackage() (string, []byte, error) {
	ct, n, err := r.ReadHeader()
	if err != nil {
		return "", nil, err
	}
	body, err := r.ReadBody(n, nil)
	if err != nil {
		return "", nil, err
	}
	return ct, body, nil
}

// ReadHeader reads the header block of the next package, as ReadPackage
// does, and returns its content type and body length (within the
// Reader's limit). The body comes next: read it with ReadBody before
// anything else.
func (r *Reader) ReadHeader() (ct string, length int, err error) {
	var (
		haveLength, haveType bool
		n64                  uint64
		name                 = &r.name
		value                = &r.value
	)
	r.used = 0
	for {
		n, err := r.r.ReadByte()
		if err != nil {
			if err == io.EOF && r.used == 0 {
				return "", 0, io.EOF
			}
			return "", 0, cut(err, r.used)
		}
		r.used++
		if n == 0 {
			break
		}
		if r.used+int(n)+2+1 > MaxHeaderLen {
			return "", 0, headerError(ErrTooLarge, "message package header block longer than %d bytes", MaxHeaderLen)
		}
		if _, err := io.ReadFull(r.r, name[:n]); err != nil {
			return "", 0, cut(err, r.used)
		}
		r.used += int(n)
		if _, err := io.ReadFull(r.r, value[:2]); err != nil {
			return "", 0, cut(err, r.used)
		}
		r.used += 2
		vlen := int(binary.BigEndian.Uint16(value[:2]))
		if r.used+vlen+1 > MaxHeaderLen {
			return "", 0, headerError(ErrTooLarge, "message package header block longer than %d bytes", MaxHeaderLen)
		}
		if _, err := io.ReadFull(r.r, value[:vlen]); err != nil {
			return "", 0, cut(err, r.used)
		}
		r.used += vlen
		switch {
		case bytes.EqualFold(name[:n], contentLengthName):
			if haveLength {
				return "", 0, headerError(ErrBadHeader, "duplicate content-length header")
			}
			if vlen != 8 {
				return "", 0, headerError(ErrBadHeader, "content-length value of %d bytes, want 8", vlen)
			}
			n64, haveLength = binary.BigEndian.Uint64(value[:8]), true
		case bytes.EqualFold(name[:n], contentTypeName):
			if haveType {
				return "", 0, headerError(ErrBadHeader, "duplicate content-type header")
			}
			ct, haveType = internType(value[:vlen]), true
		}
	}
	switch {
	case !haveLength:
		return "", 0, headerError(ErrBadHeader, "missing content-length header")
	case !haveType:
		return "", 0, headerError(ErrBadHeader, "missing content-type header")
	case n64 > uint64(r.maxBody):
		return "", 0, headerError(ErrTooLarge, "message package body of %d bytes exceeds the limit of %d bytes", n64, r.maxBody)
	}
	return ct, int(n64), nil
}

// ReadBody reads the body of length bytes that ReadHeader announced. With
// a nil buf the body is newly allocated and belongs to the caller, as
// ReadPackage's; otherwise it is read into buf's memory when buf has the
// capacity (and into new memory, grown as the bytes arrive, when it has
// not), so that a caller done with each body before the next can reuse
// one buffer.
func (r *Reader) ReadBody(length int, buf []byte) ([]byte, error) {
	var body []byte
	var err error
	switch {
	case buf != nil && cap(buf) >= length:
		var got int
		body = buf[:length]
		got, err = io.ReadFull(r.r, body)
		body = body[:got]
	case buf == nil && length <= smallBody:
		switch {
		case len(r.chunk) >= length:
			body, r.chunk = r.chunk[:length:length], r.chunk[length:]
		case r.r.Buffered() > length:
			// More follows this body: a burst, worth a chunk.
			r.chunk = make([]byte, chunkSize)
			body, r.chunk = r.chunk[:length:length], r.chunk[length:]
		default:
			// A lone message: its own memory, and no chunk kept while
			// the connection waits for the next.
			r.chunk = nil
			body = make([]byte, length)
		}
		var got int
		got, err = io.ReadFull(r.r, body)
		body = body[:got]
	default:
		body, err = r.readLarge(length)
	}
	if err != nil {
		return nil, cut(err, r.used+len(body))
	}
	return body, nil
}

// readLarge reads a large body: what the buffer holds, then the rest
// straight from the source.
func (r *Reader) readLarge(n int) ([]byte, error) {
	if r.src == nil || n > firstChunk {
		return readBody(r.r, n, r.grow)
	}
	b := make([]byte, n)
	got, err := r.r.Read(b[:min(n, r.r.Buffered())])
	if err != nil {
		return b[:got], err
	}
	k, err := io.ReadFull(r.src, b[got:])
	return b[:got+k], err
}

// firstChunk is how much of a body is allocated before its bytes arrive.
const firstChunk = 256 << 10

// readBody reads n bytes. Small bodies are read into one buffer; a large
// one's buffer doubles as it fills, so that a peer announcing a large body
// and sending nothing costs little memory.
func readBody(r io.Reader, n int, grow func(int) error) ([]byte, error) {
	if n <= firstChunk {
		b := make([]byte, n)
		got, err := io.ReadFull(r, b)
		return b[:got], err
	}
	b := make([]byte, 0, firstChunk)
	for len(b) < n {
		if len(b) == cap(b) {
			next := min(2*cap(b), n)
			if grow != nil {
				if err := grow(next - cap(b)); err != nil {
					return b, err
				}
			}
			b = append(make([]byte, 0, next), b...)
		}
		got, err := io.ReadFull(r, b[len(b):cap(b)])
		b = b[:len(b)+got]
		if err != nil {
			return b, err
		}
	}
	return b, nil
}

func internType(b []byte) string {
	switch string(b) {
	case jxta.TypeMessage:
		return jxta.TypeMessage
	}
	return string(b)
}

// AppendPackageTo appends a message package whose body the caller appends
// itself: it writes the header with a body length of zero and returns the
// extended slice and the offset where the header starts. After appending
// the body, call SetBodyLength(dst[start:], bodyLen). This saves copying a
// body that is encoded straight into the package buffer.
func AppendPackageTo(dst []byte, ct string) (out []byte, start int) {
	start = len(dst)
	return AppendPackage(dst, ct, nil), start
}

// SetBodyLength sets the content-length of a package that AppendPackageTo
// started at pkg[0].
func SetBodyLength(pkg []byte, bodyLen int) {
	binary.BigEndian.PutUint64(pkg[1+len(contentLength)+2:], uint64(bodyLen))
}
