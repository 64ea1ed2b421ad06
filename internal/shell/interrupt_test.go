package shell_test

import (
	"testing"
	"time"

	"github.com/gojxta/gojxta/internal/shell"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestInterruptCancelsTheRunningCommand(t *testing.T) {
	s := newSession()
	started := make(chan struct{})
	s.sh.Register(&shell.Command{Name: "block", Synopsis: "block", Run: func(c *shell.Call) error {
		close(started)
		<-c.Context().Done()
		return c.Context().Err()
	}})
	assert.False(t, s.sh.Interrupt(), "nothing runs yet")
	done := make(chan bool)
	go func() { done <- s.sh.Exec("block") }()
	<-started
	require.True(t, s.sh.Interrupt())
	select {
	case ok := <-done:
		assert.False(t, ok, "an interrupted command fails")
		assert.Contains(t, s.err.String(), "context canceled")
	case <-time.After(10 * time.Second):
		t.Fatal("the command did not return after Interrupt")
	}
	assert.True(t, s.sh.Exec("env"), "the shell goes on")
}
