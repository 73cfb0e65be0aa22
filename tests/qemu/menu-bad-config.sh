#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# A broken config is shown in the menu with file:line:col, and "exit to firmware" is the only
# entry: nothing boots. Choosing it returns to the firmware.
. "$(dirname "$0")/lib.sh"

cat >"$TM_OUT/bad.conf" <<'CONF'
[global]
mode = twin
slice = 12q

[guest a]
kernel = \EFI\twinmon\a.elf
memory = 64M high
colour = blue

[guest b]
memory = 64M low
CONF
tm_boot --esp "$(tm_esp_with_config "$TM_OUT/bad.conf")" --com1-input --timeout 120
tm_wait_for com1 '^  The config has errors; nothing can boot until they are fixed:$'
tm_wait_for com1 '^  EFI/twinmon/twinmon.conf:3:9: '
tm_wait_for com1 '^  EFI/twinmon/twinmon.conf:8:1: '
tm_wait_for com1 '^  EFI/twinmon/twinmon.conf:10:1: .*kernel'
tm_wait_for com1 '^ +> 1\) exit to firmware  \(default\)$'
tm_wait_for com1 '^Press 1-1, or arrows and Enter; booting .exit to firmware. in 29 s$'
tm_absent com1 '2\) '
tm_wait_for monitor '^config: EFI/twinmon/twinmon.conf:3:9: '
tm_send_com1 1
tm_wait_for monitor "^menu: chose 'exit to firmware' \(exit\)$"
tm_wait_for monitor '^twinmon: returning to the firmware$'
tm_absent monitor 'exiting boot services'
echo ok
