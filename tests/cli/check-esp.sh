#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# twinmon-check --esp DIR on scratch ESPs: a good one (names in another case, as FAT allows),
# then a missing kernel, a missing initrd, images the loader refuses and a kernel too big for
# its guest's memory, each reported at the config's line with the file's path; --with and
# --conf stand in for files not installed yet; --files lists what the config names.
. "$(dirname "$0")/lib.sh"

bz=loader/corpus/bzimage/modern
esp=$TC_TMP/esp
conf=$esp/EFI/twinmon/twinmon.conf

# A fresh ESP: guest a a bzImage with an initrd, guest b the heartbeat-like ELF seed.
make_esp() {
  rm -rf "$esp"
  mkdir -p "$esp/EFI/Twinmon"
  cp "$bz" "$esp/EFI/Twinmon/VMLINUZ"
  printf 'initrd bytes\n' >"$esp/EFI/Twinmon/initrd.img"
  cat >"$esp/EFI/Twinmon/twinmon.conf" <<'CONF'
[global]
mode = twin

[guest a]
kernel = \EFI\twinmon\vmlinuz
initrd = /EFI/twinmon/initrd.img
format = bzimage
memory = 64M high

[guest b]
kernel = \EFI\twinmon\vmlinuz
memory = 0x100000-0x40fffff
CONF
  conf=$esp/EFI/Twinmon/twinmon.conf
}

make_esp
tc_run --esp "$esp"
tc_expect_rc 0 "good ESP"
tc_expect_out_has "^$conf: valid" "good ESP"
tc_expect_out_has "^  ESP $esp\$" "good ESP"
tc_expect_out_has "^    guest a kernel  $esp/EFI/Twinmon/VMLINUZ\$" "good ESP: found in another case"
tc_expect_out_has "^ +4.5 KiB, bzImage, boot protocol 2.15, relocatable; fits the RAM its memory key asks for \([0-9]+ segments\)\$" \
  "good ESP: probed and placed"
tc_expect_out_has "^    guest a initrd  $esp/EFI/Twinmon/initrd.img\$" "good ESP: initrd"
[ -s "$TC_ERR" ] && { tc_fail "good ESP: stderr not empty"; tc_show; }

# With a machine, the kernel goes into the guest's planned e820.
tc_run --esp "$esp" --ram 1G
tc_expect_rc 0 "good ESP on 1G"
tc_expect_out_has "fits its planned RAM \([0-9]+ segments\)\$" "good ESP on 1G"

# Memory left to the machine: probed, the fit is not checked without one.
sed -i '/^memory = 64M high/d' "$conf"
tc_run --esp "$esp"
tc_expect_rc 0 "no memory key"
tc_expect_out_has "fit not checked: memory is a share of the machine's RAM" "no memory key"

tc_run --esp "$esp" --files
tc_expect_rc 0 "--files"
want="a	kernel	\\EFI\\twinmon\\vmlinuz	$esp/EFI/Twinmon/VMLINUZ
a	initrd	\\EFI\\twinmon\\initrd.img	$esp/EFI/Twinmon/initrd.img
b	kernel	\\EFI\\twinmon\\vmlinuz	$esp/EFI/Twinmon/VMLINUZ"
[ "$(cat "$TC_OUT")" = "$want" ] || { tc_fail "--files: output differs"; tc_show; }

# A missing kernel: both guests' kernel lines say so; nothing on stdout.
make_esp
rm "$esp/EFI/Twinmon/VMLINUZ"
tc_run --esp "$esp"
tc_expect_rc 1 "missing kernel"
tc_expect_out_empty "missing kernel"
tc_expect_err_is "$conf:5:10: kernel \\EFI\\twinmon\\vmlinuz ($esp/EFI/Twinmon/vmlinuz): not found in the ESP
$conf:11:10: kernel \\EFI\\twinmon\\vmlinuz ($esp/EFI/Twinmon/vmlinuz): not found in the ESP" \
  "missing kernel"
# --files still says where it goes: an installer's question.
tc_run --esp "$esp" --files
tc_expect_rc 0 "--files, kernel missing"
tc_expect_out_has "^b	kernel	\\\\EFI\\\\twinmon\\\\vmlinuz	$esp/EFI/Twinmon/vmlinuz\$" \
  "--files, kernel missing"
