#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Twin mode: two heartbeat guests time-share the CPU under the monitor. Both progress on their
# own UARTs, every state check (GDTR, IDTR, TR, CR0, CR3, CR4, EFER, memory checksum) passes
# across more than 1000 world switches, and the number of switches matches the guests' run
# time (the cycles they spent in guest mode, as the monitor counts them) / slice within 20 %.
. "$(dirname "$0")/lib.sh"

slice_us=10000
cat >"$TM_OUT/twin.conf" <<CONF
[global]
mode = twin
timeout = 0
slice = ${slice_us}us

[guest a]
name = Heartbeat A
kernel = \\EFI\\twinmon\\heartbeat-a.elf
cmdline = uart=com1 units=16000 every=2000 exit=verdict
memory = 0x20000000-0x23ffffff
uarts = com1

[guest b]
name = Heartbeat B
kernel = \\EFI\\twinmon\\heartbeat-b.elf
cmdline = uart=com2 units=16000 every=2000 exit=verdict
memory = 0x100000-0x40fffff
uarts = com2
CONF
tm_boot --esp "$(tm_esp_with_config "$TM_OUT/twin.conf")" --timeout 400
tm_wait_for monitor '^monitor: starting 2 guests'
tm_wait_for com1 '^heartbeat a: unit 2000 .*checks=ok' 120
tm_wait_for com2 '^heartbeat b: unit 2000 .*checks=ok' 120
tm_wait_for monitor '^guest a: verdict pass: heartbeat: 16000 units$' 300
tm_wait_for monitor '^guest b: verdict pass: heartbeat: 16000 units$' 300
tm_wait_for monitor '^monitor: every guest has stopped$'
tm_expect_exit "$TM_EXIT_OK" 60
tm_absent com1 'STATE CHANGED'
tm_absent com2 'STATE CHANGED'
tm_absent monitor 'verdict fail'

log=$TM_OUT/run/monitor.log
khz=$(sed -n 's/^monitor: .*TSC \([0-9]*\) kHz.*/\1/p' "$log" | head -1)
[ -n "$khz" ] || tm_fail "no TSC frequency on the log"
read -r sw cycles < <(awk '
  /^monitor: guest [ab]: switches [0-9]+, exits/ {
    for (i = 1; i <= NF; i++) {
      if ($i == "switches") { gsub(",", "", $(i + 1)); sw += $(i + 1) }
      if ($i == "guest" && $(i + 1) == "cycles") { c = $(i + 2); gsub(",", "", c); cyc += c }
    }
  }
  END { printf "%d %.0f\n", sw, cyc }' "$log")
[ "${sw:-0}" -ge 1000 ] || tm_fail "only ${sw:-0} switches (want >= 1000 with every check passing)"
expected=$(awk -v c="$cycles" -v k="$khz" -v s="$slice_us" 'BEGIN { printf "%d", c / k * 1000 / s }')
low=$((expected * 8 / 10)) high=$((expected * 12 / 10))
[ "$sw" -ge "$low" ] && [ "$sw" -le "$high" ] ||
  tm_fail "$sw switches, but guest run time / slice is $expected (allowed $low..$high)"
echo "ok: $sw switches, guest run time / slice = $expected"
