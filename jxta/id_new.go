package jxta

import (
	"crypto/sha1"
	"errors"

	"github.com/google/uuid"
)

// New IDs follow JXSE's rules. Random UUID fields are RFC 4122 version 4
// UUIDs with, in addition, the "multicast" bit of byte 10 set. Seeded
// fields copy up to 16 seed bytes and then force the same bits (version 4
// in byte 6, variant 10 in byte 8, bit 7 of byte 10), which is why seeded
// IDs show readable ASCII followed by zeros. Only the first 16 bytes of a
// seed count: seeds that share them give the same ID, in JXSE as here.
// SeedDigest turns any seed into 16 bytes that depend on all of it.
//
// An ID made in a group takes its format from the group: cbid under a cbid
// group, uuid otherwise. Seeded cbid fields hash the seed with SHA-1 first.
//
// The bit masks are JXSE's, to the bit (net.jxta.impl.id.UUID and CBID):
// seeded uuid group, pipe and codat IDs mask byte 10 with 0x3F before
// setting bit 7; random fields, seeded uuid peer IDs and seeded cbid group,
// pipe and codat IDs (UUIDFactory.newUUID) only set bit 7; seeded cbid peer
// IDs keep the digest's bytes unchanged.

func randomField() [16]byte {
	u := uuid.New() // version 4, variant 10, from crypto/rand
	u[10] |= 0x80
	return u
}

// seededField returns the UUID field of a seeded group, pipe or codat ID
// of format f.
func seededField(seed []byte, f Format) [16]byte {
	var u [16]byte
	if f == FormatCBID {
		sum := sha1.Sum(seed)
		copy(u[:], sum[:16])
		fixBits(&u)
		return u
	}
	copy(u[:], seed)
	fixBits(&u)
	u[10] &^= 0x40
	return u
}

// SeedDigest returns the first 16 bytes of the SHA-1 digest of seed. The
// seeded constructors (NewPipeIDFromSeed and the others) keep only the
// first 16 bytes of a seed in a uuid group, as JXSE does; a seed passed
// through SeedDigest first gives IDs that differ whenever the seeds
// differ anywhere (barring a collision of the 122 bits kept), and that a
// JXSE peer computes as IDFactory.newPipeID(group, digest). SHA-1 serves
// here as in JXSE's cbid IDs, to spread a name over the ID, not to make it
// hard to forge: anyone may bind any pipe ID.
func SeedDigest(seed []byte) []byte {
	sum := sha1.Sum(seed)
	return sum[:16]
}

func fixBits(u *[16]byte) {
	u[6] = u[6]&0x0F | 0x40
	u[8] = u[8]&0x3F | 0x80
	u[10] |= 0x80
}

// formatUnder returns the format of IDs made in group g.
func formatUnder(g GroupID) Format {
	if g.format == FormatCBID {
		return FormatCBID
	}
	return FormatUUID
}

// groupField returns the 16-byte group UUID of g, as stored in peer, pipe
// and codat IDs (zero for the Null group and opaque groups).
func groupField(g GroupID) [16]byte {
	if g.format == FormatOpaque || g.IsNull() {
		return [16]byte{}
	}
	return g.uuidField(0)
}

func build(f Format, kind Kind, fields ...[16]byte) ID {
	id := ID{format: f}
	for i, field := range fields {
		copy(id.b[16*i:], field[:])
	}
	id.b[idSize-1] = byte(kind)
	return normalize(id)
}

// NewGroupID returns a random peer group ID with no parent.
func NewGroupID() GroupID {
	return GroupID{build(FormatUUID, KindGroup, randomField())}
}

// NewGroupIDWithParent returns a random peer group ID that records parent
// in bytes 16-31, as JXSE's newPeerGroupID(parent) does.
func NewGroupIDWithParent(parent GroupID) GroupID {
	return GroupID{build(formatUnder(parent), KindGroup, randomField(), groupField(parent))}
}

// NewGroupIDFromSeed returns the peer group ID derived from seed, as JXSE's
// IDFactory.newPeerGroupID(seed) does in the uuid format. The same seed
// always gives the same ID; only its first 16 bytes count (see SeedDigest).
func NewGroupIDFromSeed(seed []byte) GroupID {
	return GroupID{build(FormatUUID, KindGroup, seededField(seed, FormatUUID))}
}

