//go:build linux

package main

// A real one-node Slurm cluster on localhost for tests: startSlurm brings up munged,
// slurmctld and slurmd from Debian's packages (slurm-wlm and munge) with a configuration
// written into the test's temporary folder, and takes them down again when the test ends.
//
// Nothing is installed here: .ci/run installs the packages. Where Slurm cannot be
// started (not root, a program missing, a daemon that does not come up) the
// test is skipped with the reason and, for a daemon, the tail of its log; with
// GOSPICE_SLURM_REQUIRED=1 (set by .ci/run, which installs Slurm) it fails instead, so
// that CI cannot pass by skipping. go test -short skips it too.
//
// What the configuration does, and why (checked with Debian 12's Slurm 22.05 as root,
// without systemd, on a 2-core machine):
//   - munged runs in the foreground with its own key, socket, pid, log and seed files in
//     the temporary folder (--force), so it never meets a system munged; slurm.conf points
//     Slurm at that socket with AuthInfo=socket=... .
//   - slurmctld and slurmd run in the foreground (-D) as children of the test, with
//     SlurmUser=root, on two free TCP ports chosen at start (never 6817/6818, which a
//     real Slurm on the machine may hold), with state, spool, pid and log files in the
//     temporary folder.
//   - The node is the machine's short host name at NodeAddr=127.0.0.1, and the
//     controller is name(127.0.0.1): nothing depends on the host name resolving.
//     slurmd gets -N so it does not guess its node name. The node's CPUs, sockets, cores
//     and memory are what slurmd -C reports, so the node is not drained for a mismatch.
//   - No cgroups: ProctrackType=proctrack/linuxproc, TaskPlugin=task/none,
//     JobAcctGatherType=jobacct_gather/none, and no accounting database.
//   - sbatch --wait polls the controller after 2 s, then 8 s later, then every 32 s,
//     unless MinJobAge (how long a finished job is remembered, 300 s by default) is
//     under 6 s: then it polls every 2 s. MinJobAge=5 makes a short array job take 2 or
//     4 s instead of 10 (the first job after slurmctld starts waits 2 s for the
//     scheduler's first pass). The cost: a task that ends more than 5 s before the last
//     one may be forgotten before sbatch sees its exit code, so tests also check what
//     the tasks wrote.
//   - The partition has OverSubscribe=FORCE:4, so a 4-task array runs at once on 2
//     cores rather than two tasks at a time.
//   - The clients (sbatch, sinfo, ...) find the cluster through SLURM_CONF, which the
//     jobs inherit; SLURM_* variables of the calling environment are dropped first.
//   - The folder's path is kept short (it holds Unix sockets, which allow 108 bytes).

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// slurmCluster is a running one-node Slurm cluster made by startSlurm.
type slurmCluster struct {
	dir     string            // configuration, state, spool, sockets and logs
	conf    string            // slurm.conf
	node    string            // the one node's name
	env     []string          // environment for Slurm's commands and jobs (has SLURM_CONF)
	daemons []*daemon         // in the order they were started
	progs   map[string]string // where munged, slurmctld, sbatch, ... are
}

// daemon is a program started in the foreground by startSlurm.
type daemon struct {
	name string
	cmd  *exec.Cmd
	logs []string      // its log file, then the file with its standard output and error
	done chan struct{} // closed when it has exited
	err  error         // its exit status, once done is closed
}

func (d *daemon) exited() bool {
	select {
	case <-d.done:
		return true
	default:
		return false
	}
}

// slurmUnavailable skips the test with why, or fails it when GOSPICE_SLURM_REQUIRED=1.
func slurmUnavailable(t *testing.T, why string) {
	t.Helper()
	if os.Getenv("GOSPICE_SLURM_REQUIRED") == "1" {
		t.Fatalf("Slurm is required (GOSPICE_SLURM_REQUIRED=1) but cannot be started: %s", why)
	}
	t.Skipf("Slurm cannot be started here: %s", why)
}

// findProgram looks for a program in PATH and then in the sbin folders, which a
// non-login PATH may lack.
func findProgram(name string) (string, bool) {
	if p, err := exec.LookPath(name); err == nil {
		return p, true
	}
	for _, d := range []string{"/usr/sbin", "/sbin", "/usr/local/sbin"} {
		p := filepath.Join(d, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p, true
		}
	}
	return "", false
}

