# SPDX-License-Identifier: GPL-2.0-only
"""scripts/lab-report OUT: results.csv, plots/*.png and report.md of a lab output directory
(docs/lab.md, "The report"). Exit status 0 when the report was written (failed runs and plots
that could not be drawn are said in it), 1 when OUT is unusable, 2 on a usage error.
"""
import csv
import os
import sys

import outdir
import plots
import summary
import writeup

CSV_COLUMNS = ("run", "rep", "config", "kind", "slice", "policy", "measure", "neighbour", "status",
               "scope", "metric", "value")


def csv_rows(run):
    """(scope, metric, value) of a run: its status line's figures, the guests' blocks (the
    last complete one, else the last cut short, complete=0), the monitor's end-of-run records."""
    rows = []
    if run.status != "not-run":
        for k, v in (("seconds", run.seconds), ("exit", run.exit)):
            if v is not None:
                rows.append(("run", k, v))
        if run.reason:
            rows.append(("run", "reason", run.reason))
    for scope, block in (("a", run.a or run.partial.get("a")), ("b", run.b or run.partial.get("b"))):
        if block is None:
            continue
        rows.append((scope, "workload", block["workload"]))
        rows.append((scope, "version", block["version"]))
        rows.append((scope, "complete", 1 if block["complete"] else 0))
        rows.extend((scope, k, v) for k, v in block["values"].items())
    if run.stats is not None:
        for rec in run.stats.end():
            rows.extend((rec.name, k, v) for k, v in rec.values.items())
    return rows


def write_csv(out, path):
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(CSV_COLUMNS)
        for r in out.runs:
            ident = [r.number, r.rep, r.config, r.kind, r.slice, r.policy, r.measure, r.neighbour, r.status]
            for scope, metric, value in csv_rows(r):
                w.writerow(ident + [scope, metric, value])


def make_plots(out, pdir):
    """{kind: [(measure, png or None, title, gnuplot failed)]} and the problems met."""
    os.makedirs(pdir, exist_ok=True)
    made = {"latency": [], "percentiles": [], "interference": [], "exits": []}
    problems = []

    def attempt(kind, measure, title, fn, *args):
        failed = False
        try:
            png = fn(pdir, *args)
        except plots.PlotError as e:
            problems.append(str(e))
            png, failed = None, True
        made[kind].append((measure, png, title, failed))

    for m in out.ordered("measure"):
        workload = summary.measure_workload(out, m)
        gs = summary.groups(out, m)
        if workload == "cyclictest":
            for c in out.ordered("config", [r for r in out.runs if r.measure == m]):
                curves = [("none" if nb == "-" else nb, summary.histogram(runs)[0]) for cc, nb, runs in gs if cc == c]
                title = f"{out.name}: {m} latency histogram, config {c}"
                attempt("latency", m, title, plots.latency_hist, f"latency-{m}-{c}", title, curves)
            rows = [(summary.label(c, nb), ps) for c, nb, ps, _ in summary.percentiles(out, m)]
            title = f"{out.name}: {m} latency percentiles"
            attempt("percentiles", m, title, plots.percentile_chart, f"percentiles-{m}", title, rows)
        mx = summary.interference(out, m)
        title = f"{out.name}: interference on {m} ({mx.what})"
        attempt("interference", m, title, plots.heatmap, f"interference-{m}", title, mx)
        two = any(r.two_guests for r in out.runs if r.measure == m)
        for g in ("a", "b") if two else ("a",):
            reasons, rows = summary.exits(out, m, g)
            title = f"{out.name}: {m}, guest {g.upper()}'s exits by reason"
            attempt("exits", (m, g), title, plots.exits_chart, f"exits-{m}-{g}", title, reasons, rows)
    return made, problems


def main(argv):
    if len(argv) != 2 or argv[1].startswith("-"):
        print("usage: lab-report OUT   (OUT: a directory scripts/lab wrote)", file=sys.stderr)
        return 2
    path = argv[1]
    try:
        out = outdir.Out(path)
    except outdir.Unusable as e:
        print(f"lab-report: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"lab-report: {path}: {e.strerror}", file=sys.stderr)
        return 1
    for w in out.warnings:
        print(f"lab-report: {w}", file=sys.stderr)
    try:
        write_csv(out, os.path.join(path, "results.csv"))
        made, problems = make_plots(out, os.path.join(path, "plots"))
        for p in problems:
            print(f"lab-report: plot: {p}", file=sys.stderr)
        with open(os.path.join(path, "report.md"), "w", encoding="utf-8") as f:
            f.write(writeup.markdown(out, made, problems))
    except OSError as e:
        print(f"lab-report: {e.filename or path}: {e.strerror}", file=sys.stderr)
        return 1
    counts = {}
    for r in out.runs:
        counts[r.status] = counts.get(r.status, 0) + 1
    summary_line = ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    print(f"lab-report: {path}/report.md, results.csv, plots/ ({len(out.runs)} runs: {summary_line})")
    return 0
