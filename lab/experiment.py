# SPDX-License-Identifier: GPL-2.0-only
"""Read a lab experiment file (docs/lab.md, "The experiment file"): the parser, its checks and
the run matrix, shared by scripts/lab-experiment and scripts/lab.

  scripts/lab-experiment check FILE   validate; print a one-line summary
  scripts/lab-experiment runs FILE    validate; print the runs, one line each

Errors go to stderr as FILE:LINE:COLUMN: message (FILE: message for the file as a whole), all
of them, and the exit status is 1; a usage error exits 2. A run line is key=value words whose
values hold no blank, comma or percent sign as such: those are %XX escapes, the convention of
the guests' twinmon.args, so the args values go onto the kernel command line unchanged.
"""
import re
import sys

KINDS = ("direct", "alone", "twin", "partitioned")
POLICIES = ("wait", "switch")
MEASURES = ("cyclictest", "stress-ng")
NEIGHBOURS = ("idle", "stress-ng")
# The lab sets each workload's run time from [experiment] duration; args must not.
DURATION_FLAGS = {"cyclictest": ("-D", "--duration"), "stress-ng": ("-t", "--timeout")}
# stress-ng's stressors that work on files in their working directory: without a disk that is
# the guest's tmpfs, its RAM, so they would measure memory, not I/O. They need 'disk'.
IO_STRESSORS = ("--hdd", "-d", "--iomix", "--aio", "--aiol", "--readahead", "--seek",
                "--sync-file", "--fallocate")
# A neighbour's disk: an ext4 image of this many MiB (whole MiB, M or G).
DISK_MIB = (16, 16384)
SIZE = re.compile(r"([0-9]+)(M|G)$")
NAME = re.compile(r"[a-z0-9][a-z0-9_-]*$")
TIME = re.compile(r"([0-9]+)(us|ms|s)$")
KEYS = {
    "experiment": {"name", "repetitions", "duration", "margin", "settle", "timeout"},
    "config": {"kind", "slice", "policy"},
    "measure": {"workload", "args"},
    "neighbour": {"workload", "args", "disk"},
}


class Value:
    """A value with where it stands, for messages."""

    def __init__(self, text, line, col):
        self.text, self.line, self.col = text, line, col


class Section:
    def __init__(self, kind, name, line, col):
        self.kind, self.name, self.line, self.col = kind, name, line, col
        self.keys = {}
        # An error already said what is wrong with it: it takes its keys, but its meaning
        # is not checked (that would only repeat the error in other words).
        self.bad = False


class Experiment:
    def __init__(self, path):
        self.path = path
        self.errors = []
        self.sections = []

    def error(self, where, message):
        if where is None:
            self.errors.append(f"{self.path}: {message}")
        else:
            self.errors.append(f"{self.path}:{where.line}:{where.col}: {message}")


def parse_time_us(text):
    """Microseconds of '10ms', '2s', '500us', or None."""
    m = TIME.match(text)
    if not m:
        return None
    return int(m.group(1)) * {"us": 1, "ms": 1000, "s": 1000000}[m.group(2)]


def parse_size_mib(text):
    """MiB of '256M', '1G', or None."""
    m = SIZE.match(text)
    if not m:
        return None
    return int(m.group(1)) * (1024 if m.group(2) == "G" else 1)


def escape(text):
    """The twinmon.args encoding of one argument: blank, comma, percent and controls as %XX."""
    return "".join(c if c.isprintable() and c not in " ,%" else "%%%02X" % ord(c) for c in text)


