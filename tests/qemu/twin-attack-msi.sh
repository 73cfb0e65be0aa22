#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# MSI attack (issue 12, item 4): the probe owns the edu and programs its MSI with the INIT and
# NMI delivery modes and vector 0x0f (the monitor must never enable those on the device),
# then with vectors 0x10, 0xff and 0x61, each raised three times. The monitor remaps MSIs: the
# device only ever holds the monitor's message, to a vector of the probe's range, and each
# arrival is raised in the probe's vLAPIC as the probe's own vector. So nothing but the
# monitor's own vectors reaches the physical CPU (no exception-range, other or NMI
# interrupts), the refused messages arrive nowhere, the others arrive at the probe exactly
# once per raise, and the heartbeat keeps its share. Without remapping, the vectors 0x10 and
# 0xff reach the monitor's IDT (counted as exception-range and other) and the probe sees none.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attack-lib.sh"

for attempt in 1 2; do
  attack_boot msi "attacks=msi phase=2000" 10
  attack_wait_phases baseline after-msi
  attack_share_note 90
  case_re='\(data 0x[0-9a-f]+\): raised 3, arrived'
  for c in INIT NMI 'vector 0x0f'; do
    tm_wait_for com2 "^probe: attack 1: MSI $c $case_re 0$" 1
  done
  for v in 0x10 0xff 0x61; do
    tm_wait_for com2 "^probe: attack 1: MSI vector $v $case_re 3$" 1
  done
  tm_wait_for com2 \
    '^probe: attack 1: survived: remapped: refused ones arrived 0; 0x10 3; 0xff 3; 0x61 3' 1
  attack_end
  attack_share_retry "$attempt" 90 && break
done
# The first refused message is logged, and the device never got it.
tm_wait_for monitor '^monitor: guest b: pci 00:10.0: MSI to 0xfee00000, data 0x561 refused '\
'\(delivery mode INIT\): not enabled on the device' 1
# Only the monitor's own vectors reached the CPU: every MSI came as a remapped one.
tm_wait_for monitor '^monitor: host interrupts: .*other 0 \(.*exception-range 0 \(.*NMI 0, '\
'remapped MSI (9|[1-9][0-9]+)$' 1
tm_wait_for monitor \
  '^monitor: guest b: interrupts injected .*MSIs (9|[1-9][0-9]+) \(dropped 0\)' 1
echo ok
