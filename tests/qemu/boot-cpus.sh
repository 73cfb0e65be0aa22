#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Bringing up the other CPUs (docs/monitor.md, "CPUs"). With -smp 3 the EFI app lists three
# CPUs from the firmware's MP services and claims the AP start page; the config puts guest a
# on CPU 2 and guest b on CPU 0, so the monitor starts CPU 2 with INIT-SIPI-SIPI (it reaches C
# code on its own stack and tables and runs guest a's loop), parks CPU 1, and neither CPU ever
# switches guests. A list naming a CPU the machine lacks is refused at boot. With -smp 1 and
# no cpus key nothing of this happens: one CPU, no start page, no AP.
. "$(dirname "$0")/lib.sh"

conf() {
  cat <<CONF
[global]
mode = twin
timeout = 0
slice = 10ms

[guest a]
name = Heartbeat A
kernel = \\EFI\\twinmon\\heartbeat-a.elf
cmdline = uart=com1 units=4000 every=1000 exit=verdict
memory = 0x20000000-0x23ffffff
uarts = com1
$1

[guest b]
name = Heartbeat B
kernel = \\EFI\\twinmon\\heartbeat-b.elf
cmdline = uart=com2 units=4000 every=1000 exit=verdict
memory = 0x100000-0x40fffff
uarts = com2
$2
CONF
}

conf "cpus = 2" "cpus = 0" >"$TM_OUT/cores.conf"
tm_boot --esp "$(tm_esp_with_config "$TM_OUT/cores.conf")" --smp 3 --timeout 300
tm_wait_for monitor '^efi: 3 CPUs \(APIC IDs 0, 1, 2\)$' 120
tm_wait_for monitor '^efi: AP start page 0x[0-9a-f]+ \(SIPI vector 0x[0-9a-f]{2}\)$'
tm_wait_for monitor '^monitor: cpu 2 \(APIC ID 2\) up$'
tm_wait_for monitor '^monitor: 3 CPUs: the boot CPU, 1 started, 1 parked$'
tm_wait_for monitor '^guest a: verdict pass: heartbeat: 4000 units$' 240
tm_wait_for monitor '^guest b: verdict pass: heartbeat: 4000 units$' 240
tm_wait_for monitor '^monitor: every guest has stopped$'
tm_wait_for monitor '^monitor: cpu 0 \(APIC ID 0\): guests b, runs [0-9]+, guest switches 0,' 1
tm_wait_for monitor '^monitor: cpu 2 \(APIC ID 2\): guests a, runs [0-9]+, guest switches 0,' 1
tm_wait_for monitor '^monitor: guest a: switches 1, ' 1
tm_wait_for monitor '^monitor: guest b: switches 1, ' 1
tm_expect_exit "$TM_EXIT_OK" 60
tm_absent monitor 'did not start|not delivered|verdict fail|monitor: exception|cpu 1 \(APIC ID 1\) up'
tm_absent com1 'STATE CHANGED'
tm_absent com2 'STATE CHANGED'
echo "ok: -smp 3: guest a on CPU 2, guest b on CPU 0, CPU 1 parked, no switch"

# A CPU the machine lacks: refused at boot, with the guest, the line and the count.
conf "cpus = 3" "cpus = 0" >"$TM_OUT/missing.conf"
tm_boot --esp "$(tm_esp_with_config "$TM_OUT/missing.conf")" --smp 3 --timeout 120
tm_wait_for monitor 'guest a: cpus = 3 \(line [0-9]+\) names CPU 3, but this machine has 3 \(0-2\)' 120
tm_absent monitor '^monitor: starting'
echo "ok: cpus = 3 on a 3-CPU machine refused"

conf "" "" >"$TM_OUT/twin.conf"
tm_boot --esp "$(tm_esp_with_config "$TM_OUT/twin.conf")" --smp 1 --timeout 300
tm_wait_for monitor '^efi: 1 CPU \(APIC IDs 0\)$' 120
tm_wait_for monitor '^guest a: verdict pass: heartbeat: 4000 units$' 240
tm_wait_for monitor '^guest b: verdict pass: heartbeat: 4000 units$' 240
tm_wait_for monitor '^monitor: cpu 0 \(APIC ID 0\): guests a,b, ' 60
tm_expect_exit "$TM_EXIT_OK" 60
tm_absent monitor 'AP start page|^monitor: cpu [0-9] \(APIC ID [0-9]+\) up|CPUs: the boot CPU'
echo "ok: -smp 1: one CPU, nothing started"
