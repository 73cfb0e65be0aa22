# SPDX-License-Identifier: GPL-2.0-only
"""A synthetic lab output directory for the report's tests, in the formats the real programs
write: run lines from scripts/lab-experiment, guest consoles (CR LF, escape sequences, kernel
lines) with result blocks as tests/initramfs/workload.c prints them, and monitor logs with
TWINMON-STATS records cut into lines as monitor/stats_line.c cuts them (240 bytes)."""
import os
import random
import subprocess
import sys

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
STATS_LINE_MAX = 240
EXIT_REASONS = ("io", "msr", "cpuid", "npf", "vmmcall", "hlt", "intr", "nmi", "svm_insn", "shutdown",
                "exception", "other", "unknown", "vintr", "cr", "pause")
TSC_KHZ = 2619175

EXPERIMENT = """\
# Does a CPU hog in guest B disturb guest A? (a test's experiment)
[experiment]
name = fake
repetitions = 2
duration = 4s
margin = 10s

[config alone]
kind = alone

[config twin-1ms]
kind = twin
slice = 1ms

[measure latency]
workload = cyclictest
args = -i 1000 -h 2000 -q -m

[measure cpu]
workload = stress-ng
args = --cpu 1 --metrics-brief

[neighbour idle]
workload = idle

[neighbour hog]
workload = stress-ng
args = --cpu 1
"""


def stats_lines(scope, when, tsc, ids, pairs):
    """One record as monitor/stats_line.c writes it: the header, then ' key=value' pairs; a
    pair that would pass STATS_LINE_MAX starts a new line with the same header."""
    head = f"TWINMON-STATS v=1 scope={scope} when={when} tsc={tsc}{ids}"
    lines, line = [], head
    for k, v in pairs:
        pair = f" {k}={v}"
        if len(line) + len(pair) > STATS_LINE_MAX:
            lines.append(line)
            line = head
        line += pair
    if line != head:
        lines.append(line)
    return lines


def hist_pairs(name, values):
    pairs = [(f"{name}_count", len(values))]
    if not values:
        return pairs
    pairs += [(f"{name}_sum", sum(values)), (f"{name}_min", min(values)), (f"{name}_max", max(values))]
    buckets = {}
    for v in values:
        k = max(v, 1).bit_length() - 1
        buckets[min(k, 47)] = buckets.get(min(k, 47), 0) + 1
    return pairs + [(f"{name}_log2_{k}", n) for k, n in sorted(buckets.items())]


def guest_pairs(rng, exits, timer, secs, slice_us):
    by = {r: 0 for r in EXIT_REASONS}
    by["intr"], by["hlt"], by["msr"] = exits // 3, exits // 5, exits // 4
    by["npf"] = exits - by["intr"] - by["hlt"] - by["msr"]
    delays = [rng.randrange(2000, 60000000) for _ in range(timer)]
    pairs = [("exits", exits)] + [(f"exit.{r}", by[r]) for r in EXIT_REASONS]
    pairs += [("cycles_guest", int(secs * TSC_KHZ * 1000)), ("cycles_monitor", int(secs * TSC_KHZ * 50))]
    return pairs, delays


