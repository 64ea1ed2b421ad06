package jxsepeer

import (
	"bytes"
	"strings"
	"sync"
)

// lines collects what a process writes, split into lines, and tells
// waiters when a line is complete. It is safe for concurrent use.
type lines struct {
	mu      sync.Mutex
	all     bytes.Buffer
	done    []string      // complete lines, without their line ends
	partial []byte        // the line being written
	more    chan struct{} // closed, and replaced, when lines complete
}

func newLines() *lines { return &lines{more: make(chan struct{})} }

// Write appends p.
func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.all.Write(p)
	l.partial = append(l.partial, p...)
	n := len(l.done)
	for {
		i := bytes.IndexByte(l.partial, '\n')
		if i < 0 {
			break
		}
		l.done = append(l.done, strings.TrimSuffix(string(l.partial[:i]), "\r"))
		l.partial = l.partial[i+1:]
	}
	if len(l.done) > n {
		close(l.more)
		l.more = make(chan struct{})
	}
	return len(p), nil
}

// since returns the complete lines from the i-th on, and a channel closed
// when more complete.
func (l *lines) since(i int) ([]string, <-chan struct{}) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.done[i:len(l.done):len(l.done)], l.more
}

// String returns everything written so far.
func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.all.String()
}
