#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The boot menu lists the config's entries on the serial console and a digit typed on COM1
# picks one at once; the choice is logged.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/menu-lib.sh"

tm_menu_config "$TM_OUT/menu.conf"
tm_boot --esp "$(tm_esp_with_config "$TM_OUT/menu.conf")" --com1-input --timeout 120
tm_wait_for com1 '^ +> 1\) twin mode: Alpha \+ Beta  \(default\)$'
tm_wait_for com1 '^ +2\) guest A alone: Alpha$'
tm_wait_for com1 '^ +3\) guest B alone: Beta$'
tm_wait_for com1 '^ +6\) exit to firmware$'
tm_wait_for com1 "^Press 1-6, or arrows and Enter; booting 'twin mode: Alpha \+ Beta' in 60 s$"
# Type once the countdown runs (the menu waits for keys), as a person would.
tm_wait_for com1 "booting 'twin mode: Alpha \+ Beta' in 59 s$"
tm_send_com1 3
tm_wait_for monitor "^menu: chose 'guest B alone: Beta' \(b-alone\)$"
# Guest B alone: only B runs under the monitor, to its verdict.
tm_wait_for monitor '^monitor: starting 1 guest'
tm_wait_for monitor '^guest b: verdict pass: heartbeat: 100 units$'
tm_wait_for monitor '^twinmon: powering off \(status 0x10\)$'
tm_expect_exit "$TM_EXIT_OK"
tm_absent monitor "^menu: chose 'twin mode"
tm_absent monitor '^monitor: guest a '
tm_absent monitor '^guest a: ' 
echo ok