// startSlurm starts munged, slurmctld and slurmd, waits (at most 30 s) until the node is
// idle, and registers their shutdown with t.Cleanup. It skips the test where that cannot
// be done; see the comment at the top of this file.
func startSlurm(t *testing.T) *slurmCluster {
	t.Helper()
	if testing.Short() {
		t.Skip("skipping the Slurm cluster with -short")
	}
	if os.Geteuid() != 0 {
		slurmUnavailable(t, "the test runs slurmd, which must run as root, and this is not root")
	}
	progs := map[string]string{}
	for _, name := range []string{"munged", "slurmctld", "slurmd", "slurmstepd", "sbatch", "sinfo", "squeue", "scancel"} {
		p, ok := findProgram(name)
		if !ok {
			slurmUnavailable(t, name+" is not installed (on Debian: apt-get install slurm-wlm munge)")
		}
		progs[name] = p
	}
	start := time.Now()

	dir := t.TempDir()
	if len(dir) > 48 { // slurmd's step sockets live under the spool folder
		short, err := os.MkdirTemp("/tmp", "gsl")
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.RemoveAll(short) })
		dir = short
	}
	for _, sub := range []string{"munge", "state", "spool", "log", "run"} {
		if err := os.Mkdir(filepath.Join(dir, sub), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	c := &slurmCluster{dir: dir, conf: filepath.Join(dir, "slurm.conf"), progs: progs}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "SLURM_") {
			c.env = append(c.env, kv)
		}
	}
	c.env = append(c.env, "SLURM_CONF="+c.conf)
	t.Cleanup(func() { c.stop(t) })

	// munge: a fresh key and a daemon of our own.
	key := make([]byte, 1024)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	m := func(name string) string { return filepath.Join(dir, "munge", name) }
	if err := os.WriteFile(m("munge.key"), key, 0o400); err != nil {
		t.Fatal(err)
	}
	socket := m("munge.socket")
	md := c.startDaemon(t, progs["munged"], m("munged.log"), "--foreground", "--force",
		"--socket="+socket, "--key-file="+m("munge.key"), "--pid-file="+m("munged.pid"),
		"--log-file="+m("munged.log"), "--seed-file="+m("munged.seed"))
	if !waitFor(10*time.Second, func() bool { return fileExists(socket) || md.exited() }) || md.exited() {
		slurmUnavailable(t, "munged did not start:\n"+md.tail())
	}

	// slurm.conf.
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "localhost"
	}
	c.node, _, _ = strings.Cut(host, ".")
	hw := nodeHardware(progs["slurmd"], c.env)
	ports, err := freePorts(2)
	if err != nil {
		slurmUnavailable(t, "no free TCP port on 127.0.0.1: "+err.Error())
	}
	p := func(sub, name string) string { return filepath.Join(dir, sub, name) }
	conf := fmt.Sprintf(`# written by gospice's startSlurm
ClusterName=gospicetest
SlurmctldHost=%[1]s(127.0.0.1)
SlurmctldPort=%[2]d
SlurmdPort=%[3]d
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=%[4]s
MpiDefault=none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MinJobAge=5
StateSaveLocation=%[5]s
SlurmdSpoolDir=%[6]s
SlurmctldPidFile=%[7]s
SlurmdPidFile=%[8]s
SlurmctldLogFile=%[9]s
SlurmdLogFile=%[10]s
SlurmctldDebug=info
SlurmdDebug=info
NodeName=%[1]s NodeAddr=127.0.0.1 NodeHostname=%[1]s %[11]s State=UNKNOWN
PartitionName=test Nodes=%[1]s Default=YES MaxTime=INFINITE OverSubscribe=FORCE:4 State=UP
`, c.node, ports[0], ports[1], socket, filepath.Join(dir, "state"), filepath.Join(dir, "spool"),
		p("run", "slurmctld.pid"), p("run", "slurmd.pid"), p("log", "slurmctld.log"), p("log", "slurmd.log"), hw)
	if err := os.WriteFile(c.conf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}

	// The controller, then the node daemon; then wait for the node to be idle.
	ctld := c.startDaemon(t, progs["slurmctld"], p("log", "slurmctld.log"), "-D", "-f", c.conf)
	slurmd := c.startDaemon(t, progs["slurmd"], p("log", "slurmd.log"), "-D", "-f", c.conf, "-N", c.node)
	var state string
	up := waitFor(30*time.Second, func() bool {
		if ctld.exited() || slurmd.exited() {
			return true
		}
		out, _ := c.output(5*time.Second, progs["sinfo"], "-h", "-n", c.node, "-o", "%T")
		state = strings.TrimSpace(out)
		return state == "idle"
	})
	for _, d := range []*daemon{ctld, slurmd} {
		if d.exited() {
			slurmUnavailable(t, fmt.Sprintf("%s exited (%v):\n%s", d.name, d.err, d.tail()))
		}
	}
	if !up {
		reasons, _ := c.output(5*time.Second, progs["sinfo"], "-R")
		slurmUnavailable(t, fmt.Sprintf("node %s is %q, not idle, after 30 s\n%s\n%s\n%s",
			c.node, state, reasons, ctld.tail(), slurmd.tail()))
	}
	t.Logf("Slurm is up in %v (node %s: %s; ports %d and %d; folder %s)",
		time.Since(start).Round(time.Millisecond), c.node, hw, ports[0], ports[1], dir)
	return c
}

