#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Level-triggered storms (issue 11, item 1): the probe raises the edu's INTx and never
# acknowledges it, so the line stays asserted, while its I/O APIC entry for the line cannot
# deliver: masked, a vector below 16, NMI, INIT and ExtINT delivery, edge trigger, another
# CPU as destination, its local APIC disabled in software, then in hardware. Each case runs
# for a phase; a monitor that unmasks the physical pin in any of them takes the interrupt
# again at every VMRUN of either guest, and the machine stops making progress. In every case
# the heartbeat keeps at least 90 % of its baseline rate (one more boot if a host stall
# made it fall short: attack_share_retry); at the end a valid entry takes the
# interrupt, which proves the line was held on that pin throughout.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attack-lib.sh"

cases=(masked vector-low nmi init extint edge foreign-dest sw-disabled hw-disabled)
for attempt in 1 2; do
  attack_boot level "attacks=level-storm phase=1000" 15
  tm_wait_for monitor "^monitor: IRQ $ATTACK_EDU_GSI \(level, low\) -> guest b's I/O APIC$" 1
  attack_wait_phases baseline "${cases[@]}"
  attack_share_note 90
  tm_wait_for com2 "^probe: attack 1: survived: line held on pin $ATTACK_EDU_GSI throughout" 10
  attack_end
  attack_share_retry "$attempt" 90 && break
done
echo ok
