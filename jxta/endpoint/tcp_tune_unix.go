//go:build linux || darwin

package endpoint

import "golang.org/x/sys/unix"

// setNotSentLowat sets TCP_NOTSENT_LOWAT on the socket fd; a failure
// leaves the system's default, which only costs latency under load.
func setNotSentLowat(fd uintptr, n int) {
	_ = unix.SetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_NOTSENT_LOWAT, n)
}
