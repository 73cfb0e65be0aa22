# SPDX-License-Identifier: GPL-2.0-only
"""A lab run's twinmon.conf: its kind's mode, the guests and their command lines and RAM
(docs/lab.md, "The runner"), and a neighbour's disk; lab/runner.py puts them on the run's
ESP and QEMU's command line."""
import shutil
import subprocess

# Both guests the same RAM, enough for stress-ng's --vm and --stream workers.
MEM_A = "0x40000000-0x5fffffff"
MEM_B = "512M low"
# A neighbour's disk (b_disk_mib): a virtio-blk-pci function at a fixed address that guest B
# owns (`pci =`), as tests/qemu/devices-lib.sh places disk a, behind QEMU's AMD-Vi (00:01.0),
# which the monitor uses to confine B's DMA to B's RAM. The virtio device is modern-only with
# iommu_platform=on: otherwise QEMU lets its DMA bypass the IOMMU.
DISK_PCI = "00:03.0"
DISK_DEV = "/dev/vda"
DISK_LABEL = "lab-b"
DISK_MODULES = "virtio_pci,virtio_blk,crc32c_generic,ext4"


def cmdline_a(run):
    words = ["console=ttyS0,115200", "panic=-1", "quiet", "twinmon.marker=lab-a",
             f"twinmon.run={run['a_run']}"]
    if run.get("a_settle_s"):
        words.append(f"twinmon.settle={run['a_settle_s']}")
    if run.get("a_args"):
        words.append(f"twinmon.args={run['a_args']}")
    return " ".join(words)


def cmdline_b(run):
    words = ["panic=-1", "quiet", "twinmon.marker=lab-b"]
    if run.get("b_disk_mib"):
        # The workload runs in /mnt, the disk's filesystem, kept mounted until it ends.
        words += [f"twinmon.modules={DISK_MODULES}", f"twinmon.disk={DISK_DEV}"]
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
        if run.get("b_disk_mib"):
            b.append(f"pci = {DISK_PCI}")
        parts.append("\n".join(b))
    return "\n\n".join(parts) + "\n", smp


def qemu_disk_args(img):
    """QEMU's arguments for guest B's disk image img (after qemu-run's --)."""
    dev, fn = DISK_PCI.split(":")[1].split(".")
    return ["-device", "amd-iommu,intremap=on",
            "-drive", f"if=none,id=disk-b,format=raw,file={img}",
            "-device", f"virtio-blk-pci,drive=disk-b,addr=0x{int(dev, 16):x}.{fn},"
                       "disable-legacy=on,iommu_platform=on"]


def make_disk(path, mib):
    """An empty ext4 image of mib MiB at path (mkfs.ext4 on a file: no root, no mount). Its
    inode tables and journal are written now: the guest's kernel would otherwise zero them in
    the background (ext4lazyinit), I/O of its own during the measurement. None, or why not."""
    mkfs = shutil.which("mkfs.ext4") or shutil.which("mkfs.ext4", path="/usr/sbin:/sbin")
    if mkfs is None:
        return "no mkfs.ext4 (Debian's e2fsprogs)"
    p = subprocess.run([mkfs, "-q", "-F", "-L", DISK_LABEL,
                        "-E", "lazy_itable_init=0,lazy_journal_init=0", path, f"{mib}M"],
                       capture_output=True, text=True)
    if p.returncode != 0:
        return f"mkfs.ext4 failed: {(p.stderr or p.stdout).strip()}"
    return None
