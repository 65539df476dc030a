//go:build !unix

package ngspicefull

import "os/exec"

// killGroup leaves the command's cancellation as it is: it kills the command alone.
func killGroup(cmd *exec.Cmd) {}
