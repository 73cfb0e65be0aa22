#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# `direct` mode in the high half of a 1 GiB machine: the loader cannot use the kernel's
# preferred address (16 MiB), places it higher, and the kernel still boots to its marker
# seeing only its partition (plus its share of the RAM below 640 KiB).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/direct-lib.sh"

# Placed by the planner around what the firmware and twinmon itself occupy up there.
esp=$(tm_direct_esp "400M high" direct-high)
tm_boot --esp "$esp" --mem 1024 --timeout 240
tm_wait_for monitor '^loader: guest a segment [0-9]+: mem 0x0(2|3)[0-9a-f]{7} .* kernel$'
tm_wait_for monitor '^direct: entering guest a at 0x[0-9a-f]+'
tm_wait_for com1 '^TWINMON-INIT: direct-high' 180
tm_expect_exit 32 60
tm_e820_usable_within 0x20000000 0x3fffffff
echo ok
