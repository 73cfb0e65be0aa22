# SPDX-License-Identifier: GPL-2.0-only
"""The facts a lab run depends on, for OUT/env.txt (docs/lab.md, "The runner"): which twinmon,
which kernel, which workload and emulator packages, which host. One key=value line each;
a fact that cannot be found is written as `unknown`, never left out, so a reader can count on
the keys."""
import datetime
import gzip
import os
import platform
import re
import struct
import subprocess

PACKAGES = ("rt-tests", "stress-ng", "qemu-system-x86", "ovmf", "gnuplot-nox")


def utc_now():
    """The time now, UTC, ISO 8601 to the second."""
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _run(argv, cwd=None):
    """A command's stdout, stripped, or None when it cannot run or fails."""
    try:
        p = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return p.stdout.strip() if p.returncode == 0 else None


def _clean(value):
    """A value for a key=value line: one line, never empty."""
    value = " ".join(str(value).split()) if value is not None else ""
    return value or "unknown"


def twinmon_rev(repo):
    """HEAD's commit, with -dirty when tracked files differ from it."""
    rev = _run(["git", "rev-parse", "HEAD"], cwd=repo)
    if rev is None:
        return None
    changes = _run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=repo)
    return rev + ("-dirty" if changes else "")


def bzimage_version(path):
    """The version string a bzImage carries (its setup header's kernel_version), or None."""
    try:
        with open(path, "rb") as f:
            head = f.read(0x10000)
    except OSError:
        return None
    if len(head) < 0x210 or head[0x202:0x206] != b"HdrS":
        return None
    at = struct.unpack_from("<H", head, 0x20E)[0] + 0x200
    text = head[at:at + 256].split(b"\0", 1)[0]
    return text.decode("ascii", "replace") or None


def kernel_package(path):
    """(package, version) of a kernel that scripts/fetch-debian-kernel unpacked: the package is
    its cache folder's name, the version the first entry of the package's changelog."""
    m = re.search(r"/(linux-image-[^/]+)/boot/[^/]+$", os.path.abspath(path))
    if not m:
        return None, None
    pkg, root = m.group(1), os.path.dirname(os.path.dirname(os.path.abspath(path)))
    version = None
    for name in ("changelog.Debian.gz", "changelog.gz"):
        log = os.path.join(root, "usr", "share", "doc", pkg, name)
        try:
            with gzip.open(log, "rt", encoding="utf-8", errors="replace") as f:
                first = f.readline()
        except OSError:
            continue
        v = re.match(r"\S+ \(([^)]+)\)", first)
        if v:
            version = v.group(1)
            break
    return pkg, version


def host_cpu():
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or None


def facts(repo, kernel, started, finished=None):
    """The env.txt lines as (key, value) pairs, in a fixed order."""
    out = [("twinmon_rev", twinmon_rev(repo))]
    try:
        with open(os.path.join(repo, "VERSION"), encoding="utf-8") as f:
            out.append(("twinmon_version", f.read().strip()))
    except OSError:
        out.append(("twinmon_version", None))
    out.append(("kernel_file", os.path.abspath(kernel) if kernel else None))
    out.append(("kernel_version", bzimage_version(kernel) if kernel else None))
    pkg, version = kernel_package(kernel) if kernel else (None, None)
    out.append(("kernel_package", pkg))
    out.append(("kernel_package_version", version))
    for name in PACKAGES:
        out.append((f"pkg.{name}", _run(["dpkg-query", "-W", "-f=${Version}", name])))
    qemu = _run(["qemu-system-x86_64", "--version"])
    out.append(("qemu_version", qemu.splitlines()[0] if qemu else None))
    out.append(("host_cpu", host_cpu()))
    out.append(("host_cpus", os.cpu_count()))
    out.append(("host_kernel", platform.release()))
    out.append(("python", platform.python_version()))
    out.append(("started", started))
    out.append(("finished", finished))
    return [(k, _clean(v)) for k, v in out]


def write(path, pairs):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        for k, v in pairs:
            f.write(f"{k}={v}\n")
    os.replace(path + ".tmp", path)


def read(path):
    """An env.txt's pairs as a dict ({} when there is none)."""
    try:
        with open(path, encoding="utf-8") as f:
            return dict(line.rstrip("\n").split("=", 1) for line in f if "=" in line)
    except OSError:
        return {}
