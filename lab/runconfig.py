# SPDX-License-Identifier: GPL-2.0-only
"""A lab run's twinmon.conf: its kind's mode, the guests and their command lines and RAM
(docs/lab.md, "The runner"); lab/runner.py puts it on the run's ESP."""

# Both guests the same RAM, enough for stress-ng's --vm and --stream workers.
MEM_A = "0x40000000-0x5fffffff"
MEM_B = "512M low"


def cmdline_a(run):
    words = ["console=ttyS0,115200", "panic=-1", "quiet", "twinmon.marker=lab-a",
             f"twinmon.run={run['a_run']}"]
    if run.get("a_args"):
        words.append(f"twinmon.args={run['a_args']}")
    return " ".join(words)


def cmdline_b(run):
    words = ["panic=-1", "quiet", "twinmon.marker=lab-b"]
    if run.get("b_run", "-") == "-":
        words.append(f"twinmon.sleep={run['b_stay_s']}")
    else:
        words.append(f"twinmon.run={run['b_run']}")
        if run.get("b_args"):
            words.append(f"twinmon.args={run['b_args']}")
    return " ".join(words)


def config(run):
    """The run's twinmon.conf and the QEMU CPU count it needs."""
    kind = run["kind"]
    glob = ["[global]"]
    smp = 1
    if kind == "direct":
        glob += ["mode = a-alone", "default = direct-a"]
    elif kind == "alone":
        glob += ["mode = a-alone", "default = a-alone"]
    else:
        glob += ["mode = twin", "default = twin"]
    glob.append("timeout = 0")
    if kind == "twin":
        glob += [f"slice = {run.get('slice', '10ms')}", f"irq-policy = {run.get('policy', 'wait')}"]
    a = ["[guest a]", "name = Lab A", "kernel = \\EFI\\twinmon\\vmlinuz",
         "initrd = \\EFI\\twinmon\\lab-a.img", f"cmdline = {cmdline_a(run)}",
         f"memory = {MEM_A}", "uarts = com1"]
    if kind == "direct":
        # Without the monitor the init ends the run itself, through QEMU's debug-exit port.
        a.append("ports = 0xf4-0xf7")
    if kind == "partitioned":
        # As make bench's P5: each guest on a CPU of its own.
        a.append("cpus = 1")
        smp = 2
    parts = ["\n".join(glob), "\n".join(a)]
    if kind in ("twin", "partitioned"):
        b = ["[guest b]", "name = Lab B", "kernel = \\EFI\\twinmon\\vmlinuz",
             "initrd = \\EFI\\twinmon\\lab-b.img", f"cmdline = {cmdline_b(run)}",
             f"memory = {MEM_B}", "uarts = com2"]
        if kind == "partitioned":
            b.append("cpus = 0")
        parts.append("\n".join(b))
    return "\n\n".join(parts) + "\n", smp
