//go:build !unix

package jxsepeer

import "os/exec"

func ownProcessGroup(*exec.Cmd) {}

// killProcessGroup kills cmd's process only: without process groups, a
// child it started may outlive it.
func killProcessGroup(cmd *exec.Cmd) { _ = cmd.Process.Kill() }
