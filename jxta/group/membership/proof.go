package membership

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/gojxta/gojxta/jxta"
)

// A member proves its membership to another peer by answering a fresh
// challenge with an HMAC-SHA256 keyed with the group's proof key (see the
// package doc). The key is not in the group advertisement: it is argon2id
// of the password with the verifier's costs and a salt of its own, so
// holding the advertisement does not give it, and whoever records proofs
// can only test guesses against them at one argon2id run per guess, as
// against the verifier.

// NonceLen is the length of a membership challenge's nonce.
const NonceLen = 32

// ProofLen is the length of a membership proof.
const ProofLen = sha256.Size

// proofKeyLen is the length of the proof key.
const proofKeyLen = 32

// proofKeySalt is appended to the verifier's salt to derive the proof key,
// so that the key and the verifier's hash are two unrelated argon2id
// outputs.
const proofKeySalt = "gojxta membership proof key"

// proofLabel opens every proof's input, naming the construction.
const proofLabel = "gojxta membership proof v1"

// ErrBadProof reports a membership proof that does not match: the peer
// that sent it does not know the group password, or the proof was made for
// another challenge, group or pair of peers.
var ErrBadProof = errors.New("membership: bad membership proof")

// ErrNoProofKey reports a proof asked of, or checked by, a peer that has
// not joined the password group (only members hold the proof key), or a
// group without a password, where there is nothing to prove.
var ErrNoProofKey = errors.New("membership: not a member of a password group")

// proofKey derives the proof key of the verifier's group from password.
func (v verifier) proofKey(password string) []byte {
	salt := append(append([]byte(nil), v.salt...), proofKeySalt...)
	return v.key(password, salt, proofKeyLen)
}

// proofInput is what a proof authenticates: the construction, the group,
// who proves to whom, and the challenge. Each field is length-prefixed so
// that no two inputs read alike.
func proofInput(group jxta.GroupID, prover, verifier jxta.PeerID, nonce []byte) []byte {
	b := []byte(proofLabel)
	for _, f := range [][]byte{[]byte(group.String()), []byte(prover.String()), []byte(verifier.String()), nonce} {
		b = binary.BigEndian.AppendUint16(b, uint16(len(f)))
		b = append(b, f...)
	}
	return b
}

func proofWith(key []byte, input []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(input)
	return m.Sum(nil)
}

// Prove answers the challenge nonce of the peer verifier: the proof that
// this peer knows the group password. It returns ErrNoProofKey unless this
// peer has joined a password group.
func (s *Service) Prove(verifier jxta.PeerID, nonce []byte) ([]byte, error) {
	key := s.currentProofKey()
	if key == nil {
		return nil, fmt.Errorf("%w %s", ErrNoProofKey, s.group)
	}
	return proofWith(key, proofInput(s.group, s.peer, verifier, nonce)), nil
}

// CheckProof checks that proof answers this peer's challenge nonce for
// prover: that prover knows the group password. Only a member can check:
// it returns ErrNoProofKey unless this peer has joined a password group,
// and ErrBadProof when the proof does not match. The comparison takes
// constant time.
func (s *Service) CheckProof(prover jxta.PeerID, nonce, proof []byte) error {
	key := s.currentProofKey()
	if key == nil {
		return fmt.Errorf("%w %s", ErrNoProofKey, s.group)
	}
	if len(nonce) != NonceLen {
		return fmt.Errorf("%w: nonce of %d bytes", ErrBadProof, len(nonce))
	}
	if !hmac.Equal(proof, proofWith(key, proofInput(s.group, prover, s.peer, nonce))) {
		return fmt.Errorf("%w from %s", ErrBadProof, prover)
	}
	return nil
}

// currentProofKey returns the proof key of the current join, or nil.
func (s *Service) currentProofKey() []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.current == nil {
		return nil
	}
	return s.proofKey
}
