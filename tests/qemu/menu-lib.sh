# SPDX-License-Identifier: GPL-2.0-only
# A config for the menu tests: both guests, a long countdown so the test types before it ends.
tm_menu_config() {
  cat >"$1" <<CONF
[global]
mode = twin
default = ${2:-twin}
timeout = ${3:-60}

[guest a]
name = Alpha
kernel = \\EFI\\twinmon\\heartbeat-a.elf
cmdline = uart=com1 units=100 exit=verdict
memory = 0x20000000-0x23ffffff
uarts = com1

[guest b]
name = Beta
kernel = \\EFI\\twinmon\\heartbeat-b.elf
cmdline = uart=com2 units=100 exit=verdict
memory = 0x100000-0x40fffff
uarts = com2
CONF
}
