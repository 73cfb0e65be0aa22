#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The bundled heartbeat guests run on the bare machine through the `direct` entry (no
# monitor): each does its work units, prints progress with its state checks on its own UART,
# and reports through isa-debug-exit. Guest A uses COM1, guest B COM2.
. "$(dirname "$0")/lib.sh"

for g in a b; do
  uart=com1; [ $g = b ] && uart=com2
  cat >"$TM_OUT/hb-$g.conf" <<CONF
[global]
mode = twin
default = direct-$g
timeout = 0

[guest a]
name = Heartbeat A
kernel = \\EFI\\twinmon\\heartbeat-a.elf
cmdline = uart=com1 units=300 every=100 exit=debug
memory = 0x20000000-0x23ffffff
uarts = com1
$([ $g = a ] && echo "ports = 0xf4-0xf7")

[guest b]
name = Heartbeat B
kernel = \\EFI\\twinmon\\heartbeat-b.elf
cmdline = uart=com2 units=300 every=100 exit=debug
memory = 0x100000-0x40fffff
uarts = com2
$([ $g = b ] && echo "ports = 0xf4-0xf7")
CONF
  rm -rf "$TM_OUT/run"
  tm_boot --esp "$(tm_esp_with_config "$TM_OUT/hb-$g.conf")" --timeout 120
  tm_wait_for monitor "^direct: entering guest $g at 0x[0-9a-f]+"
  tm_wait_for $uart "^heartbeat $g: unit 300 .*checks=ok" 90
  tm_expect_exit 32 60
  tm_absent $uart 'STATE CHANGED'
  cp "$TM_OUT/run/$uart.log" "$TM_OUT/heartbeat-$g.log"
  echo "ok: guest $g"
done
