# SPDX-License-Identifier: GPL-2.0-only
"""scripts/lab-report on a synthetic lab output (tests/lab/fake_out.py: two configurations, two
measurements, two neighbours, two repetitions; a failed run, a run not run, a guest that does
not report its timer count): results.csv, the PNGs, report.md, the exit status; and the
interference matrix's baseline rule on hand-made runs."""
import csv
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "lab"))
sys.path.insert(0, HERE)

import fake_out  # noqa: E402
import outdir  # noqa: E402
import summary  # noqa: E402

TOOL = os.path.join(ROOT, "scripts", "lab-report")


def lab_report(*args, env=None):
    return subprocess.run([sys.executable, TOOL] + list(args), capture_output=True, text=True, env=env)


def png_size(path):
    """(width, height) of a PNG file, or an AssertionError: the signature, then IHDR first."""
    with open(path, "rb") as f:
        head = f.read(33)
    assert len(head) == 33, f"{path}: {len(head)} bytes"
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path}: no PNG signature"
    length, kind = struct.unpack(">I4s", head[8:16])
    assert (length, kind) == (13, b"IHDR"), f"{path}: first chunk {kind} ({length} bytes)"
    return struct.unpack(">II", head[16:24])


class Report(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="twinmon-report-test-")
        cls.out = os.path.join(cls.tmp, "out")
        cls.specs = fake_out.make(cls.out)
        cls.proc = lab_report(cls.out)
        with open(os.path.join(cls.out, "results.csv"), newline="") as f:
            cls.rows = list(csv.DictReader(f))
        with open(os.path.join(cls.out, "report.md")) as f:
            cls.md = f.read()

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def get(self, run, scope, metric):
        found = [r["value"] for r in self.rows if r["run"] == str(run) and r["scope"] == scope and r["metric"] == metric]
        self.assertLessEqual(len(found), 1, f"run {run} {scope} {metric} twice")
        return found[0] if found else None

    def test_exit_and_summary(self):
        self.assertEqual(self.proc.returncode, 0, self.proc.stderr)
        self.assertIn("(12 runs: 1 failed, 1 not-run, 10 ok)", self.proc.stdout)

    def test_csv_columns_and_guest_blocks(self):
        with open(os.path.join(self.out, "results.csv")) as f:
            self.assertEqual(f.readline().strip(), "run,rep,config,kind,slice,policy,measure,neighbour,status,scope,metric,value")
        r1 = [r for r in self.rows if r["run"] == "1"][0]
        self.assertEqual({k: r1[k] for k in ("rep", "config", "kind", "slice", "policy", "measure", "neighbour", "status")},
                         {"rep": "1", "config": "alone", "kind": "alone", "slice": "", "policy": "", "measure": "latency",
                          "neighbour": "-", "status": "ok"})
        # Every key of A's block, histogram buckets included, in the block's order.
        a = [r for r in self.rows if r["run"] == "1" and r["scope"] == "a"]
        self.assertEqual([r["metric"] for r in a[:6]], ["workload", "version", "complete", "exit", "wall_s", "threads"])
        hist = sum(int(r["value"]) for r in a if r["metric"].startswith("hist_us."))
        self.assertEqual(hist + int(self.get(1, "a", "overflows")), int(self.get(1, "a", "samples")))
        self.assertEqual(self.get(1, "run", "seconds"), "41")
        r4 = [r for r in self.rows if r["run"] == "4"][0]
        self.assertEqual((r4["kind"], r4["slice"], r4["policy"], r4["neighbour"]), ("twin", "1ms", "wait", "hog"))
        self.assertEqual(self.get(4, "b", "stressor.cpu.bogo_ops_per_second_real_time"), "70.000000")
        self.assertIsNone(self.get(3, "b", "exit"))   # an idle neighbour prints no block

    def test_csv_monitor_records(self):
        self.assertEqual(self.get(1, "monitor", "tsc_khz"), str(fake_out.TSC_KHZ))
        self.assertEqual(self.get(4, "guest.a", "irq_delay_count"), "4004")
        self.assertIsNotNone(self.get(4, "guest.b", "exit.intr"))
        self.assertIsNotNone(self.get(4, "vcpu.a.0", "slot_count"))
        self.assertTrue(any(r["metric"].startswith("slot_log2_") for r in self.rows if r["run"] == "4" and r["scope"] == "vcpu.b.0"))
        self.assertEqual(self.get(4, "vcpu.a.0", "future_key"), "7")
        self.assertEqual(self.get(4, "cpu.0", "guests"), "a,b")
        self.assertEqual(self.get(1, "cpu.0", "guests"), "a")
        self.assertIsNone(self.get(1, "guest.b", "exits"))

    def test_csv_failed_and_not_run(self):
        failed = [r for r in self.rows if r["run"] == str(fake_out.FAILED_RUN)]
        self.assertTrue(failed and all(r["status"] == "failed" for r in failed))
        self.assertEqual(self.get(fake_out.FAILED_RUN, "run", "reason"), "timeout: guest A printed no result in 600 s")
        self.assertEqual(self.get(fake_out.FAILED_RUN, "run", "exit"), "124")
        # A's block was cut short: its lines so far, marked incomplete; the monitor printed nothing.
        self.assertEqual({r["scope"] for r in failed}, {"run", "a"})
        self.assertEqual(self.get(fake_out.FAILED_RUN, "a", "complete"), "0")
        self.assertEqual(self.get(fake_out.FAILED_RUN, "a", "exit"), "0")
        self.assertEqual(self.get(1, "a", "complete"), "1")
        self.assertEqual([r for r in self.rows if r["run"] == str(fake_out.NOT_RUN)], [])

    def test_pngs(self):
        want = {"latency-latency-alone", "latency-latency-twin-1ms", "percentiles-latency", "interference-latency",
                "interference-cpu", "exits-latency-a", "exits-latency-b", "exits-cpu-a", "exits-cpu-b"}
        pngs = {n[:-4] for n in os.listdir(os.path.join(self.out, "plots")) if n.endswith(".png")}
        self.assertEqual(pngs, want)
        for n in want:
            w, h = png_size(os.path.join(self.out, "plots", n + ".png"))
            self.assertGreater(w * h, 0)
            self.assertTrue(os.path.exists(os.path.join(self.out, "plots", n + ".gp")))
            self.assertIn(f"![{n}.png](plots/{n}.png)", self.md)

    def test_report_sections(self):
        heads = [line for line in self.md.splitlines() if line.startswith("#")]
        self.assertEqual(heads[0], "# Lab report: fake")
        for h in ("## What was asked", "## Runs", "## Latency: measure `latency`", "### Percentiles",
                  "## Throughput: measure `cpu`", "## Interference", "## The monitor's view", "## Monitor vs guest view",
                  "## Failed runs and notes", "## Reproducibility"):
            self.assertIn(h, heads)
        self.assertIn("> Does a CPU hog in guest B disturb guest A? (a test's experiment)", self.md)
        self.assertIn("| latency | cyclictest | `-i 1000 -h 2000 -q -m -D 4s` |", self.md)
        self.assertIn("| config | neighbour | runs | p50 | p99 | p99.9 | max |", self.md)
        self.assertIn("absolute times mean little", self.md)

    def test_percentile_and_interference_numbers(self):
        def p99(runs):
            return sum(int(self.get(n, "a", "p99_us")) for n in runs) / len(runs)
        ratio = p99([4, 10]) / p99([1, 7])   # twin-1ms/hog against alone, two repetitions each
        self.assertIn(f"| hog |  | {ratio:.2f} |", self.md)
        # Run 9 (twin-1ms/idle, repetition 2) failed: its group has one usable run.
        section = self.md.split("### Percentiles")[1].split("## Throughput")[0]
        idle = [line for line in section.splitlines() if line.startswith("| twin-1ms | idle | 1 | ")]
        self.assertEqual(len(idle), 1, "percentile row of twin-1ms/idle")
        rate = lambda runs: sum(float(self.get(n, "a", "stressor.cpu.bogo_ops_per_second_real_time")) for n in runs) / len(runs)
        self.assertIn(f"| hog |  | {rate([2, 8]) / rate([6]):.2f} |", self.md)

    def test_monitor_delays(self):
        section = self.md.split("## The monitor's view")[1].split("## Monitor vs guest view")[0]
        self.assertIn("| config | neighbour | runs | mean delay (us) | largest (us) |", section)
        rows = [x for x in section.splitlines() if x.startswith("| twin-1ms | hog | ")]
        # latency: runs 4 and 10; cpu: run 6 (12 did not run).
        self.assertEqual([x.split(" | ")[2] for x in rows], ["2", "1"])

    def test_crosscheck(self):
        line = lambda run, g: [x for x in self.md.splitlines() if x.startswith(f"| {run} | ") and f" | {g} | " in x][-1]
        self.assertIn("| A | 3964 | 4000 | 4004 | 4 | yes | 4005 |", line(4, "A"))
        self.assertIn("| B | 4994 | 5001 | 5004 | 3 | yes |", line(4, "B"))
        self.assertIn("| A | not reported | 3999 | 4003 | 4 | yes |", line(fake_out.NO_TIMER_KEY, "A"))
        self.assertIn("| A | 3970 | 3510 | 4010 | 500 | **no** |", line(fake_out.OUTSIDE_RUN, "A"))
        self.assertIn("within tolerance; outside: run 10 guest A.", self.md)
        self.assertIn("idle (no result block)", line(3, "B"))
        self.assertIn("no monitor record", line(fake_out.FAILED_RUN, "A"))

    def test_failures_and_reproducibility(self):
        self.assertIn("| 9 | twin-1ms | latency | idle | failed | 600 | timeout: guest A printed no result in 600 s |", self.md)
        self.assertIn("Not run: 12.", self.md)
        self.assertIn("has no END", self.md)
        with open(os.path.join(self.out, "experiment.exp")) as f:
            self.assertIn("```\n" + f.read() + "```", self.md)
        for text in ("git revision `40a9e32`", "| rt-tests | 2.4-1 |", "| gnuplot-nox | (not recorded) |",
                     "| something_new | 42 |", "QEMU emulator version 7.2.15", "AMD EPYC 7B13 (2 CPUs)",
                     "- `alone` (run 1):", "- `twin` (run 3):", "git checkout 40a9e32"):
            self.assertIn(text, self.md)


