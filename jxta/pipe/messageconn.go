package pipe

import (
	"fmt"
	"net"
	"sync"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/endpoint/framing"
)

// Format is the wire format of the messages a MessageConn sends.
type Format int

// Message wire formats.
const (
	// Binary is JXTA's binary message format, version 0
	// (application/x-jxta-msg).
	Binary Format = iota
	// XML is JXTA's XML message format (<Message version="0">, non-text
	// elements in base64), sent as text/xml.
	XML
)

// ContentTypeXML is the package content type of XML messages.
const ContentTypeXML = "text/xml"

// String returns "binary" or "xml".
func (f Format) String() string {
	if f == XML {
		return "xml"
	}
	return "binary"
}

// MessageConn sends and receives whole messages over a connection (a
// bidirectional pipe, or any net.Conn), each framed with JXTA's message
// package header (content-type, content-length). It sends in its Format
// and receives either format. Send and Recv may be called concurrently
// with each other; concurrent Sends are serialised.
type MessageConn struct {
	conn   net.Conn
	format Format
	limits jxta.MessageLimits

	rmu  sync.Mutex
	r    packageReader
	rbuf []byte // the body of the last large XML message

	wmu sync.Mutex
	buf []byte
}

// NewMessageConn returns a MessageConn over conn sending in format and
// refusing messages over maxSize bytes (jxta.DefaultMaxMessageSize when
// maxSize <= 0).
func NewMessageConn(conn net.Conn, format Format, maxSize int) *MessageConn {
	if maxSize <= 0 {
		maxSize = jxta.DefaultMaxMessageSize
	}
	return &MessageConn{conn: conn, format: format, limits: jxta.MessageLimits{MaxSize: maxSize}, r: packageReader{r: conn, maxBody: maxSize}}
}

// Conn returns the underlying connection (for deadlines and addresses).
func (mc *MessageConn) Conn() net.Conn { return mc.conn }

// Peer returns the verified peer at the other end when the connection is
// a bidirectional pipe (see Conn.Peer), and false for another net.Conn.
func (mc *MessageConn) Peer() (jxta.PeerID, bool) {
	if c, ok := mc.conn.(*Conn); ok {
		return c.Peer(), true
	}
	return jxta.PeerID{}, false
}

// Format returns the format Send writes.
func (mc *MessageConn) Format() Format { return mc.format }

// Send writes m in one write.
func (mc *MessageConn) Send(m *jxta.Message) error {
	mc.wmu.Lock()
	defer mc.wmu.Unlock()
	ct := jxta.TypeMessage
	if mc.format == XML {
		ct = ContentTypeXML
	}
	b, _ := framing.AppendPackageTo(mc.buf[:0], ct)
	body := len(b)
	if mc.format == XML {
		b = jxta.AppendXMLMessage(b, m)
	} else {
		b = jxta.AppendBinary(b, m)
	}
	if n := len(b) - body; n > mc.limits.MaxSize {
		return fmt.Errorf("pipe: message of %d bytes is over the limit of %d", n, mc.limits.MaxSize)
	}
	framing.SetBodyLength(b, len(b)-body)
	_, err := mc.conn.Write(b)
	if cap(b) <= maxKeptBuffer {
		mc.buf = b[:0]
	}
	return err
}

// maxKeptBuffer bounds the send buffer kept between messages.
const maxKeptBuffer = 1 << 20

// Recv reads the next message. An unknown content type, a malformed
// package or message, or one over the size limit is an error after which
// the connection should be closed.
func (mc *MessageConn) Recv() (*jxta.Message, error) {
	mc.rmu.Lock()
	defer mc.rmu.Unlock()
	ct, n, err := mc.r.readHeader()
	if err != nil {
		return nil, err
	}
	switch ct {
	case jxta.TypeMessage, ContentTypeXML:
	default:
		return nil, fmt.Errorf("pipe: unknown message content type %q", ct)
	}
	// A binary message refers into its body, which is its own (see
	// packageReader); an XML message is decoded into memory of its own.
	if ct == jxta.TypeMessage {
		body, err := mc.r.readBody(n, nil)
		if err != nil {
			return nil, err
		}
		return jxta.DecodeBinary(body, mc.limits)
	}
	body, err := mc.r.readBody(n, mc.rbuf)
	if err != nil {
		return nil, err
	}
	if n > maxChunkedBody && cap(body) <= maxKeptBuffer {
		mc.rbuf = body[:0]
	}
	return jxta.DecodeXMLMessage(body, mc.limits)
}

// Close closes the connection.
func (mc *MessageConn) Close() error { return mc.conn.Close() }
