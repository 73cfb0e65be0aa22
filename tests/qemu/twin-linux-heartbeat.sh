#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Debian's stock kernel, unmodified, as guest A in twin mode beside the heartbeat guest B: Linux
# runs on its virtual platform (vLAPIC timer, synthesized ACPI, the monitor's command-line
# additions), reaches its init, sees no more RAM than its partition, sleeps 2 s by its own
# clock, burns CPU and ends by powering off (its CPU halts: the monitor stops that guest);
# the heartbeat's state checks pass throughout and it reaches its verdict either way round.
# Its console runs on interrupts: COM1's IRQ 4 goes through the monitor to its virtual I/O
# APIC.
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
cmdline = panic=-1 twinmon.marker=linux-a twinmon.sleep=2 twinmon.spin=20 twinmon.irqs=ttyS
memory = 0x40000000-0x5fffffff
uarts = com1

[guest b]
name = Heartbeat B
kernel = \\EFI\\twinmon\\heartbeat-b.elf
cmdline = uart=com2 units=20000 every=1000 exit=verdict
memory = 0x100000-0x40fffff
uarts = com2
CONF
tm_boot --esp "$(tm_linux_esp "$TM_OUT/twin.conf")" --mem 2048 --timeout 600
tm_wait_for monitor '^efi: guest a: ACPI tables at 0x[0-9a-f]+ '
tm_wait_for monitor '^efi: guest a: command line: .* tsc_early_khz=[0-9]+ tsc=reliable pci=off io_delay=none reboot=acpi 8250\.nr_uarts=1 console=ttyS0,115200$'
tm_wait_for monitor '^monitor: IRQ 4 \(edge, high\) -> guest a.s I/O APIC$'
tm_wait_for monitor '^monitor: starting 2 guests'
tm_wait_for com1 'ACPI: RSDP 0x[0-9A-F]+ 000024 \(v02 TWINMN\)' 120
tm_wait_for com1 'TSC deadline timer available' 120
tm_wait_for com1 '^TWINMON-INIT: linux-a' 400
tm_wait_for com1 '^TWINMON-INIT: slept 2 s, measured (1\.9[5-9]|2\.[0-9])[0-9]* s' 120
tm_wait_for com1 '^TWINMON-INIT: spun 20 M' 120
# Its UART's IRQ 4 is its own: the monitor routes it to the guest's virtual I/O APIC, and
# Linux drives ttyS0 by interrupts (the DSDT gives the UART its IRQ when the line is routed).
tm_wait_for com1 'ttyS0 at I/O 0x3f8 \(irq = [1-9][0-9]*,' 1
tm_wait_for com1 '^TWINMON-INIT: irq ttyS count [1-9][0-9]*$' 60
tm_wait_for com1 '^TWINMON-INIT: done' 60
tm_wait_for monitor '^monitor: guest a stopped: halted with interrupts off' 60
tm_wait_for monitor '^guest b: verdict pass: heartbeat: 20000 units$' 400
tm_wait_for monitor '^monitor: every guest has stopped$' 60
tm_expect_exit "$TM_EXIT_OK" 60
tm_wait_for monitor '^monitor: guest a: interrupts injected [1-9][0-9]* .*device interrupts [1-9][0-9]* \(delivered [1-9]' 1
tm_memtotal_at_most com1 $((512 * 1024))
tm_e820_usable_within 0x40000000 0x5fffffff
tm_absent com2 'STATE CHANGED'
tm_absent monitor 'isolation violation|unknown exit|cannot emulate'
echo ok
