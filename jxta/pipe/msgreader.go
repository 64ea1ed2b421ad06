package pipe

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
)

// packageReader reads the message packages a MessageConn receives, as
// framing.Reader does (same header rules, limits and errors), with one
// copy: it reads from the connection straight into chunks of
// packageChunk bytes, parses each header where it lies, and hands out
// small bodies as slices of the chunk (a binary message refers into its
// body, so a chunk is never written twice: a full one is left to the
// messages that refer into it and a new one taken). framing.Reader copies
// each body a second time, from its bufio.Reader into its chunk, and
// reads headers a byte at a time; that was most of MessageConn.Recv in a
// profile of BenchmarkPipeMessages1KiB.
type packageReader struct {
	r       io.Reader
	maxBody int
	buf     []byte // the current chunk
	off, n  int    // buf[off:n] is read and not yet consumed
}

const (
	// packageChunk is the size of the chunks bodies are read into.
	packageChunk = 64 << 10
	// maxChunkedBody is the largest body handed out as a slice of a
	// chunk; larger ones get memory of their own.
	maxChunkedBody = 8 << 10
	// firstLargeBody is how much memory a large body gets before its
	// bytes arrive; it grows as they do, so a header announcing a huge
	// body costs nothing until the body is sent.
	firstLargeBody = 256 << 10
)

// errShortHeader: the buffered bytes hold only part of a header.
var errShortHeader = errors.New("short header")

// readHeader returns the content type and body length of the next
// package, and consumes its header. It returns io.EOF if the connection
// ended cleanly before the package.
func (p *packageReader) readHeader() (string, int, error) {
	for {
		ct, length, used, err := parseHeader(p.buf[p.off:p.n], p.maxBody)
		if err == nil {
			p.off += used
			return ct, length, nil
		}
		if err != errShortHeader {
			return "", 0, err
		}
		if err := p.fill(p.n - p.off + 1); err != nil {
			if err == io.EOF && p.n == p.off {
				return "", 0, io.EOF
			}
			return "", 0, cutShort(err, p.n-p.off)
		}
	}
}

// readBody returns the next length bytes, the body of the package whose
// header was read: in buf if it is large and buf can hold it (the caller
// keeps no reference into it), else in memory of its own.
func (p *packageReader) readBody(length int, buf []byte) ([]byte, error) {
	if length > maxChunkedBody && cap(buf) >= length {
		body := buf[:length]
		got := copy(body, p.buf[p.off:p.n])
		p.off += got
		if k, err := io.ReadFull(p.r, body[got:]); err != nil {
			return nil, cutShort(err, got+k)
		}
		return body, nil
	}
	if length <= maxChunkedBody {
		if err := p.fill(length); err != nil {
			return nil, cutShort(err, p.n-p.off)
		}
		body := p.buf[p.off : p.off+length : p.off+length]
		p.off += length
		return body, nil
	}
	body := make([]byte, min(length, firstLargeBody))
	got := copy(body, p.buf[p.off:p.n])
	p.off += got
	for {
		k, err := io.ReadFull(p.r, body[got:])
		got += k
		if err != nil {
			return nil, cutShort(err, got)
		}
		if got == length {
			return body, nil
		}
		body = append(body, make([]byte, min(length-got, len(body)))...)
	}
}

// fill reads until at least want bytes are buffered, taking a new chunk
// when the current one has no room for them.
func (p *packageReader) fill(want int) error {
	for p.n-p.off < want {
		if len(p.buf)-p.off < want || p.n == len(p.buf) {
			chunk := make([]byte, max(packageChunk, want))
			p.n = copy(chunk, p.buf[p.off:p.n])
			p.buf, p.off = chunk, 0
		}
		k, err := p.r.Read(p.buf[p.n:])
		p.n += k
		if err != nil && p.n-p.off < want {
			return err
		}
	}
	return nil
}

// cutShort reports a package cut short, as framing.Reader does.
func cutShort(err error, at int) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	return fmt.Errorf("framing: message package cut short after %d bytes: %w", at, err)
}

// Header names of a message package.
var (
	contentLengthName = []byte("content-length")
	contentTypeName   = []byte("content-type")
)

// parseHeader parses the message package header at the start of b under
// framing.Reader's rules: it returns the content type, the body length
// and the header's size, or errShortHeader if b holds only part of it.
func parseHeader(b []byte, maxBody int) (ct string, length, used int, err error) {
	var (
		haveLength, haveType bool
		n64                  uint64
	)
	for {
		if used >= len(b) {
			return "", 0, 0, errShortHeader
		}
		n := int(b[used])
		used++
		if n == 0 {
			break
		}
		if used+n+2+1 > framing.MaxHeaderLen {
			return "", 0, 0, headerError(framing.ErrTooLarge, "message package header block longer than %d bytes", framing.MaxHeaderLen)
		}
		if used+n+2 > len(b) {
			return "", 0, 0, errShortHeader
		}
		name := b[used : used+n]
		used += n
		vlen := int(binary.BigEndian.Uint16(b[used:]))
		used += 2
		if used+vlen+1 > framing.MaxHeaderLen {
			return "", 0, 0, headerError(framing.ErrTooLarge, "message package header block longer than %d bytes", framing.MaxHeaderLen)
		}
		if used+vlen > len(b) {
			return "", 0, 0, errShortHeader
		}
		value := b[used : used+vlen]
		used += vlen
		switch {
		case bytes.EqualFold(name, contentLengthName):
			if haveLength {
				return "", 0, 0, headerError(framing.ErrBadHeader, "duplicate content-length header")
			}
			if vlen != 8 {
				return "", 0, 0, headerError(framing.ErrBadHeader, "content-length value of %d bytes, want 8", vlen)
			}
			n64, haveLength = binary.BigEndian.Uint64(value), true
		case bytes.EqualFold(name, contentTypeName):
			if haveType {
				return "", 0, 0, headerError(framing.ErrBadHeader, "duplicate content-type header")
			}
			ct, haveType = contentType(value), true
		}
	}
	switch {
	case !haveLength:
		return "", 0, 0, headerError(framing.ErrBadHeader, "missing content-length header")
	case !haveType:
		return "", 0, 0, headerError(framing.ErrBadHeader, "missing content-type header")
	case n64 > uint64(maxBody):
		return "", 0, 0, headerError(framing.ErrTooLarge, "message package body of %d bytes exceeds the limit of %d bytes", n64, maxBody)
	}
	return ct, int(n64), used, nil
}

// contentType returns the content type b names, without allocating for
// the two a MessageConn reads.
func contentType(b []byte) string {
	switch string(b) {
	case jxta.TypeMessage:
		return jxta.TypeMessage
	case ContentTypeXML:
		return ContentTypeXML
	}
	return string(b)
}

func headerError(err error, format string, args ...any) error {
	return &framing.Error{Msg: fmt.Sprintf(format, args...), Err: err}
}
