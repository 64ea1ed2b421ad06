package jxta

import (
	"errors"
	"fmt"
	"strings"
)

// Kind is the type of a JXTA ID: byte 63 of the 64-byte uuid/cbid form.
type Kind uint8

// The ID kinds. The numbers are the type bytes JXSE and JXTA-C write.
const (
	KindUnknown     Kind = 0 // the Null ID and opaque IDs
	KindCodat       Kind = 1
	KindGroup       Kind = 2
	KindPeer        Kind = 3
	KindPipe        Kind = 4
	KindModuleClass Kind = 5
	KindModuleSpec  Kind = 6
	KindContent     Kind = 7 // JXSE 2.6 and later
)

var kindNames = [...]string{"unknown", "codat", "peer group", "peer", "pipe", "module class", "module spec", "content"}

// String returns a lower-case description of k, such as "peer group".
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", uint8(k))
}

// Format is the format part of an ID URN.
type Format uint8

// The ID formats.
const (
	FormatJXTA   Format = iota // the well-known IDs: jxta-Null, jxta-WorldGroup, jxta-NetGroup
	FormatUUID                 // uuid-<hex>
	FormatCBID                 // cbid-<hex>
	FormatOpaque               // any other format, compared by text
)

// String returns the format's name as it appears in a URN ("jxta", "uuid",
// "cbid"), or "opaque".
func (f Format) String() string {
	switch f {
	case FormatJXTA:
		return "jxta"
	case FormatUUID:
		return "uuid"
	case FormatCBID:
		return "cbid"
	default:
		return "opaque"
	}
}

// idSize is the size of the byte form of uuid and cbid IDs.
const idSize = 64

// MaxIDLength bounds the text of an ID accepted by Parse. The longest
// uuid/cbid ID is 9+5+128 = 142 characters; opaque formats get some slack.
const MaxIDLength = 1024

const urnPrefix = "urn:jxta:"

// ID is a JXTA ID of any kind and format. The zero value is the Null ID
// (urn:jxta:jxta-Null). IDs are comparable: two IDs are the same ID exactly
// when they are ==, so an ID can be a map key.
type ID struct {
	format Format
	b      [idSize]byte // uuid/cbid bytes; for FormatJXTA the uuid form of World/Net, zero for Null
	opaque string       // for FormatOpaque: "<format>-<unique>" as written
}

// Errors returned when parsing IDs. Each parse error wraps one of them.
var (
	ErrNotJXTAURN = errors.New("not a urn:jxta: ID")
	ErrBadID      = errors.New("malformed ID")
	ErrWrongKind  = errors.New("wrong kind of ID")
)

// IDError describes a string that could not be parsed as an ID.
type IDError struct {
	Text   string // the offending text (shortened if long)
	Reason string
	Err    error // ErrNotJXTAURN, ErrBadID or ErrWrongKind
}

// Error returns the message.
func (e *IDError) Error() string {
	return fmt.Sprintf("ID %q: %s", e.Text, e.Reason)
}

// Unwrap returns the underlying error.
func (e *IDError) Unwrap() error { return e.Err }

func idError(text string, err error, format string, args ...any) *IDError {
	if len(text) > 80 {
		text = text[:77] + "..."
	}
	return &IDError{Text: text, Reason: fmt.Sprintf(format, args...), Err: err}
}

// Parse parses an ID URN such as urn:jxta:uuid-59616261646162614E5047205032503302.
// The "urn:jxta:" prefix is matched case-insensitively; hex digits may be
// lower-case; non-canonical uuid forms (untruncated trailing zeros) parse
// to the same ID. The uuid and cbid forms of the World and Net groups parse
// to the well-known jxta IDs. Any format other than jxta, uuid and cbid is
// kept as an opaque ID.
func Parse(s string) (ID, error) {
	if len(s) > MaxIDLength {
		return ID{}, idError(s, ErrBadID, "longer than %d characters", MaxIDLength)
	}
	if len(s) < len(urnPrefix) || !strings.EqualFold(s[:len(urnPrefix)], urnPrefix) {
		return ID{}, idError(s, ErrNotJXTAURN, "does not start with urn:jxta:")
	}
	return ParseUnique(s[len(urnPrefix):])
}

// ParseUnique parses the part of an ID after "urn:jxta:" (for example
// "uuid-5961...03"), as it appears in jxta:// endpoint addresses.
func ParseUnique(s string) (ID, error) {
	dash := strings.IndexByte(s, '-')
	if dash <= 0 || dash == len(s)-1 {
		return ID{}, idError(s, ErrBadID, "want <format>-<unique>")
	}
	format, unique := s[:dash], s[dash+1:]
	switch format {
	case "jxta":
		switch {
		case strings.EqualFold(unique, "Null"):
			return NullID, nil
		case strings.EqualFold(unique, "WorldGroup"):
			return WorldGroupID.ID, nil
		case strings.EqualFold(unique, "NetGroup"):
			return NetGroupID.ID, nil
		}
		return ID{}, idError(s, ErrBadID, "unknown well-known ID jxta-%s", unique)
	case "uuid":
		return parseHex(s, unique, FormatUUID)
	case "cbid":
		return parseHex(s, unique, FormatCBID)
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c <= ' ' || c == 0x7f || c == '<' || c == '>' || c == '"' {
			return ID{}, idError(s, ErrBadID, "character %q not allowed in an ID", c)
		}
	}
	return ID{format: FormatOpaque, opaque: s}, nil
}

