#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# IPIs and a spin with interrupts off, time-shared on one CPU (issue 13; the core-partitioned
# run is cpus-attacks.sh). The probe sends INIT, SIPI, NMI, SMI and fixed IPIs to every kind of
# destination (all, all but itself, APIC IDs 0-3, broadcast, logical all-ones), in xAPIC and
# then x2APIC mode (the probe starts in x2APIC and switches down, then up), then spins with
# `cli; jmp $` for ever. What must hold:
#   - nothing reaches the physical CPU: the machine never resets, the monitor starts once;
#   - the probe sees nothing wrong with itself (no second start, its APIC unchanged, no more
#     interrupts than it sent itself): no NOT CONTAINED, verdict pass;
#   - the heartbeat keeps at least 90 % of its baseline share in both IPI phases, and after
#     the spin began, until its own verdict: the monitor takes the CPU back from a guest with
#     interrupts off (SVM intercepts physical interrupts whatever the guest's IF);
#   - the heartbeat's checks hold and its verdict passes.
# The probe spins on after its verdict, so the run ends when the test stops QEMU.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attack-lib.sh"
. "$(dirname "$0")/cpus-lib.sh"

# The probe starts in x2APIC mode (CPUID then offers it), goes to xAPIC for the first phase
# and back to x2APIC for the second.
CPUS_B_LINES="apic = x2apic"
cpus_conf "$TM_OUT/ipi.conf" twin heartbeat "seconds=18 exit=verdict $CPUS_HEARTBEAT" "" \
  probe "peer-uart=com1 attacks=ipi-storm,cli-spin phase=3000" ""
for attempt in 1 2; do
  cpus_boot ipi "$TM_OUT/ipi.conf" 1 200
  attack_wait_phases baseline ipi-xapic
  tm_wait_for com2 '^probe: attack 1: (phase ipi-x2apic: |x2APIC: skipped)' 30
  tm_wait_for com2 '^probe: attack 1: (survived|NOT CONTAINED): ' 30
  tm_absent com2 '^probe: attack [0-9]+: NOT CONTAINED'
  tm_absent com2 '^probe: attack 1: x2APIC: skipped'
  tm_wait_for com2 '^probe: attack 1: survived: xAPIC [0-9]+ IPIs, .*; x2APIC [0-9]+ IPIs' 1
  tm_wait_for com2 '^probe: verdict pass: probe: 0 contained, 0 NOT CONTAINED, 1 survived' 10
  tm_wait_for com2 '^probe: attack 2: spin: cli; jmp \. for ever from tsc [0-9]+ ' 10
  tm_wait_for monitor '^guest a: verdict pass: heartbeat: [0-9]+ units$' 120
  tm_absent com1 'STATE CHANGED'
  tm_absent com1 'EXCEPTION'
  tm_absent com2 'EXCEPTION'
  cpus_probe_once
  tm_absent monitor 'guest b stopped'
  tm_absent monitor '^monitor: (exception|a fault in the monitor)'
  cpus_one_boot

  attack_share_note 90
  # The spin: the heartbeat's share from the spin's start to its own end, against the
  # baseline's (a probe that kept the CPU would leave it none).
  cpus_spin_share 90
  attack_share_retry "$attempt" 90 && break
  # The probe still spins: this QEMU never ends by itself.
  tm_cleanup
  TM_PID=
done
echo ok
