# SPDX-License-Identifier: GPL-2.0-only
# The twin heartbeat under Bochs, shared by tests/bochs/svm-heartbeat.sh and vmx-heartbeat.sh
# (sourced, not run: run-all runs only the executable scripts). Each test boots with its CPU
# model, waits for its backend's lines, then judges the run the same way.
TM_RUNNER=bochs-run
. "$(dirname "${BASH_SOURCE[0]}")/../qemu/lib.sh"

# bochs_heartbeat_boot MODEL: both heartbeat guests, 240 units each at 2 ms slices, on Bochs's
# i440fx machine, where OVMF installs no ACPI tables and has no MMCONFIG.
bochs_heartbeat_boot() {
  cat >"$TM_OUT/twin.conf" <<CONF
[global]
mode = twin
timeout = 0
slice = 2ms

[guest a]
name = Heartbeat A
kernel = \\EFI\\twinmon\\heartbeat-a.elf
cmdline = uart=com1 units=240 every=40 work=8000 exit=verdict
memory = 0x20000000-0x23ffffff
uarts = com1

[guest b]
name = Heartbeat B
kernel = \\EFI\\twinmon\\heartbeat-b.elf
cmdline = uart=com2 units=240 every=40 work=8000 exit=verdict
memory = 0x100000-0x40fffff
uarts = com2
CONF
  start=$SECONDS
  tm_boot --esp "$(tm_esp_with_config "$TM_OUT/twin.conf")" --cpu "$1" --timeout 600
  tm_wait_for monitor '^efi: no ACPI tables from the firmware: architectural defaults' 300
  tm_wait_for monitor "^efi: no ECAM from the firmware's MCFG"
}

# bochs_heartbeat_judge: both guests pass every state check over at least 200 switches (100
# each); sets a, b (each guest's switches) and intr (exits on an interrupt, both guests).
bochs_heartbeat_judge() {
  tm_wait_for monitor '^monitor: starting 2 guests'
  tm_wait_for com1 '^heartbeat a: unit 40 .*checks=ok' 120
  tm_wait_for com2 '^heartbeat b: unit 40 .*checks=ok' 120
  tm_wait_for monitor '^guest a: verdict pass: heartbeat: 240 units$' 300
  tm_wait_for monitor '^guest b: verdict pass: heartbeat: 240 units$' 300
  tm_wait_for monitor '^monitor: every guest has stopped$'
  tm_expect_exit "$TM_EXIT_OK" 60
  tm_absent com1 'STATE CHANGED'
  tm_absent com2 'STATE CHANGED'
  tm_absent monitor 'verdict fail'
  tm_has "$TM_OUT/run/com1.log" '^heartbeat a: unit 240 .*checks=ok' || tm_fail "guest a: no unit 240"
  tm_has "$TM_OUT/run/com2.log" '^heartbeat b: unit 240 .*checks=ok' || tm_fail "guest b: no unit 240"

  log=$TM_OUT/run/monitor.log
  read -r a b intr < <(awk '
    /^monitor: guest [ab]: switches [0-9]+, exits/ {
      g = $3; sub(":", "", g)
      for (i = 1; i <= NF; i++) {
        if ($i == "switches") { n = $(i + 1); gsub(",", "", n); sw[g] = n }
        if ($i == "intr") { n = $(i + 1); gsub(",", "", n); intr += n }
      }
    }
    END { printf "%d %d %d\n", sw["a"], sw["b"], intr }' "$log")
  [ "${a:-0}" -ge 100 ] && [ "${b:-0}" -ge 100 ] && [ $((a + b)) -ge 200 ] ||
    tm_fail "switches: guest a ${a:-0}, guest b ${b:-0} (want >= 100 each, >= 200 in all)"
}
