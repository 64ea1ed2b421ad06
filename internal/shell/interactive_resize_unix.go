//go:build unix

package shell

import (
	"os"
	"os/signal"
	"syscall"
)

// watchResize starts watching SIGWINCH; stop ends it.
func watchResize() *resizeWatch {
	w := &resizeWatch{done: make(chan struct{}), stopped: make(chan struct{})}
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGWINCH)
	go func() {
		defer close(w.stopped)
		defer signal.Stop(sig)
		for {
			select {
			case <-sig:
				w.resized()
			case <-w.done:
				return
			}
		}
	}()
	return w
}
