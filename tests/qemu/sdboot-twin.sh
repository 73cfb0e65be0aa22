#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# twinmon from systemd-boot's menu: an ESP whose firmware boot loader is Debian's systemd-boot
# (systemd-boot-efi), twinmon added by twinmon-install --esp, loader.conf's default naming the
# entry twinmon-install wrote. OVMF boots systemd-boot, systemd-boot starts twinmon, and twin
# mode runs both heartbeats to their verdicts (as twin-heartbeat.sh judges them). twinmon is
# on the ESP only under EFI/twinmon/, so only systemd-boot can have started it.
. "$(dirname "$0")/lib.sh"

sdboot=/usr/lib/systemd/boot/efi/systemd-bootx64.efi
[ -f "$sdboot" ] || tm_fail "$sdboot is missing (Debian package systemd-boot-efi; make setup)"
esp=$TM_OUT/esp
root=$TM_OUT/root
mkdir -p "$esp/EFI/BOOT" "$esp/EFI/systemd" "$esp/loader/entries" "$root"
cp "$sdboot" "$esp/EFI/BOOT/BOOTX64.EFI"
cp "$sdboot" "$esp/EFI/systemd/systemd-bootx64.efi"
# systemd-boot names an entry by its file name. A second of menu: OVMF copies the screen to
# COM1, so its menu shows the entry's title there, the proof that systemd-boot ran.
printf 'default twinmon.conf\ntimeout 1\n' >"$esp/loader/loader.conf"

cat >"$TM_OUT/twin.conf" <<'CONF'
[global]
mode = twin
timeout = 0

[guest a]
name = Heartbeat A
kernel = \EFI\twinmon\heartbeat-a.elf
cmdline = uart=com1 units=8000 every=2000 exit=verdict
memory = 0x20000000-0x23ffffff
uarts = com1

[guest b]
name = Heartbeat B
kernel = \EFI\twinmon\heartbeat-b.elf
cmdline = uart=com2 units=8000 every=2000 exit=verdict
memory = 0x100000-0x40fffff
uarts = com2
CONF
"$BUILD/bin/twinmon-install" --esp "$esp" --root "$root" --efi "$BUILD/twinmon.efi" \
  --config "$TM_OUT/twin.conf" --guest-a-kernel "$BUILD/guests/heartbeat-a.elf" \
  --guest-b-kernel "$BUILD/guests/heartbeat-b.elf" >"$TM_OUT/install.log" 2>&1 ||
  { cat "$TM_OUT/install.log"; tm_fail "twinmon-install failed"; }
grep -qx 'efi     /EFI/twinmon/twinmon.efi' "$esp/loader/entries/twinmon.conf" ||
  tm_fail "twinmon-install wrote no systemd-boot entry"
cmp -s "$sdboot" "$esp/EFI/BOOT/BOOTX64.EFI" ||
  tm_fail "the firmware's boot loader is not systemd-boot"

tm_boot --esp "$esp" --timeout 400
tm_wait_for com1 'twinmon: twin mode' 120
tm_wait_for monitor '^config: read EFI/twinmon/twinmon.conf' 120
tm_wait_for monitor '^monitor: starting 2 guests'
tm_wait_for com1 '^heartbeat a: unit 2000 .*checks=ok' 120
tm_wait_for com2 '^heartbeat b: unit 2000 .*checks=ok' 120
tm_wait_for monitor '^guest a: verdict pass: heartbeat: 8000 units$' 300
tm_wait_for monitor '^guest b: verdict pass: heartbeat: 8000 units$' 300
tm_wait_for monitor '^monitor: every guest has stopped$'
tm_expect_exit "$TM_EXIT_OK" 60
tm_absent com1 'STATE CHANGED'
tm_absent com2 'STATE CHANGED'
tm_absent monitor 'verdict fail'
echo "ok: systemd-boot started twinmon, both heartbeats passed"
