package wiretest

import (
	"net"
	"testing"
)

// FreeAddr returns a loopback address (host:port) where nothing listens:
// a port the kernel just handed out and took back, for a peer that is to
// start there later.
func FreeAddr(tb testing.TB) string {
	tb.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	addr := l.Addr().String()
	if err := l.Close(); err != nil {
		tb.Fatal(err)
	}
	return addr
}
