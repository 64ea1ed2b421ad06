package jxta

// The typed IDs wrap an ID whose kind has been checked. Each accepts the
// Null ID (JXTA's "no ID", the zero value) and opaque IDs, whose kind cannot
// be known; uuid and cbid IDs must carry the matching type byte.
//
// The embedded ID gives every typed ID String, Unique, Kind, Format,
// IsNull, Bytes and MarshalText. Build typed IDs with the Parse* and As*
// functions or the New* generators rather than by hand.

// PeerID identifies a peer.
type PeerID struct{ ID }

// GroupID identifies a peer group.
type GroupID struct{ ID }

// PipeID identifies a pipe.
type PipeID struct{ ID }

// ModuleClassID identifies a module class (a kind of service), or a role
// of one.
type ModuleClassID struct{ ID }

// ModuleSpecID identifies a module specification: one wire-compatible
// implementation family of a module class.
type ModuleSpecID struct{ ID }

// CodatID identifies a codat (content or data).
type CodatID struct{ ID }

// ContentID identifies content shared through the JXSE 2.6 content service.
type ContentID struct{ ID }

func checkKind(id ID, want Kind) error {
	if id.IsNull() || id.format == FormatOpaque || id.Kind() == want {
		return nil
	}
	return idError(id.String(), ErrWrongKind, "is a %s ID, want a %s ID", id.Kind(), want)
}

// AsPeerID checks that id can identify a peer.
func AsPeerID(id ID) (PeerID, error) { return PeerID{id}, checkKind(id, KindPeer) }

// AsGroupID checks that id can identify a peer group.
func AsGroupID(id ID) (GroupID, error) { return GroupID{id}, checkKind(id, KindGroup) }

// AsPipeID checks that id can identify a pipe.
func AsPipeID(id ID) (PipeID, error) { return PipeID{id}, checkKind(id, KindPipe) }

// AsModuleClassID checks that id can identify a module class.
func AsModuleClassID(id ID) (ModuleClassID, error) {
	return ModuleClassID{id}, checkKind(id, KindModuleClass)
}

// AsModuleSpecID checks that id can identify a module spec.
func AsModuleSpecID(id ID) (ModuleSpecID, error) {
	return ModuleSpecID{id}, checkKind(id, KindModuleSpec)
}

// AsCodatID checks that id can identify a codat.
func AsCodatID(id ID) (CodatID, error) { return CodatID{id}, checkKind(id, KindCodat) }

// AsContentID checks that id can identify content.
func AsContentID(id ID) (ContentID, error) { return ContentID{id}, checkKind(id, KindContent) }

func parseAs[T any](s string, as func(ID) (T, error)) (T, error) {
	id, err := Parse(s)
	if err != nil {
		var zero T
		return zero, err
	}
	return as(id)
}

// ParsePeerID parses a peer ID URN.
func ParsePeerID(s string) (PeerID, error) { return parseAs(s, AsPeerID) }

// ParseGroupID parses a peer group ID URN.
func ParseGroupID(s string) (GroupID, error) { return parseAs(s, AsGroupID) }

// ParsePipeID parses a pipe ID URN.
func ParsePipeID(s string) (PipeID, error) { return parseAs(s, AsPipeID) }

// ParseModuleClassID parses a module class ID URN.
func ParseModuleClassID(s string) (ModuleClassID, error) { return parseAs(s, AsModuleClassID) }

// ParseModuleSpecID parses a module spec ID URN.
func ParseModuleSpecID(s string) (ModuleSpecID, error) { return parseAs(s, AsModuleSpecID) }

// ParseCodatID parses a codat ID URN.
func ParseCodatID(s string) (CodatID, error) { return parseAs(s, AsCodatID) }

// ParseContentID parses a content ID URN.
func ParseContentID(s string) (ContentID, error) { return parseAs(s, AsContentID) }

func unmarshalAs[T any](dst *T, text []byte, as func(ID) (T, error)) error {
	v, err := parseAs(string(text), as)
	if err != nil {
		return err
	}
	*dst = v
	return nil
}

// UnmarshalText parses a peer ID URN.
func (p *PeerID) UnmarshalText(text []byte) error { return unmarshalAs(p, text, AsPeerID) }

