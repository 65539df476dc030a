package ngspicefull

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"strings"
	"time"
)

// Proc is how a command ended.
type Proc struct {
	Code     int  // exit code; -1 when it did not exit by itself
	TimedOut bool // killed at its time limit
	Stdout   string
	Stderr   string
	Took     time.Duration
	Died     error // it died by a signal
	StartErr error // it could not start: the harness's trouble, not the command's
}

// outputLimit bounds what is kept of a command's output: its start and its end.
const outputLimit = 64 << 10

// run runs a command in dir for at most timeout, with stdin empty, killing it and
// whatever it started when the time is up.
func run(ctx context.Context, timeout time.Duration, dir string, env []string, name string, args ...string) Proc {
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = env
	var stdout, stderr headTail
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	killGroup(cmd)
	cmd.WaitDelay = 10 * time.Second // a child that keeps the pipes open cannot hold us
	start := time.Now()
	err := cmd.Run()
	p := Proc{Code: -1, Took: time.Since(start), Stdout: stdout.String(), Stderr: stderr.String()}
	var exit *exec.ExitError
	switch {
	case cmd.ProcessState == nil:
		p.StartErr = err
	case ctx.Err() == context.DeadlineExceeded:
		p.TimedOut = true
	case err == nil || errors.Is(err, exec.ErrWaitDelay) || errors.As(err, &exit):
		if p.Code = cmd.ProcessState.ExitCode(); p.Code < 0 {
			p.Died = err
		}
	default:
		p.Died = err
	}
	return p
}

// environ is the environment without a display, so that nothing opens a window.
func environ(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DISPLAY=") {
			env = append(env, kv)
		}
	}
	return append(env, extra...)
}

// headTail keeps the first and the last outputLimit/2 bytes written to it.
type headTail struct {
	head, tail []byte
	dropped    int64
}

func (h *headTail) Write(b []byte) (int, error) {
	n := len(b)
	if room := outputLimit/2 - len(h.head); room > 0 {
		k := min(room, len(b))
		h.head = append(h.head, b[:k]...)
		b = b[k:]
	}
	h.tail = append(h.tail, b...)
	if over := len(h.tail) - outputLimit/2; over > 0 {
		h.dropped += int64(over)
		h.tail = append(h.tail[:0], h.tail[over:]...)
	}
	return n, nil
}

func (h *headTail) String() string {
	if h.dropped == 0 {
		return string(h.head) + string(h.tail)
	}
	return string(h.head) + "\n[...]\n" + string(h.tail)
}
