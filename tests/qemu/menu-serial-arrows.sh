#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Arrow keys (VT100 sequences over the serial console) move the selection, which stops the
# countdown, and Enter boots the selected entry; "up" past the top stays on the first entry.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/menu-lib.sh"

tm_menu_config "$TM_OUT/menu.conf" a-alone 60
tm_boot --esp "$(tm_esp_with_config "$TM_OUT/menu.conf")" --com1-input --timeout 120
tm_wait_for com1 "booting 'guest A alone: Alpha' in 59 s$"
tm_send_com1 $'\e[A'
tm_wait_for com1 '^ +> 1\) twin mode: Alpha \+ Beta$'
tm_send_com1 $'\e[A'
tm_send_com1 $'\e[B'
tm_wait_for com1 '^ +> 2\) guest A alone: Alpha  \(default\)$'
tm_send_com1 $'\e[B'
tm_wait_for com1 '^ +> 3\) guest B alone: Beta$'
tm_send_com1 $'\e[B'
tm_wait_for com1 '^ +> 4\) direct: Alpha without the monitor$'
tm_send_com1 $'\r'
tm_wait_for monitor "^menu: chose 'direct: Alpha without the monitor' \(direct-a\)$"
echo ok
