#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Time-shared SMP guests (issue 13): two Debian kernels with 2 vCPUs each on CPUs 0-1 of a
# 2-CPU machine (`cpus = 0-1` in both sections). Both CPUs switch together (gang mode: slots
# from the TSC, the same owner on both at once), so each kernel's two vCPUs run at the same
# time and its spinlocks and TLB shootdowns never wait on a switched-out sibling. Both
# kernels reach their init with CPUs 0-1 online, run a busy loop on both at once and power
# off; each CPU switched between the guests (not equally often: a halted vCPU lends the rest
# of its slot to the other guest's vCPU on that CPU alone).
# "Together" is judged by counts, not times (the monitor's gang line):
#  - every guest switch on either CPU went to the owner of the clock's slot at that moment, or
#    borrowed it from a halted owner ("out of slot 0"): a CPU on its own rotation or its own
#    boundaries breaks this at once, and no host load can (the decision and the check read
#    the same clock);
#  - of the clock's slots either CPU entered while both guests ran, both entered at least a
#    quarter: a CPU misses a slot only when it was away for all of it (10 ms without its
#    QEMU thread on a loaded host is common: about 60 % were together on a host with load
#    9 on 2 cores), where a CPU that never follows the other's boundaries enters none.
# The spread (how far apart the two entered a slot) is shown, not judged.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/linux-lib.sh"

cat >"$TM_OUT/twin.conf" <<CONF
[global]
mode = twin
timeout = 0
slice = 10ms

[guest a]
name = Linux A
kernel = \\EFI\\twinmon\\vmlinuz
initrd = \\EFI\\twinmon\\initrd-a.img
cmdline = panic=-1 twinmon.marker=linux-a twinmon.cat=/sys/devices/system/cpu/online twinmon.parallel=10
memory = 0x40000000-0x5fffffff
low-memory = 192K
uarts = com1
cpus = 0-1

[guest b]
name = Linux B
kernel = \\EFI\\twinmon\\vmlinuz
initrd = \\EFI\\twinmon\\initrd-b.img
cmdline = panic=-1 twinmon.marker=linux-b twinmon.cat=/sys/devices/system/cpu/online twinmon.parallel=10
memory = 384M low
low-memory = 192K
uarts = com2
cpus = 0-1
CONF
tm_boot --esp "$(tm_linux_esp "$TM_OUT/twin.conf")" --mem 2048 --smp 2 --timeout 800
tm_wait_for monitor '^monitor: starting 2 guests' 120
tm_wait_for monitor '^monitor: 2 CPUs switch together \(gang mode\)$' 1
for g in a b; do
  com=$([ "$g" = a ] && echo com1 || echo com2)
  tm_wait_for "$com" "^TWINMON-INIT: linux-$g" 600
  tm_wait_for "$com" '^TWINMON-INIT: cat: 0-1' 60
  tm_wait_for "$com" '^TWINMON-INIT: parallel 10 M on 2 CPUs in' 300
  tm_wait_for "$com" '^TWINMON-INIT: done' 120
done
tm_wait_for monitor '^monitor: every guest has stopped$' 120
tm_expect_exit "$TM_EXIT_OK" 60
tm_absent monitor 'isolation violation|unknown exit|cannot emulate|monitor: exception'
# Both CPUs ran both guests and switched between them.
s0=$(sed -n 's/^monitor: cpu 0 (APIC ID [0-9]*): guests a,b, runs [0-9]*, guest switches \([0-9]*\),.*/\1/p' \
  "$TM_OUT/run/monitor.log")
s1=$(sed -n 's/^monitor: cpu 1 (APIC ID [0-9]*): guests a,b, runs [0-9]*, guest switches \([0-9]*\),.*/\1/p' \
  "$TM_OUT/run/monitor.log")
echo "guest switches: cpu 0 ${s0:-?}, cpu 1 ${s1:-?}"
[ -n "$s0" ] && [ -n "$s1" ] && [ "$s0" -gt 10 ] && [ "$s1" -gt 10 ] ||
  tm_fail "both CPUs must switch between the guests (cpu 0 ${s0:-?}, cpu 1 ${s1:-?})"
gang=$(grep -E '^monitor: gang cpus 0-1: [0-9]+ slot changes, [0-9]+ on all CPUs together, spread max [0-9]+ us, p99 [0-9]+ us; guest switches [0-9]+, out of slot [0-9]+$' \
  "$TM_OUT/run/monitor.log" || true)
[ -n "$gang" ] || tm_fail "no gang line for CPUs 0-1 in the monitor's statistics"
echo "$gang"
slots=$(sed -E 's/^monitor: gang cpus 0-1: ([0-9]+) slot changes.*/\1/' <<<"$gang")
together=$(sed -E 's/.* slot changes, ([0-9]+) on all CPUs together.*/\1/' <<<"$gang")
switches=$(sed -E 's/.*; guest switches ([0-9]+), .*/\1/' <<<"$gang")
off=$(sed -E 's/.*, out of slot ([0-9]+)$/\1/' <<<"$gang")
[ "$slots" -ge 100 ] || tm_fail "too few slot changes to judge ($slots)"
[ "$switches" -ge 20 ] || tm_fail "too few guest switches to judge ($switches)"
[ "$off" -eq 0 ] || tm_fail "$off of $switches guest switches did not keep to the clock's slots"
[ $((together * 4)) -ge "$slots" ] ||
  tm_fail "CPUs 0-1 entered only $together of $slots slots together (a quarter wanted)"
echo ok
