# SPDX-License-Identifier: GPL-2.0-only
# Linux guests with real devices: disks holding an ext4 filesystem the test builds without root
# (mkfs.ext4 -d), NICs on a QEMU network, and the initramfs with Debian's kernel modules
# (build/initramfs/modules.cpio.gz, tests/initramfs/init.c). Sourced after lib.sh.
#
# The devices sit at fixed PCI addresses so that configs can name them (`pci = 00:03.0`):
#   00:03.0 virtio-blk-pci (disk a)    00:04.0 AHCI controller, disk b on its port 0
#   00:05.0 virtio-net-pci (NIC a)     00:06.0 e1000e (NIC b)
#   00:01.0 AMD-Vi IOMMU (twin tests; it confines each guest's DMA to its RAM)
# (the firmware's own AHCI with the ESP is 00:1f.2)

TM_DISK_A_PCI=00:03.0
TM_DISK_B_PCI=00:04.0
TM_NIC_A_PCI=00:05.0
TM_NIC_B_PCI=00:06.0
TM_IP_A=10.0.2.15
TM_IP_B=10.0.2.16
# The modules a guest loads for each device (dependencies come from modules.dep).
TM_MODS_VIRTIO_BLK=virtio_pci,virtio_blk,crc32c_generic,ext4
TM_MODS_AHCI=ahci,sd_mod,crc32c_generic,ext4
TM_MODS_VIRTIO_NET=virtio_pci,virtio_net
TM_MODS_E1000E=e1000e

# tm_modules_initramfs: the path of the initramfs with modules; fails when it was not built.
tm_modules_initramfs() {
  local f=$BUILD/initramfs/modules.cpio.gz
  [ -f "$f" ] || tm_fail "no $f (make initramfs-modules)" >&2
  echo "$f"
}

# tm_disk_image NAME FILE TEXT [MiB]: $TM_OUT/NAME.img, an ext4 filesystem of MiB (64) holding
# /FILE with the line TEXT, built from a folder (no mount, no root); prints the path.
tm_disk_image() {
  local img=$TM_OUT/$1.img dir=$TM_OUT/$1.root
  command -v mkfs.ext4 >/dev/null || PATH=$PATH:/usr/sbin:/sbin
  rm -rf "$dir" "$img"
  mkdir -p "$dir"
  echo "$3" >"$dir/$2"
  mkfs.ext4 -q -F -L "$1" -d "$dir" "$img" "${4:-64}M" >"$TM_OUT/$1.mkfs.log" 2>&1 ||
    tm_fail "mkfs.ext4 -d failed for $img: $(cat "$TM_OUT/$1.mkfs.log")" >&2
  echo "$img"
}

# tm_disk_cat IMG FILE: the content of /FILE in the ext4 image IMG (empty when absent).
tm_disk_cat() {
  command -v debugfs >/dev/null || PATH=$PATH:/usr/sbin:/sbin
  debugfs -R "cat /$2" "$1" 2>/dev/null
}

# tm_disk_has IMG FILE TEXT / tm_disk_lacks IMG FILE: assert on the image's content after a run.
tm_disk_has() {
  local got
  got=$(tm_disk_cat "$1" "$2")
  [ "$got" = "$3" ] || tm_fail "$(basename "$1"): /$2 is '${got}', expected '$3'"
  echo "$(basename "$1"): /$2 = $got"
}
tm_disk_lacks() {
  debugfs -R "stat /$2" "$1" 2>&1 | grep -q 'File not found' ||
    tm_fail "$(basename "$1"): /$2 should not be there"
  echo "$(basename "$1"): no /$2"
}

# QEMU arguments (after qemu-run's --), one device each, at the addresses above. The virtio
# devices are modern-only with iommu_platform=on: otherwise QEMU lets their DMA bypass an IOMMU.
TM_QEMU_VIRTIO_DMA=disable-legacy=on,iommu_platform=on
# AMD-Vi, given first so that it translates for every device after it (00:01.0).
tm_qemu_iommu() {
  echo "-device amd-iommu,intremap=on"
}
tm_qemu_virtio_blk() { # IMG
  echo "-drive if=none,id=disk-a,format=raw,file=$1" \
    "-device virtio-blk-pci,drive=disk-a,addr=0x3,$TM_QEMU_VIRTIO_DMA"
}
tm_qemu_ahci() { # IMG
  echo "-device ahci,id=ahci-b,addr=0x4 -drive if=none,id=disk-b,format=raw,file=$1" \
    "-device ide-hd,drive=disk-b,bus=ahci-b.0"
}
# A NIC on netdev NETDEV; romfile= keeps the firmware from network-booting it first.
tm_qemu_virtio_net() { # NETDEV
  echo "-device virtio-net-pci,netdev=$1,addr=0x5,mac=52:54:00:12:34:0a,romfile=,$TM_QEMU_VIRTIO_DMA"
}
tm_qemu_e1000e() { # NETDEV
  echo "-device e1000e,netdev=$1,addr=0x6,mac=52:54:00:12:34:0b,romfile="
}
# QEMU's user network: a gateway at 10.0.2.2 that answers ping (the direct tests' peer).
tm_qemu_user_net() { # NETDEV
  echo "-netdev user,id=$1,net=10.0.2.0/24,restrict=on"
}
# Two NICs joined by a hub inside QEMU: what one sends, the other receives.
tm_qemu_hub() { # NETDEV-A NETDEV-B
  echo "-netdev hubport,id=$1,hubid=1 -netdev hubport,id=$2,hubid=1"
}

