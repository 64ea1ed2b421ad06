//go:build aix || darwin || dragonfly || freebsd || linux || netbsd || openbsd || solaris || zos

package shell

import "golang.org/x/sys/unix"

// makeRawKeepingOutput puts the terminal fd in raw mode as cfmakeraw(3)
// does, except that output processing stays on, so that "\n" still starts
// a new line: the line editor and Notify write lines while it reads keys.
func makeRawKeepingOutput(fd int) error {
	t, err := unix.IoctlGetTermios(fd, ioctlReadTermios)
	if err != nil {
		return err
	}
	t.Iflag &^= unix.IGNBRK | unix.BRKINT | unix.PARMRK | unix.ISTRIP | unix.INLCR | unix.IGNCR | unix.ICRNL | unix.IXON
	t.Lflag &^= unix.ECHO | unix.ECHONL | unix.ICANON | unix.ISIG | unix.IEXTEN
	t.Cflag &^= unix.CSIZE | unix.PARENB
	t.Cflag |= unix.CS8
	t.Cc[unix.VMIN] = 1
	t.Cc[unix.VTIME] = 0
	return unix.IoctlSetTermios(fd, ioctlWriteTermios, t)
}
