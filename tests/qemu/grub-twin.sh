#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# twinmon from GRUB's menu: twinmon-install --esp adds the app and, with GRUB on the (scratch)
# root, the /etc/grub.d/42_twinmon snippet; a standalone GRUB EFI image made with
# grub-mkstandalone from Debian's grub-efi-amd64-bin, whose grub.cfg holds what the snippet
# prints, is the firmware's boot loader. OVMF boots GRUB, its menu shows the twinmon entry on
# COM1, the entry finds the ESP and chainloads twinmon, and twin mode runs both heartbeats to
# their verdicts (as twin-heartbeat.sh judges them).
. "$(dirname "$0")/lib.sh"

command -v grub-mkstandalone >/dev/null && [ -d /usr/lib/grub/x86_64-efi ] ||
  tm_fail "grub-mkstandalone or /usr/lib/grub/x86_64-efi is missing (Debian package grub-efi-amd64-bin; make setup)"
esp=$TM_OUT/esp
root=$TM_OUT/root
mkdir -p "$esp/EFI/BOOT" "$root/etc/grub.d"

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
[ -x "$root/etc/grub.d/42_twinmon" ] || tm_fail "twinmon-install wrote no GRUB snippet"

# grub.cfg as update-grub would assemble it: a header, then the snippet's output. GRUB's
# console is the firmware's, which OVMF copies to COM1.
{
  printf 'set timeout=1\nset default=0\n'
  "$root/etc/grub.d/42_twinmon"
} >"$TM_OUT/grub.cfg" || tm_fail "the GRUB snippet failed"
grub-mkstandalone -O x86_64-efi -o "$esp/EFI/BOOT/BOOTX64.EFI" \
  --modules="part_gpt part_msdos fat chain search search_fs_file normal configfile" \
  "boot/grub/grub.cfg=$TM_OUT/grub.cfg" >"$TM_OUT/mkstandalone.log" 2>&1 ||
  { cat "$TM_OUT/mkstandalone.log"; tm_fail "grub-mkstandalone failed"; }

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
echo "ok: GRUB chainloaded twinmon, both heartbeats passed"
