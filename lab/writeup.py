# SPDX-License-Identifier: GPL-2.0-only
"""report.md: what was asked, what ran, the plots and their numbers, the cross-check of the
monitor's view against the guests', the failures and how to reproduce it all."""
import datetime
import os

import outdir
import plots
import summary

PACKAGES = ("rt-tests", "stress-ng", "qemu-system-x86", "ovmf", "gnuplot-nox")
PITFALL = ("Under an emulator (QEMU's TCG, nested virtualization) absolute times mean little: a "
           "wake-up that takes microseconds on a PC takes hundreds here, and the host's other load "
           "shows through. Compare ratios within one run set on one machine (a configuration "
           "against its baseline) and distributions against each other, not absolute figures.")


def cell(v):
    """A number as a table shows it: integers as they are, others to 3 significant digits."""
    if v is None or v == "":
        return ""
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) >= 100):
        return str(int(v))
    if isinstance(v, float):
        return f"{v:.3g}" if abs(v) < 1000 else f"{v:.0f}"
    return str(v).replace("|", "\\|")


def ratio(v):
    return "" if v is None else f"{v:.2f}"


def spread(s):
    if not s.n:
        return ""
    mark = ">= " if s.bound else ""
    if s.n == 1 or s.min == s.max:
        return mark + cell(s.mean)
    return f"{mark}{cell(s.mean)} ({cell(s.min)}-{cell(s.max)})"


def table(head, rows):
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    lines += ["| " + " | ".join(cell(c) if not isinstance(c, str) else c.replace("|", "\\|") for c in r) + " |"
              for r in rows]
    return lines + [""]


def nb_name(nb):
    return "none" if nb in ("-", "") else nb


def image(png, sentence):
    return [f"![{png}](plots/{png})", "", sentence, ""]


def asked(out):
    lines = ["## What was asked", ""]
    question = []
    for line in (out.experiment_text or "").splitlines():
        if not line.startswith("#"):
            break
        question.append(line.lstrip("#").strip())
    if question:
        lines += ["> " + " ".join(question), ""]
    first = out.runs[0].spec
    reps = max((int(r.rep) for r in out.runs if r.rep.isdigit()), default=1)
    stay = next((r.spec.get("b_stay_s") for r in out.runs if r.spec.get("b_stay_s")), None)
    dur = first.get("duration_s", "?")
    settle = first.get("a_settle_s", "0")
    settle = int(settle) if settle.isdigit() else 0
    margin = f", the neighbour {int(stay) - int(dur)} s longer" if stay and stay.isdigit() and dur.isdigit() else ""
    if settle:
        margin += f"; guest A waits {settle} s after its boot before measuring, B does not"
    lines += [f"Experiment `{out.name}`: {len(out.runs)} runs, {reps} repetition(s) of every "
              f"configuration x measurement x neighbour, in file order. Each measurement runs "
              f"{dur} s{margin}; a run may take {first.get('timeout_s', '?')} s.", ""]
    confs = []
    for c in out.ordered("config"):
        r = next(r for r in out.runs if r.config == c)
        confs.append((c, r.kind, r.slice or "", r.policy or ""))
    lines += ["Configurations:", ""] + table(("config", "kind", "slice", "policy"), confs)
    meas = []
    for m in out.ordered("measure"):
        r = next(r for r in out.runs if r.measure == m)
        meas.append((m, r.a_run, "`" + " ".join(outdir.decode_args(r.spec.get("a_args"))) + "`"))
    lines += ["Measurements (guest A; the arguments as run):", ""] + table(("measure", "workload", "arguments"), meas)
    nbs = []
    for nb in out.ordered("neighbour"):
        if nb in ("-", ""):
            continue
        r = next(r for r in out.runs if r.neighbour == nb)
        args = " ".join(outdir.decode_args(r.spec.get("b_args")))
        disk = r.spec.get("b_disk_mib")
        nbs.append((nb, "idle" if r.b_run == "-" else r.b_run,
                    f"`{args}`" if args else f"stays up {r.spec.get('b_stay_s', '?')} s",
                    f"{disk} MiB (virtio-blk, ext4 on /mnt)" if disk else "none"))
    if nbs:
        lines += ["Neighbours (guest B, in the two-guest configurations):", ""] + \
            table(("neighbour", "workload", "arguments", "disk"), nbs)
    return lines


