//go:build unix

package ngspicefull

import (
	"os/exec"
	"syscall"
)

// killGroup makes the command a process group that its cancellation kills whole.
func killGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
