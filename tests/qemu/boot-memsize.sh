#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The memory summary follows the machine: with 3 GiB (RAM above 4 GiB on q35 starts at
# 0x100000000 once the low 2 GiB window is full) the summary reports RAM above 4 GiB and a
# total near 3 GiB, and every descriptor is logged in the captured-map format.
. "$(dirname "$0")/lib.sh"

tm_boot --esp "$BUILD/esp" --mem 3072 --timeout 90
tm_wait_for monitor '^twinmon: powering off \(status 0x10\)$'
tm_expect_exit "$TM_EXIT_OK"

log=$TM_OUT/run/monitor.log
mib=$(sed -n 's/^memory: .*usable [0-9]* KiB (\([0-9]*\) MiB).*/\1/p' "$log")
[ -n "$mib" ] && [ "$mib" -gt 2900 ] && [ "$mib" -le 3072 ] || tm_fail "usable RAM '$mib' MiB on a 3 GiB machine"
top=$(sed -n 's/^memory: .*highest usable byte 0x\([0-9a-f]*\)$/\1/p' "$log")
[ -n "$top" ] && [ $((16#$top)) -ge $((1 << 32)) ] || tm_fail "highest usable byte 0x$top is below 4 GiB"
n=$(sed -n 's/^memory: \([0-9]*\) descriptors.*/\1/p' "$log")
lines=$(grep -c '^memmap: ' "$log")
[ "$n" = "$lines" ] || tm_fail "$n descriptors summarised but $lines logged"
echo "ok: usable $mib MiB, top 0x$top, $n descriptors"
