package jxta

// The binary message format, MIME type application/x-jxta-msg.
//
// Version 0 is what JXSE 2.x writes and the only version it reads. All
// integers are big-endian; a string is a u16 length and that many bytes of
// UTF-8.
//
//	message := "jxmg" | 0x00 | nsCount:u16 | nsCount × string | elemCount:u16 | elements
//	element := "jxel" | nsId:u8 | flags:u8 | name:string
//	           | [type:string if flags&0x01] | len:u32 | len bytes
//	           | [signature element if flags&0x04]
//
// Namespace ids 0 ("") and 1 ("jxta") are implicit; table entries take ids
// 2, 3, ... An element count of 0 means "read elements until the end".
// Flag 0x02 announced a content encoding string that no implementation
// ever wrote or read; it is rejected.
//
// Version 1 (the SPEC's "version 2", written and read by JXTA-C only)
// shares one names table between namespaces and MIME types:
//
//	message := "jxmg" | 0x01 | msgFlags:u8 (0) | namesCount:u16 | namesCount × string
//	           | elemCount:u16 | elements
//	element := "jxel" | flags:u8 | namespace:nameRef
//	           | name:(string if flags&0x02, else nameRef) | [type:nameRef if flags&0x04]
//	           | len:(u64 if flags&0x01, else u32) | len bytes
//	           | [signature element if flags&0x08]
//	nameRef := u16 index (0 "", 1 "jxta", 2.. table) | 0xFFFF followed by a string
//
// Flags 0x10 and 0x20 (content encodings) are rejected, as JXTA-C does.

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
)

// Size limits for decoding messages.
const (
	// DefaultMaxMessageSize bounds messages between gojxta peers.
	DefaultMaxMessageSize = 16 << 20
	// LegacyMaxMessageSize is the largest message legacy JXTA peers
	// (JXSE, JXTA-C) are expected to send or accept.
	LegacyMaxMessageSize = 64 << 10
	// DefaultMaxElements bounds the elements of one message (each nested
	// message is counted on its own).
	DefaultMaxElements = 4096
	// DefaultMaxDepth bounds how deeply messages nest inside elements of
	// type application/x-jxta-msg, and how long a chain of signature
	// elements may be.
	DefaultMaxDepth = 8
)

// MessageLimits bounds what DecodeBinary and DecodeXMLMessage accept. A
// zero (or negative) field takes its default: DefaultMaxMessageSize,
// DefaultMaxElements, DefaultMaxDepth.
type MessageLimits struct {
	MaxSize     int // encoded size in bytes
	MaxElements int // elements of one message
	MaxDepth    int // nested messages and signature chains
}

func (l MessageLimits) withDefaults() MessageLimits {
	if l.MaxSize <= 0 {
		l.MaxSize = DefaultMaxMessageSize
	}
	if l.MaxElements <= 0 {
		l.MaxElements = DefaultMaxElements
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = DefaultMaxDepth
	}
	return l
}

// Errors reported, wrapped in a *MessageError, by the message decoders.
var (
	// ErrBadMessage: the input is not a well-formed message.
	ErrBadMessage = errors.New("malformed message")
	// ErrMessageTooLarge: the message exceeds a MessageLimits bound, or a
	// bound of the binary format that EncodeBinary must respect.
	ErrMessageTooLarge = errors.New("message too large")
)

// MessageError describes why a message could not be decoded: Offset is the
// byte offset in the input where the problem was found and Err is
// ErrBadMessage or ErrMessageTooLarge.
type MessageError struct {
	Offset int
	Msg    string
	Err    error
}