def read(path, text):
    """Lines into sections and keys; syntax errors recorded on the way."""
    ex = Experiment(path)
    cur = None
    for n, raw in enumerate(text.splitlines(), 1):
        body = raw.split("#", 1)[0] if raw.lstrip().startswith("#") else re.sub(r"\s+#.*$", "", raw)
        stripped = body.strip()
        if not stripped:
            continue
        col = len(body) - len(body.lstrip()) + 1
        if stripped.startswith("["):
            m = re.match(r"\[\s*([a-z]+)(?:\s+(\S+))?\s*\]$", stripped)
            if not m:
                ex.error(Value(stripped, n, col), f"bad section header '{stripped}'")
                cur = None
                continue
            kind, name = m.group(1), m.group(2)
            where = Value(stripped, n, col)
            if kind not in KEYS:
                ex.error(where, f"unknown section [{kind}] (experiment, config, measure, neighbour)")
                cur = None
                continue
            if kind == "experiment" and name is not None:
                ex.error(where, "[experiment] takes no name")
            cur = Section(kind, name, n, col)
            if kind != "experiment":
                if name is None:
                    ex.error(where, f"[{kind}] needs a name: [{kind} NAME]")
                    cur.bad = True
                elif not NAME.match(name):
                    ex.error(where, f"bad name '{name}' (lower-case letters, digits, - and _)")
            for s in ex.sections:
                if s.kind == kind and s.name == name and not cur.bad:
                    label = f"[{kind} {name}]" if name else f"[{kind}]"
                    ex.error(where, f"{label} again (first at line {s.line})")
                    cur.bad = True
            ex.sections.append(cur)
            continue
        m = re.match(r"([A-Za-z0-9_.-]+)\s*=\s*(.*)$", stripped)
        if not m:
            ex.error(Value(stripped, n, col), "expected 'key = value' or '[section]'")
            continue
        key, value = m.group(1), m.group(2).strip()
        vcol = col + stripped.index("=") + 1
        vcol += len(stripped[stripped.index("=") + 1:]) - len(stripped[stripped.index("=") + 1:].lstrip())
        if cur is None:
            ex.error(Value(key, n, col), f"'{key}' outside a section")
            continue
        if key not in KEYS[cur.kind]:
            known = ", ".join(sorted(KEYS[cur.kind]))
            ex.error(Value(key, n, col), f"unknown key '{key}' in [{cur.kind}] ({known})")
            continue
        if key in cur.keys:
            ex.error(Value(key, n, col), f"'{key}' again (first at line {cur.keys[key].line})")
            continue
        if not value:
            ex.error(Value(key, n, vcol), f"'{key}' has no value")
            cur.bad = True
            continue
        cur.keys[key] = Value(value, n, vcol)
    return ex


def check_workload(ex, s, allowed):
    w = s.keys.get("workload")
    if w is None:
        ex.error(s, f"[{s.kind} {s.name}] has no 'workload' ({', '.join(allowed)})")
        return
    if w.text not in allowed:
        ex.error(w, f"unknown workload '{w.text}' for [{s.kind}] ({', '.join(allowed)})")
        return
    args = s.keys.get("args")
    if w.text == "idle" and args:
        ex.error(args, "an idle neighbour takes no args")
    if w.text == "stress-ng" and s.kind == "neighbour" and not args:
        ex.error(s, f"[neighbour {s.name}] needs 'args' (a stressor: --cpu 1, --cache 1, --stream 1, --vm 1)")
    disk = s.keys.get("disk")
    if disk:
        mib = parse_size_mib(disk.text)
        if mib is None or not DISK_MIB[0] <= mib <= DISK_MIB[1]:
            ex.error(disk, f"disk '{disk.text}' is not a size from {DISK_MIB[0]}M to "
                           f"{DISK_MIB[1] // 1024}G (256M, 1G)")
    elif w.text == "stress-ng" and s.kind == "neighbour" and args:
        for word in args.text.split():
            flag = word.split("=", 1)[0]
            if flag in IO_STRESSORS:
                ex.error(args, f"'{flag}' in args needs 'disk' (without one its files are in "
                               "the guest's tmpfs, its RAM: disk = 256M)")
                break
    for flag in DURATION_FLAGS.get(w.text, ()):
        for word in (args.text.split() if args else []):
            if word == flag or word.startswith(flag + "="):
                ex.error(args, f"'{flag}' in args: the run time comes from [experiment] duration")


