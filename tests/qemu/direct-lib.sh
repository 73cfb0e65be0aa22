# SPDX-License-Identifier: GPL-2.0-only
# Direct-boot tests: Debian's stock kernel (TWINMON_KERNEL, fetched by tests/run-all) with the
# tiny initramfs, started by the segment loader without the monitor.

# tm_direct_esp MEMORY MARKER: an ESP whose config direct-boots guest A with memory=MEMORY.
tm_direct_esp() {
  [ -n "${TWINMON_KERNEL:-}" ] && [ -f "$TWINMON_KERNEL" ] ||
    tm_fail "TWINMON_KERNEL is not set to Debian's vmlinuz (scripts/fetch-debian-kernel)"
  [ -f "$BUILD/initramfs/init.cpio.gz" ] || tm_fail "no $BUILD/initramfs/init.cpio.gz (make initramfs)"
  cat >"$TM_OUT/direct.conf" <<CONF
[global]
mode = a-alone
default = direct-a
timeout = 0

[guest a]
name = Debian
kernel = \\EFI\\twinmon\\vmlinuz
initrd = \\EFI\\twinmon\\init.cpio.gz
cmdline = console=ttyS0,115200 earlyprintk=serial,ttyS0 panic=-1 twinmon.marker=$2
memory = $1
uarts = com1
ports = 0xf4-0xf7
CONF
  local esp
  esp=$(tm_esp_with_config "$TM_OUT/direct.conf")
  cp "$TWINMON_KERNEL" "$esp/EFI/twinmon/vmlinuz"
  cp "$BUILD/initramfs/init.cpio.gz" "$esp/EFI/twinmon/init.cpio.gz"
  echo "$esp"
}

# tm_e820_usable_within LO HI [LOG]: every usable range the kernel printed (on LOG, com1.log by
# default) lies in [LO, HI].
tm_e820_usable_within() {
  local lo=$1 hi=$2 log=${3:-com1.log} n=0 line a b
  while read -r line; do
    a=$(sed -n 's/.*\[mem 0x\([0-9a-f]*\)-0x\([0-9a-f]*\)\] usable.*/\1/p' <<<"$line")
    b=$(sed -n 's/.*\[mem 0x\([0-9a-f]*\)-0x\([0-9a-f]*\)\] usable.*/\2/p' <<<"$line")
    [ -n "$a" ] || continue
    n=$((n + 1))
    # Below 1 MiB the guest gets its share of conventional memory wherever the plan put it.
    [ $((16#$b)) -lt $((0x100000)) ] && continue
    if [ $((16#$a)) -lt $((lo)) ] || [ $((16#$b)) -gt $((hi)) ]; then
      tm_fail "kernel e820 has usable RAM 0x$a-0x$b outside the partition $lo-$hi"
    fi
  done < <(sed 's/\r$//' "$TM_OUT/run/$log" | grep -a 'BIOS-e820: \[mem .*usable')
  [ $n -gt 0 ] || tm_fail "the kernel printed no e820 usable ranges"
  echo "e820: $n usable ranges, all inside $lo-$hi"
}
