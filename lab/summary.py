# SPDX-License-Identifier: GPL-2.0-only
"""The figures the report shows, from the runs of an Out (lab/outdir.py).

A group is the runs of one (measure, configuration, neighbour) across repetitions; its figures
are means over the group's usable runs (ended ok, guest A's block status=ok), with the minimum
and maximum as the spread. Nothing here draws or writes: lab/plots.py and lab/report.py do.
"""
import re

import results

# The cross-check "monitor vs guest view": the guest's own count of local timer interrupts
# (its result block) against the timer interrupts the monitor injected (its guest record).
GUEST_TIMER_KEY = "timer_irqs"
MONITOR_TIMER_KEY = "irq_delay_count"
MONITOR_FIRED_KEY = "timer_fired"
# The cross-check's tolerance (docs/lab.md, "The guest's count and the monitor's"): what the
# monitor may count beyond the guest's last read, the ticks of the guest's power-off.
TOLERANCE_FIXED = 50
TOLERANCE_SHARE = 0.02

PERCENTILES = (("p50", "p50_us"), ("p99", "p99_us"), ("p99.9", "p999_us"), ("max", "max_us"))
LATENCY_KEY = "p99_us"
THROUGHPUT_KEY = "stressor.cpu.bogo_ops_per_second_real_time"
THROUGHPUT_ANY = re.compile(r"stressor\.[^.]+\.bogo_ops_per_second_real_time$")
# Which config is the baseline of the interference matrix: the first of these kinds present.
BASELINE_KINDS = ("alone", "direct")


class Spread:
    """Mean, minimum, maximum and count of a list of numbers (None when empty)."""

    def __init__(self, values):
        values = [v for v in values if v is not None]
        self.n = len(values)
        self.mean = sum(values) / self.n if values else None
        self.min = min(values) if values else None
        self.max = max(values) if values else None
        self.bound = False   # some value is only a lower bound (a percentile among overflows)


def measure_workload(out, measure):
    for r in out.runs:
        if r.measure == measure:
            return r.a_run
    return None


def groups(out, measure):
    """[(config, neighbour, [runs])] of a measure, in the order of runs.txt."""
    keys = []
    for r in out.runs:
        if r.measure == measure and (r.config, r.neighbour) not in keys:
            keys.append((r.config, r.neighbour))
    return [(c, nb, [r for r in out.runs if r.measure == measure and r.config == c and r.neighbour == nb])
            for c, nb in keys]


def label(config, neighbour):
    return config if neighbour in ("-", "") else f"{config}/{neighbour}"


def value(run, key):
    if run.a is None:
        return None
    return results.number(run.a["values"].get(key))


def throughput_key(block):
    """stressor.cpu.bogo_ops_per_second_real_time, or the first stressor's rate."""
    if block is None:
        return None
    if THROUGHPUT_KEY in block["values"]:
        return THROUGHPUT_KEY
    for k in block["values"]:
        if THROUGHPUT_ANY.match(k):
            return k
    return None


def metric(run):
    """A's figure the interference matrix compares: p99 latency (us) or bogo-ops/s."""
    if not run.usable():
        return None
    if run.a_run == "cyclictest":
        return value(run, LATENCY_KEY)
    key = throughput_key(run.a)
    return value(run, key) if key else None


def percentiles(out, measure):
    """[(config, neighbour, {p50: Spread, ...}, usable count)] of a cyclictest measure."""
    rows = []
    for c, nb, runs in groups(out, measure):
        ok = [r for r in runs if r.usable()]
        figures = {}
        for name, key in PERCENTILES:
            figures[name] = Spread([value(r, key) for r in ok])
            # workload.c gives a percentile that falls among the overflows as hist_size_us.
            figures[name].bound = key != "max_us" and any(
                value(r, key) is not None and value(r, key) >= (value(r, "hist_size_us") or float("inf")) for r in ok)
        rows.append((c, nb, figures, len(ok)))
    return rows


def histogram(runs):
    """(buckets {us: count} summed over the usable runs, overflows, samples)."""
    total, overflows, samples = {}, 0, 0
    for r in runs:
        if not r.usable():
            continue
        for us, n in r.a["hist_us"].items():
            total[us] = total.get(us, 0) + n
        overflows += value(r, "overflows") or 0
        samples += value(r, "samples") or 0
    return dict(sorted(total.items())), overflows, samples


def throughput(out, measure):
    """[(config, neighbour, Spread of bogo-ops/s, key)] of a stress-ng measure."""
    rows = []
    for c, nb, runs in groups(out, measure):
        ok = [r for r in runs if r.usable()]
        key = next((throughput_key(r.a) for r in ok if throughput_key(r.a)), None)
        rows.append((c, nb, Spread([value(r, key) for r in ok] if key else []), key))
    return rows


class Matrix:
    """The interference matrix of one measure: rows neighbours, columns configurations."""

    def __init__(self, measure, workload, rows, cols, cells, baseline, what):
        self.measure, self.workload = measure, workload
        self.rows, self.cols, self.cells = rows, cols, cells   # cells[(row, col)] = ratio
        self.baseline, self.what = baseline, what