// NewPeerID returns a random peer ID in group.
func NewPeerID(group GroupID) PeerID {
	return PeerID{build(formatUnder(group), KindPeer, groupField(group), randomField())}
}

// NewPeerIDFromSeed returns the peer ID derived from seed in group, as
// JXSE's IDFactory.newPeerID(group, seed) does. Under a uuid group only the
// first 16 bytes of seed count (see SeedDigest); under a cbid group the
// field is the first 16 bytes of SHA-1(seed), unmodified, as JXSE 2.7 does.
func NewPeerIDFromSeed(group GroupID, seed []byte) PeerID {
	f := formatUnder(group)
	var field [16]byte
	if f == FormatCBID {
		sum := sha1.Sum(seed)
		copy(field[:], sum[:16])
	} else {
		copy(field[:], seed)
		fixBits(&field)
	}
	return PeerID{build(f, KindPeer, groupField(group), field)}
}

// NewPipeID returns a random pipe ID in group.
func NewPipeID(group GroupID) PipeID {
	return PipeID{build(formatUnder(group), KindPipe, groupField(group), randomField())}
}

// NewPipeIDFromSeed returns the pipe ID derived from seed in group, as
// JXSE's IDFactory.newPipeID(group, seed) does. Under a uuid group only the
// first 16 bytes of seed count: pass SeedDigest(seed) when seeds may share
// them.
func NewPipeIDFromSeed(group GroupID, seed []byte) PipeID {
	f := formatUnder(group)
	return PipeID{build(f, KindPipe, groupField(group), seededField(seed, f))}
}

// NewModuleClassID returns a random base module class ID.
func NewModuleClassID() ModuleClassID {
	return ModuleClassID{build(FormatUUID, KindModuleClass, randomField())}
}

// NewModuleRoleID returns a random role of the base class of base.
func NewModuleRoleID(base ModuleClassID) ModuleClassID {
	f := base.format
	if f != FormatCBID {
		f = FormatUUID
	}
	return ModuleClassID{build(f, KindModuleClass, base.uuidField(0), randomField())}
}

// NewModuleSpecID returns a random module spec ID of the base class of
// class.
func NewModuleSpecID(class ModuleClassID) ModuleSpecID {
	f := class.format
	if f != FormatCBID {
		f = FormatUUID
	}
	return ModuleSpecID{build(f, KindModuleSpec, class.uuidField(0), randomField())}
}

// NewCodatID returns a random ID for a dynamic codat (no content hash) in
// group.
func NewCodatID(group GroupID) CodatID {
	return CodatID{build(formatUnder(group), KindCodat, groupField(group), randomField())}
}

// NewCodatIDFromSeed returns the codat ID derived from seed in group, as
// JXSE's IDFactory.newCodatID(group, seed) does. Under a uuid group only
// the first 16 bytes of seed count (see SeedDigest).
func NewCodatIDFromSeed(group GroupID, seed []byte) CodatID {
	f := formatUnder(group)
	return CodatID{build(f, KindCodat, groupField(group), seededField(seed, f))}
}

// NewStaticCodatID returns a random codat ID in group that carries the
// SHA-1 hash of content in bytes 32-51.
func NewStaticCodatID(group GroupID, content []byte) CodatID {
	id := build(formatUnder(group), KindCodat, groupField(group), randomField())
	sum := sha1.Sum(content)
	copy(id.b[32:52], sum[:])
	return CodatID{id}
}

// MaxContentVariant is the longest variant a content ID can carry.
const MaxContentVariant = 30

// ErrVariantTooLong is returned by NewContentID for a variant longer than
// MaxContentVariant bytes.
var ErrVariantTooLong = errors.New("content ID variant longer than 30 bytes")

// NewContentID returns a random content ID in group. Byte 32 holds the mode
// (bit 7 set for static content, low bits the variant length) and the
// variant bytes follow it.
func NewContentID(group GroupID, static bool, variant []byte) (ContentID, error) {
	if len(variant) > MaxContentVariant {
		return ContentID{}, ErrVariantTooLong
	}
	id := build(formatUnder(group), KindContent, groupField(group), randomField())
	mode := byte(len(variant))
	if static {
		mode |= 0x80
	}
	id.b[32] = mode
	copy(id.b[33:], variant)
	return ContentID{id}, nil
}
