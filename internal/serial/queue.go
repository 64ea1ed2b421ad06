package serial

import (
	"sync"
	"time"
)

// A Queue runs the functions posted to it one at a time, in order. The
// zero value is ready to use. A Queue must not be copied after first use.
type Queue struct {
	mu      sync.Mutex
	work    []func()
	running bool // a goroutine is draining work
	closed  bool
	wg      sync.WaitGroup
}

// Post queues f to run after everything posted before it, and starts a
// goroutine to run it if none is running. It reports false, and drops f,
// once the queue is closed.
func (q *Queue) Post(f func()) bool {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.closed {
		return false
	}
	q.work = append(q.work, f)
	if !q.running {
		q.running = true
		q.wg.Add(1) // under mu with closed false: Close has not begun waiting
		go q.drain()
	}
	return true
}

// AfterFunc posts f once d has passed, as time.AfterFunc does; stopping
// or resetting the returned timer works as for time.AfterFunc.
func (q *Queue) AfterFunc(d time.Duration, f func()) *time.Timer {
	return time.AfterFunc(d, func() { q.Post(f) })
}

// drain runs the queued functions until none is left, then returns.
func (q *Queue) drain() {
	defer q.wg.Done()
	for {
		q.mu.Lock()
		if len(q.work) == 0 || q.closed {
			q.running = false
			q.work = nil
			q.mu.Unlock()
			return
		}
		f := q.work[0]
		q.work[0] = nil
		q.work = q.work[1:]
		q.mu.Unlock()
		f()
	}
}

// Close refuses new functions, drops those not yet started, and waits
// until the one running, if any, returns. It must not be called from a
// function the queue runs (it would wait for itself). Closing twice is
// harmless.
func (q *Queue) Close() {
	q.mu.Lock()
	q.closed = true
	q.work = nil
	q.mu.Unlock()
	q.wg.Wait()
}