// nodeHardware is the node's description as slurmd -C finds it (CPUs, boards, sockets,
// cores, threads, memory), or the CPU count where slurmd -C says nothing useful.
func nodeHardware(slurmd string, env []string) string {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, slurmd, "-C")
	cmd.Env = env
	out, _ := cmd.Output()
	var fields []string
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "NodeName=") {
			continue
		}
		for _, f := range strings.Fields(line) {
			switch {
			case strings.HasPrefix(f, "CPUs="), strings.HasPrefix(f, "Boards="),
				strings.HasPrefix(f, "SocketsPerBoard="), strings.HasPrefix(f, "CoresPerSocket="),
				strings.HasPrefix(f, "ThreadsPerCore="), strings.HasPrefix(f, "RealMemory="):
				fields = append(fields, f)
			}
		}
	}
	if len(fields) == 0 {
		return fmt.Sprintf("CPUs=%d", runtime.NumCPU())
	}
	return strings.Join(fields, " ")
}

// freePorts returns n TCP ports that were free on 127.0.0.1 a moment ago.
func freePorts(n int) ([]int, error) {
	var ports []int
	var ls []net.Listener
	defer func() {
		for _, l := range ls {
			l.Close()
		}
	}()
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, err
		}
		ls = append(ls, l)
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

// startDaemon starts a program that stays in the foreground, in its own process group,
// with its output in DIR/log/NAME.out; it is sent SIGTERM if the test process dies.
func (c *slurmCluster) startDaemon(t *testing.T, path, logFile string, args ...string) *daemon {
	t.Helper()
	name := filepath.Base(path)
	outName := filepath.Join(c.dir, "log", name+".out")
	out, err := os.Create(outName)
	if err != nil {
		t.Fatal(err)
	}
	defer out.Close()
	cmd := exec.Command(path, args...)
	cmd.Env = c.env
	cmd.Dir = c.dir
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	d := &daemon{name: name, cmd: cmd, logs: []string{logFile, outName}, done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		slurmUnavailable(t, fmt.Sprintf("cannot start %s: %v", name, err))
	}
	c.daemons = append(c.daemons, d)
	go func() {
		d.err = cmd.Wait()
		close(d.done)
	}()
	return d
}

// tail is the end of the daemon's log (or, where that is empty, of its output), for a
// skip or failure message.
func (d *daemon) tail() string {
	for _, name := range d.logs { // the first that has something
		data, err := os.ReadFile(name)
		if err != nil || len(bytes.TrimSpace(data)) == 0 {
			continue
		}
		lines := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
		lines = lines[max(0, len(lines)-15):]
		return fmt.Sprintf("--- %s (%s), last lines:\n%s\n", d.name, name, strings.Join(lines, "\n"))
	}
	return "--- " + d.name + ": nothing in its log\n"
}

