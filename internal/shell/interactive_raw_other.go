//go:build !(aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || zos)

package shell

import "golang.org/x/term"

// makeRawKeepingOutput puts the terminal fd in raw mode; on these
// platforms raw mode leaves output processing alone.
func makeRawKeepingOutput(fd int) error {
	_, err := term.MakeRaw(fd)
	return err
}
