#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# DMA attack (issue 12): the probe, guest A, owns QEMU's edu device at 00:10.0 and aims its
# DMA engine at the heartbeat's RAM (guest B, 0x100000-0x40fffff, below the edu's 28-bit
# reach): a page pattern written to each of 8 targets across the top 2 MiB, where the
# heartbeat's checked region lies, then read back. With QEMU's amd-iommu the monitor confines
# each guest's functions to its own RAM: the probe's round trip through its own RAM works,
# every transfer into the heartbeat's is blocked and logged naming guest and function, and
# the heartbeat's region checksum still holds after the attack. The heartbeat runs until the
# test has seen that (its length in TSC time would depend on a calibration that a loaded host
# can throw off), so QEMU is stopped by the test, not by the guests. (Without an IOMMU this config is refused
# at boot: twin-dma-refused.sh.)
. "$(dirname "$0")/lib.sh"

DMA_TARGET=0x3f00000
DMA_LEN=0x200000

cat >"$TM_OUT/dma.conf" <<CONF
[global]
mode = twin
timeout = 0
slice = 5ms

[guest a]
name = Probe A
kernel = \\EFI\\twinmon\\probe-a.elf
cmdline = uart=com1 peer-uart=com2 edu=00:10.0 attacks=dma dma=$DMA_TARGET dma-len=$DMA_LEN
memory = 0x20000000-0x23ffffff
uarts = com1
pci = 00:10.0
on-reset = stop

[guest b]
name = Heartbeat B
kernel = \\EFI\\twinmon\\heartbeat-b.elf
cmdline = uart=com2 exit=verdict every=200 region=1M
memory = 0x100000-0x40fffff
uarts = com2
CONF
# The IOMMU first, so that it translates for every PCI device created after it.
tm_boot --esp "$(tm_esp_with_config "$TM_OUT/dma.conf")" --timeout 300 \
  -- -device amd-iommu,intremap=on -device edu,addr=0x10
tm_wait_for monitor '^efi: iommu: AMD-Vi at 0x[0-9a-f]+, function 00:[0-9a-f]{2}\.[0-7]' 120
tm_wait_for monitor '^efi: iommu: guest a: domain [0-9]+ maps its [0-9]+ KiB of RAM .* 1 functions$' 10
tm_wait_for monitor '^efi: iommu: AMD-Vi enabled \(1 unit\), event log on$' 60
tm_wait_for monitor '^monitor: starting 2 guests' 60
tm_wait_for com2 '^heartbeat b: running: .* region 0x[0-9a-f]+-0x[0-9a-f]+ ' 60
# The region must lie where the probe aims, or an unconfined DMA could miss it.
region=$(sed -n 's/^heartbeat b: running: .* region 0x\([0-9a-f]*\)-0x\([0-9a-f]*\) .*/\1 \2/p' \
  "$TM_OUT/run/com2.log" | head -1)
read -r rs re <<<"$region"
(( 16#$rs >= DMA_TARGET && 16#$re < DMA_TARGET + DMA_LEN )) ||
  tm_fail "the heartbeat's region 0x$rs-0x$re is not inside the probe's targets"
tm_wait_for com1 '^probe: attack 1: dma: a round trip through 0x[0-9a-f]+ \(its own RAM\) works' 60
tm_wait_for com1 '^probe: attack 1: contained: 8 pages: nothing written, nothing read' 120
# Blocked and logged: by the event log, naming the guest and its function; QEMU 7.2's
# amd-iommu never writes its event log, and there the monitor reports the target aborts the
# IOMMU signals instead (docs/iommu.md).
named='^iommu: guest a: 00:10\.0: DMA (write to|read from) 0x(3f|40)[0-9a-f]{5} blocked \(IO_PAGE_FAULT\)$'
unnamed='^iommu: DMA blocked: the IOMMU 00:[0-9a-f]{2}\.[0-7] signalled a target abort, but its event log names no function$'
tm_wait_for monitor "$named|$unnamed" 30
tm_has "$TM_OUT/run/monitor.log" "$named" || echo "note: this QEMU's amd-iommu logs no events"
tm_wait_for com1 '^probe: verdict pass: ' 30
# Every unit line comes after a checksum of the whole region: one more after the attack.
units=$(grep -c '^heartbeat b: unit [0-9]* .*checks=ok' "$TM_OUT/run/com2.log")
deadline=$((SECONDS + 120))
while [ "$(grep -c '^heartbeat b: unit [0-9]* .*checks=ok' "$TM_OUT/run/com2.log")" -le "$units" ]; do
  [ $SECONDS -ge $deadline ] && tm_fail "no heartbeat progress line after the attack"
  tm_absent com2 'STATE CHANGED'
  sleep 0.2
done
tm_absent com2 'STATE CHANGED'
tm_absent monitor 'guest b stopped'
echo ok
