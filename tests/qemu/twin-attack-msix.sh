#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# MSI-X through the monitor's table emulation (issue 12, item 4): the probe also owns an
# e1000e at 00:11.0, whose MSI-X table and PBA pages the monitor leaves out of its nested page
# tables and emulates. The probe programs entry 0 as Linux does (Enable with Function Mask,
# the entry, then unmasked) and raises the receive-queue cause: each raise arrives once, as
# the probe's own vector. Masked, a raise arrives nowhere and the device's pending bit shows
# through the trapped PBA; unmasked, it arrives. With the INIT delivery mode the entry reads
# back as written and nothing arrives anywhere. Only remapped vectors reach the CPU.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/attack-lib.sh"

ATTACK_PCI="00:10.0, 00:11.0"
ATTACK_DEVICES="-device e1000e,addr=0x11,netdev=n0 -netdev user,id=n0"
attack_boot msix "attacks=msix" 4
tm_wait_for com2 '^probe: attack 1: MSI-X valid: raised 3, arrived 3; masked: arrived 0, '\
'pending 1, arrived on unmask 1; INIT: reads back 0x562, raised 3, arrived 0$' 60
tm_wait_for com2 '^probe: attack 1: survived: MSI-X remapped' 1
attack_end
tm_wait_for monitor '^efi: guest b: pci 00:11.0 MSI-X: 5 entries, table 0x[0-9a-f]+, '\
'PBA 0x[0-9a-f]+ \(emulated by the monitor\)' 1
tm_wait_for monitor '^monitor: guest b: pci 00:11.0: MSI-X entry 0 to 0xfee00000, data 0x562 '\
'refused \(delivery mode INIT\): masked on the device' 1
tm_wait_for monitor '^monitor: host interrupts: .*other 0 \(.*exception-range 0 \(.*NMI 0, '\
'remapped MSI [1-9]' 1
echo ok
