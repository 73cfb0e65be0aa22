#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The probe guest (B) attacks while a heartbeat (A) works, under the VMX backend (Bochs's
# corei7_skylake_x, as tests/bochs/vmx-heartbeat.sh): every attack is contained and logged,
# the heartbeat keeps progressing with its state checks intact, and after the probe's triple
# fault (or its EPT violation) the heartbeat runs on alone to its verdict. Besides the attacks
# of tests/qemu/twin-probe.sh, the VMX ones: each VMX instruction gets #UD, setting CR4.VMXE,
# IA32_FEATURE_CONTROL and the VMX capability MSRs get #GP (guests/probe/vmx.c). Then guest A
# alone and guest B alone, whose tables are the only ones.
TM_RUNNER=bochs-run
. "$(dirname "$0")/../qemu/lib.sh"

start=$SECONDS
# probe_run NAME "PROBE OPTIONS" [ON-RESET]
probe_run() {
  cat >"$TM_OUT/$1.conf" <<CONF
[global]
mode = twin
timeout = 0
slice = 2ms

[guest a]
name = Heartbeat A
kernel = \\EFI\\twinmon\\heartbeat-a.elf
cmdline = uart=com1 units=120 every=40 work=8000 exit=verdict
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
  tm_boot --esp "$(tm_esp_with_config "$TM_OUT/$1.conf")" --cpu corei7_skylake_x --timeout 300
}

heartbeat_survives() {
  tm_wait_for monitor '^guest a: verdict pass: heartbeat: 120 units$' 200
  tm_absent com1 'STATE CHANGED'
  tm_absent com1 'PROBE b WAS HERE'
  tm_absent monitor 'guest a stopped: (isolation|shutdown|unknown)'
}

echo "== ports, PCI, VMRUN, the VMX attacks, then a triple fault"
probe_run attacks "attacks=ports,pci,vmrun,vmx,triple spin=0" ignore
tm_wait_for monitor '^vmx: VMX revision 0x[0-9a-f]+, EPT' 200
for port in 0xcf9 0x64 0x92; do
  tm_wait_for monitor "^monitor: guest b: reset request \(0x[0-9a-f]+ to port $port\) ignored \(on-reset = ignore\)$" 200
done
tm_wait_for monitor '^guest b: probe: attack [0-9]+: contained: read 0xffffffff'
for insn in VMRUN VMXON VMCLEAR VMPTRLD VMPTRST VMREAD VMWRITE VMLAUNCH VMRESUME VMXOFF INVEPT \
            INVVPID VMFUNC; do
  tm_wait_for monitor "^guest b: probe: attack [0-9]+: (vmx|vmrun): $insn" 60
done
tm_wait_for monitor '^guest b: probe: attack [0-9]+: vmx: set CR4.VMXE'
tm_wait_for monitor '^guest b: probe: attack [0-9]+: vmx: rdmsr of the VMX capability MSRs'
tm_wait_for monitor '^guest b: probe: attack [0-9]+: contained: #GP \(vector 13\) error 0x0 *$'
tm_wait_for monitor '^guest b: probe: attack [0-9]+: contained: #GP for each of the 18'
tm_wait_for monitor '^guest b: verdict pass: probe: [0-9]+ contained, 0 NOT CONTAINED'
tm_wait_for monitor '^monitor: guest b stopped: shutdown \(triple fault\) at rip 0x[0-9a-f]+$'
heartbeat_survives
tm_expect_exit "$TM_EXIT_OK" 60
tm_absent monitor '^guest b: probe: attack [0-9]+: NOT CONTAINED'
# 13 instructions with #UD (VMRUN's included), CR4.VMXE and both FEATURE_CONTROL accesses #GP.
n=$(grep -cE '^guest b: probe: attack [0-9]+: contained: #UD \(vector 6\)' "$TM_OUT/run/monitor.log")
[ "$n" -ge 13 ] || tm_fail "only $n attacks contained with #UD, want 13"
n=$(grep -cE '^guest b: probe: attack [0-9]+: contained: #GP \(vector 13\)' "$TM_OUT/run/monitor.log")
[ "$n" -ge 3 ] || tm_fail "only $n attacks contained with #GP, want 3"
echo "ok: $((SECONDS - start))s"

echo "== the other guest's RAM: an EPT violation"
probe_run mem "attacks=mem victim=0x20100000"
tm_wait_for monitor '^monitor: guest b stopped: isolation violation: nested page fault at gpa 0x20100000 \(read' 200
heartbeat_survives
tm_expect_exit "$TM_EXIT_OK" 60
echo "ok: $((SECONDS - start))s"

# alone_run LETTER MEMORY UART: that guest alone, whose tables are the only ones.
alone_run() {
  local up=${1^^}
  echo "== guest $up alone"
  cat >"$TM_OUT/alone-$1.conf" <<CONF
[global]
mode = $1-alone
timeout = 0

[guest $1]
name = Heartbeat $up
kernel = \\EFI\\twinmon\\heartbeat-$1.elf
cmdline = uart=$3 units=120 every=40 work=8000 exit=verdict
memory = $2
uarts = $3
CONF
  rm -rf "$TM_OUT/run"
  tm_boot --esp "$(tm_esp_with_config "$TM_OUT/alone-$1.conf")" --cpu corei7_skylake_x --timeout 300
  tm_wait_for monitor '^monitor: starting 1 guest;' 200
  tm_wait_for monitor "^guest $1: verdict pass: heartbeat: 120 units\$" 200
  tm_wait_for monitor '^monitor: every guest has stopped$'
  tm_expect_exit "$TM_EXIT_OK" 60
  tm_absent "$3" 'STATE CHANGED'
  tm_absent monitor "^guest $([ "$1" = a ] && echo b || echo a): "
  echo "ok: $((SECONDS - start))s"
}
alone_run a 0x20000000-0x23ffffff com1
alone_run b 0x100000-0x40fffff com2
