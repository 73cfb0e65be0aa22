#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The app opens the ESP it was loaded from, reads EFI/twinmon/twinmon.conf, and validates it:
# the size it reports and the values it logs are this file's, not a built-in default.
. "$(dirname "$0")/lib.sh"

conf=$TM_OUT/probe.conf
{
  echo "# written by $TM_NAME at $(date +%s%N)"
  for i in $(seq 1 37); do echo "; filler line $i"; done
  cat <<'CONF'
[global]
mode = a-alone
timeout = 0

[guest a]
name = Probe
kernel = /EFI/twinmon/heartbeat-a.elf
cmdline = units=10 exit=verdict
memory = 0x20000000-0x21ffffff
CONF
} >"$conf"
bytes=$(stat -c %s "$conf")
esp=$(tm_esp_with_config "$conf")

tm_boot --esp "$esp" --timeout 90
tm_wait_for monitor "^config: read EFI/twinmon/twinmon.conf \($bytes bytes\)$"
tm_wait_for monitor '^config: valid; mode a-alone, default entry a-alone, timeout 0 s$'
tm_wait_for monitor "^menu: chose 'guest A alone: Probe' \(a-alone\)$"
# Guest A alone under the monitor: it runs to its verdict, and B does not exist.
tm_wait_for monitor '^monitor: starting 1 guest'
tm_wait_for monitor '^guest a: verdict pass: heartbeat: 10 units$'
tm_wait_for monitor '^twinmon: powering off \(status 0x10\)$'
tm_expect_exit "$TM_EXIT_OK"
tm_absent monitor '^guest b: ' 
echo "ok: read $bytes bytes"
