#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Core-partitioned heartbeats (issue 13): on a 2-CPU machine heartbeat A runs on CPU 1
# (`cpus = 1`) and heartbeat B on CPU 0 (`cpus = 0`). Neither is ever switched out: the
# monitor's statistics and each heartbeat's own show at most the first entry (switches <= 1).
# Then each runs alone on the same CPU (mode = a-alone, b-alone). Each one's work rate beside
# its neighbour is within 10 % of its rate alone: units/s over the same window (the same
# offset from its first unit line and the same length: the part of the twin run where both
# ran, less a twentieth at either end), from its own unit lines' TSC. The emulator's own
# speed drifts on a busy host, so a comparison that misses is run once more (all three boots)
# before the test fails; a monitor that time-shares or slows a partitioned guest misses both
# times.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/cpus-lib.sh"

HB="seconds=8 exit=verdict $CPUS_HEARTBEAT"
RATE_PCT=10

# The end of a run: each guest's verdict, its checks, its switches, the machine started once.
run_end() {
  local g
  for g in "$@"; do
    tm_wait_for monitor "^guest $g: verdict pass: heartbeat: [0-9]+ units$" 120
  done
  tm_wait_for monitor '^monitor: every guest has stopped$' 60
  tm_expect_exit "$TM_EXIT_OK" 60
  tm_absent com1 'STATE CHANGED'
  tm_absent com2 'STATE CHANGED'
  tm_absent monitor 'verdict fail'
  cpus_one_boot
  for g in "$@"; do
    local sw hb
    sw=$(cpus_switches "$g")
    hb=$(cpus_hb_switches "$g")
    echo "guest $g: monitor's switches $sw, heartbeat's switches_in $hb"
    [ -n "$sw" ] && [ "$sw" -le 1 ] || tm_fail "guest $g: ${sw:-no} switches (want at most 1)"
    [ -n "$hb" ] && [ "$hb" -le 1 ] || tm_fail "heartbeat $g: switches_in=${hb:-?} (want <= 1)"
  done
}

# alone_rate LETTER CPU OFFSET LENGTH KHZ: that heartbeat alone on CPU; its units/s at KHZ
# over the window OFFSET TSC ticks after its first unit line, LENGTH long (cut at its last
# line), into ALONE_RATE (no subshell: tm_fail must end the test).
alone_rate() {
  local g=$1 cpu=$2 off=$3 len=$4 khz=$5 first last com end
  com=$([ "$g" = a ] && echo com1 || echo com2)
  cpus_conf "$TM_OUT/alone-$g.conf" "$g-alone" heartbeat "$HB" "$cpu" heartbeat "$HB" "$cpu"
  cpus_boot "$g alone on CPU $cpu" "$TM_OUT/alone-$g.conf" 2 200
  run_end "$g"
  read -r first last < <(cpus_span "$com" "$g")
  # Its seconds= are TSC ticks at the monitor's measure of the TSC, which varies by boot.
  end=$((first + off + len < last ? first + off + len : last))
  [ $((end - first - off)) -ge $((len / 2)) ] ||
    tm_fail "heartbeat $g alone ran $(((last - first) / khz)) ms: no room for the window"
  ALONE_RATE=$(cpus_rate "$com" "$g" $((first + off)) "$end" "$khz")
}

cpus_conf "$TM_OUT/twin.conf" twin heartbeat "$HB" 1 heartbeat "$HB" 0
for attempt in 1 2; do
  echo "== attempt $attempt: A on CPU 1 beside B on CPU 0"
  cpus_boot partitioned "$TM_OUT/twin.conf" 2 200
  run_end a b
  read -r fa la < <(cpus_span com1 a)
  read -r fb lb < <(cpus_span com2 b)
  start=$((fa > fb ? fa : fb)) end=$((la < lb ? la : lb))
  [ "$end" -gt "$start" ] || tm_fail "the two heartbeats never ran at the same time"
  # A twentieth off either end: nothing of either guest's start or end in the window.
  margin=$(((end - start) / 20))
  start=$((start + margin)) end=$((end - margin))
  khz=$(cpus_khz)
  len=$((end - start))
  [ $((len / khz)) -ge 3000 ] || tm_fail "only $((len / khz)) ms with both running (want >= 3000)"
  beside_a=$(cpus_rate com1 a "$start" "$end" "$khz")
  beside_b=$(cpus_rate com2 b "$start" "$end" "$khz")
  off_a=$((start - fa)) off_b=$((start - fb))

  # One TSC frequency for all three runs: this one's (see cpus_rate).
  alone_rate a 1 "$off_a" "$len" "$khz"
  alone_a=$ALONE_RATE
  alone_rate b 0 "$off_b" "$len" "$khz"
  alone_b=$ALONE_RATE
  echo "window $((len / khz)) ms: A $beside_a units/s beside B, $alone_a alone;" \
    "B $beside_b beside A, $alone_b alone"
  bad=$(awk -v p="$RATE_PCT" -v ba="$beside_a" -v aa="$alone_a" -v bb="$beside_b" \
    -v ab="$alone_b" 'BEGIN {
      if (aa <= 0 || ab <= 0) { print "no rate alone"; exit }
      ra = ba / aa; rb = bb / ab
      if (ra < 1 - p / 100 || ra > 1 + p / 100) printf "A at %.3f of its rate alone; ", ra
      if (rb < 1 - p / 100 || rb > 1 + p / 100) printf "B at %.3f of its rate alone", rb
    }')
  [ -z "$bad" ] && break
  [ "$attempt" -lt 2 ] || tm_fail "beside its neighbour: $bad (and on the first attempt too)"
  echo "attempt $attempt: $bad; booting once more"
done
echo ok
