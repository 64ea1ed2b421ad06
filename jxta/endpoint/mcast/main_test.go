package mcast

import (
	"fmt"
	"os"
	"testing"

	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	if os.Getenv(netnsEnv) != "" {
		// This process runs in a network namespace made for it (see
		// multicastLAN), whose loopback interface starts down.
		if err := bringLoopbackUp(); err != nil {
			fmt.Fprintln(os.Stderr, "mcast test: bringing lo up in the test's network namespace:", err)
			os.Exit(1)
		}
	}
	goleak.VerifyTestMain(m)
}
