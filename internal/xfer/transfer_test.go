package xfer_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/xfer"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// connKind makes both ends of a connection.
type connKind struct {
	name string
	pair func(t *testing.T) (sender, receiver net.Conn)
}

func connKinds() []connKind {
	return []connKind{{"net.Pipe", func(*testing.T) (net.Conn, net.Conn) { return net.Pipe() }}, {"tcp", tcpPair}}
}

// tcpPair returns both ends of a TCP connection on loopback.
func tcpPair(t *testing.T) (net.Conn, net.Conn) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, _ := l.Accept()
		accepted <- c
	}()
	c, err := net.Dial("tcp", l.Addr().String())
	require.NoError(t, err)
	s := <-accepted
	require.NotNil(t, s)
	return c, s
}

// randomBytes returns n bytes, the same for the same seed.
func randomBytes(seed uint64, n int) []byte {
	b := make([]byte, n)
	r := rand.NewChaCha8([32]byte{byte(seed), byte(seed >> 8)})
	_, _ = r.Read(b)
	return b
}

func offerOf(name string, data []byte) xfer.Offer {
	return xfer.Offer{Name: name, Size: int64(len(data)), SHA256: sha256.Sum256(data), Sender: "alice"}
}

func newReceiver(t *testing.T, cfg xfer.ReceiverConfig) *xfer.Receiver {
	t.Helper()
	r, err := xfer.NewReceiver(filepath.Join(t.TempDir(), "xfer"), cfg)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, r.Close()) })
	return r
}

// outcome is what both sides of a transfer returned.
type outcome struct {
	sent    xfer.Sent
	sendErr error
	rec     xfer.Received
	recvErr error
}

// transfer sends file with offer to r over a fresh connection of kind k,
// each side closing its end when it is done.
func transfer(t *testing.T, k connKind, r *xfer.Receiver, offer xfer.Offer, file io.ReaderAt) outcome {
	t.Helper()
	sc, rc := k.pair(t)
	var o outcome
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer rc.Close()
		o.rec, o.recvErr = r.Receive(context.Background(), rc)
	}()
	o.sent, o.sendErr = xfer.Send(context.Background(), sc, offer, file, xfer.SendOptions{})
	sc.Close()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("Receive did not return")
	}
	return o
}

// dirEntries lists the names in dir, and those in its .partial.
func dirEntries(t *testing.T, dir string) (files, partials []string) {
	t.Helper()
	for _, e := range mustReadDir(t, dir) {
		if e != ".partial" {
			files = append(files, e)
		}
	}
	return files, mustReadDir(t, filepath.Join(dir, ".partial"))
}

func mustReadDir(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

func TestTransfer(t *testing.T) {
	t.Parallel()
	for _, k := range connKinds() {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			r := newReceiver(t, xfer.ReceiverConfig{})
			data := randomBytes(1, 3<<20+17)
			o := transfer(t, k, r, offerOf("data.bin", data), bytes.NewReader(data))
			require.NoError(t, o.sendErr)
			require.NoError(t, o.recvErr)
			assert.Equal(t, xfer.Sent{Bytes: int64(len(data)), SavedAs: "data.bin", Elapsed: o.sent.Elapsed}, o.sent)
			assert.Equal(t, offerOf("data.bin", data), o.rec.Offer)
			assert.Equal(t, "data.bin", o.rec.SavedAs)
			assert.Equal(t, int64(len(data)), o.rec.Bytes)
			assert.Zero(t, o.rec.Offset)
			assert.False(t, o.rec.AlreadyPresent)
			got, err := os.ReadFile(filepath.Join(r.Dir(), "data.bin"))
			require.NoError(t, err)
			assert.True(t, bytes.Equal(data, got), "the saved file is the one sent")
			files, partials := dirEntries(t, r.Dir())
			assert.Equal(t, []string{"data.bin"}, files)
			assert.Empty(t, partials, "no partial file is left")
		})
	}
}

func TestTransferOfAnEmptyFile(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, xfer.ReceiverConfig{})
	o := transfer(t, connKinds()[0], r, offerOf("empty", nil), bytes.NewReader(nil))
	require.NoError(t, o.sendErr)
	require.NoError(t, o.recvErr)
	st, err := os.Stat(filepath.Join(r.Dir(), "empty"))
	require.NoError(t, err)
	assert.Zero(t, st.Size())
}

