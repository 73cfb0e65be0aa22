# SPDX-License-Identifier: GPL-2.0-only
"""The monitor's TWINMON-STATS records (docs/lab.md, "Monitor statistics").

    TWINMON-STATS v=1 scope=SCOPE when=WHEN tsc=T [guest=L] [vcpu=K] [cpu=C] key=value ...

The header is everything up to and including the identifying keys (guest, vcpu, cpu, in that
order). A record too long for one log line goes on in further lines with the same header: the
reader merges them. Keys it does not know are kept as they are.

What is refused and what is skipped:
- a version other than 1 raises StatsError ("FILE:LINE: ..."): the keys may mean something
  else, so no figure of the file is trusted;
- a malformed line (no v/scope/when/tsc in that order, a word that is not key=value, a key
  twice in one record) is skipped, or the repeated key ignored, with a warning in
  Stats.warnings ("FILE:LINE: warning: ..."): on a serial console a line can be cut or
  garbled, and one such line should not cost the run its other records.
"""
import re

import console

VERSION = "1"
MARKER = "TWINMON-STATS"
HEAD_KEYS = ("v", "scope", "when", "tsc")
ID_KEYS = ("guest", "vcpu", "cpu")
# ANSI/VT escape sequences a console may carry (CSI, OSC, two-byte ESC sequences).
KEY = re.compile(r"[A-Za-z0-9_.]+$")
INT = re.compile(r"-?[0-9]+$")
HIST_BUCKET = re.compile(r"(.+)_log2_([0-9]+)$")


class StatsError(ValueError):
    """A file this reader must not interpret (another format version)."""


class Hist:
    """A log2 histogram of cycles: bucket K counts values in [2^K, 2^(K+1)) (0 holds 0 and 1)."""

    def __init__(self, name, count=0, sum=0, min=None, max=None, buckets=None):
        self.name, self.count, self.sum, self.min, self.max = name, count, sum, min, max
        self.buckets = dict(buckets or {})

    @property
    def mean(self):
        return self.sum / self.count if self.count else None

    def __repr__(self):
        return (f"Hist({self.name!r}, count={self.count}, sum={self.sum}, min={self.min}, "
                f"max={self.max}, buckets={self.buckets})")


class Record:
    """One record: its header's fields, its keys (ints, or text where not a number)."""

    def __init__(self, header, fields, line):
        self.header = header
        self.v = fields["v"]
        self.scope = fields["scope"]
        self.when = fields["when"]
        self.tsc = to_value(fields["tsc"])
        self.guest = fields.get("guest")
        self.vcpu = to_value(fields["vcpu"]) if "vcpu" in fields else None
        self.cpu = to_value(fields["cpu"]) if "cpu" in fields else None
        self.values = {}
        self.lines = [line]

    @property
    def name(self):
        """The record's scope as results.csv names it: monitor, guest.a, vcpu.a.0, cpu.0."""
        if self.scope == "monitor":
            return "monitor"
        if self.scope == "guest":
            return f"guest.{self.guest}"
        if self.scope == "vcpu":
            return f"vcpu.{self.guest}.{self.vcpu}"
        if self.scope == "cpu":
            return f"cpu.{self.cpu}"
        parts = [self.scope] + [str(x) for x in (self.guest, self.vcpu, self.cpu) if x is not None]
        return ".".join(parts)

    def get(self, key, default=None):
        return self.values.get(key, default)

    def hist_names(self):
        names = []
        for k in self.values:
            m = HIST_BUCKET.match(k)
            name = k[:-len("_count")] if k.endswith("_count") else (m.group(1) if m else None)
            if name and name not in names:
                names.append(name)
        return names

    def hist(self, name):
        """The histogram NAME (NAME_count, _sum, _min, _max, _log2_K), or None if absent."""
        v = self.values
        if f"{name}_count" not in v:
            return None
        buckets = {}
        for k, n in v.items():
            m = HIST_BUCKET.match(k)
            if m and m.group(1) == name and isinstance(n, int):
                buckets[int(m.group(2))] = n
        # A garbled figure (text where a number belongs) leaves the histogram out, as if
        # absent, rather than failing whoever computes with it.
        count, total = v.get(f"{name}_count"), v.get(f"{name}_sum", 0)
        low, high = v.get(f"{name}_min"), v.get(f"{name}_max")
        if not isinstance(count, int) or not isinstance(total, int):
            return None
        return Hist(name, count, total, low if isinstance(low, int) else None,
                    high if isinstance(high, int) else None, dict(sorted(buckets.items())))

    @property
    def hists(self):
        return {n: self.hist(n) for n in self.hist_names() if self.hist(n)}


