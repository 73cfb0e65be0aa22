#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The launcher's bad environments give one clear line and a distinct status, and a run that
# never ends is stopped at its timeout with nothing left behind.
. "$(dirname "$0")/lib.sh"
run=$TM_ROOT/scripts/qemu-run

err=$(OVMF_CODE=/nonexistent/OVMF_CODE_4M.fd "$run" --esp "$BUILD/esp" --out "$TM_OUT/a" 2>&1)
rc=$?
[ $rc = 125 ] || tm_fail "missing OVMF: status $rc, expected 125"
[ "$(echo "$err" | wc -l)" = 1 ] || tm_fail "missing OVMF: more than one line: $err"
echo "$err" | grep -q 'OVMF firmware /nonexistent/OVMF_CODE_4M.fd not found' || tm_fail "missing OVMF: $err"

err=$("$run" --esp "$TM_OUT/no-such-esp" --out "$TM_OUT/b" 2>&1)
rc=$?
[ $rc = 125 ] && echo "$err" | grep -q 'no-such-esp: no such ESP' || tm_fail "missing ESP: $rc $err"

# A bad CPU count is refused before QEMU starts, with one line and usage's status.
for bad in 0 -1 two 1x ""; do
  err=$("$run" --esp "$BUILD/esp" --out "$TM_OUT/smp" --smp "$bad" 2>&1)
  rc=$?
  [ $rc = 2 ] && echo "$err" | grep -q -- '--smp wants a number of CPUs' ||
    tm_fail "--smp '$bad': status $rc: $err"
  [ ! -e "$TM_OUT/smp/cmdline" ] || tm_fail "--smp '$bad': QEMU was started"
done

# An ESP with nothing bootable: OVMF sits in its boot manager until the timeout.
mkdir -p "$TM_OUT/empty-esp"
echo empty >"$TM_OUT/empty-esp/readme.txt"
start=$SECONDS
"$run" --esp "$TM_OUT/empty-esp" --out "$TM_OUT/c" --timeout 8 2>"$TM_OUT/c.err"
rc=$?
[ $rc = 124 ] || tm_fail "hung guest: status $rc, expected 124 (timeout)"
[ $((SECONDS - start)) -lt 30 ] || tm_fail "timeout took $((SECONDS - start))s"
if pgrep -f -- "$TM_OUT/c/" >/dev/null; then
  tm_fail "a QEMU process was left behind"
fi
# Several CPUs: each on its own host thread (MTTCG), which QEMU accepts for this CPU model
# without a warning (a QEMU that could not would refuse thread=multi or warn on qemu.log).
"$run" --esp "$TM_OUT/empty-esp" --out "$TM_OUT/e" --smp 2 --timeout 4 2>/dev/null
rc=$?
[ $rc = 124 ] || tm_fail "--smp 2: status $rc, expected 124 (timeout): $(cat "$TM_OUT/e/qemu.log")"
# (cmdline is printf %q: the comma comes escaped)
grep -q -- '-smp 2 ' "$TM_OUT/e/cmdline" &&
  grep -q -- '-accel tcg.,thread=multi ' "$TM_OUT/e/cmdline" ||
  tm_fail "--smp 2: not in the command: $(cat "$TM_OUT/e/cmdline")"
! grep -Eiq 'warning|mttcg|memory ordering' "$TM_OUT/e/qemu.log" ||
  tm_fail "--smp 2: QEMU said: $(cat "$TM_OUT/e/qemu.log")"
"$run" --esp "$TM_OUT/empty-esp" --out "$TM_OUT/f" --timeout 2 2>/dev/null
grep -q -- '-accel tcg -cpu max .*-smp 1 ' "$TM_OUT/f/cmdline" ||
  tm_fail "one CPU: not the single-threaded default: $(cat "$TM_OUT/f/cmdline")"

# Stopped from outside (as a test that has seen enough does): QEMU goes with it.
"$run" --esp "$TM_OUT/empty-esp" --out "$TM_OUT/d" --timeout 60 2>/dev/null &
pid=$!
for ((i = 0; i < 100; i++)); do
  pgrep -f -- "$TM_OUT/d/" >/dev/null && break
  sleep 0.1
done
pgrep -f -- "$TM_OUT/d/" >/dev/null || tm_fail "QEMU did not start"
kill -TERM $pid
wait $pid
for ((i = 0; i < 50; i++)); do
  pgrep -f -- "$TM_OUT/d/" >/dev/null || break
  sleep 0.1
done
if pgrep -f -- "$TM_OUT/d/" >/dev/null; then
  tm_fail "QEMU outlived a qemu-run that was stopped"
fi
echo ok