# --with stands a host file in for it.
tc_run --esp "$esp" --with "/efi/TWINMON/vmlinuz=$bz"
tc_expect_rc 0 "--with the missing kernel"
tc_expect_out_has "^    guest b kernel  $bz\$" "--with the missing kernel"

# A missing initrd.
make_esp
rm "$esp/EFI/Twinmon/initrd.img"
tc_run --esp "$esp"
tc_expect_rc 1 "missing initrd"
tc_expect_err_is "$conf:6:10: initrd \\EFI\\twinmon\\initrd.img ($esp/EFI/Twinmon/initrd.img): not found in the ESP" \
  "missing initrd"

# Images the loader refuses: not a kernel at all, then a boot protocol too old.
make_esp
head -c 8192 /dev/zero >"$esp/EFI/Twinmon/VMLINUZ"
tc_run --esp "$esp"
tc_expect_rc 1 "bad kernel image"
tc_expect_err_has "^$conf:5:10: kernel \\\\EFI\\\\twinmon\\\\vmlinuz \($esp/EFI/Twinmon/VMLINUZ\): loader: vmlinuz: unrecognised image" \
  "bad kernel image"
cp loader/corpus/bzimage/protocol-2.10 "$esp/EFI/Twinmon/VMLINUZ"
tc_run --esp "$esp"
tc_expect_rc 1 "old boot protocol"
tc_expect_err_has "^$conf:11:10: kernel .*: loader: vmlinuz: boot protocol 2.10 is older than 2.12\$" \
  "old boot protocol"
# format = bzimage, but the file is an ELF.
cp loader/corpus/elf/one-load "$esp/EFI/Twinmon/VMLINUZ"
tc_run --esp "$esp"
tc_expect_rc 1 "format mismatch"
tc_expect_err_has "^$conf:5:10: kernel .*: format = bzimage, but the file is elf64\$" "format mismatch"

# A kernel too big for its guest: init_size (setup header offset 0x260) raised to 96M.
make_esp
printf '\x00\x00\x00\x06' | dd of="$esp/EFI/Twinmon/VMLINUZ" bs=1 seek=$((0x260)) conv=notrunc \
  status=none
tc_run --esp "$esp"
tc_expect_rc 1 "too-big kernel"
tc_expect_err_is "$conf:5:10: kernel \\EFI\\twinmon\\vmlinuz ($esp/EFI/Twinmon/VMLINUZ): does not fit guest a's memory: loader: kernel: no 2 MiB-aligned hole of 96 MiB in partition 0x200000-0x41fffff
$conf:11:10: kernel \\EFI\\twinmon\\vmlinuz ($esp/EFI/Twinmon/VMLINUZ): does not fit guest b's memory: loader: kernel: no 2 MiB-aligned hole of 96 MiB in partition 0x100000-0x40fffff" \
  "too-big kernel"

# --conf checks another file as the ESP's config, under its own name.
make_esp
printf '[global]\nmode = a-alone\n[guest a]\nkernel = /EFI/twinmon/none\n' >"$TC_TMP/new.conf"
tc_run --esp "$esp" --conf "$TC_TMP/new.conf"
tc_expect_rc 1 "--conf"
tc_expect_err_is "$TC_TMP/new.conf:4:10: kernel \\EFI\\twinmon\\none ($esp/EFI/Twinmon/none): not found in the ESP" \
  "--conf"

# No config, no ESP, and the usage errors of the new options.
rm "$conf"
tc_run --esp "$esp"
tc_expect_rc 1 "no config"
tc_expect_err_is "$esp/EFI/Twinmon/twinmon.conf: cannot read: No such file or directory" "no config"
tc_run --esp "$TC_TMP/none"
tc_expect_rc 2 "no ESP"
tc_expect_err_is "twinmon-check: --esp $TC_TMP/none: No such file or directory" "no ESP"
tc_run --esp "$esp" some.conf
tc_expect_rc 2 "--esp with a FILE"
tc_expect_err_has "^twinmon-check: --esp takes no FILE" "--esp with a FILE"
tc_run --with "/EFI/x=$bz" some.conf
tc_expect_rc 2 "--with without --esp"
tc_expect_err_has "^twinmon-check: --with needs --esp" "--with without --esp"
tc_run --esp "$esp" --with "EFI/x=$bz"
tc_expect_rc 2 "--with, relative"
tc_expect_err_has "^twinmon-check: --with: expected ESP-PATH=FILE" "--with, relative"
tc_done
