#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Two Debian kernels in twin mode, each owning its own disk controller: guest A a virtio-blk-pci
# function (00:03.0), guest B an AHCI controller (00:04.0). Each loads its drivers from the
# initramfs (Debian's modules), mounts the ext4 filesystem the test built on its disk, reads
# the test's file and writes its own. B then reboots (the monitor restarts it alone) and, on
# its second boot, finds the file its first boot wrote. Afterwards the host reads both images
# with debugfs: each guest's file is on its own disk only.
# QEMU's AMD-Vi (00:01.0) is there for the monitor to confine each guest's DMA to its RAM.
# Needs the monitor to give a Linux guest its PCI functions (host bridge, ECAM, interrupts).
# TM_LINUX_EXTRA adds to both command lines (e.g. pci=nomsi, to look at INTx alone).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/devices-lib.sh"

img_a=$(tm_disk_image disk-a test.txt "for guest a") || exit 1
img_b=$(tm_disk_image disk-b test.txt "for guest b") || exit 1
cat >"$TM_OUT/twin.conf" <<CONF
[global]
mode = twin
timeout = 0
slice = 10ms

[guest a]
name = Linux A
kernel = \\EFI\\twinmon\\vmlinuz
initrd = \\EFI\\twinmon\\modules.img
cmdline = panic=-1 ${TM_LINUX_EXTRA:-} twinmon.marker=linux-a twinmon.modules=$TM_MODS_VIRTIO_BLK twinmon.disk=LABEL=disk-a twinmon.read=test.txt twinmon.write=a.txt twinmon.irqs=virtio
memory = 0x40000000-0x5fffffff
uarts = com1
pci = $TM_DISK_A_PCI

[guest b]
name = Linux B
kernel = \\EFI\\twinmon\\vmlinuz
initrd = \\EFI\\twinmon\\modules.img
cmdline = panic=-1 ${TM_LINUX_EXTRA:-} twinmon.marker=linux-b twinmon.modules=$TM_MODS_AHCI twinmon.disk=LABEL=disk-b twinmon.read=test.txt,b.txt twinmon.write=b.txt twinmon.boots=2 twinmon.irqs=ahci
memory = 384M low
uarts = com2
pci = $TM_DISK_B_PCI
CONF
# shellcheck disable=SC2046 # the helpers print several words on purpose
tm_boot --esp "$(tm_devices_twin_esp "$TM_OUT/twin.conf")" --mem 2048 --timeout 850 -- \
  $(tm_qemu_iommu) $(tm_qemu_virtio_blk "$img_a") $(tm_qemu_ahci "$img_b")
tm_wait_for monitor '^monitor: starting 2 guests' 120
tm_guest_wait a '^TWINMON-INIT: linux-a' 600
tm_guest_wait b '^TWINMON-INIT: linux-b' 600
tm_guest_wait a '^TWINMON-INIT: disk LABEL=disk-a: mounted /dev/vda \(ext4\)' 120
tm_guest_wait a '^TWINMON-INIT: read test.txt: for guest a$' 60
tm_guest_wait a '^TWINMON-INIT: wrote a.txt: linux-a boot 1$' 60
tm_guest_wait a '^TWINMON-INIT: disk LABEL=disk-a: unmounted$' 60
tm_guest_wait b '^TWINMON-INIT: disk LABEL=disk-b: mounted /dev/sda \(ext4\)' 120
tm_guest_wait b '^TWINMON-INIT: read test.txt: for guest b$' 60
tm_guest_wait b '^TWINMON-INIT: read b.txt: missing' 60
tm_guest_wait b '^TWINMON-INIT: wrote b.txt: linux-b boot 1$' 60
tm_guest_wait b '^TWINMON-INIT: boot 1 of 2' 60
tm_wait_for monitor '^monitor: guest b restarted \(1 so far\)' 120
# B's second life finds what its first wrote: the disk, not the RAM, kept it.
tm_guest_wait b '^TWINMON-INIT: read b.txt: linux-b boot 1$' 600
tm_guest_wait b '^TWINMON-INIT: wrote b.txt: linux-b boot 2$' 60
tm_guest_wait b '^TWINMON-INIT: boot 2 of 2' 60
tm_guest_wait a '^TWINMON-INIT: done' 300
tm_guest_wait b '^TWINMON-INIT: done' 300
tm_expect_exit "$TM_EXIT_OK" 120
# Each controller interrupted its own guest.
tm_guest_wait a '^TWINMON-INIT: irq virtio count [1-9]' 1
tm_guest_wait b '^TWINMON-INIT: irq ahci count [1-9]' 1
tm_absent com1 '^TWINMON-INIT: .*: failed'
tm_absent com2 '^TWINMON-INIT: .*: failed'
tm_absent monitor 'isolation violation|unknown exit|cannot emulate'
# The host's view: each guest's file on its own disk only.
tm_disk_has "$img_a" test.txt "for guest a"
tm_disk_has "$img_a" a.txt "linux-a boot 1"
tm_disk_lacks "$img_a" b.txt
tm_disk_has "$img_b" test.txt "for guest b"
tm_disk_has "$img_b" b.txt "linux-b boot 2"
tm_disk_lacks "$img_b" a.txt
echo ok