def runs_table(out):
    counts = {}
    for r in out.runs:
        counts[r.status] = counts.get(r.status, 0) + 1
    rows = [(str(r.number), r.rep, r.config, r.measure, nb_name(r.neighbour), r.status, r.seconds, r.exit)
            for r in out.runs]
    return (["## Runs", "", ", ".join(f"{n} {s}" for s, n in sorted(counts.items())) +
             ". `not-run`: no status file (the run did not happen, or the lab was stopped before it).", ""]
            + table(("run", "rep", "config", "measure", "neighbour", "status", "seconds", "exit"), rows))


EMPTY = {"latency": "no usable run", "percentiles": "no usable run",
         "interference": "no usable run, or no baseline", "exits": "no run with the monitor's records"}


def plot_lines(made, kind, measure, sentence):
    lines = []
    for m, png, title, failed in made[kind]:
        if m != measure:
            continue
        if png:
            lines += image(png, sentence)
        elif failed:
            lines += [f"({title}: gnuplot failed; see \"Failed runs and notes\".)", ""]
        else:
            lines += [f"({title}: nothing to draw: {EMPTY[kind]}.)", ""]
    return lines


def latency(out, made):
    lines = []
    for m in out.ordered("measure"):
        if summary.measure_workload(out, m) != "cyclictest":
            continue
        lines += [f"## Latency: measure `{m}`", "", "### Histograms", ""]
        lines += plot_lines(made, "latency", m,
                            "Guest A's timer wake-up latency, summed over the repetitions, one curve per "
                            f"neighbour, both axes logarithmic; cyclictest's 1 us buckets are gathered into "
                            f"{plots.BINS_PER_DECADE} bins per decade (the 1 us counts are in results.csv, "
                            "`hist_us.U`). A neighbour that disturbs moves mass "
                            "to the right and lengthens the tail; samples beyond cyclictest's histogram "
                            "(`-h`) are overflows and not drawn (see the `overflows` column of results.csv).")
        lines += ["### Percentiles", ""]
        lines += plot_lines(made, "percentiles", m,
                            "p50, p99, p99.9 and the maximum per configuration and neighbour: the mean over "
                            "the repetitions, with a bar from the smallest to the largest; logarithmic scale.")
        rows = []
        for c, nb, ps, n in summary.percentiles(out, m):
            rows.append((c, nb_name(nb), str(n)) + tuple(spread(ps[p]) for p, _ in summary.PERCENTILES))
        lines += ["Microseconds, mean over the usable runs (min-max). `>=` marks a figure that is only a "
                  "lower bound: in some run the percentile fell among cyclictest's overflows (samples of "
                  "`-h` us or more) and was given as the histogram's size; raise `-h` to measure it.", ""]
        lines += table(("config", "neighbour", "runs") + tuple(p for p, _ in summary.PERCENTILES), rows)
    for m in out.ordered("measure"):
        if summary.measure_workload(out, m) != "stress-ng":
            continue
        rows = [(c, nb_name(nb), str(s.n), spread(s), key or "") for c, nb, s, key in summary.throughput(out, m)]
        lines += [f"## Throughput: measure `{m}`", "", "Bogo-ops per second of real time, mean over the usable runs (min-max):", ""]
        lines += table(("config", "neighbour", "runs", "bogo-ops/s", "key"), rows)
    return lines


def interference(out, made):
    lines = ["## Interference", ""]
    for m in out.ordered("measure"):
        mx = summary.interference(out, m)
        lines += [f"### Measure `{m}` ({mx.workload})", ""]
        base = mx.baseline or "none (no alone, direct or idle-neighbour runs)"
        lines += plot_lines(made, "interference", m,
                            f"Slowdown of guest A's {'p99 latency' if mx.workload == 'cyclictest' else 'throughput'} "
                            f"({mx.what}): rows are what guest B ran, columns the configurations; 1 is no "
                            f"change, above 1 (red) worse, below 1 (blue) better (the colour scale is "
                            f"logarithmic). Baseline: {base}. A grey cell (blank in the table) has no usable "
                            "run, or no baseline.")
        rows = [(nb_name(nb),) + tuple(ratio(mx.cells.get((nb, c))) for c in mx.cols) for nb in mx.rows]
        lines += table(("neighbour",) + tuple(mx.cols), rows)
    return lines


