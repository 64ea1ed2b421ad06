package membership

import (
	"testing"

	"go.uber.org/goleak"
)

// TestMain checks that no test leaves a goroutine running (argon2id runs
// lanes on goroutines of its own).
func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }
