package xfer

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
)

// Version is the first line of every offer.
const Version = "gojxta-xfer/1"

// Limits of the protocol.
const (
	// MaxOfferLen bounds an offer, its lines and the empty line included.
	MaxOfferLen = 4096
	// MaxNameLen bounds a file name in bytes, so that the partial file's
	// name fits in the 255 bytes file systems allow.
	MaxNameLen = 200
	// maxOfferLines bounds the lines of an offer.
	maxOfferLines = 32
)

// Offer is what the sender says of the file before sending it.
type Offer struct {
	Name   string // base name of the file
	Size   int64  // bytes
	SHA256 [sha256.Size]byte
	Sender string // who sends it, as the sender names itself
}

// Hash returns the SHA-256 in lowercase hexadecimal.
func (o Offer) Hash() string { return hex.EncodeToString(o.SHA256[:]) }

// Marshal returns the offer as it goes on the wire.
func (o Offer) Marshal() []byte {
	var b strings.Builder
	fmt.Fprintf(&b, "%s\nname %s\nsize %d\nsha256 %s\nsender %s\n\n", Version, o.Name, o.Size, o.Hash(), o.Sender)
	return []byte(b.String())
}

// Check reports whether the offer can go on the wire: a plain name, a
// size of at least 0, a sender name without control characters.
func (o Offer) Check() error {
	if err := CheckName(o.Name); err != nil {
		return err
	}
	if o.Size < 0 {
		return fmt.Errorf("negative size %d", o.Size)
	}
	if o.Sender == "" {
		return fmt.Errorf("no sender name")
	}
	if why := badText(o.Sender); why != "" {
		return fmt.Errorf("sender name %q: %s", o.Sender, why)
	}
	if len(o.Marshal()) > MaxOfferLen {
		return fmt.Errorf("the offer is longer than %d bytes", MaxOfferLen)
	}
	return nil
}

// ReadOffer reads and checks an offer. It reads at most MaxOfferLen bytes
// from r.
func ReadOffer(r *bufio.Reader) (Offer, error) {
	budget := MaxOfferLen
	first, err := readLine(r, &budget)
	if err != nil {
		return Offer{}, err
	}
	if first != Version {
		return Offer{}, &ProtocolError{What: "not a " + Version + " offer", Line: first}
	}
	var o Offer
	seen := make(map[string]bool)
	for n := 0; ; n++ {
		if n >= maxOfferLines {
			return Offer{}, &ProtocolError{What: fmt.Sprintf("more than %d lines", maxOfferLines)}
		}
		line, err := readLine(r, &budget)
		if err != nil {
			return Offer{}, err
		}
		if line == "" {
			break
		}
		key, value, ok := strings.Cut(line, " ")
		if !ok {
			return Offer{}, &ProtocolError{What: "a line without a value", Line: line}
		}
		switch key {
		case "name", "size", "sha256", "sender":
		default:
			continue // a later version's field
		}
		if seen[key] {
			return Offer{}, &ProtocolError{What: "repeated " + key, Line: line}
		}
		seen[key] = true
		if err := o.set(key, value); err != nil {
			return Offer{}, &ProtocolError{What: err.Error(), Err: err}
		}
	}
	for _, key := range []string{"name", "size", "sha256", "sender"} {
		if !seen[key] {
			return Offer{}, &ProtocolError{What: "no " + key}
		}
	}
	return o, nil
}

// set sets the field of key from its text.
func (o *Offer) set(key, value string) error {
	switch key {
	case "name":
		if err := CheckName(value); err != nil {
			return err
		}
		o.Name = value
	case "size":
		n, err := strconv.ParseInt(value, 10, 64)
		if err != nil || n < 0 || strconv.FormatInt(n, 10) != value {
			return fmt.Errorf("bad size %q", value)
		}
		o.Size = n
	case "sha256":
		h, err := hex.DecodeString(value)
		if err != nil || len(h) != sha256.Size || hex.EncodeToString(h) != value {
			return fmt.Errorf("bad sha256 %q (want 64 lowercase hex digits)", value)
		}
		copy(o.SHA256[:], h)
	case "sender":
		if value == "" {
			return fmt.Errorf("empty sender")
		}
		o.Sender = value
	}
	return nil
}

// readLine reads one line, without its "\n", taking its length from
// budget; it fails when the line would exceed the budget, or holds
// invalid UTF-8 or control characters.
func readLine(r *bufio.Reader, budget *int) (string, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) > *budget {
			return "", &ProtocolError{What: "line too long"}
		}
		line = append(line, chunk...)
		if err == bufio.ErrBufferFull {
			continue
		}
		if err != nil {
			return "", fmt.Errorf("xfer: reading a line: %w", unexpectedEOF(err))
		}
		break
	}
	*budget -= len(line)
	s := string(line[:len(line)-1])
	if why := badText(s); why != "" {
		return "", &ProtocolError{What: why, Line: s}
	}
	return s, nil
}
