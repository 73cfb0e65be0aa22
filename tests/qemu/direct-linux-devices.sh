#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# `direct` mode with real devices: Debian's stock kernel on the bare machine (no monitor) loads
# its drivers from the initramfs (Debian's modules with their dependencies), mounts the ext4
# disk the test built, reads the test's file, writes its own, and pings QEMU's user-network
# gateway. Twice, with the two device sets the twin tests give their guests:
#   1. virtio-blk-pci (00:03.0) and virtio-net-pci (00:05.0), interrupting by MSI-X;
#   2. an AHCI controller (00:04.0) and e1000e (00:06.0), with pci=nomsi: by their INTx pins,
#      through the firmware's _PRT and the I/O APIC.
# This is what the twin tests' guests do (twin-linux-disks, twin-linux-net), minus the monitor.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/devices-lib.sh"

# direct_run NAME DEVICE-REGEX MODULES EXTRA-CMDLINE QEMU-DEVICE-ARGS...: the disk is found by
# its label, NAME (the firmware's own disk is there too, and may be probed first).
direct_run() {
  local name=$1 dev=$2 mods=$3 extra=$4
  shift 4
  rm -rf "$TM_OUT/run"
  local esp
  esp=$(tm_devices_direct_esp "$extra twinmon.marker=$name twinmon.modules=$mods twinmon.disk=LABEL=$name \
twinmon.read=test.txt twinmon.write=$name.txt twinmon.ip=$TM_IP_A/24 twinmon.ping=10.0.2.2 \
twinmon.pings=3 twinmon.net-wait=120 twinmon.irqs=${IRQ_NAME}") || exit 1
  tm_boot --esp "$esp" --mem 1024 --timeout 400 -- "$@"
  tm_wait_for monitor "^direct: entering guest a at 0x[0-9a-f]+" 120
  tm_wait_for com1 "^TWINMON-INIT: $name" 240
  tm_wait_for com1 '^TWINMON-INIT: modules: [0-9]+ loaded, 0 failed' 120
  tm_wait_for com1 "^TWINMON-INIT: disk LABEL=$name: mounted $dev \(ext4\)" 120
  tm_wait_for com1 "^TWINMON-INIT: read test.txt: put there by the test for $name$" 30
  tm_wait_for com1 "^TWINMON-INIT: wrote $name.txt: $name boot 1$" 30
  tm_wait_for com1 "^TWINMON-INIT: disk LABEL=$name: unmounted$" 30
  tm_wait_for com1 "^TWINMON-INIT: net [a-z0-9]+: $TM_IP_A/24 up$" 60
  tm_ping_ok a 10.0.2.2 3 150
  tm_wait_for com1 '^TWINMON-INIT: done' 60
  tm_expect_exit 32 60
  tm_absent com1 '^TWINMON-INIT: .*: failed'
}

echo "== virtio-blk + virtio-net"
img=$(tm_disk_image virtio "test.txt" "put there by the test for virtio") || exit 1
IRQ_NAME=virtio
# shellcheck disable=SC2046 # the helpers print several words on purpose
direct_run virtio /dev/vda "$TM_MODS_VIRTIO_BLK,$TM_MODS_VIRTIO_NET" "" \
  $(tm_qemu_virtio_blk "$img") $(tm_qemu_user_net net-a) $(tm_qemu_virtio_net net-a)
tm_wait_for com1 '^TWINMON-INIT: irq virtio line: [0-9]+: [1-9][0-9]* PCI-MSI .*virtio0-req' 1
tm_wait_for com1 '^TWINMON-INIT: irq virtio line: [0-9]+: [1-9][0-9]* PCI-MSI .*virtio1-input' 1
tm_disk_has "$img" test.txt "put there by the test for virtio"
tm_disk_has "$img" virtio.txt "virtio boot 1"

echo "== AHCI + e1000e, INTx"
img=$(tm_disk_image ahci "test.txt" "put there by the test for ahci") || exit 1
IRQ_NAME=:
# shellcheck disable=SC2046
direct_run ahci '/dev/sd[a-z]' "$TM_MODS_AHCI,$TM_MODS_E1000E" pci=nomsi \
  $(tm_qemu_ahci "$img") $(tm_qemu_user_net net-b) $(tm_qemu_e1000e net-b)
tm_wait_for com1 '^TWINMON-INIT: irq : line: [0-9]+: [1-9][0-9]* IO-APIC .*-fasteoi .*ahci' 1
tm_wait_for com1 '^TWINMON-INIT: irq : line: [0-9]+: [1-9][0-9]* IO-APIC .*-fasteoi .*eth0' 1
tm_disk_has "$img" test.txt "put there by the test for ahci"
tm_disk_has "$img" ahci.txt "ahci boot 1"
tm_disk_lacks "$img" virtio.txt
echo ok
