# SPDX-License-Identifier: GPL-2.0-only
"""scripts/lab EXPERIMENT [--out DIR]: boot every run of an experiment's matrix under QEMU and
keep what each left (docs/lab.md, "The runner").

Each run gets its own ESP (a copy of build/esp with a twinmon.conf for the run's kind, Debian's
kernel and the lab initramfs), booted by scripts/qemu-run; the captures stay in
OUT/runs/NNN/run/, the ESP copy goes. A run's verdict is its one-line OUT/runs/NNN/status,
written last, so a run without one never finished and a second invocation redoes it.
"""
import argparse
import os
import shutil
import signal
import subprocess
import sys
import time

import console
import env
import experiment
from runconfig import DISK_DEV, config, make_disk, qemu_disk_args

EXIT_MONITOR_OK = 16  # efi/platform.h: every guest stopped, twinmon powered off
EXIT_INIT = 32  # tests/initramfs/init.c: the init's isa-debug-exit status (direct kind)
EXIT_TIMEOUT = 124  # scripts/qemu-run
EXIT_QEMU_FAILED = 125
MEM_MIB = 2048
# How long the neighbour may go on after guest A's init is done before the run is cut short:
# its b_stay_s in guest seconds, which under a busy TCG host can take several host seconds
# each (FACTOR), and this much for its power-off, scaled.
OUTLIVE_SLACK_S = 60
DISK_IMG = "disk-b.img"  # in the run's folder, deleted with its ESP copy
OUTLIVE_FACTOR = 4
POLL_S = 0.5


class Stop(Exception):
    """SIGINT or SIGTERM: end the current run and leave."""

    def __init__(self, signum):
        super().__init__(signum)
        self.signum = signum


def fmt_time(s):
    s = int(round(s))
    if s < 60:
        return f"{s}s"
    if s < 3600:
        return f"{s // 60}m{s % 60:02d}s"
    return f"{s // 3600}h{s % 3600 // 60:02d}m"


def say(msg):
    print(f"lab: {msg}", flush=True)


def die(msg, code=1):
    print(f"lab: {msg}", file=sys.stderr, flush=True)
    sys.exit(code)


def read_text(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return f.read()
    except OSError:
        return None


def write_text(path, text):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(path + ".tmp", path)


def clean_lines(text):
    """A capture's lines without the UART's CRs and the firmware's escape sequences."""
    return console.lines(text)


# ---- watching a run ------------------------------------------------------------------------

# The moments the runner notes, by the first line that shows them: (name, capture, prefix).
EVENTS = (
    ("a_init", "com1", "TWINMON-INIT: lab-a"),
    ("a_start", "com1", "TWINMON-INIT: workload "),
    ("a_result", "com1", "TWINMON-RESULT-BEGIN"),
    ("a_result_end", "com1", "TWINMON-RESULT-END"),
    ("a_done", "com1", "TWINMON-INIT: done"),
    ("b_init", "com2", "TWINMON-INIT: lab-b"),
    ("b_start", "com2", "TWINMON-INIT: workload "),
    ("b_result_end", "com2", "TWINMON-RESULT-END"),
    ("b_slept", "com2", "TWINMON-INIT: slept"),
    ("b_done", "com2", "TWINMON-INIT: done"),
    ("stats", "monitor", "TWINMON-STATS v=1 scope=monitor when=end"),
)


class Watch:
    """Reads the growing captures and notes when each event's line first appeared (seconds
    since the run started, to the poll's resolution)."""

    def __init__(self, rundir, t0):
        self.rundir, self.t0 = rundir, t0
        self.pos = {}
        self.partial = {}
        self.seen = {}

    def poll(self):
        now = time.monotonic() - self.t0
        for log in ("com1", "com2", "monitor"):
            path = os.path.join(self.rundir, f"{log}.log")
            try:
                with open(path, "rb") as f:
                    f.seek(self.pos.get(log, 0))
                    data = f.read()
            except OSError:
                continue
            if not data:
                continue
            self.pos[log] = self.pos.get(log, 0) + len(data)
            text = self.partial.get(log, "") + data.decode("utf-8", "replace")
            lines = text.split("\n")
            self.partial[log] = lines.pop()
            for line in clean_lines("\n".join(lines)):
                for name, cap, prefix in EVENTS:
                    if cap == log and name not in self.seen and line.startswith(prefix):
                        self.seen[name] = now

    def timeline(self):
        return "".join(f"{name}={self.seen[name]:.1f}\n" for name, _, _ in EVENTS if name in self.seen)


def result_block(lines):
    """The key=value pairs of the first complete TWINMON-RESULT block, or None."""
    block, on = {}, False
    for line in lines:
        if line.startswith("TWINMON-RESULT-BEGIN"):
            block, on = {}, True
        elif line.startswith("TWINMON-RESULT-END") and on:
            return block
        elif on and "=" in line and " " not in line:
            k, v = line.split("=", 1)
            block.setdefault(k, v)
    return None


def verdict(run, rundir, code, seen):
    """None when the run is good, else a reason without blanks."""
    kind = run["kind"]
    want = EXIT_INIT if kind == "direct" else EXIT_MONITOR_OK
    com1 = clean_lines(read_text(os.path.join(rundir, "com1.log")))
    block = result_block(com1)
    if code == EXIT_TIMEOUT:
        return "timeout"
    if code == EXIT_QEMU_FAILED:
        return "qemu-run-failed"  # its message is in qemu-run.out
    if block is None:
        return "no-result-block-a" if code == want else f"exit-{code}-no-result-block-a"
    if block.get("status") != "ok" or block.get("exit") != "0":
        return f"workload-a-exit-{block.get('exit', '?')}-status-{block.get('status', '?')}"
    if code != want:
        return f"exit-{code}-not-{want}"
    if kind != "direct":
        mon = clean_lines(read_text(os.path.join(rundir, "monitor.log")))
        if not any(line.startswith("TWINMON-STATS v=1 scope=monitor when=end") for line in mon):
            return "no-monitor-stats"
    if kind in ("twin", "partitioned"):
        com2 = clean_lines(read_text(os.path.join(rundir, "com2.log")))
        if run.get("b_disk_mib") and not any(
                line.startswith(f"TWINMON-INIT: disk {DISK_DEV}: mounted") for line in com2):
            # Its workload would have run in the tmpfs instead: memory traffic, not I/O.
            return "neighbour-no-disk"
        if run.get("b_run", "-") == "-":
            if not any(line.startswith("TWINMON-INIT: slept") for line in com2):
                return "neighbour-did-not-finish"
            b_end = seen.get("b_slept")
        else:
            b = result_block(com2)
            if b is None:
                return "neighbour-no-result-block"
            if b.get("exit") != "0":
                return f"neighbour-exit-{b.get('exit', '?')}"
            b_end = seen.get("b_result_end")
        # The neighbour must be there for the measurement: its end after A's result, and its
        # start (its workload's, or its init's when idle) before half of A's measurement.
        # The guests are not synchronised: these are the host's times of their lines.
        a_start, a_end = seen.get("a_start"), seen.get("a_result")
        if b_end is not None and a_end is not None and b_end < a_end:
            return "neighbour-ended-early"
        b_start = seen.get("b_start" if run.get("b_run", "-") != "-" else "b_init")
        if b_start is not None and a_start is not None and a_end is not None and \
                b_start > a_start + (a_end - a_start) / 2:
            return "neighbour-started-late"
    return None


# ---- the runner ----------------------------------------------------------------------------

class Runner:
    def __init__(self, repo, out, scale, build):
        self.repo, self.out, self.scale, self.build = repo, out, scale, build
        self.child = None

    def on_signal(self, signum, frame):
        if self.child is not None and self.child.poll() is None:
            try:
                self.child.send_signal(signal.SIGTERM)
            except OSError:
                pass
        raise Stop(signum)

    def make_esp(self, rundir, conf_text, kernel, lab_img):
        esp = os.path.join(rundir, "esp")
        shutil.rmtree(esp, ignore_errors=True)
        shutil.copytree(os.path.join(self.build, "esp"), esp)
        d = os.path.join(esp, "EFI", "twinmon")
        os.makedirs(d, exist_ok=True)
        write_text(os.path.join(d, "twinmon.conf"), conf_text)
        shutil.copyfile(kernel, os.path.join(d, "vmlinuz"))
        shutil.copyfile(lab_img, os.path.join(d, "lab-a.img"))
        shutil.copyfile(lab_img, os.path.join(d, "lab-b.img"))
        return esp

    def boot(self, run, rundir, esp, smp, extra):
        """qemu-run on esp, watched; (exit code, events seen, cut-short reason or None)."""
        timeout = max(10, int(round(int(run["timeout_s"]) * self.scale)))
        argv = [os.path.join(self.repo, "scripts", "qemu-run"), "--esp", esp,
                "--out", os.path.join(rundir, "run"), "--mem", str(MEM_MIB),
                "--smp", str(smp), "--timeout", str(timeout)]
        if extra:
            argv += ["--"] + extra
        t0 = time.monotonic()
        watch = Watch(os.path.join(rundir, "run"), t0)
        cut = None
        with open(os.path.join(rundir, "qemu-run.out"), "wb") as log:
            self.child = subprocess.Popen(argv, stdout=log, stderr=subprocess.STDOUT,
                                          stdin=subprocess.DEVNULL)
            stay = int(run.get("b_stay_s", "0"))
            while self.child.poll() is None:
                time.sleep(POLL_S)
                watch.poll()
                a_done = watch.seen.get("a_done")
                # A neighbour that goes on long after the measurement is over (one that never
                # stops) would hold the run to its timeout: cut it short, as a failure.
                grace = (stay * OUTLIVE_FACTOR + OUTLIVE_SLACK_S) * self.scale
                if (cut is None and a_done is not None and run["kind"] in ("twin", "partitioned")
                        and time.monotonic() - t0 > a_done + grace):
                    cut = "neighbour-outlived-measurement"
                    self.child.send_signal(signal.SIGTERM)
            code = self.child.wait()
            self.child = None
        watch.poll()
        write_text(os.path.join(rundir, "timeline"), watch.timeline())
        return code, watch.seen, cut, time.monotonic() - t0

    def one(self, run, line, kernel, lab_img):
        rundir = os.path.join(self.out, "runs", "%03d" % int(run["run"]))
        shutil.rmtree(rundir, ignore_errors=True)
        os.makedirs(rundir)
        write_text(os.path.join(rundir, "spec"), line + "\n")
        conf_text, smp = config(run)
        write_text(os.path.join(rundir, "twinmon.conf"), conf_text)
        img = os.path.join(rundir, DISK_IMG)
        try:
            extra = []
            if run.get("b_disk_mib"):
                why = make_disk(img, int(run["b_disk_mib"]))
                if why is not None:
                    write_text(os.path.join(rundir, "status"), "failed seconds=0 exit=- reason=no-disk-image\n")
                    say(f"run {run['run']}: {why}")
                    return "no-disk-image", 0.0
                extra = qemu_disk_args(img)
            esp = self.make_esp(rundir, conf_text, kernel, lab_img)
            code, seen, cut, secs = self.boot(run, rundir, esp, smp, extra)
        finally:
            # Tens of MiB a run, and nothing to look at afterwards: the ESP copy, the FAT image
            # qemu-run made of it, and the firmware's variables.
            shutil.rmtree(os.path.join(rundir, "esp"), ignore_errors=True)
            for name in ("esp.img", "vars.fd"):
                try:
                    os.unlink(os.path.join(rundir, "run", name))
                except OSError:
                    pass
            # The neighbour's disk: its size in MiB, its content stress-ng's leftovers.
            try:
                os.unlink(img)
            except OSError:
                pass
        reason = cut or verdict(run, os.path.join(rundir, "run"), code, seen)
        s = int(round(secs))
        status = f"ok seconds={s} exit={code}" if reason is None else \
            f"failed seconds={s} exit={code} reason={reason}"
        write_text(os.path.join(rundir, "status"), status + "\n")
        return reason, secs


def label(run):
    nb = run.get("neighbour", "-")
    return (f"{run['config']} {run['measure']}" + (f" + {nb}" if nb != "-" else "") +
            f" rep {run['rep']}")


def estimate(left, by_kind, took):
    """Seconds for the run lines left: each at the mean of the finished runs of its kind (a
    partitioned run takes longer than a direct one), or of all runs for a kind not seen yet."""
    mean = sum(took) / len(took)
    total = 0.0
    for line in left:
        same = by_kind.get(experiment.parse_run(line)["kind"])
        total += sum(same) / len(same) if same else mean
    return total


def done_before(out, n, line):
    """Whether run n finished well with the same spec in an earlier invocation."""
    rundir = os.path.join(out, "runs", "%03d" % n)
    status = read_text(os.path.join(rundir, "status"))
    spec = read_text(os.path.join(rundir, "spec"))
    return status is not None and status.startswith("ok") and spec is not None and \
        spec.strip() == line


def find_kernel(repo):
    k = os.environ.get("TWINMON_KERNEL")
    if k:
        if not os.path.isfile(k):
            die(f"TWINMON_KERNEL={k} is not a file (scripts/fetch-debian-kernel prints Debian's)")
        return k
    p = subprocess.run([os.path.join(repo, "scripts", "fetch-debian-kernel"), "--quiet"],
                       capture_output=True, text=True)
    k = p.stdout.strip()
    if p.returncode != 0 or not k or not os.path.isfile(k):
        sys.stderr.write(p.stderr)
        die("no Debian kernel: scripts/fetch-debian-kernel failed (or set TWINMON_KERNEL)")
    return k


def main(argv):
    repo = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    ap = argparse.ArgumentParser(
        prog="lab", description="Run a lab experiment (docs/lab.md, \"The runner\").")
    ap.add_argument("experiment", metavar="EXPERIMENT", help="the experiment file")
    ap.add_argument("--out", metavar="DIR", help="where the runs go (build/lab/NAME)")
    ap.add_argument("--restart", action="store_true",
                    help="clear DIR first, even when it holds another experiment")
    ap.add_argument("--timeout-scale", metavar="X", type=float, default=1.0,
                    help="multiply every run's timeout by X (a slow or busy host)")
    ap.add_argument("--dry-run", action="store_true",
                    help="print which runs would boot and which are done; boot nothing")
    args = ap.parse_args(argv[1:])
    if not args.timeout_scale > 0:
        ap.error("--timeout-scale wants a number above 0")

    ex, text = experiment.load(args.experiment)
    if ex.errors:
        for e in ex.errors:
            print(e, file=sys.stderr)
        return 1
    lines = experiment.runs(ex)
    build = os.environ.get("BUILD", "build")
    if not os.path.isabs(build):
        build = os.path.join(repo, build)
    out = args.out or os.path.join(build, "lab", experiment.name(ex))

    # An OUT of another experiment is refused: resuming it would mix two experiments' runs.
    old = read_text(os.path.join(out, "experiment.exp"))
    restart = args.restart
    if os.path.isdir(out) and os.listdir(out):
        if old is None and not os.path.isdir(os.path.join(out, "runs")):
            die(f"{out} exists and is not a lab output folder (no experiment.exp): choose another --out")
        if old != text and not restart:
            die(f"{out} holds another experiment (its experiment.exp differs from "
                f"{args.experiment}): --restart clears it, or choose another --out")

    if args.dry_run:
        if restart:
            say(f"would clear {out}")
        for line in lines:
            run = experiment.parse_run(line)
            n = int(run["run"])
            what = "skip (done)" if not restart and done_before(out, n, line) else "run"
            print(f"[{n}/{run['of']}] {what}: {label(run)}: {line}")
        return 0

    missing = []
    if not os.path.isdir(os.path.join(build, "esp")):
        missing.append(f"no {os.path.join(build, 'esp')}: run 'make all'")
    lab_img = os.path.join(build, "initramfs", "lab.cpio.gz")
    if not os.path.isfile(lab_img):
        missing.append(f"no {lab_img}: run 'make initramfs-lab'")
    if missing:
        die("; ".join(missing) + " (or 'make lab', which builds both)")
    kernel = find_kernel(repo)
    if any("b_disk_mib" in experiment.parse_run(ln) for ln in lines):
        # The disk's drivers are modules of the kernel the archive was built with (module.mk).
        built = (read_text(os.path.join(build, "initramfs", "kernel")) or "").strip()
        if os.path.realpath(built) != os.path.realpath(kernel):
            die(f"{lab_img} holds the modules of {built or 'an unknown kernel'}, not of {kernel}: "
                "run 'make initramfs-lab' with this TWINMON_KERNEL")

    if restart and os.path.isdir(out):
        shutil.rmtree(out)
    os.makedirs(os.path.join(out, "runs"), exist_ok=True)
    write_text(os.path.join(out, "experiment.exp"), text)
    write_text(os.path.join(out, "runs.txt"), "\n".join(lines) + "\n")
    started = env.utc_now()
    env_path = os.path.join(out, "env.txt")
    now = dict(env.facts(repo, kernel, started))
    before = env.read(env_path) if os.path.exists(env_path) else {}
    kept = [ln for ln in lines if done_before(out, int(experiment.parse_run(ln)["run"]), ln)]
    if kept and before:
        # Runs kept from an earlier invocation were made with its twinmon and kernel: one report
        # over runs of two builds would compare them as if they were one.
        for key in ("twinmon_rev", "kernel_version", "kernel_file"):
            if before.get(key) != now.get(key):
                die(f"{out} holds {len(kept)} finished run(s) made with {key} {before.get(key)}, "
                    f"this invocation has {now.get(key)}: use --restart or another --out")
        started = before.get("started") or started
    env.write(env_path, env.facts(repo, kernel, started))

    runner = Runner(repo, out, args.timeout_scale, build)
    signal.signal(signal.SIGINT, runner.on_signal)
    signal.signal(signal.SIGTERM, runner.on_signal)
    total = len(lines)
    todo = [ln for ln in lines
            if not done_before(out, int(experiment.parse_run(ln)["run"]), ln)]
    say(f"{experiment.name(ex)}: {total} runs, {total - len(todo)} done before, "
        f"{len(todo)} to run; out {out}")
    t_start = time.monotonic()
    took, by_kind, failed, skipped = [], {}, 0, 0
    try:
        for line in lines:
            run = experiment.parse_run(line)
            n = int(run["run"])
            head = f"[{n}/{total}] {label(run)}"
            if line not in todo:
                skipped += 1
                say(f"{head}: done before, skipped")
                continue
            say(f"{head}: booting ({run['kind']})")
            reason, secs = runner.one(run, line, kernel, lab_img)
            took.append(secs)
            by_kind.setdefault(run["kind"], []).append(secs)
            if reason is not None:
                failed += 1
            left = todo[todo.index(line) + 1:]
            est = f", about {fmt_time(estimate(left, by_kind, took))} left" if left else ""
            verdict_text = "ok" if reason is None else f"FAILED ({reason})"
            say(f"{head}: {verdict_text} in {fmt_time(secs)}; elapsed "
                f"{fmt_time(time.monotonic() - t_start)}{est}")
    except Stop as e:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if runner.child is not None:
            runner.child.wait()
        say(f"stopped by signal {e.signum}; the unfinished run has no status and is redone next time")
        return 128 + e.signum

    env.write(env_path, env.facts(repo, kernel, started, env.utc_now()))
    ok = len(took) - failed
    say(f"{ok} ok, {failed} failed, {skipped} done before; {fmt_time(time.monotonic() - t_start)}")
    report = os.path.join(repo, "scripts", "lab-report")
    report_failed = False
    if os.path.isfile(report) and os.access(report, os.X_OK):
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        if subprocess.run([report, out]).returncode != 0:
            report_failed = True
            say("scripts/lab-report failed")
    if failed:
        say(f"{failed} run(s) failed: see OUT/runs/NNN/status and run/ in {out}")
    return 1 if failed or report_failed else 0
