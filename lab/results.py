# SPDX-License-Identifier: GPL-2.0-only
"""The guests' TWINMON-RESULT blocks in a console capture (docs/lab.md, "Workloads").

    TWINMON-RESULT-BEGIN workload=NAME version=1
    key=value                 (keys [a-z0-9_.]+, values without blanks)
    TWINMON-RESULT-END

A capture is a UART log: line ends are CR LF, a terminal escape sequence can come along, and
the kernel's messages can land among the block's lines on a shared console. The reader strips
CRs, escape sequences and control characters, takes the key=value lines between the markers
and skips every other line (a skipped line inside a block is noted in Capture.warnings).

A block of another version raises ResultsError ("FILE:LINE: ..."): its keys may mean
something else. A block cut short (no END: the run was stopped) is returned with
complete=False. A key given twice keeps its first value, with a warning.

Each block is a dict:
    workload  "cyclictest", "stress-ng", ...
    version   "1"
    line      the BEGIN marker's line number
    complete  True when the END marker came
    values    every key as text, in the block's order, hist_us.U included
    hist_us   {U: count} of the 1 us buckets (cyclictest), ints
"""
import math
import re

import console

VERSION = "1"
BEGIN = "TWINMON-RESULT-BEGIN"
END = "TWINMON-RESULT-END"
PAIR = re.compile(r"([a-z0-9_.]+)=(\S*)$")
HEADER_PAIR = re.compile(r"([a-z0-9_.]+)=(\S*)")
HIST_KEY = re.compile(r"hist_us\.([0-9]+)$")
# The init's second read of its timer interrupts, right before it powers off (docs/lab.md).
FINAL_TIMER = re.compile(r"TWINMON-INIT: timer_irqs ([0-9]+)$")


class ResultsError(ValueError):
    """A block this reader must not interpret (another format version)."""


class Capture:
    def __init__(self, path):
        self.path = path
        self.blocks = []
        self.warnings = []
        self.final_timer_irqs = None  # the last "TWINMON-INIT: timer_irqs N" line's N

    def last(self, complete=True):
        """The last block (the last complete one by default), or None."""
        for b in reversed(self.blocks):
            if b["complete"] or not complete:
                return b
        return None


def number(text):
    """int or float of a value's text, or None."""
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        pass
    try:
        f = float(text)
    except ValueError:
        return None
    return f if math.isfinite(f) else None  # no NaN, no infinity


def parse(lines, path="-"):
    cap = Capture(path)
    cur = None
    for n, raw in enumerate(lines, 1):
        line = console.clean(raw).strip()
        where = f"{path}:{n}"
        at = line.find(BEGIN)
        if at >= 0:
            if cur is not None:
                cap.warnings.append(f"{where}: warning: a new block begins before the END of the one at line {cur['line']}")
            head = dict(HEADER_PAIR.findall(line[at + len(BEGIN):]))
            version = head.get("version")
            if version != VERSION:
                raise ResultsError(f"{where}: {BEGIN} version={version}: this reader knows version "
                                   f"{VERSION} only (a newer twinmon? update lab/results.py)")
            cur = {"workload": head.get("workload", ""), "version": version, "line": n,
                   "complete": False, "values": {}, "hist_us": {}}
            cap.blocks.append(cur)
            continue
        if cur is None:
            t = FINAL_TIMER.search(line)
            if t:
                cap.final_timer_irqs = int(t.group(1))
            continue
        if END in line:
            cur["complete"] = True
            cur = None
            continue
        m = PAIR.match(line)
        if not m:
            if line:
                cap.warnings.append(f"{where}: note: skipped inside a result block: {line[:80]}")
            continue
        key, value = m.group(1), m.group(2)
        if key in cur["values"]:
            cap.warnings.append(f"{where}: warning: '{key}' again in the block at line {cur['line']}; the first value is kept")
            continue
        cur["values"][key] = value
        h = HIST_KEY.match(key)
        if h:
            n = number(value)
            if isinstance(n, int) and n >= 0:
                cur["hist_us"][int(h.group(1))] = n
            else:
                cap.warnings.append(f"{where}: warning: '{key}={value[:40]}' is not a count; the bucket is left out")
    if cur is not None:
        cap.warnings.append(f"{path}: warning: the block at line {cur['line']} has no END (the capture stops first)")
    return cap


def parse_file(path):
    """The blocks of a capture file (bytes that are not UTF-8 are replaced)."""
    with open(path, encoding="utf-8", errors="replace", newline="") as f:
        text = f.read()
    return parse(re.split(r"\r\n|\n|\r", text), path)
