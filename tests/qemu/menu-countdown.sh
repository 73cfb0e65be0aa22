#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# With no key pressed, the countdown from the config ends on the config's default entry.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/menu-lib.sh"

tm_menu_config "$TM_OUT/menu.conf" b-alone 2
tm_boot --esp "$(tm_esp_with_config "$TM_OUT/menu.conf")" --timeout 120
tm_wait_for com1 "booting 'guest B alone: Beta' in 2 s$"
tm_wait_for monitor "^menu: chose 'guest B alone: Beta' \(b-alone\)$"
tm_wait_for monitor '^twinmon: powering off'
tm_expect_exit "$TM_EXIT_OK"
echo ok
