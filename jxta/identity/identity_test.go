package identity

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"io/fs"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), KeyFile)
	_, err := Load(path)
	require.ErrorIs(t, err, fs.ErrNotExist)

	id, created, err := LoadOrCreate(path)
	require.NoError(t, err)
	assert.True(t, created)
	assert.True(t, id.PeerID().IsKeyOf(id.PublicKey()))
	assert.Equal(t, jxta.NetGroupID, id.PeerID().Group())
	st, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), st.Mode().Perm())

	again, created, err := LoadOrCreate(path)
	require.NoError(t, err)
	assert.False(t, created)
	assert.Equal(t, id.PeerID(), again.PeerID(), "the same key, the same ID")

	require.NoError(t, os.Chmod(path, 0o644))
	_, err = Load(path)
	require.ErrorIs(t, err, ErrKeyExposed)
	assert.Contains(t, err.Error(), "mode 0644; chmod 600 "+path)
	require.NoError(t, os.Chmod(path, 0o600))

	for name, data := range map[string]string{
		"empty":     "",
		"not PEM":   "hello",
		"truncated": "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEI\n-----END PRIVATE KEY-----\n",
	} {
		require.NoError(t, os.WriteFile(path, []byte(data), 0o600))
		_, err := Load(path)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), path+" is damaged", name)
	}

	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKCS8PrivateKey(ec)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, pemBlock(der), 0o600))
	_, err = Load(path)
	assert.ErrorContains(t, err, "not an Ed25519 key")
}

func pemBlock(der []byte) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
}

func TestCertificate(t *testing.T) {
	id, err := New()
	require.NoError(t, err)
	cert, err := id.Certificate()
	require.NoError(t, err)
	pub, err := CheckPeer(cert.Certificate, id.PeerID())
	require.NoError(t, err)
	assert.Equal(t, id.PublicKey(), pub)

	other, err := New()
	require.NoError(t, err)
	_, err = CheckPeer(cert.Certificate, other.PeerID())
	var mm *MismatchError
	require.ErrorAs(t, err, &mm)
	assert.Equal(t, other.PeerID(), mm.Want)
	assert.Equal(t, id.PeerID(), mm.Proven)
	assert.Equal(t, "peer claims to be "+other.PeerID().String()+" but holds the key of "+id.PeerID().String(), err.Error())

	_, err = VerifyCertificate(nil)
	assert.ErrorIs(t, err, ErrBadCertificate)
	_, err = VerifyCertificate([][]byte{cert.Certificate[0], cert.Certificate[0]})
	assert.ErrorIs(t, err, ErrBadCertificate)
	_, err = VerifyCertificate([][]byte{[]byte("garbage")})
	assert.ErrorIs(t, err, ErrBadCertificate)

	tampered := append([]byte(nil), cert.Certificate[0]...)
	tampered[len(tampered)-1] ^= 1 // the signature's last byte
	_, err = VerifyCertificate([][]byte{tampered})
	assert.ErrorIs(t, err, ErrBadCertificate)

	// A certificate for other's key signed by id's key proves nothing.
	ec, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "x"}, NotBefore: time.Now(), NotAfter: time.Now().Add(time.Hour)}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &ec.PublicKey, ec)
	require.NoError(t, err)
	_, err = VerifyCertificate([][]byte{der})
	assert.ErrorIs(t, err, ErrBadCertificate, "an ECDSA certificate")
	forged, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, other.PublicKey(), id.key)
	require.NoError(t, err)
	_, err = VerifyCertificate([][]byte{forged})
	assert.ErrorIs(t, err, ErrBadCertificate, "signed by another key")
	assert.True(t, errors.Is(err, ErrBadCertificate))
}

func TestFingerprint(t *testing.T) {
	id, err := New()
	require.NoError(t, err)
	f := Fingerprint(id.PublicKey())
	assert.Regexp(t, `^SHA256:[A-Za-z0-9+/]{43}$`, f)
}

func FuzzVerifyCertificate(f *testing.F) {
	id, err := New()
	require.NoError(f, err)
	cert, err := id.Certificate()
	require.NoError(f, err)
	f.Add(cert.Certificate[0])
	f.Add([]byte{0x30, 0x82, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, der []byte) {
		pub, err := VerifyCertificate([][]byte{der})
		if err == nil {
			assert.Len(t, pub, 32)
		}
	})
}

func FuzzParseKey(f *testing.F) {
	id, err := New()
	require.NoError(f, err)
	path := filepath.Join(f.TempDir(), KeyFile)
	require.NoError(f, id.Save(path))
	data, err := os.ReadFile(path)
	require.NoError(f, err)
	f.Add(data)
	f.Add([]byte("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if key, err := parseKey(data); err == nil {
			_, err := FromKey(key)
			assert.NoError(t, err)
		}
	})
}