# tm_devices_direct_esp CMDLINE: an ESP that direct-boots Debian's kernel (no monitor) with the
# modules initramfs, in the low 512 MiB, and CMDLINE after the console options.
tm_devices_direct_esp() {
  [ -n "${TWINMON_KERNEL:-}" ] && [ -f "$TWINMON_KERNEL" ] ||
    tm_fail "TWINMON_KERNEL is not set to Debian's vmlinuz (scripts/fetch-debian-kernel)" >&2
  local initrd
  initrd=$(tm_modules_initramfs) || exit 1
  cat >"$TM_OUT/direct.conf" <<CONF
[global]
mode = a-alone
default = direct-a
timeout = 0

[guest a]
name = Debian
kernel = \\EFI\\twinmon\\vmlinuz
initrd = \\EFI\\twinmon\\modules.img
cmdline = console=ttyS0,115200 panic=-1 $1
memory = 0x100000-0x1fffffff
uarts = com1
ports = 0xf4-0xf7
CONF
  local esp
  esp=$(tm_esp_with_config "$TM_OUT/direct.conf")
  cp "$TWINMON_KERNEL" "$esp/EFI/twinmon/vmlinuz"
  cp "$initrd" "$esp/EFI/twinmon/modules.img"
  echo "$esp"
}

# tm_ping_ok GUEST PEER COUNT [SECONDS]: the init of GUEST (a: COM1, b: COM2) had COUNT replies
# from PEER; prints the summary.
tm_ping_ok() {
  local log=com1
  [ "$1" = a ] || log=com2
  tm_guest_wait "$1" "^TWINMON-INIT: ping $2: $3 replies to [0-9]+ requests, rtt" "${4:-300}"
  sed -n "s/^TWINMON-INIT: \(ping $2: .*\)/\1/p" "$(tm_file $log)" | tr -d '\r'
}

# tm_devices_twin_esp CONF: an ESP with CONF as its config, Debian's kernel as
# \EFI\twinmon\vmlinuz and the modules initramfs as \EFI\twinmon\modules.img (both guests').
tm_devices_twin_esp() {
  [ -n "${TWINMON_KERNEL:-}" ] && [ -f "$TWINMON_KERNEL" ] ||
    tm_fail "TWINMON_KERNEL is not set to Debian's vmlinuz (scripts/fetch-debian-kernel)" >&2
  local initrd esp
  initrd=$(tm_modules_initramfs) || exit 1
  esp=$(tm_esp_with_config "$1")
  cp "$TWINMON_KERNEL" "$esp/EFI/twinmon/vmlinuz"
  cp "$initrd" "$esp/EFI/twinmon/modules.img"
  echo "$esp"
}

# tm_irq_lines LOG NAME: the /proc/interrupts lines the init printed for NAME (twinmon.irqs).
tm_irq_lines() {
  sed -n "s/^TWINMON-INIT: irq $2 line: //p" "$(tm_file "$1")" | tr -d '\r'
}

# tm_guest_wait GUEST REGEX [SECONDS]: tm_wait_for on the guest's UART (a: com1, b: com2), but
# failing as soon as the monitor has stopped that guest for good without the line: a guest that
# halts early (no driver, no interrupts) does not cost the whole deadline.
tm_guest_wait() {
  local g=$1 regex=$2 log deadline=$((SECONDS + ${3:-60}))
  case $g in a) log=$TM_OUT/run/com1.log ;; *) log=$TM_OUT/run/com2.log ;; esac
  while ! tm_has "$log" "$regex"; do
    if tm_has "$TM_OUT/run/monitor.log" "^monitor: guest $g stopped"; then
      sleep 1 # its last words may still be on their way through the UART
      tm_has "$log" "$regex" && return 0
      tm_fail "guest $g stopped without /$regex/ on $(basename "$log")"
    fi
    [ $SECONDS -lt $deadline ] || tm_fail "timed out waiting for /$regex/ in $(basename "$log")"
    kill -0 "$TM_PID" 2>/dev/null || { tm_has "$log" "$regex" && return 0; tm_fail "QEMU ended without /$regex/ in $(basename "$log")"; }
    sleep 0.2
  done
}