def validate(ex):
    """The meaning: required keys, values in range, the sections an experiment needs."""
    exp = [s for s in ex.sections if s.kind == "experiment"]
    if not exp:
        ex.error(None, "no [experiment] section")
    for s in exp[:1]:
        if "name" not in s.keys:
            ex.error(s, "[experiment] has no 'name'")
        elif not NAME.match(s.keys["name"].text):
            ex.error(s.keys["name"], f"bad name '{s.keys['name'].text}' (lower-case letters, digits, - and _)")
        r = s.keys.get("repetitions")
        if r and not (r.text.isdigit() and 1 <= int(r.text) <= 1000):
            ex.error(r, f"repetitions '{r.text}' is not a number from 1 to 1000")
        for key, lo, hi in (("duration", 1000000, 3600000000), ("margin", 0, 3600000000),
                            ("settle", 0, 600000000), ("timeout", 10000000, 36000000000)):
            v = s.keys.get(key)
            if v is None:
                continue
            us = parse_time_us(v.text)
            if us is None or not lo <= us <= hi or us % 1000000:
                ex.error(v, f"{key} '{v.text}' is not whole seconds from {lo // 1000000}s to {hi // 1000000}s")
    for s in ex.sections:
        if s.bad:
            continue
        if s.kind == "config":
            kind = s.keys.get("kind")
            if kind is None:
                ex.error(s, f"[config {s.name}] has no 'kind' ({', '.join(KINDS)})")
                continue
            if kind.text not in KINDS:
                ex.error(kind, f"unknown kind '{kind.text}' ({', '.join(KINDS)})")
                continue
            for key in ("slice", "policy"):
                v = s.keys.get(key)
                if v and kind.text != "twin":
                    ex.error(v, f"'{key}' is for kind twin, not {kind.text}")
            v = s.keys.get("slice")
            if v and kind.text == "twin":
                us = parse_time_us(v.text)
                if us is None or not 50 <= us <= 1000000:
                    ex.error(v, f"slice '{v.text}' is not a time from 50us to 1s (500us, 10ms)")
            v = s.keys.get("policy")
            if v and kind.text == "twin" and v.text not in POLICIES:
                ex.error(v, f"unknown policy '{v.text}' ({', '.join(POLICIES)})")
        elif s.kind == "measure":
            check_workload(ex, s, MEASURES)
        elif s.kind == "neighbour":
            check_workload(ex, s, NEIGHBOURS)
    configs = [s for s in ex.sections if s.kind == "config"]
    if not configs:
        ex.error(None, "no [config NAME] section: nothing to compare")
    if not [s for s in ex.sections if s.kind == "measure"]:
        ex.error(None, "no [measure NAME] section: nothing to measure")
    shared = [s for s in configs if not s.bad and s.keys.get("kind") and s.keys["kind"].text in ("twin", "partitioned")]
    if shared and not [s for s in ex.sections if s.kind == "neighbour"]:
        ex.error(shared[0], f"[config {shared[0].name}] runs two guests but no [neighbour NAME] says what B runs")


