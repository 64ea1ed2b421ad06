package endpoint

import (
	"bytes"
	"errors"
	"io"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCoalescingKeepsOrder writes small and large pieces from one writer
// (as yamux's send loop does) and checks that the bytes arrive in order.
func TestCoalescingKeepsOrder(t *testing.T) {
	t.Parallel()
	a, b := net.Pipe()
	// The timeout is not under test: generous, for a loaded machine.
	cc := newCoalescingConn(a, 30*time.Second)
	var want bytes.Buffer
	var got bytes.Buffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		_, _ = io.Copy(&got, b)
	}()
	for i := 0; i < 2000; i++ {
		size := 1 + i%97
		if i%50 == 0 {
			size = coalesceBypass + i
		}
		p := bytes.Repeat([]byte{byte(i)}, size)
		want.Write(p)
		n, err := cc.Write(p)
		require.NoError(t, err)
		require.Equal(t, size, n)
	}
	// Let the flusher drain, then close.
	require.Eventually(t, func() bool {
		cc.mu.Lock()
		defer cc.mu.Unlock()
		return len(cc.buf) == 0 && !cc.flushing && !cc.direct
	}, 5*time.Second, time.Millisecond)
	require.NoError(t, cc.Close())
	<-done
	assert.True(t, bytes.Equal(want.Bytes(), got.Bytes()), "bytes arrive in order")
}

// TestCoalescingErrorsAreSticky: once the connection fails, writes fail.
func TestCoalescingErrorsAreSticky(t *testing.T) {
	t.Parallel()
	a, b := net.Pipe()
	cc := newCoalescingConn(a, 100*time.Millisecond)
	b.Close()
	var err error
	for i := 0; i < 100 && err == nil; i++ {
		_, err = cc.Write([]byte("x"))
		time.Sleep(time.Millisecond)
	}
	require.Error(t, err)
	_, err = cc.Write(make([]byte, coalesceBypass))
	assert.Error(t, err)
	require.NoError(t, cc.Close())
	_, err = cc.Write([]byte("y"))
	assert.True(t, errors.Is(err, net.ErrClosed) || err != nil)
}

// TestCoalescingConcurrentWritersAndClose closes while writers are blocked
// on a full buffer; nobody hangs.
func TestCoalescingConcurrentWritersAndClose(t *testing.T) {
	t.Parallel()
	a, _ := net.Pipe() // nobody reads: writes block once buffered
	cc := newCoalescingConn(a, 0)
	var wg sync.WaitGroup
	for i := 0; i < 4; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				if _, err := cc.Write(make([]byte, 4096)); err != nil {
					return
				}
			}
		}()
	}
	time.Sleep(50 * time.Millisecond)
	require.NoError(t, cc.Close())
	wg.Wait()
}
