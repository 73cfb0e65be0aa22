# SPDX-License-Identifier: GPL-2.0-only
"""A console capture's lines as text: what the firmware and the UART add around the guests'
and the monitor's lines (terminal escape sequences, CR LF, other control characters) taken
off, the one way every reader of the lab does it."""
import re

# CSI sequences (OVMF's "ESC[=3h" among them), OSC strings, charset selections, two-byte ESCs.
ESCAPES = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][0-9A-Za-z]|[@-Z\\-_])")


def clean(line):
    """One line without escape sequences, its CR and other control characters (tabs kept)."""
    line = ESCAPES.sub("", line)
    return "".join(c for c in line if c >= " " or c == "\t")


def lines(text):
    """A capture's text as clean lines."""
    return [clean(line) for line in (text or "").split("\n")]
