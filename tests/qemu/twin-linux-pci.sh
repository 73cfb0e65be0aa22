#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Debian's stock kernel owns QEMU's `edu` device (1234:11e8 at 00:10.0) and an e1000e (8086:10d3
# at 00:11.0, a PCI Express function with AER at 0x100) in twin mode beside the heartbeat
# guest, and finds them the way it would on a PC: through its ACPI tables' root bridge (PCI0,
# with _CRS and _PRT) and MCFG, the virtual host bridge at 00:00.0, and the trapped ECAM window
# for extended registers (Linux finds the e1000e's AER capability only there: its AER counters
# then appear in sysfs). Nothing on its command line turns ACPI PCI off, so its I/O APIC
# routing stays on: its UART still runs on interrupts. The monitor routes INTA by QEMU's q35
# rule (slot 0x10: PIRQ E = GSI 20, slot 0x11: PIRQ F = GSI 21). The machine has an AMD IOMMU
# (given first: 00:01.0), so both functions' DMA is confined to guest a's RAM.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/linux-lib.sh"

cat >"$TM_OUT/twin.conf" <<CONF
[global]
mode = twin
timeout = 0
slice = 10ms

[guest a]
name = Debian
kernel = \\EFI\\twinmon\\vmlinuz
initrd = \\EFI\\twinmon\\initrd-a.img
cmdline = panic=-1 twinmon.marker=linux-a twinmon.irqs=ttyS twinmon.cat=/proc/bus/pci/devices,/sys/bus/pci/devices/0000:00:11.0/aer_dev_correctable
memory = 0x40000000-0x5fffffff
uarts = com1
pci = 00:10.0, 00:11.0

[guest b]
name = Heartbeat B
kernel = \\EFI\\twinmon\\heartbeat-b.elf
cmdline = uart=com2 units=20000 every=1000 exit=verdict
memory = 0x100000-0x40fffff
uarts = com2
CONF
tm_boot --esp "$(tm_linux_esp "$TM_OUT/twin.conf")" --mem 2048 --timeout 600 -- \
  -device amd-iommu,intremap=on -device edu,addr=0x10 -device e1000e,addr=0x11
tm_wait_for monitor '^efi: ECAM at 0xb0000000 for buses 00-ff \(MCFG, segment 0\)$'
tm_wait_for monitor '^efi: guest a: pci 00:10\.0 INTA -> GSI 20 \(q35 routing\)$'
tm_wait_for monitor '^efi: guest a: pci 00:11\.0 INTA -> GSI 21 \(q35 routing\)$'
tm_wait_for monitor '^efi: guest a: PCI0: buses 00-00, 5 BAR windows, 2 _PRT entries, ECAM trapped$'
tm_wait_for monitor '^efi: guest a: command line: .* tsc=reliable io_delay=none reboot=acpi '
tm_wait_for monitor '^monitor: IRQ 20 \(level, low\) -> guest a.s I/O APIC$'
tm_wait_for monitor '^monitor: IRQ 21 \(level, low\) -> guest a.s I/O APIC$'
tm_wait_for com1 'PCI: MMCONFIG for domain 0000 \[bus 00-00\] at \[mem 0xb0000000-0xb00fffff\]' 300
tm_wait_for com1 'PCI: MMCONFIG at \[mem 0xb0000000-0xb00fffff\] reserved' 60
tm_wait_for com1 'ACPI: PCI Root Bridge \[PCI0\] \(domain 0000 \[bus 00\]\)' 60
tm_wait_for com1 'pci 0000:00:00\.0: \[1b36:0008\] type 00 class 0x060000' 60
tm_wait_for com1 'pci 0000:00:10\.0: \[1234:11e8\] type 00 class 0x00ff00' 60
tm_wait_for com1 'pci 0000:00:11\.0: \[8086:10d3\] type 00 class 0x020000' 60
tm_wait_for com1 '^TWINMON-INIT: linux-a' 300
tm_wait_for com1 'ttyS0 at I/O 0x3f8 \(irq = [1-9][0-9]*,' 1
tm_wait_for com1 '^TWINMON-INIT: irq ttyS count [1-9][0-9]*$' 60
# What Linux's PCI core holds: the host bridge and edu, nothing of the other functions.
tm_wait_for com1 '^TWINMON-INIT: cat: 0000	1b360008	' 60
tm_wait_for com1 '^TWINMON-INIT: cat: 0080	123411e8	' 60
tm_wait_for com1 '^TWINMON-INIT: cat: 0088	808610d3	' 60
# Its AER counters: Linux read the extended capability list at 0x100 through ECAM.
tm_wait_for com1 '^TWINMON-INIT: cat: TOTAL_ERR_COR 0$' 60
tm_wait_for com1 '^TWINMON-INIT: done' 60
tm_wait_for monitor '^guest b: verdict pass: heartbeat: 20000 units$' 400
# Every BAR stays where the firmware put it (the e1000e's expansion ROM, which is not mapped,
# finds no window: that is expected).
tm_absent com1 'Using PIC for interrupt routing|No config space access function|BAR [0-9] .*(can.t claim|failed to assign|no space)'
tm_absent com1 '^TWINMON-INIT: cat: 00(08|10|18|f8)	'
tm_absent monitor 'isolation violation|unknown exit|cannot emulate'
echo ok