class ExitStatus(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="twinmon-report-test-")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_unusable(self):
        p = lab_report(self.tmp)
        self.assertEqual((p.returncode, p.stdout), (1, ""))
        self.assertEqual(p.stderr, f"lab-report: {self.tmp}: no runs.txt (is this a directory scripts/lab wrote?)\n")
        with open(os.path.join(self.tmp, "runs.txt"), "w") as f:
            f.write("# nothing yet\n")
        p = lab_report(self.tmp)
        self.assertEqual((p.returncode, p.stderr), (1, f"lab-report: {self.tmp}/runs.txt: no run lines\n"))
        p = lab_report(os.path.join(self.tmp, "absent"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("not a directory", p.stderr)

    def test_usage(self):
        self.assertEqual(lab_report().returncode, 2)
        self.assertEqual(lab_report("a", "b").returncode, 2)

    def test_nothing_run_yet_and_no_gnuplot(self):
        """A lab stopped before its first run, and a host without gnuplot: still a report."""
        out = os.path.join(self.tmp, "out")
        fake_out.make(out)
        shutil.rmtree(os.path.join(out, "runs"))
        os.unlink(os.path.join(out, "env.txt"))
        env = dict(os.environ, PATH=os.path.join(self.tmp, "no-such-bin"))
        p = lab_report(out, env=env)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(os.path.join(out, "report.md")) as f:
            md = f.read()
        self.assertIn("12 not-run", md)
        self.assertIn("nothing to draw: no usable run", md)
        self.assertIn("(not recorded)", md)


def run(spec, status="ok", p99=None, rate=None):
    """A hand-made Run with A's block holding p99_us or a stress-ng rate."""
    words = dict(run="1", measure="m", neighbour="-", b_run="-")
    words.update(spec)
    r = outdir.Run(words, "")
    r.status = status
    values = {"status": "ok"}
    if p99 is not None:
        values["p99_us"] = str(p99)
    if rate is not None:
        values["stressor.matrix.bogo_ops_per_second_real_time"] = str(rate)
    r.a = {"workload": r.a_run, "version": "1", "line": 1, "complete": True, "values": values, "hist_us": {}}
    return r


def fake(runs):
    out = outdir.Out.__new__(outdir.Out)
    out.runs, out.path = runs, "x"
    return out


class Baseline(unittest.TestCase):
    """The interference matrix: `alone` if present, else `direct`, else each config's idle
    neighbour; p99 ratio for latency, baseline/value for throughput."""

    def test_alone_before_direct(self):
        out = fake([run(dict(config="d", kind="direct", a_run="cyclictest"), p99=50),
                    run(dict(config="al", kind="alone", a_run="cyclictest"), p99=100),
                    run(dict(config="t", kind="twin", a_run="cyclictest", neighbour="hog", b_run="stress-ng"), p99=300),
                    run(dict(config="t", kind="twin", a_run="cyclictest", neighbour="hog", b_run="stress-ng"), p99=500)])
        mx = summary.interference(out, "m")
        self.assertEqual(mx.cells, {("-", "d"): 0.5, ("-", "al"): 1.0, ("hog", "t"): 4.0})
        self.assertIn("`al` (alone)", mx.baseline)

    def test_direct(self):
        out = fake([run(dict(config="d", kind="direct", a_run="stress-ng"), rate=80),
                    run(dict(config="t", kind="twin", a_run="stress-ng", neighbour="hog", b_run="stress-ng"), rate=20),
                    run(dict(config="t", kind="twin", a_run="stress-ng", neighbour="hog", b_run="stress-ng"),
                        status="failed", rate=1)])
        self.assertEqual(summary.interference(out, "m").cells, {("-", "d"): 1.0, ("hog", "t"): 4.0})

    def test_idle_neighbour_per_config(self):
        tw = dict(kind="twin", a_run="cyclictest")
        out = fake([run(dict(tw, config="t1", neighbour="idle"), p99=100),
                    run(dict(tw, config="t1", neighbour="hog", b_run="stress-ng"), p99=200),
                    run(dict(tw, config="t2", neighbour="idle"), p99=1000),
                    run(dict(tw, config="t2", neighbour="hog", b_run="stress-ng"), p99=1500),
                    run(dict(tw, config="t3", neighbour="hog", b_run="stress-ng"), p99=1)])
        mx = summary.interference(out, "m")
        self.assertEqual(mx.cells, {("idle", "t1"): 1.0, ("hog", "t1"): 2.0, ("idle", "t2"): 1.0, ("hog", "t2"): 1.5})
        self.assertEqual((mx.rows, mx.cols), (["idle", "hog"], ["t1", "t2", "t3"]))
        self.assertIn("idle neighbour `idle`", mx.baseline)


if __name__ == "__main__":
    unittest.main()
