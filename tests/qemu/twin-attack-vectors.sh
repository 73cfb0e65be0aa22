#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Bad vectors (issue 11, item 4): the probe sends vectors 0x10, 0x1f and 0xff to itself by
# self-IPI and through its I/O APIC (the edu's INTx routed with those vectors), then makes the
# edu send MSIs with vectors 0x12, 0x11, 0x1e, 0x10, 0x1f and 0xff (0x11 and 0x1e are gates
# that expect an error code, which an interrupt does not push). An MSI is a write to the physical
# local APIC: it reaches the monitor's IDT, never the probe's virtual APIC. None of this may
# stop the machine (0x12 is #MC's vector) or leave the monitor's timer blocked (an unacked
# 0xff in service would): after each source the heartbeat still keeps at least 90 % of its
# baseline rate, which needs the monitor's timer to take the CPU back from the busy probe.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attack-lib.sh"

attack_boot vectors "attacks=bad-vector phase=2000" 12
attack_wait_phases baseline after-ipi after-route after-msi
attack_share_kept 90
tm_wait_for com2 '^probe: attack 1: survived: arrived: self-IPI .*; route .*; MSI ' 10
attack_end
tm_absent monitor '^monitor: (exception|a fault in the monitor)'
# The MSIs did reach the physical CPU: the monitor counted the exception-range ones.
tm_wait_for monitor '^monitor: host interrupts: .*exception-range [1-9]' 10
echo ok
