# SPDX-License-Identifier: GPL-2.0-only
"""The report's plots: a gnuplot script and its data (NAME.gp, NAME.dat) in OUT/plots for
each, run by gnuplot's png terminal into NAME.png. The scripts stay next to the pictures, so a
reader can change a range or a colour and run `gnuplot NAME.gp` in OUT/plots again.

Each function returns the PNG's file name, or None when there is nothing to draw; a gnuplot
that fails raises PlotError with its message.
"""
import math
import os
import shutil
import subprocess

import summary

TERMINAL = "set terminal png noenhanced size 960,600 font ',10'"
PERCENTILE_POINTS = (7, 5, 9, 13)   # filled circle, square, triangle, diamond
OFFSETS = (-0.24, -0.08, 0.08, 0.24)
BINS_PER_DECADE = 20


class PlotError(Exception):
    pass


def gnuplot():
    """The gnuplot program (Debian's gnuplot-nox installs both names), or None."""
    return shutil.which("gnuplot") or shutil.which("gnuplot-nox")


def quote(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def xtics(labels):
    return "set xtics (" + ", ".join(f"{quote(t)} {i}" for i, t in enumerate(labels)) + ")"


def render(plots, name, script, data):
    """Write NAME.dat and NAME.gp in the plots directory, run gnuplot; the PNG's name."""
    with open(os.path.join(plots, name + ".dat"), "w", encoding="utf-8") as f:
        f.write(data)
    png = name + ".png"
    head = ["# SPDX-License-Identifier: GPL-2.0-only", f"# Written by scripts/lab-report; run: gnuplot {name}.gp",
            TERMINAL, f"set output {quote(png)}"]
    with open(os.path.join(plots, name + ".gp"), "w", encoding="utf-8") as f:
        f.write("\n".join(head + script) + "\n")
    prog = gnuplot()
    if prog is None:
        raise PlotError("no gnuplot (Debian package gnuplot-nox; scripts/setup installs it)")
    try:
        p = subprocess.run([prog, name + ".gp"], cwd=plots, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise PlotError(f"gnuplot {name}.gp: {e}")
    path = os.path.join(plots, png)
    if p.returncode != 0 or not os.path.exists(path) or os.path.getsize(path) == 0:
        raise PlotError(f"gnuplot {name}.gp failed: {(p.stderr or '').strip()[-400:]}")
    return png


def log_bins(hist):
    """{k: count} of 1 us buckets gathered into bins [10^(k/BINS), 10^((k+1)/BINS)) us; the
    bucket [U, U+1) falls in the bin of U + 0.5."""
    bins = {}
    for us, n in hist.items():
        k = math.floor(math.log10(us + 0.5) * BINS_PER_DECADE)
        bins[k] = bins.get(k, 0) + n
    return bins


def latency_hist(plots, name, title, curves):
    """Log-log histogram: curves = [(label, {us: count})], a curve per neighbour. The 1 us
    buckets are gathered into BINS_PER_DECADE bins per decade, so that a sparse tail still
    reads as a shape on a logarithmic axis; each bin is a step over its range."""
    curves = [(lab, h) for lab, h in curves if h]
    if not curves:
        return None
    data, plot = [], []
    for i, (lab, h) in enumerate(curves):
        bins = log_bins(h)
        data.append(f"# {lab}: bin_start_us bin_end_us samples")
        lo, hi = min(bins), max(bins)
        for k in range(lo, hi + 1):
            a, b = 10 ** (k / BINS_PER_DECADE), 10 ** ((k + 1) / BINS_PER_DECADE)
            data.append(f"{a:.6g} {b:.6g} {bins.get(k, 0)}")
        data.append(f"{10 ** ((hi + 1) / BINS_PER_DECADE):.6g} - 0")   # where the last bin ends
        data.append("\n")
        # Each bin's count held from its start to the next bin's start; empty bins drop to
        # the axis.
        plot.append(f"{quote(name + '.dat')} index {i} using 1:($3 > 0 ? $3 : 1e-9) with steps lw 2 "
                    f"title {quote(lab)}")
    script = [f"set title {quote(title)}", "set logscale xy",
              f"set xlabel 'wake-up latency (us; {BINS_PER_DECADE} bins per decade)'",
              "set ylabel 'samples per bin (summed over repetitions)'", "set yrange [0.8:*]", "set grid",
              "set key top right", "plot " + ", \\\n     ".join(plot)]
    return render(plots, name, script, "\n".join(data) + "\n")


def percentile_chart(plots, name, title, rows):
    """rows = [(label, {p50: Spread, p99: ..., p99.9: ..., max: ...})]: means with min-max
    error bars, log y."""
    if not any(s.n for _, ps in rows for s in ps.values()):
        return None
    data, plot = [], []
    names = [p for p, _ in summary.PERCENTILES]
    for j, p in enumerate(names):
        data.append(f"# {p}: x mean min max")
        for i, (_, ps) in enumerate(rows):
            s = ps[p]
            if s.n and s.mean and s.mean > 0:
                data.append(f"{i + OFFSETS[j]} {s.mean} {max(s.min, 0.5)} {s.max}")
        data.append("\n")
        plot.append(f"{quote(name + '.dat')} index {j} using 1:2:3:4 with yerrorbars pt {PERCENTILE_POINTS[j]} ps 1.2 title {quote(p)}")
    script = [f"set title {quote(title)}", "set logscale y", "set ylabel 'latency (us); bars: min-max over repetitions'",
              xtics([lab for lab, _ in rows]), "set xtics rotate by -30", f"set xrange [-0.6:{len(rows) - 0.4}]",
              "set grid ytics", "set key outside right top", "plot " + ", \\\n     ".join(plot)]
    return render(plots, name, script, "\n".join(data) + "\n")


def cb_tics(span):
    tics = [1.0]
    for t in (1.25, 1.5, 2, 3, 5, 10, 20, 50, 100, 1000):
        if t <= span:
            tics += [t, 1 / t]
    return sorted(tics)[::max(1, len(tics) // 9)] if len(tics) > 9 else sorted(tics)


def heatmap(plots, name, title, matrix):
    """Cells coloured by slowdown (white 1, blue better, red worse) and labelled with it;
    missing cells stay grey."""
    if not matrix.cells:
        return None
    cols, rows = matrix.cols, matrix.rows
    vals = [v for v in matrix.cells.values() if v > 0]
    # A logarithmic colour scale symmetric about 1: twice as slow is as red as twice as fast
    # is blue.
    span = max([1.1] + [max(v, 1 / v) for v in vals])
    data = ["# column row slowdown label"]
    for (row, col), v in matrix.cells.items():
        data.append(f"{cols.index(col)} {rows.index(row)} {v:.6g} {v:.2f}")
    script = [f"set title {quote(title)}", xtics(cols),
              "set ytics (" + ", ".join(f"{quote('none' if r == '-' else r)} {i}" for i, r in enumerate(rows)) + ")",
              f"set xrange [-0.5:{len(cols) - 0.5}]", f"set yrange [{len(rows) - 0.5}:-0.5]",
              "set xlabel 'configuration'", "set ylabel 'neighbour (guest B)'", "set xtics rotate by -30",
              "set logscale cb", f"set cbrange [{1 / span:.6g}:{span:.6g}]",
              "set palette defined (0 '#3b6fb6', 0.5 '#ffffff', 1 '#c0392b')",
              "set cbtics (" + ", ".join(f"'{t:.3g}' {t:.6g}" for t in cb_tics(span)) + ")",
              # Grey where no cell is drawn: missing is not the same as 1.
              "set object 1 rectangle from graph 0,0 to graph 1,1 behind fillcolor rgb '#d9d9d9' fillstyle solid 1.0",
              f"set cblabel {quote(matrix.what)}", "set style fill solid 1.0 noborder", "unset key",
              f"plot {quote(name + '.dat')} using 1:2:(0.5):(0.5):3 with boxxyerror lc palette, \\",
              "     '' using 1:2:4 with labels font ',12'"]
    return render(plots, name, script, "\n".join(data) + "\n")


def exits_chart(plots, name, title, reasons, rows):
    """Stacked bars: rows = [(label, {reason: exits/s})], one bar each, a colour per reason."""
    if not rows or not reasons:
        return None
    data = ["# label " + " ".join(reasons)]
    for lab, per, _ in rows:
        data.append(quote(lab) + " " + " ".join(f"{per.get(k, 0):.6g}" for k in reasons))
    plot = [f"{quote(name + '.dat')} using 2:xtic(1) title {quote(reasons[0])}"]
    plot += [f"'' using {i + 2} title {quote(k)}" for i, k in enumerate(reasons[1:], 1)]
    script = [f"set title {quote(title)}", "set style data histograms", "set style histogram rowstacked",
              "set style fill solid 0.85 border -1", "set boxwidth 0.7", "set xtics rotate by -30",
              "set ylabel 'exits per second of guest-mode time (mean over repetitions)'",
              "set grid ytics", "set key outside right top", "set yrange [0:*]",
              "plot " + ", \\\n     ".join(plot)]
    return render(plots, name, script, "\n".join(data) + "\n")
