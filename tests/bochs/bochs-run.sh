#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# scripts/bochs-run: bad arguments and environments give one clear line and a distinct status
# before Bochs starts; with its default Intel model (no SVM) it boots twinmon to the boot
# menu; a run stopped from outside and a run that never ends leave no Bochs behind.
TM_RUNNER=bochs-run
. "$(dirname "$0")/../qemu/lib.sh"
. "$(dirname "$0")/../qemu/menu-lib.sh"
run=$TM_ROOT/scripts/bochs-run

# expect STATUS PATTERN ARGS...: one line on stderr matching PATTERN, and Bochs never started.
expect() {
  local want=$1 pattern=$2 err rc
  shift 2
  rm -rf "$TM_OUT/bad"
  err=$("$run" --out "$TM_OUT/bad" "$@" 2>&1)
  rc=$?
  [ "$rc" = "$want" ] || tm_fail "$*: status $rc, expected $want: $err"
  [ "$(echo "$err" | wc -l)" = 1 ] || tm_fail "$*: more than one line: $err"
  echo "$err" | grep -q -- "$pattern" || tm_fail "$*: said '$err', expected /$pattern/"
  [ ! -e "$TM_OUT/bad/cmdline" ] || tm_fail "$*: Bochs was started"
}
esp=$BUILD/esp
for bad in 0 -1 two 1x ""; do
  expect 2 '--smp wants a number of CPUs' --esp "$esp" --smp "$bad"
done
for bad in 0 -5 10s ""; do
  expect 2 '--timeout wants seconds' --esp "$esp" --timeout "$bad"
done
for bad in 64 4096 1G ""; do
  expect 2 '--mem wants MiB, 128 to 3072' --esp "$esp" --mem "$bad"
done
expect 2 'unknown CPU model pentium_9000' --esp "$esp" --cpu pentium_9000
expect 2 '--cpu wants a Bochs CPU model name' --esp "$esp" --cpu 'ryzen, count=2'
expect 2 '--com1-input is not supported' --esp "$esp" --com1-input
expect 2 '--esp is required' --timeout 5
expect 2 '--cpu wants a value' --esp "$esp" --cpu
err=$(OVMF_CODE=/nonexistent/OVMF_CODE.fd "$run" --esp "$esp" --out "$TM_OUT/bad" 2>&1)
rc=$?
[ $rc = 125 ] && echo "$err" | grep -q 'OVMF firmware /nonexistent/OVMF_CODE.fd not found' ||
  tm_fail "missing OVMF: $rc $err"
expect 125 'no-such-esp: no such ESP' --esp "$TM_OUT/no-such-esp"

# The default model is Intel's (VMX, no SVM): OVMF boots twinmon, whose menu counts down on
# COM1. Then the run is stopped from outside, as a test that has seen enough does.
tm_menu_config "$TM_OUT/menu.conf" twin 600
tm_boot --esp "$(tm_esp_with_config "$TM_OUT/menu.conf")" --timeout 300
tm_wait_for monitor '^twinmon .*: two guests, one PC$' 240
tm_wait_for monitor '^config: valid; mode twin, default entry twin, timeout 600 s$'
tm_wait_for com1 "booting 'twin mode: Alpha \+ Beta' in [0-9]+ s" 120
grep -q 'model=corei7_skylake_x,' "$TM_OUT/run/bochsrc" || tm_fail "not the default Intel model"
for ((i = 0; i < 50; i++)); do
  pgrep -f -- "$TM_OUT/run/" >/dev/null && break
  sleep 0.1
done
pgrep -f -- "$TM_OUT/run/" >/dev/null || tm_fail "no Bochs process while the menu runs"
kill -TERM "$TM_PID"
wait "$TM_PID"
TM_PID=
for ((i = 0; i < 50; i++)); do
  pgrep -f -- "$TM_OUT/run/" >/dev/null || break
  sleep 0.1
done
pgrep -f -- "$TM_OUT/run/" >/dev/null && tm_fail "Bochs outlived a bochs-run that was stopped"

# An ESP with nothing bootable: OVMF sits in its boot manager until the timeout.
mkdir -p "$TM_OUT/empty-esp"
echo empty >"$TM_OUT/empty-esp/readme.txt"
start=$SECONDS
"$run" --esp "$TM_OUT/empty-esp" --out "$TM_OUT/c" --timeout 8 2>"$TM_OUT/c.err"
rc=$?
[ $rc = 124 ] || tm_fail "hung guest: status $rc, expected 124 (timeout): $(cat "$TM_OUT/c.err")"
[ $((SECONDS - start)) -lt 30 ] || tm_fail "timeout took $((SECONDS - start))s"
grep -q 'timed out after 8s' "$TM_OUT/c.err" || tm_fail "hung guest: $(cat "$TM_OUT/c.err")"
[ "$(cat "$TM_OUT/c/status")" = 124 ] || tm_fail "status file: $(cat "$TM_OUT/c/status")"
pgrep -f -- "$TM_OUT/c/" >/dev/null && tm_fail "a Bochs process was left behind"
echo ok
