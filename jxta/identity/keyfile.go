package identity

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// KeyFile is the name of the file of the home directory that keeps the
// peer's private key.
const KeyFile = "peer.key"

// maxKeyFile bounds what is read of a key file.
const maxKeyFile = 16 << 10

// pemType is the PEM block of a key file: PKCS #8, as openssl writes it.
const pemType = "PRIVATE KEY"

// ErrKeyExposed is returned for a key file that others than its owner may
// read or write.
var ErrKeyExposed = errors.New("key file is readable or writable by others")

// Load reads the identity kept in the key file path. It refuses a file
// that others than its owner may read or write, and says what is wrong
// with a damaged one; it returns an error wrapping fs.ErrNotExist when
// there is no file.
func Load(path string) (*Identity, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("identity: %w", err)
	}
	if mode := st.Mode(); !mode.IsRegular() {
		return nil, fmt.Errorf("identity: %s is not a regular file", path)
	} else if mode.Perm()&0o077 != 0 {
		return nil, fmt.Errorf("identity: %s: %w (mode %04o; chmod 600 %s)", path, ErrKeyExposed, mode.Perm(), path)
	}
	if st.Size() > maxKeyFile {
		return nil, fmt.Errorf("identity: %s is damaged: %d bytes is too large for a key", path, st.Size())
	}
	data := make([]byte, st.Size())
	if _, err := io.ReadFull(f, data); err != nil {
		return nil, fmt.Errorf("identity: reading %s: %w", path, err)
	}
	key, err := parseKey(data)
	if err != nil {
		return nil, fmt.Errorf("identity: %s is damaged: %w", path, err)
	}
	return FromKey(key)
}

// parseKey reads a PEM PKCS #8 Ed25519 private key.
func parseKey(data []byte) (ed25519.PrivateKey, error) {
	block, _ := pem.Decode(data)
	if block == nil || block.Type != pemType {
		return nil, errors.New("no PEM \"" + pemType + "\" block")
	}
	k, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, err
	}
	key, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("a %T, not an Ed25519 key", k)
	}
	return key, nil
}

// Save writes the identity's private key to path (mode 0600), through a
// temporary file renamed over it, so that a crash leaves the old file or
// the new one.
func (id *Identity) Save(path string) error {
	der, err := x509.MarshalPKCS8PrivateKey(id.key)
	if err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	data := pem.EncodeToMemory(&pem.Block{Type: pemType, Bytes: der})
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	defer os.Remove(tmp.Name())
	if err := tmp.Chmod(0o600); err != nil {
		tmp.Close()
		return fmt.Errorf("identity: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("identity: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("identity: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("identity: %w", err)
	}
	return nil
}

// LoadOrCreate loads the identity of the key file path, or creates a new
// one and saves it there when there is no file; created reports which.
func LoadOrCreate(path string) (id *Identity, created bool, err error) {
	id, err = Load(path)
	if !errors.Is(err, fs.ErrNotExist) {
		return id, false, err
	}
	if id, err = New(); err != nil {
		return nil, false, err
	}
	if err := id.Save(path); err != nil {
		return nil, false, err
	}
	return id, true, nil
}
