//go:build !(linux || darwin || freebsd || netbsd || openbsd || dragonfly)

package cache

import (
	"os"
	"time"
)

// lockFile does nothing here: the file is checked without its lock, and
// bbolt takes it when it opens the file.
func lockFile(*os.File, time.Duration) error { return nil }
