#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The isolation lab end to end (docs/lab.md): `scripts/lab tests/lab/small.exp` boots its two
# runs under QEMU (guest A's cyclictest alone under the monitor, then beside guest B's CPU hog
# at 10 ms slices) and writes the report. The test checks that the report folder holds
# results.csv with both runs, valid PNGs and report.md, and that its numbers are sane: A's
# latency beside the hog is worse than alone (a 10 ms slice of B's keeps A's wake-ups waiting),
# and the monitor's count of the timer interrupts it injected into each guest agrees with the
# guest's own count (docs/lab.md, "The guest's count and the monitor's"). No speed is judged.
. "$(dirname "$0")/lib.sh"

[ -n "${TWINMON_KERNEL:-}" ] && [ -f "$TWINMON_KERNEL" ] ||
  tm_fail "TWINMON_KERNEL is not set to Debian's vmlinuz (scripts/fetch-debian-kernel)"
out=$TM_OUT/lab
BUILD=$BUILD "$TM_ROOT/scripts/lab" "$TM_ROOT/tests/lab/small.exp" --out "$out" >"$TM_OUT/lab.log" 2>&1
status=$?
cat "$TM_OUT/lab.log"
[ "$status" = 0 ] || tm_fail "scripts/lab exited $status"

for f in results.csv report.md env.txt experiment.exp runs/001/status runs/002/status; do
  [ -s "$out/$f" ] || tm_fail "no $f in the report folder"
done
for n in 001 002; do
  read -r verdict _ <"$out/runs/$n/status"
  [ "$verdict" = ok ] || tm_fail "run $n: $(cat "$out/runs/$n/status")"
done

# Every plot is a PNG that says so: the signature, then an IHDR chunk of a non-empty image,
# and an IEND at the end.
pngs=("$out"/plots/*.png)
[ -f "${pngs[0]}" ] || tm_fail "no plots in $out/plots"
python3 - "${pngs[@]}" <<'PY' || tm_fail "a plot is not a valid PNG"
import struct, sys
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    ok = (data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
          and all(struct.unpack(">II", data[16:24])) and data[-8:-4] == b"IEND")
    if not ok:
        sys.exit(f"{path}: not a PNG")
print(f"{len(sys.argv) - 1} PNGs")
PY
for kind in latency- percentiles- interference- exits-; do
  ls "$out/plots/$kind"*.png >/dev/null 2>&1 || tm_fail "no $kind plot"
done
for section in "## Monitor vs guest view" "## Reproducibility" "interference"; do
  grep -q -- "$section" "$out/report.md" || tm_fail "report.md has no '$section'"
done
grep -q "$(git -C "$TM_ROOT" rev-parse HEAD)" "$out/report.md" "$out/env.txt" ||
  tm_fail "the report does not record twinmon's revision"

# csv CONFIG SCOPE METRIC: the value in results.csv (the first row that matches).
csv() {
  awk -F, -v c="$1" -v s="$2" -v m="$3" 'NR > 1 && $3 == c && $10 == s && $11 == m { print $12; exit }' \
    "$out/results.csv"
}
head -1 "$out/results.csv" | grep -q '^run,rep,config,kind,slice,policy,measure,neighbour,status,scope,metric,value$' ||
  tm_fail "results.csv's header: $(head -1 "$out/results.csv")"
# Judged at p90: beside the hog nearly every wake-up waits for B's 10 ms slot to end, while a
# busy host's stalls reach only alone's last per cent or so (p99 is shown, not judged).
for p in p90 p99; do
  alone=$(csv alone a ${p}_us) twin=$(csv twin-10ms a ${p}_us)
  [ -n "$alone" ] && [ -n "$twin" ] || tm_fail "no ${p}_us of guest A in results.csv (alone '$alone', twin '$twin')"
  echo "guest A's $p latency: alone $alone us, beside the hog at 10 ms slices $twin us"
done
alone=$(csv alone a p90_us) twin=$(csv twin-10ms a p90_us)
[ "$twin" -gt "$alone" ] || tm_fail "latency (p90) beside a CPU hog at 10 ms slices ($twin us) is not worse than alone ($alone us)"

# The cross-check, from the captures themselves (the report's table says the same): the
# guest's last count, right before power-off, against the monitor's injections.
crosscheck() { # RUN GUEST LOG
  local mine mon
  mine=$(tr -d '\r' <"$out/runs/$1/run/$3.log" | sed -n 's/^TWINMON-INIT: timer_irqs \([0-9]*\)$/\1/p' | tail -1)
  mon=$(tr -d '\r' <"$out/runs/$1/run/monitor.log" | grep "^TWINMON-STATS v=1 scope=guest when=end .* guest=$2 " |
    tr ' ' '\n' | sed -n 's/^irq_delay_count=//p' | head -1)
  [ -n "$mine" ] && [ -n "$mon" ] || tm_fail "run $1 guest $2: no counts (guest '$mine', monitor '$mon')"
  echo "run $1 guest $2: timer interrupts: guest $mine, monitor $mon"
  [ "$mon" -ge "$mine" ] && [ $((mon - mine)) -le $((50 + mon / 50)) ] ||
    tm_fail "run $1 guest $2: the monitor injected $mon timer interrupts, the guest counted $mine"
}
crosscheck 001 a com1
crosscheck 002 a com1
crosscheck 002 b com2
grep -q "within tolerance" "$out/report.md" && ! grep -q '| \*\*no\*\* |' "$out/report.md" ||
  tm_fail "report.md's cross-check is not all within tolerance"

# Resuming a finished experiment boots nothing and writes the report again.
rm "$out/report.md"
BUILD=$BUILD "$TM_ROOT/scripts/lab" "$TM_ROOT/tests/lab/small.exp" --out "$out" >"$TM_OUT/lab-again.log" 2>&1 ||
  tm_fail "scripts/lab again: $(tail -3 "$TM_OUT/lab-again.log")"
cat "$TM_OUT/lab-again.log"
grep -q "2 done before, 0 to run" "$TM_OUT/lab-again.log" || tm_fail "resuming the finished experiment ran something"
[ -s "$out/report.md" ] || tm_fail "no report.md after resuming"
echo ok
