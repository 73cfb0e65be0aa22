#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Two Debian kernels in twin mode, each owning its own NIC: guest A a virtio-net-pci function
# (00:05.0), guest B an e1000e (00:06.0), joined by a QEMU hub. Each loads its driver from the
# initramfs and takes a static address; A pings B (10.0.2.15 -> 10.0.2.16) until 5 replies,
# then sends a request marked as the last; B's kernel answers them all, and B's init stays up
# until the last one came. Twice:
#   msix   the drivers use MSI-X, which the monitor remaps into each guest's vLAPIC;
#   intx   pci=nomsi on both command lines: the pins' INTx, routed through the guests' _PRT
#          to their virtual I/O APICs.
# QEMU's AMD-Vi (00:01.0) is there for the monitor to confine each guest's DMA to its RAM.
# Needs the monitor to give a Linux guest its PCI functions (host bridge, ECAM, _PRT/INTx,
# MSI-X remapping).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/devices-lib.sh"

# net_run NAME EXTRA-CMDLINE CHIP-REGEX: one boot; the NICs' interrupts must come by CHIP-REGEX.
net_run() {
  local name=$1 extra=$2 chip=$3
  cat >"$TM_OUT/$name.conf" <<CONF
[global]
mode = twin
timeout = 0
slice = 10ms

[guest a]
name = Linux A
kernel = \\EFI\\twinmon\\vmlinuz
initrd = \\EFI\\twinmon\\modules.img
cmdline = panic=-1 $extra twinmon.marker=linux-a twinmon.modules=$TM_MODS_VIRTIO_NET twinmon.ip=$TM_IP_A/24 twinmon.ping=$TM_IP_B twinmon.pings=5 twinmon.irqs=virtio
memory = 0x40000000-0x5fffffff
uarts = com1
pci = $TM_NIC_A_PCI

[guest b]
name = Linux B
kernel = \\EFI\\twinmon\\vmlinuz
initrd = \\EFI\\twinmon\\modules.img
cmdline = panic=-1 $extra twinmon.marker=linux-b twinmon.modules=$TM_MODS_E1000E twinmon.ip=$TM_IP_B/24 twinmon.pong=5 twinmon.irqs=eth0
memory = 384M low
uarts = com2
pci = $TM_NIC_B_PCI
CONF
  rm -rf "$TM_OUT/run"
  # shellcheck disable=SC2046 # the helpers print several words on purpose
  tm_boot --esp "$(tm_devices_twin_esp "$TM_OUT/$name.conf")" --mem 2048 --timeout 800 -- \
    $(tm_qemu_iommu) $(tm_qemu_hub net-a net-b) $(tm_qemu_virtio_net net-a) $(tm_qemu_e1000e net-b)
  tm_wait_for monitor '^monitor: starting 2 guests' 120
  tm_guest_wait a "^TWINMON-INIT: net eth0: $TM_IP_A/24 up$" 600
  tm_guest_wait b "^TWINMON-INIT: net eth0: $TM_IP_B/24 up$" 600
  tm_ping_ok a "$TM_IP_B" 5 400
  tm_guest_wait b '^TWINMON-INIT: pong: answered ([5-9]|[1-9][0-9]+) echo requests' 120
  tm_guest_wait a '^TWINMON-INIT: done' 120
  tm_guest_wait b '^TWINMON-INIT: done' 120
  tm_expect_exit "$TM_EXIT_OK" 120
  tm_absent com1 '^TWINMON-INIT: .*: failed'
  tm_absent com2 '^TWINMON-INIT: .*: failed'
  tm_absent monitor 'isolation violation|unknown exit|cannot emulate'
  # Each NIC interrupted its own guest, the way this run asked for.
  tm_guest_wait a "^TWINMON-INIT: irq virtio line: [0-9]+: [1-9][0-9]* $chip .*virtio0" 1
  tm_guest_wait b "^TWINMON-INIT: irq eth0 line: [0-9]+: [1-9][0-9]* $chip " 1
  tm_irq_lines com1 virtio
  tm_irq_lines com2 eth0
}

# TM_NET_RUNS picks the runs (to look at one while debugging); both by default.
for run in ${TM_NET_RUNS:-msix intx}; do
  case $run in
    msix) echo "== MSI-X"; net_run msix "" "PCI-MSI" ;;
    intx) echo "== INTx (pci=nomsi)"; net_run intx "pci=nomsi" "IO-APIC" ;;
    *) tm_fail "unknown run $run in TM_NET_RUNS" ;;
  esac
done
echo ok
