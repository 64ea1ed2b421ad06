//go:build aix || linux || solaris || zos

package shell

import "golang.org/x/sys/unix"

// The requests that read and set a terminal's mode.
const (
	ioctlReadTermios  = unix.TCGETS
	ioctlWriteTermios = unix.TCSETS
)