func TestOfferFile(t *testing.T) {
	t.Parallel()
	data := randomBytes(2, 100_000)
	path := filepath.Join(t.TempDir(), "sub", "file.dat")
	require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
	require.NoError(t, os.WriteFile(path, data, 0o644))
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	o, err := xfer.OfferFile(context.Background(), f, "bob")
	require.NoError(t, err)
	assert.Equal(t, xfer.Offer{Name: "file.dat", Size: 100_000, SHA256: sha256.Sum256(data), Sender: "bob"}, o)

	d, err := os.Open(filepath.Dir(path))
	require.NoError(t, err)
	defer d.Close()
	_, err = xfer.OfferFile(context.Background(), d, "bob")
	assert.ErrorContains(t, err, "not a regular file")
}

// failingFile holds data but fails reads past failAt, as a sender killed
// mid-way would stop.
type failingFile struct {
	data   []byte
	failAt int64
}

var errInjected = errors.New("injected failure")

func (f *failingFile) ReadAt(p []byte, off int64) (int, error) {
	if off >= f.failAt {
		return 0, errInjected
	}
	n := copy(p, f.data[off:min(f.failAt, int64(len(f.data)))])
	if off+int64(n) >= f.failAt {
		return n, errInjected
	}
	return n, nil
}

func TestResumeAfterAnInterruption(t *testing.T) {
	t.Parallel()
	for _, k := range connKinds() {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			r := newReceiver(t, xfer.ReceiverConfig{})
			data := randomBytes(3, 2<<20)
			offer := offerOf("big.iso", data)
			const cut = 700_001
			o := transfer(t, k, r, offer, &failingFile{data: data, failAt: cut})
			require.ErrorIs(t, o.sendErr, errInjected)
			require.Error(t, o.recvErr)
			assert.Contains(t, o.recvErr.Error(), "700001 of 2097152 bytes of big.iso held (kept: sending it again resumes)")
			assert.Equal(t, int64(cut), o.rec.Bytes)
			files, partials := dirEntries(t, r.Dir())
			assert.Empty(t, files, "nothing takes the name before it is verified")
			assert.Len(t, partials, 2, "the partial file and its offer")

			o = transfer(t, k, r, offer, bytes.NewReader(data))
			require.NoError(t, o.sendErr)
			require.NoError(t, o.recvErr)
			assert.Equal(t, int64(cut), o.sent.Offset, "the sender resumes where the data stopped")
			assert.Equal(t, int64(len(data)-cut), o.sent.Bytes)
			assert.Equal(t, int64(cut), o.rec.Offset)
			got, err := os.ReadFile(filepath.Join(r.Dir(), "big.iso"))
			require.NoError(t, err)
			assert.Equal(t, sha256.Sum256(data), sha256.Sum256(got))
			_, partials = dirEntries(t, r.Dir())
			assert.Empty(t, partials)
		})
	}
}

func TestADifferentOfferStartsOver(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, xfer.ReceiverConfig{})
	k := connKinds()[0]
	old := randomBytes(4, 300_000)
	o := transfer(t, k, r, offerOf("f", old), &failingFile{data: old, failAt: 100_000})
	require.Error(t, o.sendErr)
	// Same name, other content: the partial file of the old one is not used.
	data := randomBytes(5, 300_000)
	o = transfer(t, k, r, offerOf("f", data), bytes.NewReader(data))
	require.NoError(t, o.sendErr)
	assert.Zero(t, o.sent.Offset)
	got, err := os.ReadFile(filepath.Join(r.Dir(), "f"))
	require.NoError(t, err)
	assert.True(t, bytes.Equal(data, got))
}

func TestACorruptByteIsCaught(t *testing.T) {
	t.Parallel()
	for _, k := range connKinds() {
		t.Run(k.name, func(t *testing.T) {
			t.Parallel()
			r := newReceiver(t, xfer.ReceiverConfig{})
			data := randomBytes(6, 1<<20)
			corrupt := bytes.Clone(data)
			corrupt[654_321] ^= 0x20
			offer := offerOf("photo.raw", data)
			o := transfer(t, k, r, offer, bytes.NewReader(corrupt))
			require.ErrorIs(t, o.recvErr, xfer.ErrHashMismatch)
			var re *xfer.RemoteError
			require.ErrorAs(t, o.sendErr, &re)
			assert.False(t, re.Refused)
			assert.Contains(t, re.Reason, "SHA-256 mismatch")
			assert.Contains(t, re.Reason, "the partial file was removed")
			files, partials := dirEntries(t, r.Dir())
			assert.Empty(t, files, "a file that fails the check never takes its name")
			assert.Empty(t, partials, "and is removed")

			o = transfer(t, k, r, offer, bytes.NewReader(data))
			require.NoError(t, o.sendErr)
			assert.Zero(t, o.sent.Offset, "sending again starts over")
		})
	}
}

