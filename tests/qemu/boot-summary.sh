#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The app boots under OVMF, logs its banner to the console and the log port, exits boot
# services, prints the memory-map summary on the log only, and powers off with status OK.
. "$(dirname "$0")/lib.sh"

tm_boot --esp "$BUILD/esp" --mem 1024 --timeout 90
tm_wait_for monitor '^twinmon .*: two guests, one PC$'
tm_wait_for com1 '^twinmon .*: two guests, one PC$'   # ConOut reaches the serial console
tm_wait_for monitor '^efi: firmware EDK II'
tm_wait_for monitor '^efi: boot services exited \(attempt [0-9]+\)$'
tm_wait_for monitor '^memory: [0-9]+ descriptors; usable [0-9]+ KiB \(([0-9]+) MiB\)'
tm_wait_for monitor '^memory: largest free range 0x[0-9a-f]+-0x[0-9a-f]+ \([0-9]+ KiB\)$'
tm_wait_for monitor '^twinmon: powering off \(status 0x10\)$'
tm_expect_exit "$TM_EXIT_OK"

# 1 GiB machine: OVMF keeps some for itself, so usable is between 900 MiB and 1 GiB.
mib=$(sed -n 's/^memory: .*usable [0-9]* KiB (\([0-9]*\) MiB).*/\1/p' "$TM_OUT/run/monitor.log")
[ "$mib" -gt 900 ] && [ "$mib" -le 1024 ] || tm_fail "usable RAM $mib MiB on a 1 GiB machine"
# After ExitBootServices the console is gone: the summary must not appear on COM1.
tm_absent com1 '^memory:'
echo "ok: usable $mib MiB"
