package jxta

import "bytes"

// The element namespaces JXTA uses: "" for applications and "jxta" for the
// platform.
const (
	NamespaceApp  = ""
	NamespaceJXTA = "jxta"
)

// MIME types of message elements.
const (
	TypeOctetStream = "application/octet-stream" // untyped bytes; the default
	TypeText        = "text/plain;charset=UTF-8" // strings
	TypeXML         = "text/xml;charset=UTF-8"   // XML documents (advertisements)
	TypeMessage     = "application/x-jxta-msg"   // a nested binary message
)

// Element is one named part of a message. Its Data is not copied when a
// message is decoded: it refers into the decoded buffer, and callers that
// keep it beyond the buffer's life must copy it.
type Element struct {
	Namespace string // NamespaceApp or NamespaceJXTA (or another)
	Name      string // names may repeat within a message
	Type      string // MIME type; "" means TypeOctetStream
	Data      []byte
	// Signature is the element's optional signature element.
	Signature *Element
}

// MIMEType returns the element's type, TypeOctetStream when unset.
func (e *Element) MIMEType() string {
	if e.Type == "" {
		return TypeOctetStream
	}
	return e.Type
}

// Text returns the element's content as a string.
func (e *Element) Text() string { return string(e.Data) }

// Message is an ordered list of elements, JXTA's unit of communication.
// The zero value is an empty message ready to use. A Message is not safe
// for concurrent modification.
type Message struct {
	elements []Element
}

// NewMessage returns a message holding elements.
func NewMessage(elements ...Element) *Message {
	return &Message{elements: elements}
}

// Len returns the number of elements.
func (m *Message) Len() int { return len(m.elements) }

// Elements returns the elements in order. The slice is the message's own:
// callers must not modify it.
func (m *Message) Elements() []Element { return m.elements }

// Add appends an element.
func (m *Message) Add(e Element) { m.elements = append(m.elements, e) }

// AddBytes appends an untyped element holding data (not copied).
func (m *Message) AddBytes(ns, name string, data []byte) {
	m.Add(Element{Namespace: ns, Name: name, Data: data})
}

// AddString appends a text/plain element.
func (m *Message) AddString(ns, name, s string) {
	m.Add(Element{Namespace: ns, Name: name, Type: TypeText, Data: []byte(s)})
}

// AddXML appends a text/xml element holding a serialized document (for an
// advertisement, see advert.Marshal).
func (m *Message) AddXML(ns, name string, doc []byte) {
	m.Add(Element{Namespace: ns, Name: name, Type: TypeXML, Data: doc})
}

// Get returns the first element with the given namespace and name.
func (m *Message) Get(ns, name string) (*Element, bool) {
	for i := range m.elements {
		if m.elements[i].Name == name && m.elements[i].Namespace == ns {
			return &m.elements[i], true
		}
	}
	return nil, false
}

// GetAll returns every element with the given namespace and name, in
// order.
func (m *Message) GetAll(ns, name string) []*Element {
	var out []*Element
	for i := range m.elements {
		if m.elements[i].Name == name && m.elements[i].Namespace == ns {
			out = append(out, &m.elements[i])
		}
	}
	return out
}

// String returns the content of the first element with the given namespace
// and name as a string.
func (m *Message) String(ns, name string) (string, bool) {
	e, ok := m.Get(ns, name)
	if !ok {
		return "", false
	}
	return string(e.Data), true
}

// Remove deletes every element with the given namespace and name and
// returns how many were removed.
func (m *Message) Remove(ns, name string) int {
	kept := m.elements[:0]
	n := 0
	for _, e := range m.elements {
		if e.Name == name && e.Namespace == ns {
			n++
			continue
		}
		kept = append(kept, e)
	}
	clear(m.elements[len(kept):])
	m.elements = kept
	return n
}

// Replace removes every element with e's namespace and name and appends e.
func (m *Message) Replace(e Element) {
	m.Remove(e.Namespace, e.Name)
	m.Add(e)
}

// Clone returns a copy of the message whose element list can be changed
// independently. Element data is shared, not copied.
func (m *Message) Clone() *Message {
	return &Message{elements: append([]Element(nil), m.elements...)}
}

// Size returns the total number of content bytes in the message.
func (m *Message) Size() int {
	n := 0
	for i := range m.elements {
		n += len(m.elements[i].Data)
	}
	return n
}

// Equal reports whether two messages hold the same elements in the same
// order (types compared with the default applied).
func (m *Message) Equal(o *Message) bool {
	if len(m.elements) != len(o.elements) {
		return false
	}
	for i := range m.elements {
		if !elementEqual(&m.elements[i], &o.elements[i]) {
			return false
		}
	}
	return true
}

func elementEqual(a, b *Element) bool {
	if a.Namespace != b.Namespace || a.Name != b.Name || a.MIMEType() != b.MIMEType() || !bytes.Equal(a.Data, b.Data) {
		return false
	}
	if (a.Signature == nil) != (b.Signature == nil) {
		return false
	}
	return a.Signature == nil || elementEqual(a.Signature, b.Signature)
}
