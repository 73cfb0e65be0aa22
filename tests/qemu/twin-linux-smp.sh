#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# An SMP Linux guest (issue 13): Debian's stock kernel with 2 vCPUs on CPUs 1-2 (`cpus = 1-2`)
# beside the heartbeat on CPU 0, on a 3-CPU machine. Linux starts its second vCPU with
# INIT-SIPI-SIPI through the monitor (into real mode, in the low memory it is given), reports
# 2 CPUs online and runs a busy loop on each CPU at once; then it reboots (its second CPU
# parks with interrupts off, the first writes the reset register): the monitor holds both
# vCPUs, restarts the guest, and Linux comes back with 2 CPUs again and powers off. The
# heartbeat's checks pass throughout and it reaches its verdict.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/linux-lib.sh"

cat >"$TM_OUT/twin.conf" <<CONF
[global]
mode = twin
timeout = 0
slice = 10ms

[guest a]
name = Debian SMP
kernel = \\EFI\\twinmon\\vmlinuz
initrd = \\EFI\\twinmon\\initrd-a.img
cmdline = panic=-1 twinmon.marker=linux-smp twinmon.cat=/sys/devices/system/cpu/online twinmon.parallel=20 twinmon.boots=2
memory = 0x40000000-0x5fffffff
low-memory = 256K
uarts = com1
cpus = 1-2

[guest b]
name = Heartbeat B
kernel = \\EFI\\twinmon\\heartbeat-b.elf
cmdline = uart=com2 units=20000 every=1000 exit=verdict
memory = 0x100000-0x40fffff
uarts = com2
cpus = 0
CONF
tm_boot --esp "$(tm_linux_esp "$TM_OUT/twin.conf")" --mem 2048 --smp 3 --timeout 900
tm_wait_for monitor '^monitor: starting 2 guests' 120
tm_wait_for monitor '^monitor: 3 CPUs: the boot CPU, 2 started, 0 parked$' 120
for boot in 1 2; do
  tm_wait_for com1 '^TWINMON-INIT: linux-smp' 600
  tm_wait_for com1 '^TWINMON-INIT: parallel cpu 0: 20 M in' 300
  tm_wait_for com1 '^TWINMON-INIT: parallel cpu 1: 20 M in' 300
  tm_wait_for com1 '^TWINMON-INIT: parallel 20 M on 2 CPUs in' 60
  tm_wait_for com1 "^TWINMON-INIT: boot $boot of 2\$" 60
  [ "$boot" = 2 ] || tm_wait_for monitor '^monitor: guest a restarted \(1 so far\)' 120
done
tm_wait_for com1 '^TWINMON-INIT: done' 60
[ "$(grep -ac '^TWINMON-INIT: cat: 0-1' "$TM_OUT/run/com1.log")" = 2 ] ||
  tm_fail "Linux did not report CPUs 0-1 online in both boots"
[ "$(grep -ac 'smp: Brought up 1 node, 2 CPUs' "$TM_OUT/run/com1.log")" = 2 ] ||
  tm_fail "Linux did not bring up 2 CPUs in both boots"
tm_wait_for monitor '^monitor: guest a stopped: ' 120
tm_wait_for monitor '^guest b: verdict pass: heartbeat: 20000 units$' 600
tm_wait_for monitor '^monitor: every guest has stopped$' 60
tm_expect_exit "$TM_EXIT_OK" 60
tm_absent com2 'STATE CHANGED'
tm_absent monitor 'isolation violation|unknown exit|cannot emulate'
echo ok
