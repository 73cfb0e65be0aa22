#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# scripts/lab (docs/lab.md, "The runner") without booting anything: usage errors exit 2; a bad
# experiment gives its FILE:LINE:COLUMN: errors and exits 1; an OUT of another experiment (or
# a folder that is not a lab output) is refused unless --restart; missing builds are named;
# and --dry-run shows the resume logic: a run is skipped only when its status starts with
# `ok` and its spec is the same run line, anything else (failed, unfinished, changed) reruns.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/twinmon-lab-runner.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
lab=scripts/lab
exp=tests/lab/small.exp

# Usage errors.
$lab >/dev/null 2>&1
[ $? = 2 ] || fail "no arguments does not exit 2"
$lab "$exp" --frobnicate >/dev/null 2>&1
[ $? = 2 ] || fail "an unknown option does not exit 2"
$lab "$exp" --timeout-scale 0 --dry-run >/dev/null 2>&1
[ $? = 2 ] || fail "--timeout-scale 0 does not exit 2"

# A bad experiment: the parser's messages, exit 1, no output folder made.
printf '[experiment]\nname = e\n[config a]\nkind = twins\n[measure m]\nworkload = cyclictest\n' >"$tmp/bad.exp"
out=$($lab "$tmp/bad.exp" --out "$tmp/bad-out" 2>"$tmp/err")
rc=$?
[ $rc = 1 ] || fail "a bad experiment exits $rc, not 1"
[ "$(cat "$tmp/err")" = "$tmp/bad.exp:4:8: unknown kind 'twins' (direct, alone, twin, partitioned)" ] ||
  fail "a bad experiment's message: $(cat "$tmp/err")"
[ -z "$out" ] || fail "a bad experiment printed: $out"
[ ! -e "$tmp/bad-out" ] || fail "a bad experiment made its output folder"
$lab "$tmp/none.exp" 2>"$tmp/err"
[ $? = 1 ] && grep -q "none.exp: No such file or directory" "$tmp/err" || fail "a missing file: $(cat "$tmp/err")"

# Missing builds are named, and nothing is booted.
BUILD=$tmp/no-build $lab "$exp" --out "$tmp/o0" 2>"$tmp/err" >/dev/null
rc=$?
[ $rc = 1 ] || fail "missing builds: exit $rc"
grep -q "no $tmp/no-build/esp: run 'make all'" "$tmp/err" && grep -q "lab.cpio.gz: run 'make initramfs-lab'" "$tmp/err" ||
  fail "missing builds: $(cat "$tmp/err")"
[ ! -e "$tmp/o0" ] || fail "missing builds made the output folder"

# dry LINE-NUMBER: the --dry-run line of run N for OUT=$tmp/o.
dry() { $lab "$exp" --out "$tmp/o" --dry-run "${@:2}" | sed -n "${1}p"; }
lines=$(scripts/lab-experiment runs "$exp")
n=$(wc -l <<<"$lines")
[ "$($lab "$exp" --out "$tmp/o" --dry-run | grep -c '\] run: ')" = "$n" ] || fail "a new OUT: not every run would boot"
[ ! -e "$tmp/o" ] || fail "--dry-run made the output folder"

# A finished OUT: run 1 ok, run 2 failed.
mkdir -p "$tmp/o/runs/001" "$tmp/o/runs/002"
cp "$exp" "$tmp/o/experiment.exp"
sed -n 1p <<<"$lines" >"$tmp/o/runs/001/spec"
sed -n 2p <<<"$lines" >"$tmp/o/runs/002/spec"
echo "ok seconds=30 exit=16" >"$tmp/o/runs/001/status"
echo "failed seconds=400 exit=124 reason=timeout" >"$tmp/o/runs/002/status"
dry 1 | grep -q '^\[1/2\] skip (done): ' || fail "an ok run is not skipped: $(dry 1)"
dry 2 | grep -q '^\[2/2\] run: ' || fail "a failed run is not redone: $(dry 2)"
dry 1 --restart | grep -q 'would clear' || fail "--restart does not say it clears"
rm "$tmp/o/runs/002/status"
dry 2 | grep -q '^\[2/2\] run: ' || fail "an unfinished run is not redone: $(dry 2)"
# The same run number with another run line (the file changed in a way that keeps it the same
# experiment file is impossible; a spec edited by hand stands for it): redone.
echo "run=1 of=2 experiment=small config=other" >"$tmp/o/runs/001/spec"
dry 1 | grep -q '^\[1/2\] run: ' || fail "a run with another spec is skipped: $(dry 1)"

