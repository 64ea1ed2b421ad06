package mcast

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"strings"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
)

// MaxDatagramSize is the largest datagram sent or accepted, JXSE's
// multicast packet size.
const MaxDatagramSize = 16384

// Service is the service name in the destination address of an
// announcement: mcast://<group address>/PeerBeacon/<group unique value>.
const Service = "PeerBeacon"

// magic starts every JXTA multicast datagram.
const magic = "JXTA"

// Element names, in the jxta namespace, of an announcement's contents.
const (
	elementPeerAdv = "BeaconPeerAdv"
	elementKind    = "BeaconKind"
)

// kind says whether an announcement asks the peers that hear it to
// announce themselves.
type kind uint8

const (
	// kindAnnounce: here I am.
	kindAnnounce kind = iota
	// kindHello: here I am, who is there? (sent by a peer that has just
	// started).
	kindHello
)

func (k kind) String() string {
	if k == kindHello {
		return "hello"
	}
	return "announce"
}

// Errors of announcements.
var (
	// ErrBadDatagram: a datagram is not a well-formed announcement.
	ErrBadDatagram = errors.New("bad multicast datagram")
	// ErrNotBeacon: a well-formed JXTA multicast message addressed to
	// another service (JXSE sends propagated messages to the same group).
	ErrNotBeacon = errors.New("multicast message for another service")
	// ErrTooLarge: a datagram is longer than MaxDatagramSize.
	ErrTooLarge = errors.New("multicast datagram too large")
)

// announcement is what a datagram carries: a peer's advertisement and
// whether it asks for answers.
type announcement struct {
	kind kind
	pa   *advert.PeerAdv
}

// destination returns the destination address of announcements to group
// (an IPv4 host:port) for peers of the group whose unique value is
// groupUnique.
func destination(group, groupUnique string) jxta.Address {
	return jxta.Address{Protocol: "mcast", Host: group, Service: Service, Param: groupUnique}
}

// encodeDatagram returns the datagram announcing a to group: "JXTA", a
// message package header and a binary message.
func encodeDatagram(a announcement, group string) ([]byte, error) {
	m := jxta.NewMessage()
	m.AddString(jxta.NamespaceJXTA, "EndpointSourceAddress", jxta.PeerAddress(a.pa.PeerID).String())
	m.AddString(jxta.NamespaceJXTA, "EndpointDestinationAddress", destination(group, a.pa.GroupID.Unique()).String())
	m.AddXML(jxta.NamespaceJXTA, elementPeerAdv, advert.Marshal(a.pa))
	m.AddString(jxta.NamespaceJXTA, elementKind, a.kind.String())
	d := framing.AppendPackage([]byte(magic), jxta.TypeMessage, jxta.EncodeBinary(m))
	if len(d) > MaxDatagramSize {
		return nil, fmt.Errorf("mcast: announcement of %d bytes: %w (at most %d)", len(d), ErrTooLarge, MaxDatagramSize)
	}
	return d, nil
}

// datagramReader decodes datagrams. It keeps one package reader for all
// of them, so that a datagram costs no more memory than its own size; it
// is not safe for concurrent use.
type datagramReader struct {
	src bytes.Reader
	buf *bufio.Reader
	pkg *framing.Reader
}

// messageLimits bound a datagram's message: beacons send four elements.
var messageLimits = jxta.MessageLimits{MaxSize: MaxDatagramSize, MaxElements: 64, MaxDepth: 2}

func newDatagramReader() *datagramReader {
	d := &datagramReader{}
	d.buf = bufio.NewReaderSize(&d.src, framing.MaxHeaderLen)
	d.pkg = framing.NewReader(d.buf, MaxDatagramSize)
	return d
}

func bad(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBadDatagram, fmt.Sprintf(format, args...))
}