func TestACorruptPartialFileIsCaught(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, xfer.ReceiverConfig{})
	k := connKinds()[0]
	data := randomBytes(7, 500_000)
	offer := offerOf("f.bin", data)
	o := transfer(t, k, r, offer, &failingFile{data: data, failAt: 200_000})
	require.Error(t, o.sendErr)
	part := filepath.Join(r.Dir(), ".partial", "f.bin."+offer.Hash()[:16]+".part")
	held, err := os.ReadFile(part)
	require.NoError(t, err)
	held[10] ^= 1 // the disk lost a bit while no one was looking
	require.NoError(t, os.WriteFile(part, held, 0o600))

	o = transfer(t, k, r, offer, bytes.NewReader(data))
	assert.Equal(t, int64(200_000), o.sent.Offset)
	assert.ErrorIs(t, o.recvErr, xfer.ErrHashMismatch)
	o = transfer(t, k, r, offer, bytes.NewReader(data))
	require.NoError(t, o.sendErr)
	assert.Zero(t, o.sent.Offset)
}

// rawOffer sends text as the offer and returns the receiver's answer
// line and error.
func rawOffer(t *testing.T, r *xfer.Receiver, text string) (string, error) {
	t.Helper()
	sc, rc := net.Pipe()
	defer sc.Close()
	errc := make(chan error, 1)
	go func() {
		defer rc.Close()
		_, err := r.Receive(context.Background(), rc)
		errc <- err
	}()
	go func() { _, _ = io.WriteString(sc, text) }()
	answer, _ := io.ReadAll(sc)
	return string(answer), <-errc
}

func TestNamesThatEscapeAreRefused(t *testing.T) {
	t.Parallel()
	base := t.TempDir()
	r, err := xfer.NewReceiver(filepath.Join(base, "in"), xfer.ReceiverConfig{})
	require.NoError(t, err)
	defer r.Close()
	for _, name := range []string{"../x", "..", "/etc/passwd", `..\x`, "a/../../x"} {
		offer := string(offerOf("placeholder", []byte("x")).Marshal())
		answer, err := rawOffer(t, r, bytesReplace(offer, "placeholder", name)+"x")
		assert.ErrorIs(t, err, xfer.ErrBadName, name)
		assert.Contains(t, answer, "refuse ", name)
		assert.Contains(t, answer, "not a plain file name", name)
	}
	assert.Equal(t, []string{"in"}, mustReadDir(t, base), "nothing was written beside the directory")
	files, partials := dirEntries(t, r.Dir())
	assert.Empty(t, files)
	assert.Empty(t, partials)

	// Send does not even offer such a name.
	sc, rc := net.Pipe()
	defer rc.Close()
	defer sc.Close()
	_, err = xfer.Send(context.Background(), sc, offerOf("../x", []byte("x")), bytes.NewReader([]byte("x")), xfer.SendOptions{})
	assert.ErrorIs(t, err, xfer.ErrBadName)
}

func bytesReplace(s, old, new string) string {
	return string(bytes.Replace([]byte(s), []byte(old), []byte(new), 1))
}

func TestGarbageIsRefused(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, xfer.ReceiverConfig{})
	answer, err := rawOffer(t, r, "GET / HTTP/1.1\r\nHost: x\r\n\r\n")
	var pe *xfer.ProtocolError
	assert.ErrorAs(t, err, &pe)
	assert.Equal(t, "refuse xfer protocol: a control character: \"GET / HTTP/1.1\\r\"\n", answer)
}

func TestAbsurdSizesAreRefused(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, xfer.ReceiverConfig{MaxSize: 1000})
	data := randomBytes(8, 1001)
	o := transfer(t, connKinds()[0], r, offerOf("big", data), bytes.NewReader(data))
	assert.ErrorIs(t, o.recvErr, xfer.ErrTooLarge)
	var re *xfer.RemoteError
	require.ErrorAs(t, o.sendErr, &re)
	assert.True(t, re.Refused)
	assert.Equal(t, "file too large: 1001 bytes, more than the 1000 this peer takes", re.Reason)
	files, partials := dirEntries(t, r.Dir())
	assert.Empty(t, files)
	assert.Empty(t, partials)

	huge := offerOf("huge", nil)
	huge.Size = 1 << 62
	o = transfer(t, connKinds()[0], newReceiver(t, xfer.ReceiverConfig{}), huge, bytes.NewReader(nil))
	assert.ErrorIs(t, o.recvErr, xfer.ErrTooLarge, "the default limit")
}

