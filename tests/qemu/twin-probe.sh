#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The probe guest (B) attacks while a heartbeat (A) works: every attack is contained and
# logged by the monitor, the heartbeat keeps progressing with its state checks and memory
# checksum intact, the machine is never reset, a probe spinning with interrupts off cannot
# keep the CPU, and after the probe's triple fault (or isolation violation) the heartbeat
# runs on alone to its verdict.
. "$(dirname "$0")/lib.sh"

# probe_run NAME "PROBE OPTIONS" [ON-RESET]: boot heartbeat A + probe B with those options; B's
# reset requests do what ON-RESET says (default stop: a restarted probe would attack again).
probe_run() {
  cat >"$TM_OUT/$1.conf" <<CONF
[global]
mode = twin
timeout = 0
slice = 5ms

[guest a]
name = Heartbeat A
kernel = \\EFI\\twinmon\\heartbeat-a.elf
cmdline = uart=com1 units=2500 every=500 exit=verdict
memory = 0x20000000-0x23ffffff
uarts = com1

[guest b]
name = Probe B
kernel = \\EFI\\twinmon\\probe-b.elf
cmdline = uart=com2 peer-uart=com1 $2
memory = 0x100000-0x40fffff
uarts = com2
on-reset = ${3:-stop}
CONF
  rm -rf "$TM_OUT/run"
  tm_boot --esp "$(tm_esp_with_config "$TM_OUT/$1.conf")" --timeout 180
}

heartbeat_survives() {
  tm_wait_for monitor '^guest a: verdict pass: heartbeat: 2500 units$' 150
  tm_absent com1 'STATE CHANGED'
  tm_absent com1 'PROBE b WAS HERE'
  tm_absent monitor 'guest a stopped: (isolation|shutdown|unknown)'
}

echo "== ports, PCI, VMRUN, then a triple fault"
probe_run attacks "attacks=ports,pci,vmrun,triple spin=0" ignore
for port in 0x3f8 0xcf8; do
  tm_wait_for monitor "^monitor: guest b: out to unassigned port $port \([0-9] bytes, value 0x[0-9a-f]+\): dropped$"
done
# The reset lines are requests the config tells the monitor to ignore; a triple fault is not.
for port in 0xcf9 0x64 0x92; do
  tm_wait_for monitor "^monitor: guest b: reset request \(0x[0-9a-f]+ to port $port\) ignored \(on-reset = ignore\)$"
done
tm_wait_for monitor '^monitor: guest b: in from unassigned port 0xcfc \(4 bytes\): reads as ones$'
tm_wait_for monitor '^guest b: probe: attack [0-9]+: contained: no reset'
tm_wait_for monitor '^guest b: probe: attack [0-9]+: contained: read 0xffffffff'
tm_wait_for monitor '^guest b: probe: attack [0-9]+: contained: #UD \(vector 6\)'
tm_wait_for monitor '^guest b: verdict pass: probe: [0-9]+ contained, 0 NOT CONTAINED'
tm_wait_for monitor '^monitor: guest b stopped: shutdown \(triple fault\) at rip 0x[0-9a-f]+$'
heartbeat_survives
tm_expect_exit "$TM_EXIT_OK" 60
tm_absent monitor '^guest b: probe: attack [0-9]+: NOT CONTAINED'

echo "== the other guest's RAM"
probe_run mem "attacks=mem victim=0x20100000"
tm_wait_for monitor '^monitor: guest b stopped: isolation violation: nested page fault at gpa 0x20100000 \(read'
heartbeat_survives
tm_expect_exit "$TM_EXIT_OK" 60

echo "== a device nobody was given (the HPET; the local and I/O APIC pages are each guest's own)"
probe_run monitor "attacks=monitor monitor=0xfed00000"
tm_wait_for monitor '^monitor: guest b stopped: isolation violation: nested page fault at gpa 0xfed00000'
heartbeat_survives
tm_expect_exit "$TM_EXIT_OK" 60

echo "== cli; jmp \$"
probe_run spin "attacks=none spin=1"
tm_wait_for com2 'probe: .*spin' 60
heartbeat_survives
# The probe spins on with interrupts off: the monitor still preempts it, so the run only ends
# when the test stops QEMU.
tm_absent monitor 'guest b stopped'
echo ok