// decode reads the announcement a datagram carries. Bytes after the
// message package are ignored, as JXSE does. Errors wrap ErrBadDatagram,
// ErrNotBeacon or ErrTooLarge.
func (d *datagramReader) decode(data []byte) (announcement, error) {
	m, src, dst, err := d.decodeMessage(data)
	if err != nil {
		return announcement{}, err
	}
	if !isBeacon(dst) {
		return announcement{}, fmt.Errorf("%w: to %s", ErrNotBeacon, dst)
	}
	return announcementOf(m, src, dst)
}

// decodeMessage reads the message a datagram carries and its source and
// destination addresses. Errors wrap ErrBadDatagram or ErrTooLarge.
func (d *datagramReader) decodeMessage(data []byte) (*jxta.Message, jxta.Address, jxta.Address, error) {
	var none jxta.Address
	switch {
	case len(data) > MaxDatagramSize:
		return nil, none, none, fmt.Errorf("%w: %d bytes (at most %d)", ErrTooLarge, len(data), MaxDatagramSize)
	case !bytes.HasPrefix(data, []byte(magic)):
		return nil, none, none, bad("no %q signature", magic)
	}
	d.src.Reset(data[len(magic):])
	d.buf.Reset(&d.src)
	ct, body, err := d.pkg.ReadPackage()
	if err != nil {
		return nil, none, none, bad("message package: %v", err)
	}
	if !isMessageType(ct) {
		return nil, none, none, bad("content type %q, want %s", ct, jxta.TypeMessage)
	}
	m, err := jxta.DecodeBinary(body, messageLimits)
	if err != nil {
		return nil, none, none, bad("%v", err)
	}
	src, err := addressElement(m, "EndpointSourceAddress")
	if err != nil {
		return nil, none, none, err
	}
	dst, err := addressElement(m, "EndpointDestinationAddress")
	if err != nil {
		return nil, none, none, err
	}
	return m, src, dst, nil
}

// isBeacon reports whether dst is the address of a beacon service.
func isBeacon(dst jxta.Address) bool { return dst.Protocol == "mcast" && dst.Service == Service }

// announcementOf reads the announcement of a message addressed to the
// beacon service and checks it against its addresses.
func announcementOf(m *jxta.Message, src, dst jxta.Address) (announcement, error) {
	from, err := src.PeerID()
	if err != nil {
		return announcement{}, bad("source address %s: %v", src, err)
	}
	el, ok := m.Get(jxta.NamespaceJXTA, elementPeerAdv)
	if !ok {
		return announcement{}, bad("no %s element", elementPeerAdv)
	}
	pa, err := advert.ParseAs[*advert.PeerAdv](el.Data)
	if err != nil {
		return announcement{}, bad("peer advertisement: %v", err)
	}
	switch {
	case pa.PeerID != from:
		return announcement{}, bad("advertisement of %s sent by %s", pa.PeerID, from)
	case pa.GroupID.Unique() != dst.Param:
		return announcement{}, bad("advertisement in group %s sent to group %s", pa.GroupID, dst.Param)
	}
	a := announcement{kind: kindAnnounce, pa: pa}
	if k, ok := m.String(jxta.NamespaceJXTA, elementKind); ok && k == kindHello.String() {
		a.kind = kindHello
	}
	return a, nil
}

// addressElement reads a jxta namespace element holding an endpoint
// address.
func addressElement(m *jxta.Message, name string) (jxta.Address, error) {
	s, ok := m.String(jxta.NamespaceJXTA, name)
	if !ok {
		return jxta.Address{}, bad("no %s element", name)
	}
	a, err := jxta.ParseAddress(s)
	if err != nil {
		return jxta.Address{}, bad("%s: %v", name, err)
	}
	return a, nil
}

// isMessageType reports whether a MIME type is application/x-jxta-msg,
// parameters and case aside.
func isMessageType(ct string) bool {
	t, _, _ := strings.Cut(ct, ";")
	return strings.EqualFold(strings.TrimSpace(t), jxta.TypeMessage)
}