# Another experiment in OUT: refused (exit 1, a clear message), with or without --dry-run.
cp tests/lab/example.exp "$tmp/o/experiment.exp"
for extra in "" --dry-run; do
  # shellcheck disable=SC2086 # extra is one word or none
  $lab "$exp" --out "$tmp/o" $extra >/dev/null 2>"$tmp/err"
  rc=$?
  [ $rc = 1 ] || fail "another experiment in OUT ($extra): exit $rc"
  grep -q "holds another experiment" "$tmp/err" && grep -q -- "--restart" "$tmp/err" ||
    fail "another experiment's message: $(cat "$tmp/err")"
done
$lab "$exp" --out "$tmp/o" --dry-run --restart | grep "would clear $tmp/o" >/dev/null || fail "--restart with another experiment"
[ -f "$tmp/o/runs/001/status" ] || fail "--dry-run --restart cleared the folder"

# A folder that is not a lab output is never taken, not even with --restart.
mkdir -p "$tmp/other" && echo precious >"$tmp/other/file"
for extra in "" --restart; do
  # shellcheck disable=SC2086
  $lab "$exp" --out "$tmp/other" --dry-run $extra >/dev/null 2>"$tmp/err"
  [ $? = 1 ] && grep -q "not a lab output folder" "$tmp/err" || fail "a foreign folder ($extra): $(cat "$tmp/err")"
done
[ -f "$tmp/other/file" ] || fail "a foreign folder was touched"

# The verdict on a run's captures (lab/runner.py verdict()), on made-up logs: each reason.
python3 -B - "$tmp" <<'PY' || fail "verdicts (above)"
import os, sys
sys.path.insert(0, "lab")
import runconfig
import runner
d = os.path.join(sys.argv[1], "v")
os.makedirs(d, exist_ok=True)
A = "noise\r\nTWINMON-RESULT-BEGIN workload=cyclictest version=1\r\nexit=0\r\n[ 1.0] kernel line\r\nstatus=ok\r\nTWINMON-RESULT-END\r\n"
B = "TWINMON-RESULT-BEGIN workload=stress-ng version=1\nexit=0\nstatus=no-metrics\nTWINMON-RESULT-END\n"
STATS = "TWINMON-STATS v=1 scope=monitor when=end tsc=1 tsc_khz=2 guests=2 cpus=1\n"
DISK = "TWINMON-INIT: disk /dev/vda: mounted /dev/vda (ext4) on /mnt\r\n"
twin = {"kind": "twin", "b_run": "stress-ng"}
idle = {"kind": "partitioned", "b_run": "-"}
good = {"a_start": 10, "a_result": 15, "b_start": 11, "b_result_end": 20, "b_init": 9, "b_slept": 21}
cases = [
    ({"kind": "direct"}, A, "", "", 32, {}, None),
    ({"kind": "direct"}, A, "", "", 16, {}, "exit-16-not-32"),
    ({"kind": "alone"}, A, "", STATS, 16, {}, None),
    ({"kind": "alone"}, A, "", "", 16, {}, "no-monitor-stats"),
    ({"kind": "alone"}, "", "", STATS, 16, {}, "no-result-block-a"),
    ({"kind": "alone"}, A.replace("TWINMON-RESULT-END", "x"), "", STATS, 130, {}, "exit-130-no-result-block-a"),
    ({"kind": "alone"}, "", "", "", 125, {}, "qemu-run-failed"),
    ({"kind": "alone"}, A.replace("exit=0", "exit=1"), "", STATS, 16, {}, "workload-a-exit-1-status-ok"),
    ({"kind": "alone"}, A, "", STATS, 124, {}, "timeout"),
    (twin, A, B, STATS, 16, good, None),
    (twin, A, "", STATS, 16, good, "neighbour-no-result-block"),
    (twin, A, B.replace("exit=0", "exit=2"), STATS, 16, good, "neighbour-exit-2"),
    (twin, A, B, STATS, 16, dict(good, b_result_end=14), "neighbour-ended-early"),
    (twin, A, B, STATS, 16, dict(good, b_start=13), "neighbour-started-late"),
    (idle, A, "TWINMON-INIT: slept 13 s, measured 13.0 s\n", STATS, 16, good, None),
    (idle, A, "", STATS, 16, good, "neighbour-did-not-finish"),
    (idle, A, "TWINMON-INIT: slept 13 s\n", STATS, 16, dict(good, b_slept=12), "neighbour-ended-early"),
    # A neighbour with a disk: its workload must have had the disk mounted.
    (dict(twin, b_disk_mib="256"), A, DISK + B, STATS, 16, good, None),
    (dict(twin, b_disk_mib="256"), A, B, STATS, 16, good, "neighbour-no-disk"),
    (dict(twin, b_disk_mib="256"), A, DISK.replace("mounted", "failed: mount") + B, STATS, 16, good,
     "neighbour-no-disk"),
]
bad = 0
for i, (run, com1, com2, mon, code, seen, want) in enumerate(cases):
    for name, text in (("com1", com1), ("com2", com2), ("monitor", mon)):
        with open(os.path.join(d, name + ".log"), "w") as f:
            f.write(text)
    got = runner.verdict(run, d, code, seen)
    if got != want:
        print(f"FAIL: verdict case {i}: {got}, not {want}")
        bad += 1
