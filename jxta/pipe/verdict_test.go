package pipe_test

import (
	"context"
	"io"
	"os"
	"testing"
	"time"

	"github.com/gojxta/gojxta/jxta"
	"github.com/gojxta/gojxta/jxta/advert"
	"github.com/gojxta/gojxta/jxta/endpoint"
	"github.com/gojxta/gojxta/jxta/node"
	"github.com/gojxta/gojxta/jxta/pipe"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// connected starts alice and bob in memory, bob connected to alice.
func connected(t *testing.T) (alice, bob *node.Node) {
	t.Helper()
	nw := networks()[1]
	alice, bob = nw.peer(t, "alice", false), nw.peer(t, "bob", false)
	_, err := bob.Endpoint().Connect(ctxT(t, 5*time.Second), alice.Addresses()[0])
	require.NoError(t, err)
	return alice, bob
}

// heldPipes starts alice and bob, and makes alice take the streams of the
// Net group's pipes herself instead of her pipe service: each arrives on
// the returned channel without a verdict, for the test to give one (and
// close).
func heldPipes(t *testing.T) (alice, bob *node.Node, held <-chan *endpoint.Stream) {
	t.Helper()
	alice, bob = connected(t)
	streams := make(chan *endpoint.Stream, 8)
	alice.Endpoint().HandleStream(pipe.StreamProtocol+"/"+jxta.NetGroupID.Unique(), endpoint.StreamHandlerFunc(func(st *endpoint.Stream) { streams <- st }))
	return alice, bob, streams
}

// TestDialDoesNotWaitForTheVerdict: Dial returns with the stream open;
// writes go at once, and the first Read waits for the verdict (under the
// read deadline, after which the verdict is still awaited).
func TestDialDoesNotWaitForTheVerdict(t *testing.T) {
	alice, bob, held := heldPipes(t)
	id := jxta.NewPipeID(jxta.NetGroupID)
	c, err := pipes(bob).DialPeer(ctxT(t, 5*time.Second), id, alice.ID())
	require.NoError(t, err)
	_, err = c.Write([]byte("hello"))
	require.NoError(t, err)
	st := <-held
	defer st.Close()
	assert.Equal(t, id.String(), st.Arg)
	got := make([]byte, 5)
	_, err = io.ReadFull(st, got)
	require.NoError(t, err)
	assert.Equal(t, "hello", string(got), "written before any verdict")

	require.NoError(t, c.SetReadDeadline(time.Now().Add(50*time.Millisecond)))
	_, err = c.Read(got)
	require.ErrorIs(t, err, os.ErrDeadlineExceeded)
	assert.NotErrorIs(t, err, pipe.ErrRefused)

	require.NoError(t, c.SetReadDeadline(time.Time{}))
	_, err = st.Write([]byte{0, 'h', 'i'}) // accepted, then data
	require.NoError(t, err)
	n, err := io.ReadFull(c, got[:2])
	require.NoError(t, err)
	assert.Equal(t, "hi", string(got[:n]))
	require.NoError(t, c.Close())
}

// TestAWriteBeyondTheAllowanceWaitsForTheVerdict: more than 256 KiB
// written before the verdict waits for it, so a refusing listener's
// window never blocks the writer, and the refusal (with its reason) is
// the error.
func TestAWriteBeyondTheAllowanceWaitsForTheVerdict(t *testing.T) {
	alice, bob, held := heldPipes(t)
	c, err := pipes(bob).DialPeer(ctxT(t, 5*time.Second), jxta.NewPipeID(jxta.NetGroupID), alice.ID())
	require.NoError(t, err)
	wrote := make(chan error, 1)
	go func() {
		_, err := c.Write(make([]byte, 1<<20))
		wrote <- err
	}()
	st := <-held
	require.NoError(t, st.SetReadDeadline(time.Now().Add(100*time.Millisecond)))
	n, err := st.Read(make([]byte, 1))
	assert.Zero(t, n, "nothing is written before the verdict")
	assert.Error(t, err, "the read deadline passed")
	select {
	case err := <-wrote:
		t.Fatalf("the write returned before the verdict: %v", err)
	default:
	}
	_, err = st.Write(append([]byte{1, 4}, "busy"...))
	require.NoError(t, err)
	require.NoError(t, st.Close())
	err = <-wrote
	require.ErrorIs(t, err, pipe.ErrRefused)
	assert.ErrorContains(t, err, "busy")
	_, err = c.Read(make([]byte, 1))
	assert.ErrorIs(t, err, pipe.ErrRefused, "the refusal is the error of every call after it")
	assert.ErrorIs(t, c.Close(), pipe.ErrRefused)
}

// TestTheRefusalIsTheErrorOfTheFirstWriteAfterIt: a writer that never
// reads learns of the refusal at its next Write once it has arrived.
func TestTheRefusalIsTheErrorOfTheFirstWriteAfterIt(t *testing.T) {
	alice, bob := connected(t)
	c, err := pipes(bob).DialPeer(ctxT(t, 5*time.Second), jxta.NewPipeID(jxta.NetGroupID), alice.ID())
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		_, err := c.Write([]byte("x"))
		return err != nil
	}, 5*time.Second, time.Millisecond)
	_, err = c.Write([]byte("x"))
	require.ErrorIs(t, err, pipe.ErrRefused)
	assert.ErrorContains(t, err, "no listener")
	assert.ErrorIs(t, c.Close(), pipe.ErrRefused)
}

