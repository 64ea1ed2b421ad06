package shell

import "sync"

// resizeWatch calls the line editor back when the terminal changes size
// (SIGWINCH on Unix; never elsewhere).
type resizeWatch struct {
	mu       sync.Mutex
	callback func() // the editor's, set by onResize
	done     chan struct{}
	stopped  chan struct{} // closed when the watching goroutine ended
	stopOnce sync.Once
}

// onResize sets the function to call when the size changes.
func (w *resizeWatch) onResize(f func()) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.callback = f
}

// resized calls the callback, if set.
func (w *resizeWatch) resized() {
	w.mu.Lock()
	f := w.callback
	w.mu.Unlock()
	if f != nil {
		f()
	}
}

// stop ends the watch and waits for its goroutine.
func (w *resizeWatch) stop() {
	w.stopOnce.Do(func() { close(w.done) })
	<-w.stopped
}
