# SPDX-License-Identifier: GPL-2.0-only
# Linux guests under the monitor: Debian's stock kernel (TWINMON_KERNEL) with the tiny
# initramfs, next to whatever else a test's config names.
. "$(dirname "${BASH_SOURCE[0]}")/direct-lib.sh"

# tm_linux_esp CONF: an ESP with CONF as its config, the kernel as \EFI\twinmon\vmlinuz and the
# initramfs as initrd-a.img and initrd-b.img (one per guest, as a config would name them).
tm_linux_esp() {
  [ -n "${TWINMON_KERNEL:-}" ] && [ -f "$TWINMON_KERNEL" ] ||
    tm_fail "TWINMON_KERNEL is not set to Debian's vmlinuz (scripts/fetch-debian-kernel)"
  [ -f "$BUILD/initramfs/init.cpio.gz" ] || tm_fail "no $BUILD/initramfs/init.cpio.gz (make initramfs)"
  local esp
  esp=$(tm_esp_with_config "$1")
  cp "$TWINMON_KERNEL" "$esp/EFI/twinmon/vmlinuz"
  cp "$BUILD/initramfs/init.cpio.gz" "$esp/EFI/twinmon/initrd-a.img"
  cp "$BUILD/initramfs/init.cpio.gz" "$esp/EFI/twinmon/initrd-b.img"
  echo "$esp"
}

# tm_memtotal_at_most LOG KIB: the MemTotal the guest's init printed on LOG (com1, com2) is at
# most KIB.
tm_memtotal_at_most() {
  local kb
  kb=$(sed -n 's/^TWINMON-INIT: MemTotal: *\([0-9]*\) kB.*/\1/p' "$TM_OUT/run/$1.log" | head -1)
  [ -n "$kb" ] || tm_fail "no MemTotal on $1"
  [ "$kb" -le "$2" ] || tm_fail "MemTotal $kb kB on $1 is more than the partition ($2 kB)"
  echo "$1: MemTotal $kb kB (partition $2 kB)"
}

# tm_before LOG REGEX1 REGEX2: on LOG (monitor, com1, com2) a line matching REGEX1 comes before
# the first one matching REGEX2.
tm_before() {
  local a b
  a=$(grep -anE "$2" "$TM_OUT/run/$1.log" | head -1 | cut -d: -f1)
  b=$(grep -anE "$3" "$TM_OUT/run/$1.log" | head -1 | cut -d: -f1)
  [ -n "$a" ] && [ -n "$b" ] && [ "$a" -lt "$b" ] || tm_fail "on $1, /$2/ (line ${a:-none}) should come before /$3/ (line ${b:-none})"
}