def interference(out, measure):
    """Slowdown of A's metric against the baseline (>1: worse): p99 ratio for latency,
    baseline/value for throughput. The baseline is the first `alone` config, else the first
    `direct`, else each configuration's idle neighbour."""
    workload = measure_workload(out, measure)
    means = {(c, nb): Spread([metric(r) for r in runs]).mean for c, nb, runs in groups(out, measure)}
    kinds = {r.config: r.kind for r in out.runs}
    cols = [c for c in out.ordered("config") if any(k[0] == c for k in means)]
    rows = [nb for nb in out.ordered("neighbour", [r for r in out.runs if r.measure == measure])]
    idle = next((r.neighbour for r in out.runs if r.two_guests and r.b_run == "-"), None)
    base_config = None
    for kind in BASELINE_KINDS:
        base_config = next((c for c in cols if kinds.get(c) == kind and means.get((c, "-"))), None)
        if base_config:
            break
    if base_config:
        baseline = f"config `{base_config}` ({kinds[base_config]})"
    elif idle:
        baseline = f"each configuration beside the idle neighbour `{idle}`"
    else:
        baseline = None
    cells = {}
    for (c, nb), v in means.items():
        base = means.get((base_config, "-")) if base_config else means.get((c, idle)) if idle else None
        if v is None or not base:
            continue
        if workload == "cyclictest":
            cells[(nb, c)] = v / base
        elif v:
            cells[(nb, c)] = base / v
    what = "p99 latency / baseline p99" if workload == "cyclictest" else "baseline bogo-ops/s / bogo-ops/s"
    return Matrix(measure, workload, rows, cols, cells, baseline, what)


def guest_seconds(run, guest):
    """Seconds of guest-mode time of a guest (cycles_guest / tsc_khz), or None."""
    if run.stats is None:
        return None
    g = run.stats.end_record("guest", guest=guest)
    m = run.stats.end_record("monitor")
    if g is None or m is None or not isinstance(m.get("tsc_khz"), int) or not m.get("tsc_khz"):
        return None
    cycles = g.get("cycles_guest")
    return cycles / (m.get("tsc_khz") * 1000.0) if isinstance(cycles, int) and cycles else None


def irq_delays(out, measure, guest="a"):
    """[(config, neighbour, Spread of the runs' mean delay in us, largest delay in us)] of the
    vLAPIC timer's interrupts as the monitor measured them (the guest record's irq_delay)."""
    rows = []
    for c, nb, runs in groups(out, measure):
        means, peak = [], None
        for r in runs:
            if r.status != "ok" or r.stats is None:
                continue
            g, m = r.stats.end_record("guest", guest=guest), r.stats.end_record("monitor")
            khz = m.get("tsc_khz") if m else None
            h = g.hist("irq_delay") if g else None
            if not h or not h.count or not isinstance(khz, int) or not khz:
                continue
            means.append(h.mean * 1000.0 / khz)
            if isinstance(h.max, int):
                peak = max(peak or 0, h.max * 1000.0 / khz)
        if means:
            rows.append((c, nb, Spread(means), peak))
    return rows


def exits(out, measure, guest):
    """(reasons, [(label, {reason: mean exits per second of guest-mode time}, runs counted)])
    of the runs of a measure under the monitor, for guest a or b."""
    rows, reasons = [], []
    for c, nb, runs in groups(out, measure):
        per = {}
        counted = 0
        for r in runs:
            if r.status != "ok" or (guest == "b" and not r.two_guests):
                continue
            secs = guest_seconds(r, guest)
            g = r.stats.end_record("guest", guest=guest) if r.stats else None
            if not secs or g is None:
                continue
            counted += 1
            for k, v in g.values.items():
                if k.startswith("exit.") and isinstance(v, int):
                    reason = k[len("exit."):]
                    per.setdefault(reason, []).append(v / secs)
                    if reason not in reasons:
                        reasons.append(reason)
        if counted:
            rows.append((label(c, nb), {k: sum(v) / counted for k, v in per.items()}, counted))
    used = [k for k in reasons if any(row[1].get(k) for row in rows)]
    return used, rows


def crosscheck_within(before_off, injected):
    """Whether the guest's count right before power-off and the monitor's agree: the monitor
    counts on through the power-off, so it may be higher by TOLERANCE_FIXED plus
    TOLERANCE_SHARE of its count, and never lower (docs/lab.md)."""
    diff = injected - before_off
    return 0 <= diff <= TOLERANCE_FIXED + TOLERANCE_SHARE * injected


def crosscheck(out):
    """[dict(run, guest, at_end, before_off, injected, fired, within, note)] for each run under
    the monitor that has a status, guest a and (two guests) b: the guest's timer interrupts
    when its workload ended (the result block) and right before it powered off (the init's
    last line), the monitor's injected and fired counts, and whether they agree (None when a
    count is missing)."""
    rows = []
    for r in out.runs:
        if not r.monitored or r.status == "not-run":
            continue
        for g in ("a", "b") if r.two_guests else ("a",):
            block = r.a if g == "a" else r.b
            rec = r.stats.end_record("guest", guest=g) if r.stats else None
            at_end = results.number(block["values"].get(GUEST_TIMER_KEY)) if block else None
            before_off = r.final_timer.get(g)
            note = ""
            if block is None:
                note = "no result block" if not (g == "b" and r.b_run == "-") else "idle (no result block)"
            elif at_end is None:
                note = "not reported"
            if rec is None:
                note = (note + "; " if note else "") + "no monitor record"
            inj = rec.get(MONITOR_TIMER_KEY) if rec else None
            fired = rec.get(MONITOR_FIRED_KEY) if rec else None
            inj = inj if isinstance(inj, int) else None
            within = (crosscheck_within(before_off, inj)
                      if isinstance(before_off, int) and inj is not None else None)
            rows.append(dict(run=r, guest=g, at_end=at_end if isinstance(at_end, int) else None,
                             before_off=before_off, injected=inj,
                             fired=fired if isinstance(fired, int) else None, within=within, note=note))
    return rows