// logTails is the end of every daemon's logs.
func (c *slurmCluster) logTails() string {
	var b strings.Builder
	for _, d := range c.daemons {
		b.WriteString(d.tail())
	}
	return b.String()
}

// output runs a program with the cluster's environment for at most timeout and returns
// its standard output and error together.
func (c *slurmCluster) output(timeout time.Duration, name string, args ...string) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = c.env
	cmd.Dir = c.dir
	cmd.WaitDelay = time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		err = fmt.Errorf("%s timed out after %v", name, timeout)
	}
	return string(out), err
}

// sbatchWait submits script from dir with sbatch --wait and the given options (such as
// --array=1-4) and returns the job's id once every task has finished. It fails the test
// if sbatch fails, a task exits non-zero, or the job takes longer than timeout (and then
// cancels it).
func (c *slurmCluster) sbatchWait(t *testing.T, dir string, timeout time.Duration, script string, opts ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	args := append([]string{"--parsable", "--wait"}, opts...)
	args = append(args, script)
	cmd := exec.CommandContext(ctx, c.progs["sbatch"], args...)
	cmd.Env = c.env
	cmd.Dir = dir
	cmd.WaitDelay = 2 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	start := time.Now()
	err := cmd.Run()
	id, _, _ := strings.Cut(strings.TrimSpace(stdout.String()), ";")
	if _, convErr := strconv.Atoi(id); convErr != nil {
		id = ""
	}
	if ctx.Err() != nil {
		queue, _ := c.output(5*time.Second, c.progs["squeue"], "-a")
		if id != "" {
			c.output(5*time.Second, c.progs["scancel"], id)
		}
		t.Fatalf("sbatch %s: job %s did not finish in %v\n%s\n%s", strings.Join(opts, " "), id, timeout, queue, c.logTails())
	}
	if err != nil {
		t.Fatalf("sbatch %s: job %s: %v\n%s%s\n%s", strings.Join(opts, " "), id, err, stdout.String(), stderr.String(), c.logTails())
	}
	if id == "" {
		t.Fatalf("sbatch %s printed no job id: %q %q", strings.Join(opts, " "), stdout.String(), stderr.String())
	}
	t.Logf("sbatch --wait %s: job %s finished in %v", strings.Join(opts, " "), id, time.Since(start).Round(time.Millisecond))
	return id
}

// stop cancels what is left in the queue and stops the daemons, newest first, each
// with SIGTERM and, after 10 s, SIGKILL to its process group.
func (c *slurmCluster) stop(t *testing.T) {
	start := time.Now()
	if len(c.daemons) >= 3 {
		if out, err := c.output(5*time.Second, c.progs["squeue"], "-h", "-o", "%A"); err == nil && strings.TrimSpace(out) != "" {
			c.output(5*time.Second, c.progs["scancel"], strings.Fields(out)...)
			waitFor(10*time.Second, func() bool {
				out, err := c.output(5*time.Second, c.progs["squeue"], "-h", "-o", "%A")
				return err != nil || strings.TrimSpace(out) == ""
			})
		}
	}
	for i := len(c.daemons) - 1; i >= 0; i-- {
		d := c.daemons[i]
		if d.exited() {
			continue
		}
		d.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-d.done:
		case <-time.After(10 * time.Second):
			t.Logf("%s did not stop in 10 s after SIGTERM; killing it", d.name)
			syscall.Kill(-d.cmd.Process.Pid, syscall.SIGKILL)
			select {
			case <-d.done:
			case <-time.After(5 * time.Second):
				t.Errorf("%s (pid %d) did not exit after SIGKILL", d.name, d.cmd.Process.Pid)
			}
		}
	}
	if len(c.daemons) > 0 {
		t.Logf("Slurm stopped in %v", time.Since(start).Round(time.Millisecond))
	}
}

// waitFor polls cond every 100 ms until it is true or timeout has passed, and says
// whether it became true.
func waitFor(timeout time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func fileExists(name string) bool {
	_, err := os.Stat(name)
	return err == nil
}

// shQuote quotes s for a POSIX shell.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
