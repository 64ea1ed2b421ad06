// Package advert reads and writes JXTA advertisements: the XML documents
// that describe peers (PA), peer groups (PGA), pipes, modules (MCA, MSA,
// MIA), rendezvous peers, routes and access points (RA, APA), and a peer's
// local configuration (PlatformConfig, transport, rendezvous and relay
// configuration).
//
// Parse chooses the type by the root's type attribute, then by the root
// element name, as JXSE does; a document of any other type parses into a
// Generic advertisement that keeps the whole tree. Reading is lenient where
// JXSE and JXTA-C are (see package xmldoc) and strict about what matters:
// required elements must be present and IDs must parse as the right kind,
// and errors name the document type, the element and the line.
//
// Marshal writes JXSE's compact storage form; MarshalIndent an indented
// form for people. Unknown elements and attributes, and the free-form Desc,
// Parm and Comp trees, survive a round trip.
//
// Every advertisement reports the index fields discovery searches on
// (IndexFields) and its discovery category (CategoryOf).
//
// advert sits above the jxta vocabulary and xmldoc; the endpoint, group and
// pipe layers, the embedding API and the shell import it.
package advert
