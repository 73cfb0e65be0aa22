#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# A guest's PCI functions are reset before it first runs and at each restart (issue 12,
# item 6): the probe (B) owns QEMU's edu device, which has no Function Level Reset (bus
# mastering, decoding and MSI are turned off), and a virtio-rng behind a PCI Express root port
# (01:00.0), which has one (FLR, the 100 ms wait, the firmware's BARs back). Then it
# triple-faults: every restart resets them again, until the reset loop stops it, while the
# heartbeat (A) runs on to its verdict. The EFI app logs the machine's BARs for capture
# (twinmon-check --pci), behind the root port too.
. "$(dirname "$0")/lib.sh"

cat >"$TM_OUT/pci-reset.conf" <<CONF
[global]
# No IOMMU in this machine: the test is about the reset, not about DMA.
dma = unconfined
mode = twin
timeout = 0
slice = 5ms

[guest a]
name = Heartbeat A
kernel = \\EFI\\twinmon\\heartbeat-a.elf
cmdline = uart=com1 units=1500 every=500 exit=verdict
memory = 0x20000000-0x23ffffff
uarts = com1

[guest b]
name = Probe B
kernel = \\EFI\\twinmon\\probe-b.elf
cmdline = uart=com2 peer-uart=com1 attacks=triple
memory = 0x100000-0x40fffff
uarts = com2
pci = 00:10.0, 01:00.0
on-reset = restart
CONF
tm_boot --esp "$(tm_esp_with_config "$TM_OUT/pci-reset.conf")" --timeout 240 \
  -- -device edu,addr=0x10 -device pcie-root-port,id=rp1,bus=pcie.0,addr=0x11,chassis=1 \
  -device virtio-rng-pci,bus=rp1,addr=0
tm_wait_for monitor '^pci: 00:10\.0 0 mem32 0x[0-9a-f]+ 0x100000$' 120
tm_wait_for monitor '^pci: 01:00\.0 4 mem64 0x[0-9a-f]+ 0x4000$' 1
tm_wait_for monitor \
  '^monitor: guest b: 00:10\.0 reset \(bus master, decoding, MSI and MSI-X off\)$' 60
tm_wait_for monitor '^monitor: guest b: 01:00\.0 reset \(FLR\)$' 10
tm_wait_for monitor '^monitor: guest b restarted \(1 so far\)' 60
tm_wait_for monitor \
  '^monitor: guest b: [0-9]+ resets within [0-9]+ ms: not restarting it again$' 120
tm_wait_for monitor '^guest a: verdict pass: heartbeat: 1500 units$' 150
tm_expect_exit "$TM_EXIT_OK" 60
# One reset of each function for the first start and one per restart.
starts=$(($(grep -c '^monitor: guest b restarted' "$TM_OUT/run/monitor.log") + 1))
for f in '00:10\.0 reset \(bus master' '01:00\.0 reset \(FLR\)'; do
  n=$(grep -cE "^monitor: guest b: $f" "$TM_OUT/run/monitor.log")
  [ "$n" -eq "$starts" ] || tm_fail "/$f/ logged $n times for $starts starts"
done
tm_absent monitor 'reset \(FLR, then no answer'
tm_absent monitor 'guest a stopped: (isolation|shutdown|unknown)'
echo ok
