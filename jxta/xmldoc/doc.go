// Package xmldoc reads and writes the XML dialect of JXTA documents.
//
// Reading is lenient where JXSE and JXTA-C are: no namespace processing
// (element names such as "jxta:PA" are literal strings and the jxta prefix
// need not be declared), comments and CDATA are accepted, and a DOCTYPE or
// XML declaration is optional. It is strict about what keeps a peer safe:
// documents larger than Limits.MaxBytes or nested deeper than
// Limits.MaxDepth are refused, entity declarations are never expanded
// (only the five XML entities and character references are), and every
// syntax error names its line.
//
// Writing follows JXSE: a compact storage form (XML declaration, DOCTYPE,
// xmlns:jxta and xml:space="preserve" on the root, no indentation, only &
// and < escaped in text) and a tab-indented form for people.
//
// Reading accepts exactly what encoding/xml's Decoder accepts in strict
// mode, with the same character data and lines (a fuzz target checks this
// against encoding/xml), but with a scanner of its own that works on the
// document in memory: it copies text only when entities or line ends must
// be decoded and shares the strings of the names JXTA documents repeat,
// several times faster than encoding/xml on JXTA documents.
//
// The parsed tree is a github.com/beevik/etree element tree; Document keeps
// the line on which each element starts so that callers can report errors
// by line.
//
// xmldoc imports only the standard library and etree. The advert package
// and the protocol document packages build on it.
package xmldoc