def exits_section(out, made):
    lines = ["## The monitor's view", ""]
    for m in out.ordered("measure"):
        if all(r.kind == "direct" for r in out.runs if r.measure == m):
            continue
        lines += [f"### Measure `{m}`", ""]
        lines += plot_lines(made, "exits", (m, "a"),
                            "Guest A's VM exits by reason, per configuration and neighbour, stacked: exits per "
                            "second of guest-mode time (the guest record's `cycles_guest` over the monitor's "
                            "`tsc_khz`), mean over the repetitions. `direct` runs have no monitor.")
        lines += plot_lines(made, "exits", (m, "b"), "The same for guest B (two-guest configurations only).")
        rows = [(c, nb_name(nb), str(s.n), spread(s), cell(peak)) for c, nb, s, peak in summary.irq_delays(out, m)]
        if rows:
            lines += ["How late the monitor injected guest A's timer interrupts (the guest record's `irq_delay`: "
                      "from the timer's expiry to the entry that injects it, in us by `tsc_khz`): the mean "
                      "of the runs' means (min-max), and the largest single delay.", ""]
            lines += table(("config", "neighbour", "runs", "mean delay (us)", "largest (us)"), rows)
    return lines


def crosscheck(out):
    head = ("run", "config", "measure", "neighbour", "guest", f"guest `{summary.GUEST_TIMER_KEY}` at the end",
            "guest before power-off", f"monitor `{summary.MONITOR_TIMER_KEY}`", "monitor - guest",
            "within tolerance", f"monitor `{summary.MONITOR_FIRED_KEY}`", "note")
    checks = summary.crosscheck(out)
    rows = []
    for c in checks:
        r, inj, off = c["run"], c["injected"], c["before_off"]
        diff = inj - off if inj is not None and off is not None else None
        verdict = {True: "yes", False: "**no**", None: ""}[c["within"]]
        rows.append((str(r.number), r.config, r.measure, nb_name(r.neighbour), c["guest"].upper(),
                     cell(c["at_end"]) if c["at_end"] is not None else "not reported" if "not reported" in c["note"] else "",
                     cell(off), cell(inj), cell(diff), verdict, cell(c["fired"]),
                     "" if c["note"] == "not reported" else c["note"]))
    lines = ["## Monitor vs guest view", "",
             f"The guest's own count of local timer interrupts (the `LOC` line of its `/proc/interrupts`), "
             f"read when its workload ended (`{summary.GUEST_TIMER_KEY}` in its result block) and again "
             "right before it powered off (the init's last `TWINMON-INIT: timer_irqs N` line), against "
             f"the timer interrupts the monitor injected into it (`{summary.MONITOR_TIMER_KEY}` of its "
             "`guest` record, at the end of the run). The monitor counts on through the guest's "
             "power-off, so it is a little higher than the second read, never lower: within tolerance "
             f"means 0 <= monitor - guest <= {summary.TOLERANCE_FIXED} + "
             f"{summary.TOLERANCE_SHARE * 100:g} % of the monitor's count (docs/lab.md, \"The guest's count "
             "and the monitor's\"). A difference beyond it means one side miscounts. "
             f"`{summary.MONITOR_FIRED_KEY}` counts the timer's expiries, several of which can be "
             "coalesced into one interrupt.", ""]
    if not rows:
        return lines + ["No run under the monitor has a status yet.", ""]
    judged = [c for c in checks if c["within"] is not None]
    if judged:
        bad = [c for c in judged if not c["within"]]
        outside = ", ".join("run %d guest %s" % (c["run"].number, c["guest"].upper()) for c in bad)
        lines += [f"{len(judged)} guest(s) with both counts, {len(judged) - len(bad)} within tolerance"
                  + (f"; outside: {outside}." if bad else "."), ""]
    else:
        lines += ["No guest reported its count before power-off: the cross-check cannot be made with these "
                  "captures.", ""]
    return lines + table(head, rows)

