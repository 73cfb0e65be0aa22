#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Bringing up the other CPUs (docs/monitor.md, "CPUs"). With -smp 3 the EFI app lists three
# CPUs from the firmware's MP services, claims the AP start page, and the monitor starts both
# APs with INIT-SIPI-SIPI: each reaches C code on its own stack and descriptor tables and logs
# that it is up, while the two heartbeat guests run and pass on the boot CPU as before. With
# -smp 1 nothing of this happens: one CPU, no start page, no AP.
. "$(dirname "$0")/lib.sh"

cat >"$TM_OUT/twin.conf" <<CONF
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

[guest b]
name = Heartbeat B
kernel = \\EFI\\twinmon\\heartbeat-b.elf
cmdline = uart=com2 units=4000 every=1000 exit=verdict
memory = 0x100000-0x40fffff
uarts = com2
CONF
esp=$(tm_esp_with_config "$TM_OUT/twin.conf")

tm_boot --esp "$esp" --smp 3 --timeout 300
tm_wait_for monitor '^efi: 3 CPUs \(APIC IDs 0, 1, 2\)$' 120
tm_wait_for monitor '^efi: AP start page 0x[0-9a-f]+ \(SIPI vector 0x[0-9a-f]{2}\)$'
tm_wait_for monitor '^monitor: cpu 1 \(APIC ID 1\) up$'
tm_wait_for monitor '^monitor: cpu 2 \(APIC ID 2\) up$'
tm_wait_for monitor '^monitor: 3 CPUs: the boot CPU, 2 started, 0 parked$'
tm_wait_for monitor '^monitor: starting 2 guests'
tm_wait_for monitor '^guest a: verdict pass: heartbeat: 4000 units$' 240
tm_wait_for monitor '^guest b: verdict pass: heartbeat: 4000 units$' 240
tm_wait_for monitor '^monitor: every guest has stopped$'
tm_expect_exit "$TM_EXIT_OK" 60
tm_absent monitor 'did not start|not delivered|verdict fail|monitor: exception'
tm_absent com1 'STATE CHANGED'
tm_absent com2 'STATE CHANGED'
# The start page is the plan's, not a guest's.
tm_has "$TM_OUT/run/monitor.log" 'AP start page' || tm_fail "no AP start page on the log"
echo "ok: -smp 3: both APs up, both guests passed"

tm_boot --esp "$esp" --smp 1 --timeout 300
tm_wait_for monitor '^efi: 1 CPU \(APIC IDs 0\)$' 120
tm_wait_for monitor '^guest a: verdict pass: heartbeat: 4000 units$' 240
tm_wait_for monitor '^guest b: verdict pass: heartbeat: 4000 units$' 240
tm_expect_exit "$TM_EXIT_OK" 60
tm_absent monitor 'AP start page|^monitor: cpu [0-9]|CPUs: the boot CPU'
echo "ok: -smp 1: one CPU, nothing started"
