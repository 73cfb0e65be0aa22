#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Two unmodified Debian kernels time-share the PC, TwinOS style: each has its own RAM,
# initramfs and UART (COM1, COM2) and reaches its init. Guest B reboots once (reboot(2): Linux
# writes the FADT reset register): the monitor restarts B alone from its pristine image while
# A keeps running; B's second boot (counted in its virtual CMOS, which survives the reset)
# ends the test's part for B, A finishes its sleep, and both power off. B starts with its
# virtual LAPIC in x2APIC mode, A in xAPIC mode.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/linux-lib.sh"

cat >"$TM_OUT/twin.conf" <<CONF
[global]
mode = twin
timeout = 0
slice = 10ms

[guest a]
name = Linux A
kernel = \\EFI\\twinmon\\vmlinuz
initrd = \\EFI\\twinmon\\initrd-a.img
cmdline = panic=-1 twinmon.marker=linux-a twinmon.sleep=${TM_LINUX_A_SLEEP:-40}
memory = 0x40000000-0x5fffffff
uarts = com1

[guest b]
name = Linux B
kernel = \\EFI\\twinmon\\vmlinuz
initrd = \\EFI\\twinmon\\initrd-b.img
cmdline = panic=-1 twinmon.marker=linux-b twinmon.boots=2
memory = 384M low
uarts = com2
apic = x2apic
CONF
tm_boot --esp "$(tm_linux_esp "$TM_OUT/twin.conf")" --mem 2048 --timeout 800
tm_wait_for monitor '^monitor: starting 2 guests'
tm_wait_for com1 '^TWINMON-INIT: linux-a' 600
tm_wait_for com2 '^TWINMON-INIT: linux-b' 600
# B's vLAPIC starts in x2APIC mode; Linux takes it, then (no interrupt remapping on an
# unknown hypervisor) turns x2APIC off and goes on in xAPIC mode, which the vLAPIC follows.
tm_wait_for com2 'x2apic: enabled by BIOS, switching to x2apic ops' 1
tm_wait_for com2 '^TWINMON-INIT: boot 1 of 2' 60
tm_wait_for monitor '^monitor: guest b: reset request \(0x6 to port 0xcf9\): restarting it$' 120
tm_wait_for monitor '^monitor: guest b restarted \(1 so far\)' 30
tm_wait_for com2 '^TWINMON-INIT: boot 2 of 2' 600
tm_wait_for monitor '^monitor: guest b stopped: halted with interrupts off' 120
tm_wait_for com1 '^TWINMON-INIT: done' 600
tm_wait_for monitor '^monitor: guest a stopped: halted with interrupts off' 60
tm_expect_exit "$TM_EXIT_OK" 60
# A never stopped while B went down and came back.
tm_before monitor '^monitor: guest b restarted' '^monitor: guest a stopped'
tm_memtotal_at_most com1 $((512 * 1024))
tm_memtotal_at_most com2 $((384 * 1024 + 1024))
tm_e820_usable_within 0x40000000 0x5fffffff com1.log
tm_absent monitor 'isolation violation|unknown exit|cannot emulate'
echo ok
