// Package jxta is the vocabulary every layer of gojxta shares: JXTA IDs,
// endpoint addresses and messages with their wire formats.
//
// It is a leaf package: it does no I/O, starts no goroutines and imports
// nothing from gojxta, so the document (advert), endpoint, group and pipe
// packages, the embedding API and the shell may all import it.
//
// # IDs
//
// A JXTA ID is a URN, urn:jxta:<format>-<unique>. Three formats are
// understood:
//
//   - "jxta": the well-known IDs urn:jxta:jxta-Null, urn:jxta:jxta-WorldGroup
//     and urn:jxta:jxta-NetGroup.
//   - "uuid" (JXSE 2.5/2.6 and JXTA-C) and "cbid" (JXSE 2.7): a 64-byte value
//     whose last byte is the ID's Kind, written as upper-case hex with
//     trailing zero bytes dropped.
//   - any other format is kept as an opaque ID compared by its text.
//
// ID is comparable and can be used as a map key. The typed IDs (PeerID,
// GroupID, PipeID, ModuleClassID, ModuleSpecID, CodatID, ContentID) wrap an
// ID whose kind has been checked, and add the relations JXTA derives from
// the bytes: a peer's or pipe's group, a group's parent, a module spec's
// class.
//
// # Endpoint addresses
//
// An Address names a transport endpoint (tcp://host:port), a peer
// (jxta://uuid-...) and optionally a service and parameter on it, as
// protocol://address[/service[/param]]; ParseAddress also reads the URN
// form urn:jxta:uuid-...#service/param.
//
// # Messages
//
// A Message is an ordered list of Elements (namespace, name, MIME type,
// bytes, optional signature). EncodeBinary and DecodeBinary implement the
// binary format application/x-jxta-msg (version 0, what JXSE sends; version
// 1, what JXTA-C can send, is read too and written by EncodeBinaryV1), and
// EncodeXMLMessage/DecodeXMLMessage the XML message format. Decoding never
// copies element content and is bounded by MessageLimits.
package jxta
