//go:build !linux

package cache

import (
	"errors"
	"os"
)

// openDirect fails: direct writes are used on Linux only.
func openDirect(string) (*os.File, error) {
	return nil, errors.New("direct writes are not supported here")
}
