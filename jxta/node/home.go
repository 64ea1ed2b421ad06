package node

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/identity"
)

// configFile is the file in the home directory that keeps the peer's ID
// and name, a JXSE-style PlatformConfig document.
const configFile = "PlatformConfig"

// homeIdentity is what a peer keeps across restarts: its key (in
// identity.KeyFile), and its peer ID and name (in the PlatformConfig).
type homeIdentity struct {
	key    *identity.Identity
	peerID jxta.PeerID
	name   string
	// previous is the peer ID the PlatformConfig held when it was not the
	// key's: a home from before peer IDs derived from keys, or a copied
	// PlatformConfig. Null otherwise.
	previous jxta.PeerID
}

// loadIdentity reads the peer's key, ID and name from home, creating the
// directory, the key and the PlatformConfig on first use. The peer ID is
// always the key's: a PlatformConfig that says otherwise is rewritten.
// A non-empty name replaces the stored one.
func loadIdentity(home, name string) (homeIdentity, error) {
	if err := os.MkdirAll(home, 0o700); err != nil {
		return homeIdentity{}, fmt.Errorf("home directory: %w", err)
	}
	path := filepath.Join(home, configFile)
	data, err := os.ReadFile(path)
	var id homeIdentity
	switch {
	case err == nil:
		cp, err := advert.ParseAs[*advert.PlatformConfig](data)
		if err != nil {
			return homeIdentity{}, fmt.Errorf("%s: %w", path, err)
		}
		id = homeIdentity{peerID: cp.PeerID, name: cp.Name}
	case errors.Is(err, os.ErrNotExist):
	default:
		return homeIdentity{}, fmt.Errorf("home directory: %w", err)
	}
	key, _, err := identity.LoadOrCreate(filepath.Join(home, identity.KeyFile))
	if err != nil {
		return homeIdentity{}, err
	}
	id.key = key
	changed := false
	if id.peerID != key.PeerID() {
		id.previous, id.peerID = id.peerID, key.PeerID()
		changed = true
	}
	if name != "" && name != id.name {
		id.name = name
		changed = true
	}
	if id.name == "" {
		id.name = defaultName(id.peerID)
		changed = true
	}
	if changed {
		cp := &advert.PlatformConfig{PeerID: id.peerID, Name: id.name, Desc: advert.NewText("Desc", "gojxta peer")}
		if err := writeFileAtomic(path, advert.MarshalIndent(cp)); err != nil {
			return homeIdentity{}, fmt.Errorf("home directory: %w", err)
		}
	}
	return id, nil
}

// defaultName names a peer after the host and the start of its ID.
func defaultName(id jxta.PeerID) string {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "peer"
	}
	b := id.Bytes()
	return fmt.Sprintf("%s-%02x%02x", host, b[16], b[17])
}

// writeFileAtomic writes data to a temporary file, syncs it and renames it
// over path, so that a crash leaves either the old or the new file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
