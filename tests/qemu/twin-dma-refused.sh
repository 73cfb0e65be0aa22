#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# No IOMMU (issue 12): the config of twin-attack-dma.sh, where the probe owns the edu at
# 00:10.0, on a machine without amd-iommu. By default the monitor refuses it at boot, naming
# the function, with the config-refused status. With amd-iommu, a guest given the IOMMU's
# own function (00:01.0) is refused the same way. With dma = unconfined it starts the guests,
# and then nothing confines the edu's DMA: the probe writes into the heartbeat's RAM and
# reads it back, which is what the IOMMU prevents in twin-attack-dma.sh (and what shows that
# test's probe can see an attack land).
. "$(dirname "$0")/lib.sh"

dma_config() {
  cat >"$TM_OUT/$1.conf" <<CONF
[global]
mode = twin
timeout = 0
slice = 5ms
$2

[guest a]
name = Probe A
kernel = \\EFI\\twinmon\\probe-a.elf
cmdline = uart=com1 peer-uart=com2 edu=00:10.0 attacks=dma dma=0x3f00000 dma-len=0x200000
memory = 0x20000000-0x23ffffff
uarts = com1
pci = 00:10.0
on-reset = stop

[guest b]
name = Heartbeat B
kernel = \\EFI\\twinmon\\heartbeat-b.elf
cmdline = uart=com2 seconds=25 exit=verdict every=200 region=1M
memory = 0x100000-0x40fffff
uarts = com2
CONF
  echo "$TM_OUT/$1.conf"
}

tm_boot --esp "$(tm_esp_with_config "$(dma_config refused "")")" --timeout 240 \
  -- -device edu,addr=0x10
tm_wait_for monitor '^efi: iommu: none \(no IVRS table\)$' 120
tm_wait_for monitor '^efi: guest a: pci 00:10\.0 can do DMA to any address and there is no IOMMU to confine it: refused \(dma = unconfined in \[global\] accepts that\)$' 60
tm_expect_exit "$TM_EXIT_CONFIG" 60
tm_absent monitor '^monitor: starting'

# The IOMMU's own function is the monitor's: a guest that asks for it is refused too.
sed 's/^pci = 00:10.0$/pci = 00:01.0/' "$(dma_config own "")" >"$TM_OUT/own-iommu.conf"
tm_boot --esp "$(tm_esp_with_config "$TM_OUT/own-iommu.conf")" --timeout 240 \
  -- -device amd-iommu,intremap=on -device edu,addr=0x10
tm_wait_for monitor "^efi: iommu: guest a: 00:01\\.0 is the IOMMU itself: it stays the monitor's$" 120
tm_expect_exit "$TM_EXIT_CONFIG" 60
tm_absent monitor '^monitor: starting'

tm_boot --esp "$(tm_esp_with_config "$(dma_config unconfined "dma = unconfined")")" \
  --timeout 240 -- -device edu,addr=0x10
tm_wait_for monitor "^efi: iommu: none: guest a's 00:10\\.0: dma = unconfined: without an IOMMU their DMA reaches all RAM" 120
tm_wait_for monitor '^monitor: starting 2 guests' 60
tm_wait_for com1 '^probe: attack 1: dma: 0x[0-9a-f]+: written and read back$' 120
tm_wait_for com1 '^probe: attack 1: NOT CONTAINED: of [0-9]+ pages, [1-9][0-9]* written' 120
# The heartbeat's own check sees it too: the same check that holds in twin-attack-dma.sh.
tm_wait_for com2 '^heartbeat b: STATE CHANGED region checksum' 120
echo ok