def runs(ex):
    """The matrix: every config, measure and neighbour (none for one guest), repetition by
    repetition, so that a drift of the host over time weighs on every configuration alike."""
    exp = next(s for s in ex.sections if s.kind == "experiment")
    reps = int(exp.keys["repetitions"].text) if "repetitions" in exp.keys else 1
    duration = parse_time_us(exp.keys["duration"].text) // 1000000 if "duration" in exp.keys else 10
    timeout = parse_time_us(exp.keys["timeout"].text) // 1000000 if "timeout" in exp.keys else 600
    margin = parse_time_us(exp.keys["margin"].text) // 1000000 if "margin" in exp.keys else 30
    settle = parse_time_us(exp.keys["settle"].text) // 1000000 if "settle" in exp.keys else 0
    out = []
    for rep in range(1, reps + 1):
        for c in (s for s in ex.sections if s.kind == "config"):
            kind = c.keys["kind"].text
            two = kind in ("twin", "partitioned")
            neighbours = [s for s in ex.sections if s.kind == "neighbour"] if two else [None]
            for m in (s for s in ex.sections if s.kind == "measure"):
                for nb in neighbours:
                    out.append((c, kind, m, nb, rep))
    lines = []
    for i, (c, kind, m, nb, rep) in enumerate(out, 1):
        w = m.keys["workload"].text
        words = m.keys["args"].text.split() if "args" in m.keys else []
        words += ["-D", f"{duration}s"] if w == "cyclictest" else ["--timeout", f"{duration}s"]
        f = [f"run={i}", f"of={len(out)}", f"experiment={exp.keys['name'].text}",
             f"config={c.name}", f"kind={kind}"]
        if kind == "twin":
            f += [f"slice={c.keys['slice'].text if 'slice' in c.keys else '10ms'}",
                  f"policy={c.keys['policy'].text if 'policy' in c.keys else 'wait'}"]
        f += [f"measure={m.name}", f"a_run={w}", "a_args=" + ",".join(escape(x) for x in words)]
        if settle:
            # A waits this long before measuring, so that a neighbour slower to start (one
            # with a disk) is at work for the whole measurement.
            f.append(f"a_settle_s={settle}")
        if nb is None:
            f.append("neighbour=-")
        else:
            f.append(f"neighbour={nb.name}")
            nw = nb.keys["workload"].text
            f.append(f"b_run={'-' if nw == 'idle' else nw}")
            f.append(f"b_stay_s={settle + duration + margin}")
            if nw != "idle":
                # The neighbour outlasts the measurement and A's boot beside it: both guests
                # must stop for the monitor's end-of-run statistics.
                nwords = nb.keys["args"].text.split() + ["--timeout", f"{settle + duration + margin}s"]
                f.append("b_args=" + ",".join(escape(x) for x in nwords))
            if "disk" in nb.keys:
                f.append(f"b_disk_mib={parse_size_mib(nb.keys['disk'].text)}")
        f += [f"rep={rep}", f"duration_s={duration}", f"timeout_s={timeout}"]
        lines.append(" ".join(f))
    return lines


def load(path):
    """The experiment in the file at path, validated: (Experiment, text). On a file that cannot
    be read, ex.errors holds the one message and text is None."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except (OSError, UnicodeDecodeError) as e:
        ex = Experiment(path)
        ex.errors.append(f"{path}: {e.strerror if isinstance(e, OSError) else 'not UTF-8 text'}")
        return ex, None
    ex = read(path, text)
    validate(ex)
    return ex, text


def name(ex):
    """The [experiment] name of a valid experiment."""
    return next(s for s in ex.sections if s.kind == "experiment").keys["name"].text


def parse_run(line):
    """A run line of runs() back into a dict of its words (values still escaped)."""
    return dict(word.split("=", 1) for word in line.split())


def main(argv):
    if len(argv) != 3 or argv[1] not in ("check", "runs"):
        print("usage: lab-experiment check|runs FILE", file=sys.stderr)
        return 2
    path = argv[2]
    ex, _ = load(path)
    if ex.errors:
        for e in ex.errors:
            print(e, file=sys.stderr)
        return 1
    lines = runs(ex)
    if argv[1] == "runs":
        print("\n".join(lines))
    else:
        count = {k: sum(1 for s in ex.sections if s.kind == k) for k in ("config", "measure", "neighbour")}
        print(f"{path}: ok: {count['config']} configurations, {count['measure']} measurements, "
              f"{count['neighbour']} neighbours, {len(lines)} runs")
    return 0