// UnmarshalText parses a peer group ID URN.
func (g *GroupID) UnmarshalText(text []byte) error { return unmarshalAs(g, text, AsGroupID) }

// UnmarshalText parses a pipe ID URN.
func (p *PipeID) UnmarshalText(text []byte) error { return unmarshalAs(p, text, AsPipeID) }

// UnmarshalText parses a module class ID URN.
func (m *ModuleClassID) UnmarshalText(text []byte) error {
	return unmarshalAs(m, text, AsModuleClassID)
}

// UnmarshalText parses a module spec ID URN.
func (m *ModuleSpecID) UnmarshalText(text []byte) error {
	return unmarshalAs(m, text, AsModuleSpecID)
}

// UnmarshalText parses a codat ID URN.
func (c *CodatID) UnmarshalText(text []byte) error { return unmarshalAs(c, text, AsCodatID) }

// UnmarshalText parses a content ID URN.
func (c *ContentID) UnmarshalText(text []byte) error { return unmarshalAs(c, text, AsContentID) }

// groupOf builds the group ID whose UUID is bytes 0-15 of id (no parent),
// the way JXSE derives a peer's, pipe's or codat's group. It returns the Null
// group for the Null ID and opaque IDs.
func groupOf(id ID) GroupID {
	if id.format == FormatOpaque || id.IsNull() {
		return GroupID{}
	}
	var g ID
	g.format = id.format
	if g.format == FormatJXTA {
		g.format = FormatUUID
	}
	copy(g.b[:16], id.b[:16])
	g.b[idSize-1] = byte(KindGroup)
	return GroupID{normalize(g)}
}

// Group returns the peer group the peer ID was made in.
func (p PeerID) Group() GroupID { return groupOf(p.ID) }

// Group returns the peer group the pipe ID was made in.
func (p PipeID) Group() GroupID { return groupOf(p.ID) }

// Group returns the peer group the codat ID was made in.
func (c CodatID) Group() GroupID { return groupOf(c.ID) }

// Group returns the peer group the content ID was made in.
func (c ContentID) Group() GroupID { return groupOf(c.ID) }

// Hash returns the SHA-1 hash of a static codat's content (bytes 32-51),
// or nil for a dynamic codat.
func (c CodatID) Hash() []byte {
	if c.format == FormatOpaque || c.IsNull() {
		return nil
	}
	h := c.b[32:52]
	for _, b := range h {
		if b != 0 {
			return append([]byte(nil), h...)
		}
	}
	return nil
}

// Parent returns the group's parent group, and false when it has none. The
// Net group's parent is the World group; the World group has none; other
// groups record their parent's UUID in bytes 16-31 (zero for none).
func (g GroupID) Parent() (GroupID, bool) {
	switch {
	case g == NetGroupID:
		return WorldGroupID, true
	case g == WorldGroupID, g.IsNull(), g.format == FormatOpaque:
		return GroupID{}, false
	}
	parent := g.uuidField(1)
	if parent == ([16]byte{}) {
		return GroupID{}, false
	}
	var p ID
	p.format = g.format
	copy(p.b[:16], parent[:])
	p.b[idSize-1] = byte(KindGroup)
	return GroupID{normalize(p)}, true
}

// Class returns the base module class the spec belongs to.
func (m ModuleSpecID) Class() ModuleClassID {
	if m.format == FormatOpaque || m.IsNull() {
		return ModuleClassID{}
	}
	var c ID
	c.format = m.format
	copy(c.b[:16], m.b[:16])
	c.b[idSize-1] = byte(KindModuleClass)
	return ModuleClassID{c}
}

// Base returns the base class of a module class ID: the ID itself for a
// base class, the class a role belongs to otherwise.
func (m ModuleClassID) Base() ModuleClassID {
	if !m.IsRole() {
		return m
	}
	var c ID
	c.format = m.format
	copy(c.b[:16], m.b[:16])
	c.b[idSize-1] = byte(KindModuleClass)
	return ModuleClassID{c}
}

// IsRole reports whether the module class ID is a role of a base class
// (bytes 16-31 are not zero).
func (m ModuleClassID) IsRole() bool {
	if m.format == FormatOpaque || m.IsNull() {
		return false
	}
	return m.uuidField(1) != [16]byte{}
}