// Error returns the message.
func (e *MessageError) Error() string {
	return "message: offset " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// Unwrap returns the underlying error.
func (e *MessageError) Unwrap() error { return e.Err }

func badMessage(off int, format string, args ...any) error {
	return &MessageError{Offset: off, Msg: fmt.Sprintf(format, args...), Err: ErrBadMessage}
}

func tooLarge(off int, format string, args ...any) error {
	return &MessageError{Offset: off, Msg: fmt.Sprintf(format, args...), Err: ErrMessageTooLarge}
}

// Wire constants.
const (
	v0FlagType      = 0x01
	v0FlagEncoding  = 0x02
	v0FlagSignature = 0x04

	v1FlagLen64         = 0x01
	v1FlagNameLiteral   = 0x02
	v1FlagType          = 0x04
	v1FlagSignature     = 0x08
	v1FlagEncodings     = 0x10
	v1FlagEncodedSigned = 0x20

	v1LiteralRef = 0xFFFF

	// maxV0Namespaces is the most namespace-table entries JXSE accepts.
	maxV0Namespaces = 253
	// maxV1Names is the most names-table entries a version 1 message can
	// refer to (indices 2..0xFFFE).
	maxV1Names = v1LiteralRef - 2
	// maxString is the longest string the format can hold.
	maxString = math.MaxUint16
	// maxCounted is the largest element count written; JXSE reads the
	// count as a signed short, so larger messages are written uncounted.
	maxCounted = math.MaxInt16

	minV0Element = 4 + 1 + 1 + 2 + 4 // magic, nsId, flags, name length, content length
	minV1Element = 4 + 1 + 2 + 2 + 4 // magic, flags, namespace ref, name ref, content length
)

const (
	msgMagic  = "jxmg"
	elemMagic = "jxel"
)

// isMessageType reports whether a MIME type is application/x-jxta-msg,
// ignoring parameters and case, as JXSE does.
func isMessageType(t []byte) bool {
	if i := bytes.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	return bytes.EqualFold(bytes.TrimSpace(t), typeMessageBytes)
}

// isMessageTypeString is isMessageType for a string.
func isMessageTypeString(t string) bool {
	if i := strings.IndexByte(t, ';'); i >= 0 {
		t = t[:i]
	}
	return strings.EqualFold(strings.TrimSpace(t), TypeMessage)
}

var typeMessageBytes = []byte(TypeMessage)

// intern returns b as a string, without allocating for the names and types
// that occur in nearly every message.
func intern(b []byte) string {
	switch string(b) {
	case "":
		return ""
	case NamespaceJXTA:
		return NamespaceJXTA
	case TypeText:
		return TypeText
	case TypeXML:
		return TypeXML
	case TypeOctetStream:
		return TypeOctetStream
	case TypeMessage:
		return TypeMessage
	case "text/plain":
		return "text/plain"
	case "text/xml":
		return "text/xml"
	case "EndpointSourceAddress":
		return "EndpointSourceAddress"
	case "EndpointDestinationAddress":
		return "EndpointDestinationAddress"
	case "EndpointRouterMsg":
		return "EndpointRouterMsg"
	case "EndpointHeaderSrcPeer":
		return "EndpointHeaderSrcPeer"
	}
	return string(b)
}

// clip cuts s to the longest string the binary format can hold.
func clip(s string) string {
	if len(s) > maxString {
		return s[:maxString]
	}
	return s
}

func appendString(b []byte, s string) []byte {
	s = clip(s)
	b = binary.BigEndian.AppendUint16(b, uint16(len(s)))
	return append(b, s...)
}

// typeWritten returns the type to write for e, "" when it is the default.
func typeWritten(e *Element) string {
	if t := e.MIMEType(); t != TypeOctetStream {
		return t
	}
	return ""
}

// ---------------------------------------------------------------------------
// Version 0 encoder

// nsTable is the version 0 namespace table: up to 253 namespaces besides
// "" and "jxta", in order of first use. It lives on the stack.
type nsTable struct {
	names [maxV0Namespaces]string
	n     int
}

func (t *nsTable) id(ns string) (int, bool) {
	switch ns {
	case NamespaceApp:
		return 0, true
	case NamespaceJXTA:
		return 1, true
	}
	for i := 0; i < t.n; i++ {
		if t.names[i] == ns {
			return i + 2, true
		}
	}
	return 0, false
}

func (t *nsTable) add(ns string) {
	if _, ok := t.id(ns); !ok && t.n < len(t.names) {
		t.names[t.n] = ns
		t.n++
	}
}

// writable reports whether every namespace of e's signature chain has an
// id and every content fits a u32 length.
func (t *nsTable) writable(e *Element) bool {
	for ; e != nil; e = e.Signature {
		if _, ok := t.id(e.Namespace); !ok || uint64(len(e.Data)) > math.MaxUint32 {
			return false
		}
	}
	return true
}

// build fills the table with m's namespaces and returns the size of m in
// version 0 and the number of elements written.
func (t *nsTable) build(parts ...[]Element) (size, count int) {
	for _, els := range parts {
		for i := range els {
			for e := &els[i]; e != nil; e = e.Signature {
				t.add(e.Namespace)
			}
		}
	}
	size = 4 + 1 + 2 + 2
	for i := 0; i < t.n; i++ {
		size += 2 + len(clip(t.names[i]))
	}
	for _, els := range parts {
		for i := range els {
			if e := &els[i]; t.writable(e) {
				size += v0ElementSize(e)
				count++
			}
		}
	}
	return size, count
}

func v0ElementSize(e *Element) int {
	n := 0
	for ; e != nil; e = e.Signature {
		n += minV0Element + len(clip(e.Name)) + len(e.Data)
		if t := typeWritten(e); t != "" {
			n += 2 + len(clip(t))
		}
	}
	return n
}

// EncodeBinary returns m in binary format version 0, the format JXSE reads.
// See AppendBinary.
func EncodeBinary(m *Message) []byte { return AppendBinary(nil, m) }

// AppendBinary appends m in binary format version 0 to dst and returns the
// extended slice. It allocates only when dst lacks room.
//
// The output is what JXSE 2.x writes for the same message: the namespace
// table lists the namespaces used other than "" and "jxta", the type is
// written only when it is not application/octet-stream, the element count
// is written, and a signature element follows its element's content.
// Two choices are ours: the table lists namespaces in order of first use
// (JXSE uses its HashMap's iteration order, which readers ignore), and a
// signature element is written with its own namespace's id (JXSE writes its
// element's, the same thing for every signature JXSE itself decodes).
// Messages of more than 32767 elements are written uncounted (JXSE reads
// the count as a signed short).
//
// The format cannot hold everything a Message can: strings longer than
// 65535 bytes are cut short, and elements in namespaces beyond the 253rd,
// or with 4 GiB of content or more, are left out. CheckEncodable reports
// such messages; every message the decoders return is encodable.
func AppendBinary(dst []byte, m *Message) []byte { return appendBinary(dst, m.elements, nil) }

// AppendBinaryWith appends m as AppendBinary does, with the extra elements
// after m's own, as if they were part of m, without building a new
// message. The endpoint uses it to add its address elements.
func AppendBinaryWith(dst []byte, m *Message, extra ...Element) []byte {
	return appendBinary(dst, m.elements, extra)
}

func appendBinary(dst []byte, els, extra []Element) []byte {
	var t nsTable
	size, count := t.build(els, extra)
	if count > maxCounted {
		count = 0
	}
	dst = grow(dst, size)
	dst = append(dst, msgMagic...)
	dst = append(dst, 0)
	dst = binary.BigEndian.AppendUint16(dst, uint16(t.n))
	for i := 0; i < t.n; i++ {
		dst = appendString(dst, t.names[i])
	}
	dst = binary.BigEndian.AppendUint16(dst, uint16(count))
	for _, part := range [2][]Element{els, extra} {
		for i := range part {
			if e := &part[i]; t.writable(e) {
				dst = t.appendElement(dst, e)
			}
		}
	}
	return dst
}

func (t *nsTable) appendElement(b []byte, e *Element) []byte {
	for ; e != nil; e = e.Signature {
		id, _ := t.id(e.Namespace)
		typ := typeWritten(e)
		var flags byte
		if typ != "" {
			flags |= v0FlagType
		}
		if e.Signature != nil {
			flags |= v0FlagSignature
		}
		b = append(b, elemMagic...)
		b = append(b, byte(id), flags)
		b = appendString(b, e.Name)
		if typ != "" {
			b = appendString(b, typ)
		}
		b = binary.BigEndian.AppendUint32(b, uint32(len(e.Data)))
		b = append(b, e.Data...)
	}
	return b
}

// grow makes room for n more bytes in b.
// grow makes room for n more bytes, growing b the way append does (by a
// factor), so that appending many messages to one buffer costs amortised
// linear time.
func grow(b []byte, n int) []byte { return slices.Grow(b, n) }

// CheckEncodable reports, as a *MessageError wrapping ErrMessageTooLarge,
// what of m the binary format cannot represent: a name, namespace or type
// longer than 65535 bytes, more than 253 namespaces besides "" and "jxta",
// or an element of 4 GiB or more. EncodeBinary loses these (see
// AppendBinary). Messages returned by the decoders always pass.
func (m *Message) CheckEncodable() error {
	var t nsTable
	for i := range m.elements {
		for e := &m.elements[i]; e != nil; e = e.Signature {
			switch {
			case len(e.Name) > maxString:
				return tooLarge(0, "element %d: name of %d bytes is longer than %d", i, len(e.Name), maxString)
			case len(e.Namespace) > maxString:
				return tooLarge(0, "element %d: namespace of %d bytes is longer than %d", i, len(e.Namespace), maxString)
			case len(e.Type) > maxString:
				return tooLarge(0, "element %d: type of %d bytes is longer than %d", i, len(e.Type), maxString)
			case uint64(len(e.Data)) > math.MaxUint32:
				return tooLarge(0, "element %d: %d bytes of content do not fit a 32-bit length", i, len(e.Data))
			}
			if _, ok := t.id(e.Namespace); !ok {
				if t.n == len(t.names) {
					return tooLarge(0, "element %d: more than %d namespaces", i, maxV0Namespaces)
				}
				t.add(e.Namespace)
			}
		}
	}
	return nil
}

// ---------------------------------------------------------------------------
// Version 1 encoder

// namesTable is the version 1 names table. Small tables stay in the
// struct's array; a map indexes large ones.
type namesTable struct {
	names []string
	index map[string]int
	small [16]string
}

func (t *namesTable) ref(s string) (int, bool) {
	switch s {
	case NamespaceApp:
		return 0, true
	case NamespaceJXTA:
		return 1, true
	}
	if t.index != nil {
		i, ok := t.index[s]
		return i, ok
	}
	for i, n := range t.names {
		if n == s {
			return i + 2, true
		}
	}
	return 0, false
}

func (t *namesTable) add(s string) {
	if _, ok := t.ref(s); ok || len(t.names) >= maxV1Names {
		return
	}
	if t.names == nil {
		t.names = t.small[:0]
	}
	t.names = append(t.names, clip(s))
	if t.index != nil {
		t.index[s] = len(t.names) + 1
	} else if len(t.names) > 64 {
		t.index = make(map[string]int, 2*len(t.names))
		for i, n := range t.names {
			t.index[n] = i + 2
		}
	}
}

func (t *namesTable) refSize(s string) int {
	if _, ok := t.ref(s); ok {
		return 2
	}
	return 2 + 2 + len(clip(s))
}

func (t *namesTable) appendRef(b []byte, s string) []byte {
	if i, ok := t.ref(s); ok {
		return binary.BigEndian.AppendUint16(b, uint16(i))
	}
	b = binary.BigEndian.AppendUint16(b, v1LiteralRef)
	return appendString(b, s)
}

// EncodeBinaryV1 returns m in binary format version 1, as JXTA-C writes
// it: the names table holds the namespaces and MIME types in use (in the
// order JXTA-C finds them: elements last to first), element names are
// written literally, and lengths take 64 bits only when 32 do not suffice.
// JXSE cannot read this format; send version 0 to JXSE peers.
func EncodeBinaryV1(m *Message) []byte {
	var t namesTable
	for i := len(m.elements) - 1; i >= 0; i-- {
		for e := &m.elements[i]; e != nil; e = e.Signature {
			t.add(e.Namespace)
			if typ := typeWritten(e); typ != "" {
				t.add(typ)
			}
		}
	}
	size := 4 + 1 + 1 + 2 + 2
	for _, n := range t.names {
		size += 2 + len(n)
	}
	for i := range m.elements {
		for e := &m.elements[i]; e != nil; e = e.Signature {
			size += 4 + 1 + t.refSize(e.Namespace) + 2 + len(clip(e.Name)) + 8 + len(e.Data)
			if typ := typeWritten(e); typ != "" {
				size += t.refSize(typ)
			}
		}
	}
	count := len(m.elements)
	if count > math.MaxUint16 {
		count = 0
	}
	b := make([]byte, 0, size)
	b = append(b, msgMagic...)
	b = append(b, 1, 0)
	b = binary.BigEndian.AppendUint16(b, uint16(len(t.names)))
	for _, n := range t.names {
		b = appendString(b, n)
	}
	b = binary.BigEndian.AppendUint16(b, uint16(count))
	for i := range m.elements {
		for e := &m.elements[i]; e != nil; e = e.Signature {
			typ := typeWritten(e)
			flags := byte(v1FlagNameLiteral)
			if typ != "" {
				flags |= v1FlagType
			}
			if e.Signature != nil {
				flags |= v1FlagSignature
			}
			long := uint64(len(e.Data)) > math.MaxUint32
			if long {
				flags |= v1FlagLen64
			}
			b = append(b, elemMagic...)
			b = append(b, flags)
			b = t.appendRef(b, e.Namespace)
			b = appendString(b, e.Name)
			if typ != "" {
				b = t.appendRef(b, typ)
			}
			if long {
				b = binary.BigEndian.AppendUint64(b, uint64(len(e.Data)))
			} else {
				b = binary.BigEndian.AppendUint32(b, uint32(len(e.Data)))
			}
			b = append(b, e.Data...)
		}
	}
	return b
}

// ---------------------------------------------------------------------------
// Decoder

// DecodeBinary decodes a binary message of version 0 or 1 (chosen by its
// version byte). Element Data are sub-slices of data, not copies.
//
// It accepts what real peers send: redundant namespace-table entries (such
// as "jxta" listed again as id 2), an element count of 0 meaning "read
// elements until the end", an explicit application/octet-stream type, and
// signature elements. Elements of type application/x-jxta-msg are decoded
// too, to check them (up to lim.MaxDepth levels), but kept as bytes: see
// Element.Message.
//
// Every length is checked against the bytes that remain before it is used,
// and nothing is allocated in proportion to a count or length the input
// claims before the bytes are known to be there. Errors are *MessageError
// values wrapping ErrBadMessage or ErrMessageTooLarge.
func DecodeBinary(data []byte, lim MessageLimits) (*Message, error) {
	lim = lim.withDefaults()
	if len(data) > lim.MaxSize {
		return nil, tooLarge(0, "message of %d bytes exceeds the limit of %d bytes", len(data), lim.MaxSize)
	}
	d := decoder{data: data, lim: lim}
	m := new(Message)
	if err := d.message(0, len(data), 0, m); err != nil {
		return nil, err
	}
	return m, nil
}

// Message decodes the nested message an element of type
// application/x-jxta-msg carries. Its element Data refer into e.Data.
func (e *Element) Message(lim MessageLimits) (*Message, error) {
	if !isMessageTypeString(e.MIMEType()) {
		return nil, badMessage(0, "element %q has type %q, not %s", e.Name, e.MIMEType(), TypeMessage)
	}
	return DecodeBinary(e.Data, lim)
}

// AddMessage appends an element of type application/x-jxta-msg holding sub
// in binary format version 0.
func (m *Message) AddMessage(ns, name string, sub *Message) {
	m.Add(Element{Namespace: ns, Name: name, Type: TypeMessage, Data: EncodeBinary(sub)})
}

// decoder reads messages out of one buffer. Nested messages are decoded
// in place, so every offset it reports is an offset into data.
type decoder struct {
	data []byte
	lim  MessageLimits
}

// reader reads fields of data[off:end].
type reader struct {
	data []byte
	off  int
	end  int
}

func (r *reader) remaining() int { return r.end - r.off }

// fixed reads n bytes. what and suffix name them in errors (two strings,
// so that naming costs nothing until an error).
func (r *reader) fixed(n int, what, suffix string) ([]byte, error) {
	if r.end-r.off < n {
		return nil, badMessage(r.off, "truncated %s%s: need %d bytes, %d remain", what, suffix, n, r.end-r.off)
	}
	b := r.data[r.off : r.off+n]
	r.off += n
	return b, nil
}

func (r *reader) u8(what string) (byte, error) {
	b, err := r.fixed(1, what, "")
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

func (r *reader) u16(what string) (int, error) {
	return r.u16s(what, "")
}

func (r *reader) u16s(what, suffix string) (int, error) {
	b, err := r.fixed(2, what, suffix)
	if err != nil {
		return 0, err
	}
	return int(binary.BigEndian.Uint16(b)), nil
}

// content reads a length (u32, or u64 when long) and that many bytes. The
// slice's capacity ends with it, so appending to it cannot overwrite what
// follows.
func (r *reader) content(long bool, what string) ([]byte, error) {
	var n uint64
	if long {
		b, err := r.fixed(8, what, " length")
		if err != nil {
			return nil, err
		}
		n = binary.BigEndian.Uint64(b)
	} else {
		b, err := r.fixed(4, what, " length")
		if err != nil {
			return nil, err
		}
		n = uint64(binary.BigEndian.Uint32(b))
	}
	if n > uint64(r.end-r.off) {
		return nil, badMessage(r.off, "%s length %d exceeds remaining %d bytes", what, n, r.end-r.off)
	}
	b := r.data[r.off : r.off+int(n) : r.off+int(n)]
	r.off += int(n)
	return b, nil
}

// str reads a u16-length string.
func (r *reader) str(what string) ([]byte, error) {
	n, err := r.u16s(what, " length")
	if err != nil {
		return nil, err
	}
	if n > r.end-r.off {
		return nil, badMessage(r.off, "%s length %d exceeds remaining %d bytes", what, n, r.end-r.off)
	}
	b := r.data[r.off : r.off+n]
	r.off += n
	return b, nil
}

func (r *reader) magic(want, what string) error {
	at := r.off
	b, err := r.fixed(4, what, "")
	if err != nil {
		return err
	}
	if string(b) != want {
		return badMessage(at, "bad %s %q, want %q", what, b, want)
	}
	return nil
}

// message decodes the message in data[start:end] into m, or only checks
// it when m is nil.
func (d *decoder) message(start, end, depth int, m *Message) error {
	if depth > d.lim.MaxDepth {
		return tooLarge(start, "messages nested more than %d deep", d.lim.MaxDepth)
	}
	r := reader{data: d.data, off: start, end: end}
	if err := r.magic(msgMagic, "message magic"); err != nil {
		return err
	}
	v, err := r.u8("message version")
	if err != nil {
		return err
	}
	switch v {
	case 0:
		return d.v0(&r, depth, m)
	case 1:
		return d.v1(&r, depth, m)
	}
	return badMessage(r.off-1, "message version %d not supported (want 0 or 1)", v)
}

// elementCount reads the element count and sizes m's element slice.
func (d *decoder) elementCount(r *reader, m *Message, minElement int) (int, error) {
	at := r.off
	count, err := r.u16("element count")
	if err != nil {
		return 0, err
	}
	if count > d.lim.MaxElements {
		return 0, tooLarge(at, "message of %d elements exceeds the limit of %d", count, d.lim.MaxElements)
	}
	if m != nil {
		// Room for the elements the remaining bytes can hold at most; an
		// uncounted message starts small and grows.
		c := min(r.remaining()/minElement, 16)
		if count > 0 {
			c = min(r.remaining()/minElement, count)
		}
		m.elements = make([]Element, 0, c)
	}
	return count, nil
}

// more reports whether element i is to be read: i < count, or, when the
// message is uncounted, while bytes remain.
func (d *decoder) more(r *reader, i, count int) (bool, error) {
	if count > 0 {
		return i < count, nil
	}
	if r.off == r.end {
		return false, nil
	}
	if i >= d.lim.MaxElements {
		return false, tooLarge(r.off, "message has more than %d elements", d.lim.MaxElements)
	}
	return true, nil
}

func (d *decoder) finish(r *reader, count int) error {
	if r.off != r.end {
		return badMessage(r.off, "%d bytes follow the last of %d elements", r.end-r.off, count)
	}
	return nil
}

// next returns the element to fill in, or nil when only checking.
func next(m *Message) *Element {
	if m == nil {
		return nil
	}
	m.elements = append(m.elements, Element{})
	return &m.elements[len(m.elements)-1]
}

// v0 decodes the rest of a version 0 message.
func (d *decoder) v0(r *reader, depth int, m *Message) error {
	at := r.off
	nsCount, err := r.u16("namespace count")
	if err != nil {
		return err
	}
	if nsCount > maxV0Namespaces {
		return badMessage(at, "namespace table has %d entries, at most %d allowed", nsCount, maxV0Namespaces)
	}
	var table [maxV0Namespaces + 2]string
	table[1] = NamespaceJXTA
	for i := range nsCount {
		b, err := r.str("namespace")
		if err != nil {
			return err
		}
		if m != nil {
			table[i+2] = intern(b)
		}
	}
	ns := table[:nsCount+2]
	count, err := d.elementCount(r, m, minV0Element)
	if err != nil {
		return err
	}
	i := 0
	for ; ; i++ {
		ok, err := d.more(r, i, count)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if err := d.v0Element(r, depth, ns, next(m), 0); err != nil {
			return err
		}
	}
	return d.finish(r, i)
}

func (d *decoder) v0Element(r *reader, depth int, ns []string, e *Element, sigDepth int) error {
	at := r.off
	if err := r.magic(elemMagic, "element magic"); err != nil {
		return err
	}
	id, err := r.u8("element namespace id")
	if err != nil {
		return err
	}
	flags, err := r.u8("element flags")
	if err != nil {
		return err
	}
	name, err := r.str("element name")
	if err != nil {
		return err
	}
	if int(id) >= len(ns) {
		return badMessage(at+4, "element %q: namespace id %d is not defined (the table has ids 0 to %d)", name, id, len(ns)-1)
	}
	var typ []byte
	if flags&v0FlagType != 0 {
		if typ, err = r.str("element type"); err != nil {
			return err
		}
	}
	if flags&v0FlagEncoding != 0 {
		return badMessage(at+5, "element %q: content encodings (flag 0x02) are not supported", name)
	}
	data, err := r.content(false, "element content")
	if err != nil {
		return err
	}
	if isMessageType(typ) {
		if err := d.message(r.off-len(data), r.off, depth+1, nil); err != nil {
			return err
		}
	}
	if e != nil {
		e.Namespace = ns[id]
		e.Name = intern(name)
		e.Type = intern(typ)
		e.Data = data
	}
	if flags&v0FlagSignature == 0 {
		return nil
	}
	if sigDepth >= d.lim.MaxDepth {
		return tooLarge(r.off, "signature chain longer than %d", d.lim.MaxDepth)
	}
	var sig *Element
	if e != nil {
		sig = new(Element)
		e.Signature = sig
	}
	return d.v0Element(r, depth, ns, sig, sigDepth+1)
}

// names is a version 1 names table: spans of the input, turned into
// strings on first use when building.
type names struct {
	spans   [][2]int
	strings []string // nil when only checking
}

// v1 decodes the rest of a version 1 message.
func (d *decoder) v1(r *reader, depth int, m *Message) error {
	at := r.off
	flags, err := r.u8("message flags")
	if err != nil {
		return err
	}
	if flags != 0 {
		return badMessage(at, "message flags 0x%02x not supported (only UTF-8 strings are)", flags)
	}
	at = r.off
	count, err := r.u16("names count")
	if err != nil {
		return err
	}
	if 2*count > r.remaining() {
		return badMessage(at, "names table of %d entries exceeds remaining %d bytes", count, r.remaining())
	}
	var small [16][2]int
	t := names{spans: small[:0]}
	if count > len(small) {
		t.spans = make([][2]int, 0, count)
	}
	for range count {
		b, err := r.str("table name")
		if err != nil {
			return err
		}
		t.spans = append(t.spans, [2]int{r.off - len(b), r.off})
	}
	if m != nil && count > 0 {
		t.strings = make([]string, count)
	}
	n, err := d.elementCount(r, m, minV1Element)
	if err != nil {
		return err
	}
	i := 0
	for ; ; i++ {
		ok, err := d.more(r, i, n)
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		if err := d.v1Element(r, depth, &t, next(m), 0); err != nil {
			return err
		}
	}
	if err := d.finish(r, i); err != nil {
		return err
	}
	if m == nil {
		return nil
	}
	// Names shared through the table are written out in full by version
	// 0: bound what re-encoding the message would produce.
	if err := m.CheckEncodable(); err != nil {
		me := err.(*MessageError)
		me.Offset = r.off
		return me
	}
	var v0 nsTable
	if size, _ := v0.build(m.elements); size > d.lim.MaxSize {
		return tooLarge(r.off, "message would take %d bytes in version 0, more than the limit of %d", size, d.lim.MaxSize)
	}
	return nil
}

var jxtaBytes = []byte(NamespaceJXTA)

// ref reads a nameRef. It returns the name's bytes and its table index
// (-1 for a literal).
func (t *names) ref(r *reader, what string) ([]byte, int, error) {
	at := r.off
	i, err := r.u16(what)
	if err != nil {
		return nil, 0, err
	}
	switch {
	case i == 0:
		return nil, 0, nil
	case i == 1:
		return jxtaBytes, 1, nil
	case i == v1LiteralRef:
		b, err := r.str(what)
		return b, -1, err
	case i-2 < len(t.spans):
		s := t.spans[i-2]
		return r.data[s[0]:s[1]], i, nil
	}
	return nil, 0, badMessage(at, "%s refers to name %d, but the table has names 0 to %d", what, i, len(t.spans)+1)
}

// str returns the string of a name read by ref.
func (t *names) str(b []byte, i int) string {
	if i < 2 {
		return intern(b)
	}
	if t.strings[i-2] == "" {
		t.strings[i-2] = intern(b)
	}
	return t.strings[i-2]
}

func (d *decoder) v1Element(r *reader, depth int, t *names, e *Element, sigDepth int) error {
	at := r.off
	if err := r.magic(elemMagic, "element magic"); err != nil {
		return err
	}
	flags, err := r.u8("element flags")
	if err != nil {
		return err
	}
	if flags&(v1FlagEncodings|v1FlagEncodedSigned) != 0 {
		return badMessage(at+4, "element content encodings (flags 0x%02x) are not supported", flags)
	}
	ns, nsi, err := t.ref(r, "element namespace")
	if err != nil {
		return err
	}
	var name []byte
	namei := -1
	if flags&v1FlagNameLiteral != 0 {
		name, err = r.str("element name")
	} else {
		name, namei, err = t.ref(r, "element name")
	}
	if err != nil {
		return err
	}
	var typ []byte
	typi := -1
	if flags&v1FlagType != 0 {
		if typ, typi, err = t.ref(r, "element type"); err != nil {
			return err
		}
	}
	data, err := r.content(flags&v1FlagLen64 != 0, "element content")
	if err != nil {
		return err
	}
	if isMessageType(typ) {
		if err := d.message(r.off-len(data), r.off, depth+1, nil); err != nil {
			return err
		}
	}
	if e != nil {
		e.Namespace = t.str(ns, nsi)
		e.Name = t.str(name, namei)
		e.Type = t.str(typ, typi)
		e.Data = data
	}
	if flags&v1FlagSignature == 0 {
		return nil
	}
	if sigDepth >= d.lim.MaxDepth {
		return tooLarge(r.off, "signature chain longer than %d", d.lim.MaxDepth)
	}
	var sig *Element
	if e != nil {
		sig = new(Element)
		e.Signature = sig
	}
	return d.v1Element(r, depth, t, sig, sigDepth+1)
}
