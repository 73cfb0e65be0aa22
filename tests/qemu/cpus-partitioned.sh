#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Core-partitioned heartbeats (issue 13): on a 2-CPU machine heartbeat A runs on CPU 1
# (`cpus = 1`) and heartbeat B on CPU 0 (`cpus = 0`), side by side. Neither CPU ever switches
# guests (the monitor's per-CPU "guest switches 0"; each guest's own count is its first entry
# alone), both pass, and each one's rate beside the busy other is shown against its rate once
# the other has stopped (the same boot, adjacent windows): the measured guest works twice as
# long as the other. The rate is reported, not judged: under TCG each vCPU is a host thread,
# so the ratio measures how much of a host core each thread got; the speed target (>= 0.98)
# is make bench's P5 (docs/measuring.md), on a host that runs nothing else. What the monitor
# controls, that no CPU switches and both guests run at once, is judged here.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cpus-lib.sh"

# A line every 50 units: the rate is the work's, not the UART's (under TCG every port access
# of either vCPU takes QEMU's one big lock, so printing every unit would measure that lock).
WORK="exit=verdict every=50 work=20000 region=64K"

# The end of a run: each guest's verdict and checks, no guest switch on either CPU.
run_end() {
  local g
  for g in a b; do
    tm_wait_for monitor "^guest $g: verdict pass: heartbeat: [0-9]+ units$" 120
  done
  tm_wait_for monitor '^monitor: every guest has stopped$' 60
  tm_expect_exit "$TM_EXIT_OK" 60
  tm_absent com1 'STATE CHANGED'
  tm_absent com2 'STATE CHANGED'
  tm_absent monitor 'verdict fail'
  cpus_one_boot
  tm_wait_for monitor '^monitor: cpu 0 \(APIC ID 0\): guests b, runs [0-9]+, guest switches 0,' 1
  tm_wait_for monitor '^monitor: cpu 1 \(APIC ID 1\): guests a, runs [0-9]+, guest switches 0,' 1
  for g in a b; do
    local sw hb
    sw=$(cpus_switches "$g")
    hb=$(cpus_hb_switches "$g")
    [ -n "$sw" ] && [ "$sw" -le 1 ] || tm_fail "guest $g: ${sw:-no} switches (want at most 1)"
    [ -n "$hb" ] && [ "$hb" -le 1 ] || tm_fail "heartbeat $g: switches_in=${hb:-?} (want <= 1)"
  done
}

# measure LETTER: boot with LETTER working 12 s and the other 6 s; RATIO = LETTER's rate
# beside the other / its rate after the other stopped.
measure() {
  local g=$1 o com ocom fg lg fo lo margin len khz beside alone a_s b_s
  o=$([ "$g" = a ] && echo b || echo a)
  com=$([ "$g" = a ] && echo com1 || echo com2)
  ocom=$([ "$o" = a ] && echo com1 || echo com2)
  if [ "$g" = a ]; then a_s=12 b_s=6; else a_s=6 b_s=12; fi
  cpus_conf "$TM_OUT/cores-$g.conf" twin heartbeat "seconds=$a_s $WORK" 1 \
    heartbeat "seconds=$b_s $WORK" 0
  cpus_boot "$g measured" "$TM_OUT/cores-$g.conf" 2 200
  run_end
  khz=$(cpus_khz)
  read -r fg lg < <(cpus_span "$com" "$g")
  read -r fo lo < <(cpus_span "$ocom" "$o")
  [ -n "$lg" ] && [ -n "$lo" ] && [ "$lo" -lt "$lg" ] ||
    tm_fail "heartbeat $o did not stop before heartbeat $g"
  # A twentieth of a second around each change (both starting, the other stopping).
  margin=$((khz * 50))
  len=$(((lo - margin) - (fg > fo ? fg : fo) - margin))
  [ $((lg - margin - (lo + margin))) -lt "$len" ] && len=$((lg - margin - (lo + margin)))
  [ $((len / khz)) -ge 2000 ] || tm_fail "windows of only $((len / khz)) ms (want >= 2000)"
  beside=$(cpus_rate "$com" "$g" $((lo - margin - len)) $((lo - margin)) "$khz")
  alone=$(cpus_rate "$com" "$g" $((lo + margin)) $((lo + margin + len)) "$khz")
  echo "guest $g, windows of $((len / khz)) ms: $beside units/s beside $o, $alone after it stopped"
  RATIO=$(awk -v b="$beside" -v a="$alone" 'BEGIN { printf "%.3f", (a > 0 ? b / a : 0) }')
}

measure a
ra=$RATIO
measure b
rb=$RATIO
echo "rate beside the other / rate once it stopped: A $ra, B $rb (make bench reports it as P5)"
# Both ran at the same time: each did work in the window beside the other.
awk -v ra="$ra" -v rb="$rb" 'BEGIN { exit !(ra > 0 && rb > 0) }' ||
  tm_fail "a heartbeat made no progress beside the other (A $ra, B $rb)"
echo ok
