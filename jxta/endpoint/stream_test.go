package endpoint

import (
	"io"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestStreamsBetweenPeers(t *testing.T) {
	for _, nw := range networks() {
		t.Run(nw.name, func(t *testing.T) {
			a, b := newPeer(t, nw, "a"), newPeer(t, nw, "b")
			b.HandleStream("/test/echo/1", StreamHandlerFunc(func(s *Stream) {
				defer s.Close()
				assert.Equal(t, "the-arg", s.Arg)
				assert.Equal(t, a.ID(), s.Peer)
				_, _ = io.Copy(s, s)
			}))
			b.HandleStream("/test/panic/1", StreamHandlerFunc(func(*Stream) { panic("bug") }))
			a.AddPeer(b.PeerAdv())
			ctx := ctxT(t, 30*time.Second) // for the whole test, on a loaded machine
			s, err := a.OpenStream(ctx, b.ID(), "/test/echo/1", "the-arg")
			require.NoError(t, err)
			payload := make([]byte, 300<<10) // beyond one flow-control window
			for i := range payload {
				payload[i] = byte(i)
			}
			go func() {
				_, _ = s.Write(payload)
				_ = s.CloseWrite() // half-close: the echo ends when we stop
			}()
			got, err := io.ReadAll(s)
			require.NoError(t, err)
			assert.Equal(t, payload, got)
			require.NoError(t, s.Close())

			// Unknown protocols and panicking handlers reset the stream;
			// the connection lives on.
			for _, proto := range []string{"/test/nobody/1", "/test/panic/1"} {
				s, err := a.OpenStream(ctx, b.ID(), proto, "")
				require.NoError(t, err)
				_ = s.SetReadDeadline(time.Now().Add(5 * time.Second))
				_, err = s.Read(make([]byte, 1))
				assert.Error(t, err, proto)
				s.Close()
			}
			assert.Len(t, a.Connections(), 1)
			_, err = a.OpenStream(ctx, b.ID(), "bad proto", "")
			assert.Error(t, err)
			_, err = a.OpenStream(ctx, b.ID(), "/p", "line\nbreak")
			assert.Error(t, err)
		})
	}
}