// parseHex decodes the hex form of a uuid or cbid ID: the first len/2-1
// bytes fill positions 0.., the last byte is the type byte 63.
func parseHex(s, hex string, f Format) (ID, error) {
	n := len(hex)
	if n < 2 || n%2 != 0 || n > 2*idSize {
		return ID{}, idError(s, ErrBadID, "%s value must be an even number of hex digits, 2 to %d", f, 2*idSize)
	}
	var id ID
	id.format = f
	last := n/2 - 1
	for i := 0; i < n/2; i++ {
		hi, ok1 := unhex(hex[2*i])
		lo, ok2 := unhex(hex[2*i+1])
		if !ok1 || !ok2 {
			return ID{}, idError(s, ErrBadID, "bad hex digit at %q", hex[2*i:2*i+2])
		}
		if i == last {
			id.b[idSize-1] = hi<<4 | lo
		} else {
			id.b[i] = hi<<4 | lo
		}
	}
	if k := Kind(id.b[idSize-1]); k < KindCodat || k > KindContent {
		return ID{}, idError(s, ErrBadID, "unknown ID type byte %02X", uint8(k))
	}
	return normalize(id), nil
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// normalize turns the uuid/cbid forms of the World and Net groups into the
// well-known jxta form, so that equal IDs are ==.
func normalize(id ID) ID {
	if id.format != FormatUUID && id.format != FormatCBID {
		return id
	}
	if Kind(id.b[idSize-1]) != KindGroup {
		return id
	}
	for _, b := range id.b[16 : idSize-1] {
		if b != 0 {
			return id
		}
	}
	var u [16]byte
	copy(u[:], id.b[:16])
	switch u {
	case worldGroupUUID, netGroupUUID:
		id.format = FormatJXTA
	}
	return id
}

// MustParse is like Parse but panics on error. It is for IDs written in
// source code.
func MustParse(s string) ID {
	id, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return id
}

// Format returns the ID's format.
func (id ID) Format() Format { return id.format }

// Kind returns the ID's kind: the type byte of uuid and cbid IDs,
// KindGroup for the World and Net groups, KindUnknown for the Null ID and
// opaque IDs.
func (id ID) Kind() Kind {
	if id.format == FormatOpaque {
		return KindUnknown
	}
	return Kind(id.b[idSize-1])
}

// IsNull reports whether id is the Null ID (the zero value).
func (id ID) IsNull() bool { return id == ID{} }

// Bytes returns the 64-byte form of a uuid or cbid ID (the uuid form for the
// World and Net groups). It returns nil for the Null ID and opaque IDs.
func (id ID) Bytes() []byte {
	if id.format == FormatOpaque || id.IsNull() {
		return nil
	}
	b := id.b
	return b[:]
}

// Unique returns the ID without its "urn:jxta:" prefix, for example
// "jxta-NetGroup" or "uuid-5961...03". JXTA uses it in endpoint addresses
// and resolver element names.
func (id ID) Unique() string { return string(id.appendUnique(nil)) }

func (id ID) appendUnique(b []byte) []byte {
	switch id.format {
	case FormatOpaque:
		return append(b, id.opaque...)
	case FormatJXTA:
		switch {
		case id.IsNull():
			return append(b, "jxta-Null"...)
		case [16]byte(id.b[:16]) == worldGroupUUID:
			return append(b, "jxta-WorldGroup"...)
		default:
			return append(b, "jxta-NetGroup"...)
		}
	}
	b = append(b, id.format.String()...)
	b = append(b, '-')
	return appendCanonicalHex(b, &id.b)
}

// String returns the canonical URN: lower-case "urn:jxta:" prefix and
// upper-case hex with trailing zero bytes dropped.
func (id ID) String() string {
	var buf [160]byte
	return string(id.appendUnique(append(buf[:0], urnPrefix...)))
}

// AppendText appends the canonical URN to b.
func (id ID) AppendText(b []byte) ([]byte, error) {
	return id.appendUnique(append(b, urnPrefix...)), nil
}

const hexDigits = "0123456789ABCDEF"

// appendCanonicalHex writes bytes 0..i, where i is the last non-zero byte
// in 1..62 (0 if none), then the type byte 63.
func appendCanonicalHex(out []byte, b *[idSize]byte) []byte {
	last := 0
	for i := idSize - 2; i >= 1; i-- {
		if b[i] != 0 {
			last = i
			break
		}
	}
	for i := 0; i <= last; i++ {
		out = append(out, hexDigits[b[i]>>4], hexDigits[b[i]&0xF])
	}
	return append(out, hexDigits[b[idSize-1]>>4], hexDigits[b[idSize-1]&0xF])
}

// MarshalText returns the canonical URN.
func (id ID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText parses a URN as Parse does.
func (id *ID) UnmarshalText(text []byte) error {
	v, err := Parse(string(text))
	if err != nil {
		return err
	}
	*id = v
	return nil
}

// uuidField returns bytes 16*n .. 16*n+15 as a UUID-sized array.
func (id ID) uuidField(n int) [16]byte {
	return [16]byte(id.b[16*n : 16*n+16])
}

// SameBase reports whether a and b are uuid/cbid IDs sharing bytes 0-15:
// for module IDs, whether they belong to the same base module class.
func SameBase(a, b ID) bool {
	if a.format == FormatOpaque || b.format == FormatOpaque || a.IsNull() || b.IsNull() {
		return false
	}
	return a.uuidField(0) == b.uuidField(0)
}
