#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# --pci FILE: the guests' functions get their BARs from a description of the machine's, as
# the EFI app gives them at boot, and a BAR that shares a 4 KiB page with a function the guest
# does not own is named at plan time, with both functions.
. "$(dirname "$0")/lib.sh"

PCI=partition/samples/qemu-q35-two-disks.pci
conf=$TC_TMP/two.conf
cat > "$conf" <<'CONF'
[global]
mode = twin

[guest a]
kernel = \a
memory = 256M
pci = 00:03.0

[guest b]
kernel = \b
memory = 256M
pci = 00:04.0
CONF

tc_run "$conf" --memmap "$MAP1G" --pci "$PCI"
tc_expect_rc 0 "two disks on $PCI"
tc_expect_out_has '^      BAR1 mem32 0xfebf1000 4K$' "guest a's BAR1"
tc_expect_out_has '^      BAR5 mem32 0xfebf2000 4K$' "guest b's BAR5"
tc_expect_out_has '^    mmio   0x00000000febf1000-0x00000000febf1fff' "guest a's BAR1 mapped"

# 00:04.0 moved into 00:03.0's page: refused whether b or nobody owns it.
sed 's/0xfebf2000    0x1000/0xfebf1800    0x800/' "$PCI" > "$TC_TMP/shared.pci"
tc_run "$conf" --memmap "$MAP1G" --pci "$TC_TMP/shared.pci"
tc_expect_rc 1 "a shared page"
tc_expect_err_is "$conf: partition: guest a: pci 00:03.0 BAR1 (0xfebf1000) shares a 4 KiB \
page with 00:04.0 BAR5 (0xfebf1800), which guest a does not own" "a shared page"
sed '/^pci = 00:04.0$/d' "$conf" > "$TC_TMP/one.conf"
tc_run "$TC_TMP/one.conf" --memmap "$MAP1G" --pci "$TC_TMP/shared.pci"
tc_expect_rc 1 "a page shared with an unassigned function"
tc_expect_err_has 'with 00:04.0 BAR5 \(0xfebf1800\), which guest a does not own' \
  "a page shared with an unassigned function"

# A malformed description is a usage-level error that names the line.
printf 'twinmon-pci 1\n00:03.0 1 mem32 0xfebf1800 0x1000\n' > "$TC_TMP/bad.pci"
tc_run "$conf" --memmap "$MAP1G" --pci "$TC_TMP/bad.pci"
tc_expect_rc 2 "a malformed description"
tc_expect_err_is "twinmon-check: $TC_TMP/bad.pci: partition: pci line 2: base is not aligned \
to the size" "a malformed description"
tc_run "$conf" --pci "$PCI"
tc_expect_rc 2 "--pci without a machine"
tc_expect_err_has '^twinmon-check: --pci needs --ram or --memmap$' "--pci without a machine"
tc_done