def failures(out, problems):
    lines = ["## Failed runs and notes", ""]
    bad = [r for r in out.runs if r.status not in ("ok", "not-run")]
    if bad:
        lines += table(("run", "config", "measure", "neighbour", "status", "seconds", "reason"),
                       [(str(r.number), r.config, r.measure, nb_name(r.neighbour), r.status, r.seconds,
                         r.reason or "(none given)") for r in bad])
        lines += ["Logs: `runs/NNN/run/` (com1.log guest A, com2.log guest B, monitor.log, qemu.log).", ""]
    else:
        lines += ["No run failed.", ""]
    notrun = [str(r.number) for r in out.runs if r.status == "not-run"]
    if notrun:
        lines += [f"Not run: {', '.join(notrun)}.", ""]
    noted = [(r, n) for r in out.runs for n in r.notes]
    if noted or out.warnings or problems:
        lines += ["Notes from reading the captures:", ""]
        lines += [f"- {w}" for w in out.warnings]
        lines += [f"- run {r.number}: {n}" for r, n in noted]
        lines += [f"- plot: {p}" for p in problems]
        lines.append("")
    return lines


def reproducibility(out):
    env = out.env

    def e(key):
        return env.get(key) or "(not recorded)"

    lines = ["## Reproducibility", "", "The same experiment on another machine gives other absolute "
             "figures (see \"Reading the numbers\" above); these are the circumstances of this one.", ""]
    lines += table(("what", "value"), [
        ("twinmon", f"{e('twinmon_version')}, git revision `{e('twinmon_rev')}`"),
        ("guest kernel", f"{e('kernel_version')} (`{e('kernel_file')}`; Debian package "
                         f"{e('kernel_package')} {e('kernel_package_version')})"),
        ("QEMU", e("qemu_version")),
        ("host CPU", f"{e('host_cpu')} ({e('host_cpus')} CPUs)"),
        ("host kernel", e("host_kernel")),
        ("python", e("python")),
        ("started", e("started")),
        ("finished", e("finished")),
    ])
    pkgs = [(p, env.get(f"pkg.{p}", "(not recorded)")) for p in PACKAGES]
    pkgs += [(k[4:], v) for k, v in env.items() if k.startswith("pkg.") and k[4:] not in PACKAGES]
    lines += ["Debian packages:", ""] + table(("package", "version"), pkgs)
    known = {"twinmon_rev", "twinmon_version", "kernel_file", "kernel_version", "kernel_package",
             "kernel_package_version", "qemu_version", "host_cpu",
             "host_cpus", "host_kernel", "python", "started", "finished"}
    other = [(k, v) for k, v in env.items() if k not in known and not k.startswith("pkg.")]
    if other:
        lines += ["Also recorded in env.txt:", ""] + table(("key", "value"), other)
    lines += ["The experiment file (`experiment.exp`), verbatim:", "", "```"]
    lines += (out.experiment_text or "(experiment.exp is missing)\n").rstrip("\n").splitlines() + ["```", ""]
    lines += ["One QEMU command line per kind of configuration (`runs/NNN/run/cmdline`):", ""]
    for kind in out.ordered("kind"):
        r = next((r for r in out.runs if r.kind == kind and r.cmdline), None)
        lines += [f"- `{kind}`" + (f" (run {r.number}):" if r else ": (no command line recorded)")]
        if r:
            lines += ["", "  ```", "  " + r.cmdline.replace("\n", "\n  "), "  ```"]
    rev = env.get("twinmon_rev", "REV")
    if rev.endswith("-dirty"):
        rev = rev[:-len("-dirty")]
        lines += ["", f"twinmon's tree had uncommitted changes when it ran (`-dirty`): `{rev}` alone does not "
                  "rebuild exactly what ran."]
    lines += ["", "To run it again (a new output directory; the report is then written by the second command):", "",
              "```", f"git checkout {rev}",
              f"scripts/lab {os.path.join(out.path, 'experiment.exp')} --out NEW-OUT",
              "scripts/lab-report NEW-OUT", "```", ""]
    return lines


def markdown(out, made, problems):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [f"# Lab report: {out.name}", "",
             f"Written by `scripts/lab-report` on {now} from `{out.path}`. Files: `results.csv` (every "
             "figure, a row per run and metric), `plots/` (PNG pictures with their gnuplot scripts and "
             "data), this page.", "", "**Reading the numbers.** " + PITFALL, ""]
    lines += asked(out) + runs_table(out) + latency(out, made) + interference(out, made)
    lines += exits_section(out, made) + crosscheck(out) + failures(out, problems) + reproducibility(out)
    return "\n".join(lines).rstrip("\n") + "\n"
