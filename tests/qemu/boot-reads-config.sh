#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The app opens the ESP it was loaded from and reads EFI/twinmon/twinmon.conf from it.
. "$(dirname "$0")/lib.sh"

conf=$TM_OUT/probe.conf
{
  echo "# written by $TM_NAME at $(date +%s%N)"
  for i in $(seq 1 37); do echo "; filler line $i"; done
} >"$conf"
bytes=$(stat -c %s "$conf")
lines=$(wc -l <"$conf")
esp=$(tm_esp_with_config "$conf")

tm_boot --esp "$esp" --timeout 90
tm_wait_for monitor "^efi: read .EFI.twinmon.twinmon.conf \($bytes bytes, $lines lines\)$"
tm_wait_for monitor '^twinmon: powering off'
tm_expect_exit "$TM_EXIT_OK"
echo "ok: read $bytes bytes"
