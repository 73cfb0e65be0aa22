#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# A segment that changes between load and jump is caught: a test build of the app flips one
# bit of the relocated kernel, and the digest check refuses to start the guest, naming the
# segment, instead of jumping into a damaged kernel.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/direct-lib.sh"

esp=$(tm_direct_esp "0x100000-0x1fffffff" never)
cp "$BUILD/test/twinmon-corrupt.efi" "$esp/EFI/BOOT/BOOTX64.EFI"
tm_boot --esp "$esp" --mem 1024 --timeout 120
tm_wait_for monitor '^efi: test build: flipped one bit of kernel at 0x[0-9a-f]+$'
tm_wait_for monitor '^guest a: loader: kernel: SHA-256 of 0x[0-9a-f]+-0x[0-9a-f]+ is [0-9a-f]+\.\.\., the loaded image had [0-9a-f]+\.\.\.; not starting this guest$'
tm_wait_for monitor '^loader: guest a refused: a segment changed after it was loaded$'
tm_expect_exit "$TM_EXIT_FAILURE"
tm_absent monitor '^direct: entering guest'
tm_absent com1 'Linux version'
grep '^guest a: loader: kernel' "$TM_OUT/run/monitor.log" | tail -1
