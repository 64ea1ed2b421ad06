package identity

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/gojxta/gojxta/jxta"
)

// maxCertificate bounds the size of a peer's certificate.
const maxCertificate = 4 << 10

// Certificate returns a self-signed TLS certificate for the identity's
// key, with the peer ID as its subject. Peers check it with
// VerifyCertificate: what it proves is that the other end holds the key
// of a peer ID, not anything a certificate authority says.
func (id *Identity) Certificate() (tls.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("identity: %w", err)
	}
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: id.peerID.String()},
		NotBefore:    now.Add(-time.Hour), // clocks differ; validity is not what is checked
		NotAfter:     now.AddDate(10, 0, 0),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth, x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, id.PublicKey(), id.key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("identity: %w", err)
	}
	return tls.Certificate{Certificate: [][]byte{der}, PrivateKey: id.key}, nil
}

// ErrBadCertificate is returned for a certificate that proves no key: not
// one certificate, not Ed25519, not signed by its own key, or malformed.
var ErrBadCertificate = errors.New("the peer's certificate proves no Ed25519 key")

// VerifyCertificate checks the certificate chain a peer presented in its
// TLS handshake: one self-signed Ed25519 certificate. It returns the key
// it proves; the peer ID that key derives is jxta.NewPeerIDFromKey's.
func VerifyCertificate(rawCerts [][]byte) (ed25519.PublicKey, error) {
	if len(rawCerts) != 1 {
		return nil, fmt.Errorf("%w: %d certificates, want 1", ErrBadCertificate, len(rawCerts))
	}
	if len(rawCerts[0]) > maxCertificate {
		return nil, fmt.Errorf("%w: %d bytes", ErrBadCertificate, len(rawCerts[0]))
	}
	cert, err := x509.ParseCertificate(rawCerts[0])
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadCertificate, err)
	}
	pub, ok := cert.PublicKey.(ed25519.PublicKey)
	if !ok {
		return nil, fmt.Errorf("%w: a %s key", ErrBadCertificate, cert.PublicKeyAlgorithm)
	}
	if err := cert.CheckSignature(cert.SignatureAlgorithm, cert.RawTBSCertificate, cert.Signature); err != nil {
		return nil, fmt.Errorf("%w: not signed by its own key: %w", ErrBadCertificate, err)
	}
	return pub, nil
}

// MismatchError is returned when a peer proves a key whose peer ID is not
// the one it announced, or not the one that was dialled.
type MismatchError struct {
	Want   jxta.PeerID // the peer ID announced or expected
	Proven jxta.PeerID // the peer ID of the key the peer proved
}

func (e *MismatchError) Error() string {
	return fmt.Sprintf("peer claims to be %s but holds the key of %s", e.Want, e.Proven)
}

// CheckPeer verifies a peer's certificate chain and that its key is that
// of want. It returns the key.
func CheckPeer(rawCerts [][]byte, want jxta.PeerID) (ed25519.PublicKey, error) {
	pub, err := VerifyCertificate(rawCerts)
	if err != nil {
		return nil, err
	}
	if !want.IsKeyOf(pub) {
		return nil, &MismatchError{Want: want, Proven: jxta.NewPeerIDFromKey(want.Group(), pub)}
	}
	return pub, nil
}
