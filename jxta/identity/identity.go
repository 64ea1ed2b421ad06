package identity

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"

	"github.com/gojxta/gojxta/jxta"
)

// Identity is a peer's key pair and the peer ID derived from it.
type Identity struct {
	key    ed25519.PrivateKey
	peerID jxta.PeerID
}

// New returns a fresh identity in the Net group.
func New() (*Identity, error) {
	_, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	return FromKey(key)
}

// FromKey returns the identity of key, in the Net group.
func FromKey(key ed25519.PrivateKey) (*Identity, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, errors.New("identity: not an Ed25519 private key")
	}
	pub := key.Public().(ed25519.PublicKey)
	return &Identity{key: key, peerID: jxta.NewPeerIDFromKey(jxta.NetGroupID, pub)}, nil
}

// PeerID returns the peer ID of the identity.
func (id *Identity) PeerID() jxta.PeerID { return id.peerID }

// PublicKey returns the public key.
func (id *Identity) PublicKey() ed25519.PublicKey { return id.key.Public().(ed25519.PublicKey) }

// Sign signs msg with the private key.
func (id *Identity) Sign(msg []byte) []byte { return ed25519.Sign(id.key, msg) }

// Fingerprint returns a short, printable digest of the public key, as
// SSH shows host keys: "SHA256:" and the unpadded base64 of SHA-256(pub).
func Fingerprint(pub ed25519.PublicKey) string {
	sum := sha256.Sum256(pub)
	return "SHA256:" + base64.RawStdEncoding.EncodeToString(sum[:])
}
