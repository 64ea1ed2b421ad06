//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package cache

import (
	"errors"
	"fmt"
	"os"
	"syscall"
	"time"
)

// lockFile takes f's exclusive lock, as bbolt takes it (flock), waiting
// at most timeout; it fails with ErrLocked. Closing f releases it.
func lockFile(f *os.File, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	for {
		err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			return nil
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("%w (the file lock was not released within %v: is another peer using this home directory?)", ErrLocked, timeout)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
