// Package framing is JXTA's TCP framing: the welcome line each side of a
// connection sends first, and the message packages (a small header block,
// then a body such as a binary message) that follow it. The endpoint's TCP
// transport and the pipes use it.
//
// The wire formats, as JXSE 2.x (net.jxta.impl.endpoint.msgframing) and
// JXTA-C write them:
//
//	welcome := "JXTAHELLO" SP dest SP public SP peerID SP noProp SP version [SP ...] CR LF
//	package := header* 0x00 body
//	header  := nameLen:u8 | name | valueLen:u16 | value
//
// A welcome line is at most 4096 bytes. JXSE sends version 1.1 with six
// tokens; a version 3.0 line has seven, the sixth being the preferred
// binary message version. gojxta peers send a seventh token, GoJXTAVersion,
// after 1.1; JXSE takes the last token as the version and reads an unknown
// one leniently, so it still accepts the line.
//
// Package headers are content-length (an 8-byte big-endian body length)
// and content-type (a MIME type, application/x-jxta-msg for messages);
// JXSE 2.6 writes them in that order. Header names are case-insensitive,
// unknown headers (content-coding among them) are ignored, and the header
// block is at most 1024 bytes.
//
// framing does no I/O of its own beyond the readers and writers it is
// given, starts no goroutines, and imports only jxta and the standard
// library.
package framing
