//go:build !unix

package node

import (
	"os"
	"path/filepath"
)

// lockHome opens the lock file; platforms other than Unix get no exclusive
// lock.
func lockHome(home string) (*os.File, error) {
	return os.OpenFile(filepath.Join(home, ".lock"), os.O_CREATE|os.O_RDWR, 0o600)
}
