#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Core-partitioned attacks (issue 13): on a 2-CPU machine the probe runs on CPU 1 (`cpus = 1`)
# beside the heartbeat on CPU 0 (`cpus = 0`), each guest alone on its core. Three boots:
#   1. every attack the probe survives, in one run: the port, PCI and VMRUN attacks, the
#      console flood, the timer storms, the level storm, bad vectors, the edu's MSIs, an
#      e1000e's MSI-X, the IPI storm (INIT, SIPI, NMI, SMI, fixed to every destination kind,
#      xAPIC), then cli-spin, which never ends: the test stops QEMU once the heartbeat's
#      verdict is in;
#   2. the IPI storm in x2APIC mode too (the probe starts in x2APIC, goes down to xAPIC and
#      up again), then a triple fault: the monitor stops the probe, the heartbeat runs on;
#   3. a write to the heartbeat's RAM: the monitor stops the probe (isolation violation).
# In every boot: the machine never resets (one "monitor: starting"), the probe never
# restarts and reports no NOT CONTAINED, and the heartbeat never stops: its lines keep
# coming (never a second apart, and for at least a second after the spin began), its checks
# hold, its verdict passes, and on a core of its own it is never switched out (its
# switches_in, the monitor's switch count: at most 1, the first entry). Its rate beside the
# storms is not judged here: under TCG every device access of either vCPU takes QEMU's one
# big lock, so a device storm on CPU 1 slows CPU 0's UART writes in the emulator, which a
# PC does not share; cpus-partitioned.sh judges the rate beside a busy neighbour. dma has its own test with an IOMMU
# (twin-attack-dma.sh): here the probe's edu is unconfined and its DMA would reach anything.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attack-lib.sh"
. "$(dirname "$0")/cpus-lib.sh"

EDU_IRQ=20
PROBE_DEVICES=(-device edu,addr=0x10 -device e1000e,addr=0x11,netdev=n0 -netdev user,id=n0)
CPUS_B_LINES="pci = 00:10.0, 00:11.0
irqs = $EDU_IRQ"
# The ports attack asks for resets: ignored, so the probe goes on to the next attacks.
CPUS_PROBE_ON_RESET=ignore
GLOBAL="dma = unconfined"
# pci: a function nobody owns (00:00.0 is the virtual host bridge of a guest with functions).
PROBE_OPTS="peer-uart=com1 edu=00:10.0 edu-irq=$EDU_IRQ pci=00:1f.0"

# The heartbeat's end: verdict, checks, never switched out.
heartbeat_held() {
  tm_wait_for monitor '^guest a: verdict pass: heartbeat: [0-9]+ units$' 180
  tm_absent com1 'STATE CHANGED'
  tm_absent com1 'EXCEPTION'
  tm_absent com1 'PROBE b WAS HERE'
  tm_absent monitor 'guest a stopped: (isolation|shutdown|unknown)'
  local sw
  sw=$(cpus_hb_switches a)
  [ -n "$sw" ] && [ "$sw" -le 1 ] ||
    tm_fail "the heartbeat on its own core was switched in ${sw:-?} times (want at most 1)"
}

# The probe's end: its verdict, nothing it did escaped, it started once, the machine too.
probe_held() {
  tm_wait_for com2 '^probe: verdict ' 120
  tm_absent com2 '^probe: attack [0-9]+: NOT CONTAINED'
  tm_absent com2 'EXCEPTION'
  tm_wait_for com2 '^probe: verdict pass: probe: ' 1
  cpus_probe_once
  cpus_one_boot
  tm_absent monitor '^monitor: (exception|a fault in the monitor)'
}

# The monitor's switch counts, printed once every guest has stopped.
monitor_switches_held() {
  local sw
  sw=$(cpus_switches a)
  [ -n "$sw" ] && [ "$sw" -le 1 ] || tm_fail "guest a: ${sw:-no} switches (want at most 1)"
}

ALL="ports,pci,vmrun,console-flood,deadline-storm,periodic-storm,level-storm,bad-vector,msi,msix"
ALL+=",ipi-storm,cli-spin"
cpus_conf "$TM_OUT/all.conf" twin heartbeat "seconds=45 exit=verdict $CPUS_HEARTBEAT" 0 \
  probe "$PROBE_OPTS attacks=$ALL phase=1000" 1 "$GLOBAL"
echo "== every surviving attack, then cli-spin"
cpus_boot all "$TM_OUT/all.conf" 2 300 "${PROBE_DEVICES[@]}"
attack_wait_phases baseline flood baseline deadline deadline-1ms baseline periodic \
  periodic-via-oneshot baseline
tm_wait_for com2 '^probe: attack [0-9]+: spin: cli; jmp \. for ever from tsc [0-9]+ ' 120
probe_held
tm_wait_for com2 '^probe: verdict pass: probe: [0-9]+ contained, 0 NOT CONTAINED, [0-9]+ '\
'survived, [01] skipped$' 1
# Only the one-shot-to-periodic switch may be skipped (attack_wait_phases says why).
tm_absent com2 '^probe: attack [0-9]+: skipped: ([^o]|o[^n])'
tm_wait_for com2 '^probe: attack [0-9]+: survived: xAPIC [0-9]+ IPIs, ' 1
heartbeat_held
tm_absent monitor 'guest b stopped'
cpus_never_stopped 1000
# The probe still spins: this QEMU never ends by itself.
tm_cleanup
TM_PID=

echo "== the IPI storm in x2APIC mode too, then a triple fault"
CPUS_B_LINES="apic = x2apic"
cpus_conf "$TM_OUT/x2.conf" twin heartbeat "seconds=12 exit=verdict $CPUS_HEARTBEAT" 0 \
  probe "peer-uart=com1 attacks=ipi-storm,triple phase=2000" 1
cpus_boot x2 "$TM_OUT/x2.conf" 2 200
attack_wait_phases baseline ipi-xapic ipi-x2apic
tm_wait_for com2 '^probe: attack 1: survived: xAPIC [0-9]+ IPIs, .*; x2APIC [0-9]+ IPIs' 30
probe_held
tm_wait_for monitor '^monitor: guest b stopped: shutdown \(triple fault\)' 30
heartbeat_held
tm_wait_for monitor '^monitor: every guest has stopped$' 60
tm_expect_exit "$TM_EXIT_OK" 60
monitor_switches_held
cpus_never_stopped 1000

echo "== the heartbeat's RAM"
CPUS_B_LINES=
cpus_conf "$TM_OUT/mem.conf" twin heartbeat "seconds=6 exit=verdict $CPUS_HEARTBEAT" 0 \
  probe "peer-uart=com1 attacks=mem victim=0x20100000" 1
cpus_boot mem "$TM_OUT/mem.conf" 2 200
tm_wait_for monitor '^monitor: guest b stopped: isolation violation: nested page fault at gpa '\
'0x20100000 \(read' 60
heartbeat_held
tm_wait_for monitor '^monitor: every guest has stopped$' 60
tm_expect_exit "$TM_EXIT_OK" 60
cpus_one_boot
monitor_switches_held
echo ok