def monitor_log(rng, two, timer_a, timer_b, slice_us, tsc=105706796897):
    """The end of a monitor.log: lines for people, then the records of one emission."""
    lines = ["monitor: every guest has stopped", "monitor: guest a: switches 10, exits 100 (...)"]
    lines += stats_lines("monitor", "end", tsc, "", [("tsc_khz", TSC_KHZ), ("guests", 2 if two else 1), ("cpus", 1)])
    for g, timer, exits, secs in (("a", timer_a, 8000, 5.0), ("b", timer_b, 10000, 8.0))[:2 if two else 1]:
        pairs, delays = guest_pairs(rng, exits, timer, secs, slice_us)
        head = [("vcpus", 1), ("slice_us", slice_us), ("stopped", 1), ("switches", 1235)]
        tail = [("irq_injected", timer + 300), ("timer_fired", timer + 1)] + hist_pairs("irq_delay", delays)
        tail += [("device_irqs", 1551), ("device_delivered", 1551), ("device_masked", 0), ("msi_delivered", 0),
                 ("msi_dropped", 0), ("restarts", 0)]
        lines += stats_lines("guest", "end", tsc, f" guest={g}", head + pairs + tail)
        slots = [rng.randrange(500000, 80000000) for _ in range(200)]
        vpairs = pairs + [("switches_in", 1235), ("slots", 200), ("slot_cfg", slice_us * TSC_KHZ // 1000)]
        vpairs += hist_pairs("slot", slots) + [("overrun", 2334037034), ("irq_injected", timer + 300),
                                               ("timer_fired", timer + 1), ("ipi_self", 0), ("ipi_dropped", 0)]
        vpairs += hist_pairs("irq_delay", delays) + [("future_key", 7)]
        lines += stats_lines("vcpu", "end", tsc, f" guest={g} vcpu=0 cpu=0", vpairs)
    lines += stats_lines("cpu", "end", tsc, " cpu=0", [("apic_id", 0), ("guests", "a,b" if two else "a"),
                                                       ("runs", 19067), ("switches", 2469), ("idles", 0),
                                                       ("idle_cycles", 0)])
    lines += ["twinmon: monitor finished (0)", "twinmon: powering off (status 0x10)"]
    return "".join(line + "\n" for line in lines)


def cyclictest_block(rng, centre, hist_size, samples, extra=None):
    """The key=value lines of workload.c's cyclictest block for latencies around centre."""
    values = [int(rng.lognormvariate(0, 0.5) * centre) for _ in range(samples)]
    hist, over = {}, 0
    for v in values:
        if v >= hist_size:
            over += 1
        else:
            hist[v] = hist.get(v, 0) + 1
    total = samples
    out = [("threads", 1), ("samples", total), ("hist_size_us", hist_size), ("overflows", over),
           ("min_us", min(values)), ("avg_us", sum(values) // total), ("max_us", max(values))]
    for name, pm in (("p50", 500), ("p90", 900), ("p99", 990), ("p999", 999)):
        need, run, us = (total * pm + 999) // 1000, 0, 0
        for us in range(hist_size):
            run += hist.get(us, 0)
            if run >= need:
                break
        else:
            us = hist_size
        out.append((f"{name}_us", us))
    out += [(f"hist_us.{us}", n) for us, n in sorted(hist.items())]
    return out + list(extra or []) + [("status", "ok")]


def stress_block(rate, extra=None):
    return [("tool_version", "0.15.06"), ("stressor.cpu.bogo_ops", int(rate * 4)),
            ("stressor.cpu.bogo_ops_per_second_usr_sys_time", f"{rate * 1.001:.6f}"),
            ("stressor.cpu.bogo_ops_per_second_real_time", f"{rate:.6f}"),
            ("stressor.cpu.wall_clock_time", "4.025846"), ("stressor.cpu.max_rss", 6352)] + \
        list(extra or []) + [("stressors", 1), ("status", "ok")]


def console(marker, workload, pairs, wall="4.317", code=0, cut=False, final=None):
    """A guest's console: firmware escapes, kernel lines, the init's lines, the block; CR LF;
    a kernel message lands inside the block."""
    lines = ["\x1b[2J\x1b[01;01H\x1b[=3h\x1b[2J\x1b[01;01HBdsDxe: loading Boot0001",
             "efi: exiting boot services", "[    0.907631] PCI: Fatal: No config space access function found",
             f"TWINMON-INIT: {marker}", f"TWINMON-INIT: workload {workload} starting",
             f"TWINMON-RESULT-BEGIN workload={workload} version=1", f"exit={code}", f"wall_s={wall}"]
    body = [f"{k}={v}" for k, v in pairs]
    body.insert(min(3, len(body)), "[    9.123456] random: crng init done")
    lines += body
    if cut:
        lines = lines[:-len(body) // 2]
    else:
        lines += ["TWINMON-RESULT-END"]
        lines += [f"TWINMON-INIT: timer_irqs {final}"] if final is not None else []
        lines += ["TWINMON-INIT: done", "[   10.399868] reboot: System halted"]
    return "".join(line + "\r\n" for line in lines)


def run_lines(exp):
    p = subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "lab-experiment"), "runs", exp],
                       capture_output=True, text=True, check=True)
    return p.stdout.splitlines()


# The figures of each group: A's latency centre (us) and throughput (bogo-ops/s).
CENTRE = {("alone", "-"): 100, ("twin-1ms", "idle"): 150, ("twin-1ms", "hog"): 600}
RATE = {("alone", "-"): 80.0, ("twin-1ms", "idle"): 78.0, ("twin-1ms", "hog"): 40.0}
FAILED_RUN = 9      # ends failed, with A's block cut short
NOT_RUN = 12        # has no status
NO_TIMER_KEY = 3    # guest A's block lacks timer_irqs
OUTSIDE_RUN = 10    # guest A's count before power-off is far below the monitor's


def make(out):
    """Write a fake OUT; returns the run lines' dicts."""
    rng = random.Random(15)
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "experiment.exp"), "w") as f:
        f.write(EXPERIMENT)
    lines = run_lines(os.path.join(out, "experiment.exp"))
    with open(os.path.join(out, "runs.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    with open(os.path.join(out, "env.txt"), "w") as f:
        f.write("twinmon_rev=40a9e32\ntwinmon_version=0.1.0\nkernel_file=/root/.cache/twinmon/vmlinuz-6.1.0-28-amd64\n"
                "kernel_version=6.1.0-28-amd64\npkg.rt-tests=2.4-1\npkg.stress-ng=0.15.06-2\n"
                "pkg.qemu-system-x86=1:7.2+dfsg-7+deb12u18\npkg.ovmf=2022.11-6+deb12u2\n"
                "qemu_version=QEMU emulator version 7.2.15\nhost_cpu=AMD EPYC 7B13\nhost_cpus=2\n"
                "host_kernel=6.1.0-28-amd64\npython=3.11.2\nstarted=2026-12-02T13:00:00Z\n"
                "finished=2026-12-02T13:40:00Z\nsomething_new=42\n")
    specs = []
    for line in lines:
        spec = dict(w.split("=", 1) for w in line.split())
        specs.append(spec)
        n = int(spec["run"])
        d = os.path.join(out, "runs", f"{n:03d}")
        os.makedirs(os.path.join(d, "run"), exist_ok=True)
        with open(os.path.join(d, "spec"), "w") as f:
            f.write(line + "\n")
        if n == NOT_RUN:
            continue
        group = (spec["config"], spec["neighbour"])
        two = spec["neighbour"] != "-"
        timer_a, timer_b = 4000 + n, 5000 + n
        extra_a = [] if n == NO_TIMER_KEY else [("timer_irqs", timer_a - 40)]
        if spec["a_run"] == "cyclictest":
            pairs = cyclictest_block(rng, CENTRE[group], 2000, 800, extra_a)
        else:
            pairs = stress_block(RATE[group] * (1 + 0.02 * int(spec["rep"])), extra_a)
        with open(os.path.join(d, "run", "com1.log"), "w", newline="") as f:
            final_a = timer_a - (500 if n == OUTSIDE_RUN else 4)
            f.write(console("linux-a", spec["a_run"], pairs, cut=n == FAILED_RUN, final=final_a))
        if two:
            with open(os.path.join(d, "run", "com2.log"), "w", newline="") as f:
                if spec["b_run"] == "-":
                    f.write("TWINMON-INIT: linux-b\r\nTWINMON-INIT: sleeping\r\n")
                else:
                    f.write(console("linux-b", "stress-ng", stress_block(70.0, [("timer_irqs", timer_b - 10)]),
                                    final=timer_b - 3))
        slice_us = 1000 if spec["kind"] == "twin" else 10000
        with open(os.path.join(d, "run", "monitor.log"), "w") as f:
            f.write(monitor_log(rng, two, timer_a, timer_b, slice_us) if n != FAILED_RUN else "twinmon 0.1.0\n")
        with open(os.path.join(d, "run", "cmdline"), "w") as f:
            f.write(f"qemu-system-x86_64 -machine q35 -accel tcg -cpu max -m 2048 -smp 1 "
                    f"-serial file:{d}/run/com1.log -serial file:{d}/run/com2.log\n")
        with open(os.path.join(d, "twinmon.conf"), "w") as f:
            f.write("[global]\nmode = twin\n")
        with open(os.path.join(d, "status"), "w") as f:
            if n == FAILED_RUN:
                f.write("failed seconds=600 exit=124 reason=timeout: guest A printed no result in 600 s\n")
            else:
                f.write(f"ok seconds={40 + n} exit=0\n")
    return specs
