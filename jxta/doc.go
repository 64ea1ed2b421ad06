// Package jxta is the vocabulary every layer of gojxta shares: JXTA IDs
// (and, as the stack grows, endpoint addresses and messages).
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
package jxta