// TestCloseBeforeTheVerdict: Close of a connection nothing was written
// to does not wait; with data written it waits for the verdict until the
// write deadline; and it ends a Read waiting for the verdict.
func TestCloseBeforeTheVerdict(t *testing.T) {
	alice, bob, held := heldPipes(t)
	dial := func() *pipe.Conn {
		c, err := pipes(bob).DialPeer(ctxT(t, 5*time.Second), jxta.NewPipeID(jxta.NetGroupID), alice.ID())
		require.NoError(t, err)
		t.Cleanup(func() { (<-held).Close() })
		return c
	}

	c := dial()
	start := time.Now()
	require.NoError(t, c.Close())
	assert.Less(t, time.Since(start), time.Second, "nothing written: no wait")

	c = dial()
	_, err := c.Write([]byte("x"))
	require.NoError(t, err)
	require.NoError(t, c.SetWriteDeadline(time.Now().Add(100*time.Millisecond)))
	start = time.Now()
	require.NoError(t, c.Close(), "no verdict came: nothing to report")
	assert.GreaterOrEqual(t, time.Since(start), 90*time.Millisecond, "waited for the verdict until the write deadline")

	c = dial()
	read := make(chan error, 1)
	go func() {
		_, err := c.Read(make([]byte, 1))
		read <- err
	}()
	time.Sleep(20 * time.Millisecond)
	require.NoError(t, c.Close())
	err = <-read
	assert.ErrorIs(t, err, pipe.ErrClosed)
	assert.NotErrorIs(t, err, pipe.ErrRefused)
}

// TestDialForgetsARefusingPeer: a refusal read on a connection Dial
// opened makes the next Dial resolve the pipe again.
func TestDialForgetsARefusingPeer(t *testing.T) {
	_, edges := networks()[1].star(t, "alice", "bob", "carol")
	alice, bob, carol := edges[0], edges[1], edges[2]
	adv := advert.NewPipeAdv(jxta.NetGroupID, advert.PipeUnicast, "moving")
	l, err := pipes(alice).Listen(context.Background(), adv)
	require.NoError(t, err)
	c, err := pipes(bob).Dial(ctxT(t, 10*time.Second), adv)
	require.NoError(t, err)
	require.NoError(t, c.Close())
	require.NoError(t, l.Close())
	l, err = pipes(carol).Listen(context.Background(), adv)
	require.NoError(t, err)
	defer l.Close()
	serveEcho(func() (io.ReadWriteCloser, error) { return l.Accept() })
	require.Eventually(t, func() bool {
		c, err := pipes(bob).Dial(ctxT(t, 10*time.Second), adv)
		if err != nil {
			return false
		}
		defer c.Close()
		if _, err := c.Write([]byte("x")); err != nil {
			return false
		}
		_, err = c.Read(make([]byte, 1))
		if err != nil {
			assert.ErrorIs(t, err, pipe.ErrRefused, "alice refuses")
			return false
		}
		return c.Peer() == carol.ID()
	}, 15*time.Second, 10*time.Millisecond)
}
