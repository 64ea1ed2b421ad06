//go:build !unix

package shell

// watchResize returns a watch that never fires: this platform has no
// SIGWINCH, and the editor reads the size before each line.
func watchResize() *resizeWatch {
	w := &resizeWatch{done: make(chan struct{}), stopped: make(chan struct{})}
	close(w.stopped)
	return w
}