func TestExistingFilesAreNeverOverwritten(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, xfer.ReceiverConfig{})
	k := connKinds()[0]
	mine := []byte("the receiver's own notes")
	require.NoError(t, os.WriteFile(filepath.Join(r.Dir(), "notes.txt"), mine, 0o644))
	require.NoError(t, os.Symlink("/etc/passwd", filepath.Join(r.Dir(), "notes-1.txt")))

	data := randomBytes(9, 5000)
	o := transfer(t, k, r, offerOf("notes.txt", data), bytes.NewReader(data))
	require.NoError(t, o.sendErr)
	require.NoError(t, o.recvErr)
	assert.Equal(t, "notes-2.txt", o.sent.SavedAs, "the sender is told the name it was saved under")
	assert.Equal(t, "notes-2.txt", o.rec.SavedAs)
	got, err := os.ReadFile(filepath.Join(r.Dir(), "notes.txt"))
	require.NoError(t, err)
	assert.Equal(t, mine, got, "the existing file is untouched")
	link, err := os.Readlink(filepath.Join(r.Dir(), "notes-1.txt"))
	require.NoError(t, err)
	assert.Equal(t, "/etc/passwd", link, "the symbolic link is untouched")

	// The same file again is already there: nothing is sent.
	o = transfer(t, k, r, offerOf("notes.txt", data), bytes.NewReader(data))
	require.NoError(t, o.sendErr)
	require.NoError(t, o.recvErr)
	assert.True(t, o.rec.AlreadyPresent)
	assert.Equal(t, "notes-2.txt", o.sent.SavedAs)
	assert.Equal(t, int64(len(data)), o.sent.Offset)
	assert.Zero(t, o.sent.Bytes)
	files, _ := dirEntries(t, r.Dir())
	assert.ElementsMatch(t, []string{"notes.txt", "notes-1.txt", "notes-2.txt"}, files)
}

// gatedFile holds data and blocks reads past gateAt until open is closed.
type gatedFile struct {
	data   []byte
	gateAt int64
	open   chan struct{}
}

func (f *gatedFile) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > f.gateAt {
		if off < f.gateAt {
			return copy(p, f.data[off:f.gateAt]), nil
		}
		<-f.open
	}
	n := copy(p, f.data[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

func TestTheSameFileTwiceAtOnceIsRefused(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, xfer.ReceiverConfig{})
	k := connKinds()[1]
	data := randomBytes(10, 1<<20)
	offer := offerOf("twice", data)
	gated := &gatedFile{data: data, gateAt: 100_000, open: make(chan struct{})}
	first := make(chan outcome, 1)
	go func() { first <- transfer(t, k, r, offer, gated) }()
	part := filepath.Join(r.Dir(), ".partial", "twice."+offer.Hash()[:16]+".part")
	require.Eventually(t, func() bool {
		st, err := os.Stat(part)
		return err == nil && st.Size() == 100_000
	}, 30*time.Second, 10*time.Millisecond)

	o := transfer(t, k, r, offer, bytes.NewReader(data))
	assert.ErrorIs(t, o.recvErr, xfer.ErrBusy)
	var re *xfer.RemoteError
	require.ErrorAs(t, o.sendErr, &re)
	assert.True(t, re.Refused)

	close(gated.open)
	o = <-first
	require.NoError(t, o.sendErr)
	require.NoError(t, o.recvErr)
	assert.Equal(t, "twice", o.rec.SavedAs)
}

func TestReceiveStops(t *testing.T) {
	t.Parallel()
	t.Run("when the context ends", func(t *testing.T) {
		t.Parallel()
		r := newReceiver(t, xfer.ReceiverConfig{})
		sc, rc := net.Pipe()
		defer sc.Close()
		defer rc.Close()
		stopsOnCancel(t, "Receive", func(ctx context.Context) error {
			_, err := r.Receive(ctx, rc)
			return err
		})
	})
	t.Run("when the sender goes quiet", func(t *testing.T) {
		t.Parallel()
		r := newReceiver(t, xfer.ReceiverConfig{IdleTimeout: 50 * time.Millisecond})
		sc, rc := net.Pipe()
		defer sc.Close()
		defer rc.Close()
		go func() { _, _ = io.Copy(io.Discard, sc) }()
		_, err := r.Receive(context.Background(), rc)
		assert.ErrorIs(t, err, xfer.ErrIdle)
	})
}

func TestSendStopsWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	sc, rc := net.Pipe()
	defer sc.Close()
	defer rc.Close()
	go func() { _, _ = io.Copy(io.Discard, rc) }() // reads the offer, never answers
	stopsOnCancel(t, "Send", func(ctx context.Context) error {
		_, err := xfer.Send(ctx, sc, offerOf("f", []byte("x")), bytes.NewReader([]byte("x")), xfer.SendOptions{})
		return err
	})
}

