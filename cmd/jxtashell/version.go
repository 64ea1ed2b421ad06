package main

import (
	"fmt"
	"runtime"
	"runtime/debug"
)

// version returns the line --version prints: the module's version ("(devel)"
// for a build from a work tree) and the Go release it was built with.
func version() string {
	v := "(devel)"
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		v = bi.Main.Version
	}
	return fmt.Sprintf("jxtashell %s %s", v, runtime.Version())
}
