#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Bad vectors (issue 11, item 4): the probe sends vectors 0x10, 0x1f and 0xff to itself by
# self-IPI and through its I/O APIC (the edu's INTx routed with those vectors). None of this
# may stop the machine or leave the monitor's timer blocked: after each source the heartbeat
# still keeps at least 90 % of its baseline rate, which needs the monitor's timer to take the
# CPU back from the busy probe. The edu's MSIs, which the device sends to the physical local
# APIC, are twin-attack-msi's.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attack-lib.sh"

for attempt in 1 2; do
  attack_boot vectors "attacks=bad-vector phase=2000" 12
  attack_wait_phases baseline after-ipi after-route
  attack_share_note 90
  tm_wait_for com2 '^probe: attack 1: survived: arrived: self-IPI .*; route ' 10
  attack_end
  attack_share_retry "$attempt" 90 && break
done
tm_absent monitor '^monitor: (exception|a fault in the monitor)'
# Virtual sources only: nothing reached the monitor's exception vectors.
tm_wait_for monitor '^monitor: host interrupts: .*exception-range 0 ' 10
echo ok