// stopsOnCancel runs f, cancels its context, and checks that f returns
// context.Canceled soon after; what names f in the failure.
func stopsOnCancel(t *testing.T, what string, f func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- f(ctx) }()
	cancel()
	select {
	case err := <-errc:
		assert.ErrorIs(t, err, context.Canceled)
	case <-time.After(30 * time.Second):
		t.Fatalf("%s did not stop", what)
	}
}

func TestSendReportsProgressAndAShrunkFile(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, xfer.ReceiverConfig{})
	data := randomBytes(11, 1<<20)
	sc, rc := net.Pipe()
	go func() {
		defer rc.Close()
		_, _ = r.Receive(context.Background(), rc)
	}()
	var reports []int64
	_, err := xfer.Send(context.Background(), sc, offerOf("shrunk", data), bytes.NewReader(data[:600_000]), xfer.SendOptions{
		Progress: func(held int64) { reports = append(reports, held) },
	})
	sc.Close()
	assert.ErrorIs(t, err, xfer.ErrFileChanged)
	require.NotEmpty(t, reports)
	assert.Zero(t, reports[0], "the first report is the offset")
	assert.Equal(t, int64(600_000), reports[len(reports)-1])
	assert.IsIncreasing(t, reports[1:])
}

func TestSendRefusesABadAnswer(t *testing.T) {
	t.Parallel()
	for _, answer := range []string{"resume 2\n", "resume -1\n", "hello there\n", "ok\n"} {
		sc, rc := net.Pipe()
		go func() {
			defer rc.Close()
			buf := make([]byte, xfer.MaxOfferLen)
			_, _ = rc.Read(buf)
			_, _ = io.WriteString(rc, answer)
		}()
		_, err := xfer.Send(context.Background(), sc, offerOf("f", []byte("x")), bytes.NewReader([]byte("x")), xfer.SendOptions{})
		sc.Close()
		var pe *xfer.ProtocolError
		assert.ErrorAs(t, err, &pe, answer)
	}
}

func TestSendReportsTheReceiversFailureMidway(t *testing.T) {
	t.Parallel()
	sc, rc := net.Pipe()
	defer sc.Close()
	go func() { // a receiver whose disk fills up
		defer rc.Close()
		buf := make([]byte, 1000)
		_, _ = rc.Read(buf)
		_, _ = io.WriteString(rc, "resume 0\n")
		_, _ = io.ReadFull(rc, buf)
		_, _ = io.WriteString(rc, "fail the receiver's disk: no space left on device\n")
	}()
	data := randomBytes(12, 1<<20)
	_, err := xfer.Send(context.Background(), sc, offerOf("f", data), bytes.NewReader(data), xfer.SendOptions{})
	var re *xfer.RemoteError
	require.ErrorAs(t, err, &re)
	assert.False(t, re.Refused)
	assert.Equal(t, "the receiver failed to take the file: the receiver's disk: no space left on device", err.Error())
}

func TestSendKeepsToTheRateLimit(t *testing.T) {
	t.Parallel()
	r := newReceiver(t, xfer.ReceiverConfig{})
	data := randomBytes(13, 300_000)
	sc, rc := net.Pipe()
	go func() {
		defer rc.Close()
		_, _ = r.Receive(context.Background(), rc)
	}()
	defer sc.Close()
	sent, err := xfer.Send(context.Background(), sc, offerOf("slow", data), bytes.NewReader(data), xfer.SendOptions{RateLimit: 1 << 20})
	require.NoError(t, err)
	// Pieces of a tenth of a second's worth, the last one unpaced: the
	// first 195,143 bytes take at least 0.186 s at 1 MiB/s, however fast
	// the machine (a lower bound: a loaded machine only adds to it).
	assert.GreaterOrEqual(t, sent.Elapsed, 186*time.Millisecond)
}
