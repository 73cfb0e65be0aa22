# SPDX-License-Identifier: GPL-2.0-only
"""A lab output directory as scripts/lab leaves it (docs/lab.md, "The report"):

    OUT/experiment.exp, OUT/runs.txt (a run line each), OUT/env.txt (key=value lines)
    OUT/runs/NNN/{spec,status,twinmon.conf,run/{com1.log,com2.log,monitor.log,qemu.log,cmdline}}

read into Run objects: the run line's fields, the status, guest A's and B's last result block
(com1, com2) and the monitor's records. Whatever is missing or unreadable becomes a note on the
run, never an exception: a report is written for what is there.
"""
import os
import re

import results
import stats


class Unusable(Exception):
    """OUT cannot give a report (no runs.txt, no run line in it)."""


class Run:
    def __init__(self, spec, line):
        self.spec = spec
        self.line = line
        self.number = int(spec["run"])
        self.rep = spec.get("rep", "")
        self.config = spec.get("config", "")
        self.kind = spec.get("kind", "")
        self.slice = spec.get("slice", "")
        self.policy = spec.get("policy", "")
        self.measure = spec.get("measure", "")
        self.neighbour = spec.get("neighbour", "-")
        self.a_run = spec.get("a_run", "")
        self.b_run = spec.get("b_run", "-")
        self.dir = None
        self.status = "not-run"
        self.seconds = None
        self.exit = None
        self.reason = ""
        self.a = None          # guest A's last complete result block (results.parse)
        self.b = None
        # A block cut short (no END) when there is no complete one: its figures go into
        # results.csv (with complete=0), never into means.
        self.partial = {}
        self.final_timer = {}  # guest letter: its timer interrupts right before power-off
        self.stats = None      # stats.Stats of monitor.log
        self.cmdline = None
        self.notes = []        # what is missing or odd, for the report

    @property
    def two_guests(self):
        return self.neighbour not in ("-", "")

    @property
    def monitored(self):
        return self.kind != "direct"

    def usable(self):
        """The run counts in means: it ended ok and A's block says ok."""
        return (self.status == "ok" and self.a is not None
                and self.a["values"].get("status") == "ok")


def decode_args(text):
    """The words of a twinmon.args value (commas between words, %XX escapes)."""
    if not text or text == "-":
        return []
    return [re.sub(r"%([0-9A-Fa-f]{2})", lambda m: chr(int(m.group(1), 16)), w) for w in text.split(",")]


def parse_run_line(line):
    spec = {}
    for w in line.split():
        k, eq, v = w.partition("=")
        if not eq:
            return None
        spec[k] = v
    return spec if spec.get("run", "").isdigit() else None


def read_runs(path):
    """The run lines of runs.txt, with warnings for lines that are not run lines."""
    runs, warnings = [], []
    with open(path, encoding="utf-8", errors="replace") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            spec = parse_run_line(line)
            if spec is None:
                warnings.append(f"{path}:{n}: warning: not a run line (key=value words with run=N); skipped")
                continue
            runs.append(Run(spec, line))
    return runs, warnings


def read_env(path):
    """env.txt's key=value lines as a dict ({} if the file is absent)."""
    env = {}
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            for line in f:
                line = line.rstrip("\n")
                k, eq, v = line.partition("=")
                if eq and k.strip() and not k.startswith("#"):
                    env[k.strip()] = v.strip()
    except OSError:
        pass
    return env


def read_status(path):
    """(status, seconds, exit, reason) of a status line: ok|failed seconds=S exit=E [reason=...]."""
    with open(path, encoding="utf-8", errors="replace") as f:
        line = f.readline().strip()
    word, _, rest = line.partition(" ")
    reason = ""
    if " reason=" in " " + rest:
        rest, _, reason = (" " + rest).partition(" reason=")
    fields = dict(w.partition("=")[::2] for w in rest.split() if "=" in w)
    seconds = results.number(fields.get("seconds"))
    code = results.number(fields.get("exit"))
    return word or "unknown", seconds, code, reason.strip()


def run_dirs(out):
    """{run number: directory} of OUT/runs/NNN (any zero padding)."""
    found = {}
    base = os.path.join(out, "runs")
    try:
        names = os.listdir(base)
    except OSError:
        return found
    for name in names:
        if name.isdigit() and os.path.isdir(os.path.join(base, name)):
            found.setdefault(int(name), os.path.join(base, name))
    return found


def load_capture(run, path, who):
    if not os.path.exists(path):
        return None
    try:
        cap = results.parse_file(path)
    except results.ResultsError as e:
        run.notes.append(str(e))
        return None
    except OSError as e:
        run.notes.append(f"{path}: {e.strerror}")
        return None
    run.notes.extend(w for w in cap.warnings if ": warning:" in w)
    run.final_timer[who.lower()] = cap.final_timer_irqs
    block = cap.last()
    if block is None:
        run.notes.append(f"{path}: no complete result block from guest {who}")
        if cap.last(complete=False):
            run.partial[who.lower()] = cap.last(complete=False)
    elif block["values"].get("status") not in (None, "ok"):
        run.notes.append(f"guest {who}'s {block['workload']}: status={block['values'].get('status')} "
                         f"exit={block['values'].get('exit')}")
    return block


def load_run(run, d):
    run.dir = d
    sp = os.path.join(d, "status")
    if os.path.exists(sp):
        try:
            run.status, run.seconds, run.exit, run.reason = read_status(sp)
        except OSError as e:
            run.notes.append(f"{sp}: {e.strerror}")
    logs = os.path.join(d, "run")
    run.a = load_capture(run, os.path.join(logs, "com1.log"), "A")
    if run.two_guests and run.b_run != "-":
        run.b = load_capture(run, os.path.join(logs, "com2.log"), "B")
    mp = os.path.join(logs, "monitor.log")
    if run.monitored and os.path.exists(mp):
        try:
            run.stats = stats.parse_file(mp)
            run.notes.extend(run.stats.warnings)
            if not run.stats.end() and run.status != "not-run":
                run.notes.append(f"{mp}: no end-of-run TWINMON-STATS records")
        except stats.StatsError as e:
            run.notes.append(str(e))
        except OSError as e:
            run.notes.append(f"{mp}: {e.strerror}")
    cp = os.path.join(logs, "cmdline")
    if os.path.exists(cp):
        with open(cp, encoding="utf-8", errors="replace") as f:
            run.cmdline = f.read().strip()


class Out:
    def __init__(self, path):
        self.path = path
        rp = os.path.join(path, "runs.txt")
        if not os.path.isdir(path):
            raise Unusable(f"{path}: not a directory")
        if not os.path.isfile(rp):
            raise Unusable(f"{path}: no runs.txt (is this a directory scripts/lab wrote?)")
        self.runs, self.warnings = read_runs(rp)
        if not self.runs:
            raise Unusable(f"{rp}: no run lines")
        self.env = read_env(os.path.join(path, "env.txt"))
        try:
            with open(os.path.join(path, "experiment.exp"), encoding="utf-8", errors="replace") as f:
                self.experiment_text = f.read()
        except OSError:
            self.experiment_text = None
        dirs = run_dirs(path)
        for r in self.runs:
            if r.number in dirs:
                load_run(r, dirs[r.number])

    @property
    def name(self):
        return self.runs[0].spec.get("experiment", os.path.basename(os.path.normpath(self.path)))

    def ordered(self, attr, runs=None):
        """The distinct values of a run attribute in the order the runs first name them."""
        seen = []
        for r in runs if runs is not None else self.runs:
            v = getattr(r, attr)
            if v not in seen:
                seen.append(v)
        return seen