# A disk neighbour's config: B owns the virtio-blk function QEMU gets at that address, loads
# its drivers and mounts it; without a disk, none of it.
for kind in ("twin", "partitioned"):
    run = {"kind": kind, "b_run": "stress-ng", "b_args": "--hdd,1", "b_stay_s": "20",
           "a_run": "cyclictest", "b_disk_mib": "256"}
    conf, _ = runconfig.config(run)
    b = conf.split("[guest b]")[1]
    argv = " ".join(runconfig.qemu_disk_args("/x/disk-b.img"))
    checks = [("pci = 00:03.0" in b, "B's pci"), ("pci" not in conf.split("[guest b]")[0], "A's pci"),
              ("twinmon.disk=/dev/vda" in b and "twinmon.modules=virtio_pci,virtio_blk," in b, "B's cmdline"),
              ("-device amd-iommu,intremap=on" in argv, "the IOMMU"),
              ("virtio-blk-pci,drive=disk-b,addr=0x3.0,disable-legacy=on,iommu_platform=on" in argv, "the disk"),
              ("file=/x/disk-b.img" in argv, "the image")]
    del run["b_disk_mib"]
    conf, _ = runconfig.config(run)
    checks.append(("pci" not in conf and "twinmon.disk" not in conf, "no disk, no pci"))
    for ok, what in checks:
        if not ok:
            print(f"FAIL: {kind} with a disk: {what}:\n{conf}\n{argv}")
            bad += 1
# settle: guest A's init waits before its workload.
if "twinmon.settle=4" not in runconfig.cmdline_a({"a_run": "cyclictest", "a_settle_s": "4"}) or \
        "settle" in runconfig.cmdline_a({"a_run": "cyclictest"}):
    print("FAIL: twinmon.settle on A's command line")
    bad += 1
# The time left: runs of a kind seen at that kind's mean, others at the mean of all.
left = ["run=3 kind=twin", "run=4 kind=partitioned"]
est = runner.estimate(left, {"twin": [60, 80], "alone": [30]}, [60, 80, 30])
if abs(est - (70 + 170 / 3)) > 1e-6:
    print(f"FAIL: estimate {est}")
    bad += 1
sys.exit(bad > 0)
PY

# An experiment with a disk neighbour and an archive built for another kernel: refused before
# anything boots (the disk's modules would not load).
mkdir -p "$tmp/kb/esp" "$tmp/kb/initramfs" && : >"$tmp/kb/initramfs/lab.cpio.gz" && : >"$tmp/vmlinuz-x"
echo /nowhere/vmlinuz-y >"$tmp/kb/initramfs/kernel"
printf '[experiment]\nname = d\n[config t]\nkind = twin\n[measure m]\nworkload = cyclictest\n[neighbour io]\nworkload = stress-ng\nargs = --hdd 1\ndisk = 64M\n' >"$tmp/disk.exp"
BUILD=$tmp/kb TWINMON_KERNEL=$tmp/vmlinuz-x $lab "$tmp/disk.exp" --out "$tmp/o-disk" >/dev/null 2>"$tmp/err"
rc=$?
[ $rc = 1 ] && grep -q "holds the modules of /nowhere/vmlinuz-y, not of $tmp/vmlinuz-x: run 'make initramfs-lab'" "$tmp/err" ||
  fail "an archive of another kernel: exit $rc: $(cat "$tmp/err")"
[ ! -e "$tmp/o-disk" ] || fail "an archive of another kernel made the output folder"

# The old CLI stays.
scripts/lab-experiment check "$exp" >/dev/null || fail "scripts/lab-experiment check $exp"

[ "$fails" -eq 0 ] && echo ok
exit $((fails > 0))
