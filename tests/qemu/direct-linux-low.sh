#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# `direct` mode: Debian's stock kernel in a partition of the low 512 MiB of a 1 GiB machine
# boots to the init marker on COM1, and its own e820 shows no usable RAM outside it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/direct-lib.sh"

esp=$(tm_direct_esp "0x100000-0x1fffffff" direct-low)
tm_boot --esp "$esp" --mem 1024 --timeout 240
tm_wait_for monitor "^menu: chose 'direct: Debian without the monitor' \(direct-a\)$"
tm_wait_for monitor '^loader: guest a segment [0-9]+: mem 0x[0-9a-f]+ .* kernel$'
tm_wait_for monitor '^loader: guest a: every segment digest verified$'
tm_wait_for monitor '^direct: entering guest a at 0x[0-9a-f]+ \(boot_params 0x[0-9a-f]+\)$'
tm_wait_for com1 'Linux version 6\.' 120
tm_wait_for com1 '^TWINMON-INIT: direct-low' 180
tm_wait_for com1 '^TWINMON-INIT: MemTotal: +[0-9]+ kB'
tm_expect_exit 32 60
kb=$(sed -n 's/^TWINMON-INIT: MemTotal: *\([0-9]*\) kB.*/\1/p' "$TM_OUT/run/com1.log" | tr -d '\r')
[ "$kb" -le $((512 * 1024)) ] || tm_fail "MemTotal $kb kB exceeds the 512 MiB partition"
tm_e820_usable_within 0x100000 0x1fffffff
echo "ok: MemTotal $kb kB"
