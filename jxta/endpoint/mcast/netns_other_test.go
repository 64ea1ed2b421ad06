//go:build !linux

package mcast

import (
	"errors"
	"fmt"
	"testing"
)

// runInNetns reports that network namespaces are Linux's.
func runInNetns(*testing.T) (string, error) {
	return "", fmt.Errorf("%w: network namespaces are Linux only", errNetnsNotPermitted)
}

// bringLoopbackUp is never called outside Linux: no test runs in a
// network namespace there.
func bringLoopbackUp() error { return errors.New("network namespaces are Linux only") }
