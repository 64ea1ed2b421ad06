package membership

import (
	"bytes"
	"context"
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// joined returns the membership service of group for a new peer, joined
// with password under the group's verifier v.
func joined(t *testing.T, group jxta.GroupID, v, password string) *Service {
	t.Helper()
	s, err := New(group, jxta.NewPeerID(jxta.NetGroupID), Password, v)
	require.NoError(t, err)
	if password != "" {
		_, err = s.Join(context.Background(), "", password)
		require.NoError(t, err)
	}
	return s
}

func TestProofs(t *testing.T) {
	group := jxta.NewGroupID()
	v, err := NewVerifier("open sesame")
	require.NoError(t, err)
	alice, bob := joined(t, group, v, "open sesame"), joined(t, group, v, "open sesame")
	nonce := bytes.Repeat([]byte{7}, NonceLen)

	proof, err := alice.Prove(bob.peer, nonce)
	require.NoError(t, err)
	require.Len(t, proof, ProofLen)
	assert.NoError(t, bob.CheckProof(alice.peer, nonce, proof))

	t.Run("bound to the challenge, the peers and the group", func(t *testing.T) {
		other := bytes.Repeat([]byte{8}, NonceLen)
		assert.ErrorIs(t, bob.CheckProof(alice.peer, other, proof), ErrBadProof, "another nonce")
		carol := joined(t, group, v, "open sesame")
		assert.ErrorIs(t, carol.CheckProof(alice.peer, nonce, proof), ErrBadProof, "made for bob, shown to carol")
		assert.ErrorIs(t, bob.CheckProof(carol.peer, nonce, proof), ErrBadProof, "alice's proof, claimed by carol")
		elsewhere := joined(t, jxta.NewGroupID(), v, "open sesame")
		p2, err := elsewhere.Prove(bob.peer, nonce)
		require.NoError(t, err)
		assert.ErrorIs(t, bob.CheckProof(elsewhere.peer, nonce, p2), ErrBadProof, "same password, another group")
		assert.ErrorIs(t, bob.CheckProof(alice.peer, nonce[:16], proof), ErrBadProof, "short nonce")
	})

	t.Run("a wrong password proves nothing", func(t *testing.T) {
		fake, err := NewVerifier("a guess")
		require.NoError(t, err)
		mallory := joined(t, group, fake, "a guess")
		p, err := mallory.Prove(bob.peer, nonce)
		require.NoError(t, err)
		assert.ErrorIs(t, bob.CheckProof(mallory.peer, nonce, p), ErrBadProof)
	})

	t.Run("only members prove and check", func(t *testing.T) {
		eve := joined(t, group, v, "")
		_, err := eve.Prove(bob.peer, nonce)
		assert.ErrorIs(t, err, ErrNoProofKey)
		assert.ErrorIs(t, eve.CheckProof(alice.peer, nonce, proof), ErrNoProofKey)
		require.NoError(t, alice.Leave())
		_, err = alice.Prove(bob.peer, nonce)
		assert.ErrorIs(t, err, ErrNoProofKey, "leaving drops the key")
	})

	t.Run("the key is not the verifier's hash", func(t *testing.T) {
		parsed, err := parseVerifier(v)
		require.NoError(t, err)
		assert.NotEqual(t, parsed.hash, bob.proofKey, "whoever holds the advertisement does not hold the key")
		assert.Equal(t, parsed.proofKey("open sesame"), bob.proofKey)
	})
}
