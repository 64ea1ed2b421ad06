package serial

import (
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestRunsInOrderOneAtATime(t *testing.T) {
	var q Queue
	defer q.Close()
	var (
		mu      sync.Mutex
		got     []int
		running atomic.Int32
		overlap atomic.Bool
		wg      sync.WaitGroup
	)
	for i := range 1000 {
		wg.Add(1)
		require.True(t, q.Post(func() {
			defer wg.Done()
			if running.Add(1) > 1 {
				overlap.Store(true)
			}
			mu.Lock()
			got = append(got, i)
			mu.Unlock()
			running.Add(-1)
		}))
	}
	wg.Wait()
	assert.False(t, overlap.Load(), "two functions ran at the same time")
	require.Len(t, got, 1000)
	for i, v := range got {
		require.Equal(t, i, v, "out of order at %d", i)
	}
}

func TestNoGoroutineWhileIdle(t *testing.T) {
	var q Queue
	defer q.Close()
	before := runtime.NumGoroutine()
	done := make(chan struct{})
	q.Post(func() { close(done) })
	<-done
	// Polled by hand: assert.Eventually runs its condition on a goroutine
	// of its own, which would be counted.
	for deadline := time.Now().Add(5 * time.Second); runtime.NumGoroutine() > before; {
		if time.Now().After(deadline) {
			t.Fatalf("the queue kept a goroutine after its work was done: %d goroutines, %d before", runtime.NumGoroutine(), before)
		}
		time.Sleep(time.Millisecond)
	}
}

func TestCloseWaitsForTheRunningFunctionAndDropsTheRest(t *testing.T) {
	var q Queue
	started, release := make(chan struct{}), make(chan struct{})
	var ranLater atomic.Bool
	q.Post(func() { close(started); <-release })
	q.Post(func() { ranLater.Store(true) })
	<-started
	closed := make(chan struct{})
	go func() { q.Close(); close(closed) }()
	select {
	case <-closed:
		t.Fatal("Close returned while a function was running")
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	<-closed
	assert.False(t, ranLater.Load(), "a function queued behind the running one ran after Close")
	assert.False(t, q.Post(func() {}), "Post after Close accepted")
}

func TestAfterFuncPosts(t *testing.T) {
	var q Queue
	defer q.Close()
	done := make(chan struct{})
	q.AfterFunc(time.Millisecond, func() { close(done) })
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("AfterFunc's function never ran")
	}
}
