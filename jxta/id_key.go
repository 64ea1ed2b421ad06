package jxta

import (
	"crypto/ed25519"
	"crypto/sha256"
)

// NewPeerIDFromKey returns the peer ID of the holder of the Ed25519 public
// key pub in group: a uuid peer ID whose group field is group's and whose
// peer field is the first 16 bytes of SHA-256(pub), with the RFC 9562
// version 8 (byte 6: 0x8_) and variant 10 (byte 8: 0b10xx_xxxx) bits set.
// Anyone holding pub can check a peer ID with PeerID.IsKeyOf; nobody can
// choose the ID of a key they do not hold. A key of the wrong length gives
// the null peer ID.
func NewPeerIDFromKey(group GroupID, pub ed25519.PublicKey) PeerID {
	if len(pub) != ed25519.PublicKeySize {
		return PeerID{}
	}
	sum := sha256.Sum256(pub)
	var field [16]byte
	copy(field[:], sum[:16])
	field[6] = field[6]&0x0F | 0x80
	field[8] = field[8]&0x3F | 0x80
	return PeerID{build(FormatUUID, KindPeer, groupField(group), field)}
}

// IsKeyOf reports whether p is the peer ID of the holder of pub in p's
// group (see NewPeerIDFromKey).
func (p PeerID) IsKeyOf(pub ed25519.PublicKey) bool {
	if p.format != FormatUUID || len(pub) != ed25519.PublicKeySize {
		return false
	}
	return NewPeerIDFromKey(p.Group(), pub) == p
}
