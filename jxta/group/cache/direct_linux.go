package cache

import (
	"os"
	"syscall"
)

// openDirect opens path for writes that bypass the page cache and return
// once the disk has stored them (O_DIRECT|O_DSYNC).
func openDirect(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_WRONLY|syscall.O_DIRECT|syscall.O_DSYNC, 0)
}
