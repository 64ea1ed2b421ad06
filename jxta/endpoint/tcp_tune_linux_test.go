package endpoint

import (
	"context"
	"net"
	"testing"

	"github.com/gojxta/gojxta/jxta"
	"github.com/stretchr/testify/require"
	"golang.org/x/sys/unix"
)

// notSentLowatOf reads TCP_NOTSENT_LOWAT of a TCP connection.
func notSentLowatOf(t *testing.T, c net.Conn) int {
	t.Helper()
	rc, err := c.(*net.TCPConn).SyscallConn()
	require.NoError(t, err)
	var v int
	var gerr error
	require.NoError(t, rc.Control(func(fd uintptr) {
		v, gerr = unix.GetsockoptInt(int(fd), unix.IPPROTO_TCP, unix.TCP_NOTSENT_LOWAT)
	}))
	require.NoError(t, gerr)
	return v
}

func TestTCPTransportBoundsUnsentData(t *testing.T) {
	var tr TCPTransport
	l, err := tr.Listen(jxta.MustParseAddress("tcp://127.0.0.1:0"))
	require.NoError(t, err)
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := l.Accept()
		if err != nil {
			close(accepted)
			return
		}
		accepted <- c
	}()
	dialed, err := tr.Dial(context.Background(), tr.ListenerAddresses(l)[0])
	require.NoError(t, err)
	defer dialed.Close()
	other, ok := <-accepted
	require.True(t, ok, "accept failed")
	defer other.Close()

	require.Equal(t, notSentLowat, notSentLowatOf(t, dialed), "dialed connection")
	require.Equal(t, notSentLowat, notSentLowatOf(t, other), "accepted connection")
}
