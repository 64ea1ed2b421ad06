package jxta

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewPeerIDFromKey(t *testing.T) {
	// A fixed key, so that another implementation can check its
	// derivation against this one (spec/README.md gives the same vector).
	pub := ed25519.NewKeyFromSeed(make([]byte, ed25519.SeedSize)).Public().(ed25519.PublicKey)
	assert.Equal(t, "3b6a27bcceb6a42d62a3a8d02a6f0d73653215771de243a63ac048a18b59da29", hex.EncodeToString(pub))
	id := NewPeerIDFromKey(NetGroupID, pub)
	assert.Equal(t, "urn:jxta:uuid-59616261646162614E50472050325033139E3940E64B8491B22088D9A0D7416203", id.String())
	assert.True(t, id.IsKeyOf(pub))
	b := id.Bytes()
	assert.Equal(t, byte(0x80), b[16+6]&0xF0, "version 8")
	assert.Equal(t, byte(0x80), b[16+8]&0xC0, "variant 10")
	assert.Equal(t, NetGroupID, id.Group())

	other, _, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	assert.False(t, id.IsKeyOf(other), "another key")
	assert.False(t, NewPeerID(NetGroupID).IsKeyOf(pub), "a random ID")
	assert.False(t, id.IsKeyOf(pub[:31]), "a short key")
	assert.True(t, NewPeerIDFromKey(NetGroupID, pub[:31]).IsNull())

	g := NewGroupID()
	inGroup := NewPeerIDFromKey(g, pub)
	assert.NotEqual(t, id, inGroup)
	assert.True(t, inGroup.IsKeyOf(pub))
}