class Stats:
    """The records of one log, in the order their first line came."""

    def __init__(self, path):
        self.path = path
        self.records = []
        self.warnings = []

    def select(self, scope=None, when=None, guest=None, vcpu=None, cpu=None):
        return [r for r in self.records
                if (scope is None or r.scope == scope) and (when is None or r.when == when)
                and (guest is None or r.guest == guest) and (vcpu is None or r.vcpu == vcpu)
                and (cpu is None or r.cpu == cpu)]

    def end(self):
        """The records of the last end-of-run emission (all of one emission share its tsc)."""
        ends = [r for r in self.records if r.when == "end"]
        if not ends:
            return []
        last = ends[-1].tsc
        return [r for r in ends if r.tsc == last]

    def end_record(self, scope, guest=None, vcpu=None, cpu=None):
        for r in self.end():
            if r.scope == scope and r.guest == guest and r.vcpu == vcpu and r.cpu == cpu:
                return r
        return None


def to_value(text):
    return int(text) if INT.match(text) else text


def parse(lines, path="-"):
    """Stats of an iterable of lines (text); raises StatsError on another version."""
    st = Stats(path)
    by_header = {}
    for n, raw in enumerate(lines, 1):
        line = console.clean(raw.rstrip("\r\n"))
        at = line.find(MARKER + " ")
        if at < 0:
            continue
        words = line[at:].split()[1:]
        where = f"{path}:{n}"
        pairs = []
        for w in words:
            k, eq, val = w.partition("=")
            if not eq or not KEY.match(k):
                pairs = None
                st.warnings.append(f"{where}: warning: '{w}' is not key=value; line skipped")
                break
            pairs.append((k, val))
        if pairs is None:
            continue
        if len(pairs) < 4 or tuple(k for k, _ in pairs[:4]) != HEAD_KEYS:
            st.warnings.append(f"{where}: warning: a record starts with v, scope, when, tsc; line skipped")
            continue
        if pairs[0][1] != VERSION:
            raise StatsError(f"{where}: {MARKER} v={pairs[0][1]}: this reader knows v={VERSION} only "
                             f"(a newer twinmon? update lab/stats.py)")
        i = 4
        ids = [k for k in ID_KEYS]
        while i < len(pairs) and pairs[i][0] in ids:
            ids = ids[ids.index(pairs[i][0]) + 1:]
            i += 1
        fields = dict(pairs[:i])
        header = " ".join(f"{k}={v}" for k, v in pairs[:i])
        rec = by_header.get(header)
        if rec is None:
            rec = by_header[header] = Record(header, fields, n)
            st.records.append(rec)
        elif n not in rec.lines:
            rec.lines.append(n)
        for k, val in pairs[i:]:
            if k in rec.values:
                st.warnings.append(f"{where}: warning: '{k}' again in the record '{header}'; "
                                   f"the first value ({rec.values[k]}) is kept")
                continue
            rec.values[k] = to_value(val)
    return st


def parse_file(path):
    """Stats of a file (bytes that are not UTF-8 are replaced, as a console may garble)."""
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        return parse(re.split(r"\r\n|\n|\r", f.read()), path)
