package cache

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that no test leaves a goroutine running: the background
// collector must stop on Close.
func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}
