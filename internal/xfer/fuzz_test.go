package xfer_test

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/xfer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

func FuzzReadOffer(f *testing.F) {
	f.Add(sampleOffer().Marshal())
	f.Add([]byte("gojxta-xfer/1\nname a\nsize 0\nsha256 " + offerOf("a", nil).Hash() + "\nsender b\nx y\n\n"))
	f.Add([]byte("gojxta-xfer/1\nname ../x\nsize 1\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cr := &countingReader{r: bytes.NewReader(data)}
		r := bufio.NewReaderSize(cr, 4096)
		o, err := xfer.ReadOffer(r)
		assert.LessOrEqual(t, cr.n-r.Buffered(), xfer.MaxOfferLen, "takes at most MaxOfferLen bytes")
		if err != nil {
			return
		}
		require.NoError(t, o.Check(), "what is read can be sent")
		again, err := xfer.ReadOffer(bufio.NewReader(bytes.NewReader(o.Marshal())))
		require.NoError(t, err)
		assert.Equal(t, o, again)
	})
}

func FuzzSendAnswers(f *testing.F) {
	f.Add([]byte("resume 0\nok f\n"))
	f.Add([]byte("resume 1\nfail SHA-256 mismatch\n"))
	f.Add([]byte("refuse too large\n"))
	f.Add([]byte("resume 99\n"))
	f.Fuzz(func(t *testing.T, answers []byte) {
		sc, rc := net.Pipe()
		defer sc.Close()
		go func() {
			defer rc.Close()
			go func() { _, _ = io.Copy(io.Discard, rc) }()
			_, _ = rc.Write(answers)
		}()
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		sent, err := xfer.Send(ctx, sc, offerOf("f", []byte("x")), bytes.NewReader([]byte("x")), xfer.SendOptions{IdleTimeout: time.Second})
		if err == nil {
			assert.NoError(t, xfer.CheckName(sent.SavedAs))
			assert.LessOrEqual(t, sent.Offset+sent.Bytes, int64(1))
		}
	})
}

// FuzzReceive feeds a receiver whatever a sender might send: it never
// panics, and never writes outside its directory.
func FuzzReceive(f *testing.F) {
	data := []byte("hello")
	f.Add(append(offerOf("f", data).Marshal(), data...))
	f.Add(append(offerOf("f", data).Marshal(), "hellO"...))
	f.Add(append(offerOf("f", data).Marshal(), "he"...))
	f.Add([]byte("gojxta-xfer/1\nname ../f\nsize 5\nsha256 " + offerOf("f", data).Hash() + "\nsender a\n\nhello"))
	base := f.TempDir()
	f.Fuzz(func(t *testing.T, input []byte) {
		dir, err := os.MkdirTemp(base, "in")
		require.NoError(t, err)
		defer os.RemoveAll(dir)
		r, err := xfer.NewReceiver(dir, xfer.ReceiverConfig{MaxSize: 1 << 20, IdleTimeout: time.Second})
		require.NoError(t, err)
		defer r.Close()
		sc, rc := net.Pipe()
		go func() {
			defer sc.Close()
			go func() { _, _ = io.Copy(io.Discard, sc) }()
			_, _ = sc.Write(input)
		}()
		rec, err := r.Receive(context.Background(), rc)
		rc.Close()
		if err == nil {
			got, rerr := os.ReadFile(filepath.Join(dir, rec.SavedAs))
			require.NoError(t, rerr)
			assert.Equal(t, rec.Offer.SHA256, sha256Sum(got), "only verified files take a name")
		}
		entries, err := os.ReadDir(base)
		require.NoError(t, err)
		for _, e := range entries {
			assert.True(t, e.IsDir(), "only receivers' directories beside each other: %s", e.Name())
		}
	})
}
