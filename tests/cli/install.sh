#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# twinmon-install on scratch ESPs and system roots: a dry run changes nothing; an install puts
# the app, a config skeleton, the kernels and both loaders' entries in place and passes
# twinmon-check --esp; a reinstall keeps the config; an uninstall leaves the ESP and the root
# exactly as they were (an edited config stays), also after a failure part-way (update-grub,
# efibootmgr) and without --esp (the ESP the install recorded); a firmware entry whose number
# now holds another label is left; a file twinmon-install did not write is refused (replaced
# under --force, then left at uninstall), as is a path that leads off the ESP; every bad input
# ends with a message and changes nothing. The read-only and full ESPs are bind and tmpfs
# mounts (root only).
TC_TOOL=${BUILD:-build}/bin/twinmon-install
. "$(dirname "$0")/lib.sh"

EFI=$BUILD/twinmon.efi
bz=loader/corpus/bzimage/modern
bz2=loader/corpus/bzimage/protocol-2.12
esp=$TC_TMP/esp
root=$TC_TMP/root
MOUNTS=()
trap 'for m in "${MOUNTS[@]}"; do umount "$m"; done; rm -rf "$TC_TMP"' EXIT
[ -f "$EFI" ] || { echo "FAIL: $EFI is missing; run make first"; exit 1; }

# An ESP with another loader's files on it, and a root with GRUB's folder.
fresh() {
  rm -rf "$esp" "$root"
  mkdir -p "$esp/EFI/BOOT" "$esp/EFI/systemd" "$esp/loader/entries" "$root/etc/grub.d" "$root/var/lib"
  echo firmware-default >"$esp/EFI/BOOT/BOOTX64.EFI"
  echo systemd-boot >"$esp/EFI/systemd/systemd-bootx64.efi"
  printf 'default debian.conf\n' >"$esp/loader/loader.conf"
  printf 'title Debian\nlinux /vmlinuz\n' >"$esp/loader/entries/debian.conf"
  printf '#!/bin/sh\necho linux\n' >"$root/etc/grub.d/10_linux"
}
# Every file and folder under the scratch trees, with the files' digests.
snap() {
  (cd "$TC_TMP" && find esp root -printf '%y %p\n' | while read -r t p; do
     if [ "$t" = f ]; then echo "$p $(sha256sum <"$p" | cut -c1-16)"; else echo "$p/"; fi
   done | sort)
}
expect_same() {
  local now
  now=$(snap)
  [ "$now" = "$1" ] && return 0
  tc_fail "$2: the scratch trees changed"
  diff <(echo "$1") <(echo "$now") | sed 's/^/  /'
}
install_args=(--esp "$esp" --root "$root" --efi "$EFI")

# ---- dry run ----
fresh
before=$(snap)
tc_run "${install_args[@]}" --guest-a-kernel "$bz" --guest-a-initrd "$bz2" --guest-b-kernel "$bz" \
  --dry-run
tc_expect_rc 0 "dry run"
expect_same "$before" "dry run"
tc_expect_out_has "^would: copy $EFI to $esp/EFI/twinmon/twinmon.efi\$" "dry run: the app"
tc_expect_out_has "^would: write a config skeleton to $esp/EFI/twinmon/twinmon.conf\$" "dry run: config"
tc_expect_out_has "^would: copy $bz to $esp/EFI/twinmon/vmlinuz-a\$" "dry run: kernel a"
tc_expect_out_has "^would: copy $bz2 to $esp/EFI/twinmon/initrd-a.img\$" "dry run: initrd a"
tc_expect_out_has "^would: add the systemd-boot entry $esp/loader/entries/twinmon.conf\$" \
  "dry run: systemd-boot"
tc_expect_out_has "^would: add the GRUB menu entry $root/etc/grub.d/42_twinmon\$" "dry run: GRUB"
tc_expect_out_has "dry run: nothing changed" "dry run"

# ---- install, then uninstall: back to exactly what was there ----
tc_run "${install_args[@]}" --guest-a-kernel "$bz" --guest-a-initrd "$bz2" --guest-b-kernel "$bz"
tc_expect_rc 0 "install"
cmp -s "$EFI" "$esp/EFI/twinmon/twinmon.efi" || tc_fail "install: twinmon.efi not copied"
cmp -s "$bz" "$esp/EFI/twinmon/vmlinuz-b" || tc_fail "install: guest b's kernel not copied"
cmp -s "$bz2" "$esp/EFI/twinmon/initrd-a.img" || tc_fail "install: guest a's initrd not copied"
grep -qx 'mode = twin' "$esp/EFI/twinmon/twinmon.conf" || tc_fail "install: no twin skeleton"
grep -qx 'efi     /EFI/twinmon/twinmon.efi' "$esp/loader/entries/twinmon.conf" ||
  tc_fail "install: systemd-boot entry"
[ -x "$root/etc/grub.d/42_twinmon" ] || tc_fail "install: GRUB snippet not executable"
sh "$root/etc/grub.d/42_twinmon" | grep -q '^	chainloader /EFI/twinmon/twinmon.efi$' ||
  tc_fail "install: the GRUB snippet prints no chainload entry"
"$CHECK" --esp "$esp" >/dev/null 2>&1 || tc_fail "install: twinmon-check --esp fails"
tc_expect_out_has "^twinmon-install: installed; twinmon-check --esp $esp passes\$" "install"

tc_run --uninstall --esp "$esp" --root "$root"
tc_expect_rc 0 "uninstall"
expect_same "$before" "uninstall after install"

# ---- reinstall keeps the config; uninstall keeps the edited config, and only it ----
tc_run "${install_args[@]}" --guest-a-kernel "$bz"
tc_expect_rc 0 "install a-alone"
grep -qx 'mode = a-alone' "$esp/EFI/twinmon/twinmon.conf" || tc_fail "install: no a-alone skeleton"
echo '# edited by its owner' >>"$esp/EFI/twinmon/twinmon.conf"
conf=$(cat "$esp/EFI/twinmon/twinmon.conf")
tc_run "${install_args[@]}" --guest-a-kernel "$bz2" --config guest-config/examples/demo.conf
tc_expect_rc 0 "reinstall"
tc_expect_out_has "^twinmon-install: keeping the config $esp/EFI/twinmon/twinmon.conf\$" "reinstall"
[ "$(cat "$esp/EFI/twinmon/twinmon.conf")" = "$conf" ] || tc_fail "reinstall: the config changed"
cmp -s "$bz2" "$esp/EFI/twinmon/vmlinuz-a" || tc_fail "reinstall: the new kernel is not there"
tc_run --uninstall --esp "$esp" --root "$root" --dry-run
tc_expect_rc 0 "uninstall dry run"
tc_expect_out_has "^would: remove $esp/EFI/twinmon/vmlinuz-a\$" "uninstall dry run"
[ -f "$esp/EFI/twinmon/vmlinuz-a" ] || tc_fail "uninstall dry run removed the kernel"
tc_run --uninstall --esp "$esp" --root "$root"
tc_expect_rc 0 "uninstall, config edited"
tc_expect_out_has "twinmon.conf: changed since it was installed, kept\$" "uninstall, config edited"
expect_same "$({ echo "$before"; echo "esp/EFI/twinmon/"
                 echo "esp/EFI/twinmon/twinmon.conf $(sha256sum <<<"$conf" | cut -c1-16)"; } | sort)" \
  "uninstall, config edited"

# ---- the owner's config is never ours: installed around, kept at uninstall ----
fresh
mkdir -p "$esp/EFI/TWINMON"
cp guest-config/examples/linux-linux.conf "$esp/EFI/TWINMON/Twinmon.Conf"
before=$(snap)
tc_run "${install_args[@]}" --guest-a-kernel "$bz" --guest-b-kernel "$bz" --guest-a-initrd "$bz2" \
  --guest-b-initrd "$bz2"
tc_expect_rc 0 "install beside the owner's config"
cmp -s "$bz" "$esp/EFI/TWINMON/vmlinuz" || tc_fail "the kernel the config names, found case-blind"
tc_run --uninstall --esp "$esp" --root "$root"
expect_same "$before" "uninstall beside the owner's config"

# ---- the ESP found as bootctl finds it, under --root ----
rm -rf "$TC_TMP/sys"
mkdir -p "$TC_TMP/sys/boot/efi" "$TC_TMP/sys/efi/EFI"
tc_run --root "$TC_TMP/sys" --efi "$EFI" --guest-a-kernel "$bz" --dry-run
tc_expect_rc 0 "ESP at /efi"
tc_expect_out_has "^twinmon-install: EFI system partition: $TC_TMP/sys/efi\$" "ESP at /efi"
mkdir -p "$TC_TMP/sys/boot/efi/EFI"
tc_run --root "$TC_TMP/sys" --efi "$EFI" --guest-a-kernel "$bz" --dry-run
tc_expect_out_has "^twinmon-install: EFI system partition: $TC_TMP/sys/boot/efi\$" "ESP at /boot/efi"

# ---- bad input: a message, status 1, nothing changed ----
refused() {
  local what=$1 msg=$2
  shift 2
  tc_run "$@"
  tc_expect_rc 1 "$what"
  tc_expect_err_has "$msg" "$what"
  expect_same "$before" "$what"
}
fresh
before=$(snap)
refused "no ESP" "^twinmon-install: no EFI system partition found" \
  --root "$root" --efi "$EFI" --guest-a-kernel "$bz"
refused "--esp missing" "^twinmon-install: --esp $TC_TMP/none: no such directory\$" \
  --esp "$TC_TMP/none" --root "$root" --guest-a-kernel "$bz"
refused "no config, no kernels" "has no EFI/twinmon/twinmon.conf: give --config FILE or the kernels" \
  "${install_args[@]}"
refused "kernel file missing" "^twinmon-install: --guest-a-kernel $TC_TMP/none: no such file\$" \
  "${install_args[@]}" --guest-a-kernel "$TC_TMP/none"
head -c 8192 /dev/zero >"$TC_TMP/zeros"
refused "not a kernel" "^twinmon-install: twinmon-check refused the result: nothing changed\$" \
  "${install_args[@]}" --guest-a-kernel "$TC_TMP/zeros"
tc_expect_err_has "vmlinuz-a \($TC_TMP/zeros\): loader: vmlinuz-a: unrecognised image" "not a kernel"
printf '[global]\nmode = tw1n\n' >"$TC_TMP/bad.conf"
refused "invalid --config" "^twinmon-install: the config is invalid: nothing changed\$" \
  "${install_args[@]}" --config "$TC_TMP/bad.conf" --guest-a-kernel "$bz"
tc_expect_err_has "^$TC_TMP/bad.conf:2:8: mode: " "invalid --config"
refused "config names no initrd" "the config names no initrd for guest b" \
  "${install_args[@]}" --guest-a-kernel "$bz" --guest-b-kernel "$bz" --guest-b-initrd "$bz2" \
  --config guest-config/examples/demo.conf
refused "one path, two kernels" "are both .*vmlinuz, but different files were given" \
  "${install_args[@]}" --config guest-config/examples/linux-linux.conf \
  --guest-a-kernel "$bz" --guest-b-kernel "$bz2"
refused "the config's other files missing" "refused the result" \
  "${install_args[@]}" --config guest-config/examples/linux-linux.conf --guest-a-kernel "$bz"
tc_expect_err_has "initrd \\\\EFI\\\\twinmon\\\\initrd-a.img .*: not found in the ESP" \
  "the config's other files missing"
if ! command -v efibootmgr >/dev/null; then
  refused "--firmware-entry without efibootmgr" "--firmware-entry needs efibootmgr" \
    "${install_args[@]}" --guest-a-kernel "$bz" --firmware-entry
else
  refused "--firmware-entry on a folder" "cannot tell which disk and partition" \
    "${install_args[@]}" --guest-a-kernel "$bz" --firmware-entry
fi
cp guest-config/examples/demo.conf "$esp/loader/bad.conf"
mkdir -p "$esp/EFI/twinmon" && printf '[global]\nslice = 1h\n' >"$esp/EFI/twinmon/twinmon.conf"
before=$(snap)
refused "invalid config on the ESP" "^twinmon-install: the config is invalid: nothing changed\$" \
  "${install_args[@]}" --guest-a-kernel "$bz"
refused "uninstall, nothing installed" "nothing to uninstall" --uninstall --esp "$esp" --root "$root"
tc_run "${install_args[@]}" --frobnicate
tc_expect_rc 2 "unknown option"
tc_expect_err_has "^twinmon-install: unknown argument '--frobnicate'\$" "unknown option"
tc_run --uninstall --esp "$esp" --guest-a-kernel "$bz"
tc_expect_rc 2 "--uninstall with a kernel"

# ---- --firmware-entry, with stand-ins for efibootmgr and the ESP's disk ----
fake=$TC_TMP/fake
mkdir -p "$fake"
cat >"$fake/efibootmgr" <<'FAKE'
#!/bin/sh
# A firmware with one entry, Boot0000, and what twinmon-install adds; every call logged.
printf '%s\n' "$*" >>"$FAKE_FW.log"
[ -f "$FAKE_FW" ] || echo 'Boot0000* debian' >"$FAKE_FW"
case " $* " in
  *" --create "*) printf '%s\n' 'Boot0007* twinmon	HD(1,GPT)/File(\EFI\twinmon\twinmon.efi)' >>"$FAKE_FW" ;;
  *" -B "*) sed -i '/^Boot0007/d' "$FAKE_FW" ;;
esac
cat "$FAKE_FW"
FAKE
printf '#!/bin/sh
echo /dev/fake1
' >"$fake/findmnt"
printf '#!/bin/sh
case "$*" in *PKNAME*) echo fake ;; *PARTN*) echo 1 ;; esac
' >"$fake/lsblk"
chmod +x "$fake"/*
export FAKE_FW=$TC_TMP/fw
fresh
before=$(snap)
PATH=$fake:$PATH tc_run "${install_args[@]}" --guest-a-kernel "$bz" --firmware-entry
tc_expect_rc 0 "--firmware-entry"
grep -Fqx -- '--create --disk /dev/fake --part 1 --label twinmon --loader \EFI\twinmon\twinmon.efi' \
  "$FAKE_FW.log" || { tc_fail "--firmware-entry: efibootmgr --create not called as expected"; cat "$FAKE_FW.log"; }
grep -qx 'firmware-entry 0007' "$esp/EFI/twinmon/install.manifest" ||
  tc_fail "--firmware-entry: Boot0007 not in the manifest"
PATH=$fake:$PATH tc_run "${install_args[@]}" --guest-a-kernel "$bz" --firmware-entry
tc_expect_rc 0 "--firmware-entry again"
tc_expect_out_has "already has a boot entry 'twinmon' \(Boot0007\): not adding another" \
  "--firmware-entry again"
[ "$(grep -c -- --create "$FAKE_FW.log")" = 1 ] || { tc_fail "--firmware-entry again: a second entry"; cat "$FAKE_FW.log" "$FAKE_FW"; }
PATH=$fake:$PATH tc_run --uninstall --esp "$esp" --root "$root"
tc_expect_rc 0 "uninstall --firmware-entry"
grep -qx -- '-q -b 0007 -B' "$FAKE_FW.log" || tc_fail "uninstall: Boot0007 not removed"
[ "$(cat "$FAKE_FW")" = 'Boot0000* debian' ] || tc_fail "uninstall: the firmware's entries changed"
expect_same "$before" "uninstall --firmware-entry"

# ---- a boot number reused: an entry that is no longer labelled twinmon is left alone ----
rm -f "$FAKE_FW" "$FAKE_FW.log"
fresh
PATH=$fake:$PATH tc_run "${install_args[@]}" --guest-a-kernel "$bz" --firmware-entry
tc_expect_rc 0 "--firmware-entry, before the number is reused"
sed -i 's/^Boot0007.*/Boot0007* Windows Boot Manager/' "$FAKE_FW"
PATH=$fake:$PATH tc_run --uninstall --esp "$esp" --root "$root"
tc_expect_rc 0 "uninstall, Boot0007 reused"
tc_expect_out_has "Boot0007 is no longer labelled twinmon .*: kept\$" "uninstall, Boot0007 reused"
! grep -q -- ' -B' "$FAKE_FW.log" || tc_fail "uninstall, Boot0007 reused: efibootmgr -B was called"
grep -q '^Boot0007\* Windows Boot Manager$' "$FAKE_FW" || tc_fail "uninstall, Boot0007 reused: it is gone"

# ---- a failure part-way: what was written is in the manifest, and uninstall removes it ----
printf '#!/bin/sh\necho "update-grub: broken" >&2\nexit 1\n' >"$fake/update-grub-broken"
printf '#!/bin/sh\necho called >>"%s"\n' "$TC_TMP/update-grub.log" >"$fake/update-grub-logged"
chmod +x "$fake"/update-grub-*
fresh
before=$(snap)
TWINMON_UPDATE_GRUB=$fake/update-grub-broken tc_run "${install_args[@]}" --guest-a-kernel "$bz"
tc_expect_rc 1 "update-grub fails"
tc_expect_err_has "^twinmon-install: update-grub failed: " "update-grub fails"
grep -qx 'grub etc/grub.d/42_twinmon' "$esp/EFI/twinmon/install.manifest" ||
  tc_fail "update-grub fails: the snippet is not in the manifest"
TWINMON_UPDATE_GRUB=$fake/update-grub-broken tc_run --uninstall --esp "$esp" --root "$root"
tc_expect_rc 0 "uninstall after update-grub failed"
expect_same "$before" "uninstall after update-grub failed"
rm -f "$TC_TMP/update-grub.log"
TWINMON_UPDATE_GRUB=$fake/update-grub-logged tc_run "${install_args[@]}" --guest-a-kernel "$bz"
tc_expect_rc 0 "TWINMON_UPDATE_GRUB"
TWINMON_UPDATE_GRUB=$fake/update-grub-logged tc_run --uninstall --esp "$esp" --root "$root"
[ "$(cat "$TC_TMP/update-grub.log" 2>/dev/null)" = $'called\ncalled' ] ||
  tc_fail "TWINMON_UPDATE_GRUB: not run once by the install and once by the uninstall"
mkdir -p "$TC_TMP/fake-fail"
printf '#!/bin/sh\ncase " $* " in *" --create "*) exit 1 ;; esac\necho "Boot0000* debian"\n' \
  >"$TC_TMP/fake-fail/efibootmgr"
chmod +x "$TC_TMP/fake-fail/efibootmgr"
PATH=$TC_TMP/fake-fail:$fake:$PATH tc_run "${install_args[@]}" --guest-a-kernel "$bz" --firmware-entry
tc_expect_rc 1 "efibootmgr --create fails"
tc_expect_err_has "efibootmgr --create failed: no UEFI boot entry added\$" "efibootmgr --create fails"
PATH=$TC_TMP/fake-fail:$fake:$PATH tc_run --uninstall --esp "$esp" --root "$root"
tc_expect_rc 0 "uninstall after efibootmgr failed"
expect_same "$before" "uninstall after efibootmgr failed"

# ---- the ESP an install used is where uninstall looks without --esp ----
tc_run "${install_args[@]}" --guest-a-kernel "$bz"
tc_expect_rc 0 "install, ESP recorded"
[ "$(cat "$root/var/lib/twinmon/esp")" = "$(realpath "$esp")" ] || tc_fail "install: the ESP is not recorded"
tc_run --uninstall --root "$root"
tc_expect_rc 0 "uninstall, ESP as recorded"
tc_expect_out_has "^twinmon-install: the ESP the last install used" "uninstall, ESP as recorded"
expect_same "$before" "uninstall, ESP as recorded"

# ---- files twinmon-install did not write: refused, nothing changed ----
fresh
mkdir -p "$esp/EFI/twinmon"
echo "the owner's kernel" >"$esp/EFI/twinmon/vmlinuz-a"
before=$(snap)
refused "a kernel that is not ours" \
  "^twinmon-install: $esp/EFI/twinmon/vmlinuz-a exists and twinmon-install did not write it: nothing changed" \
  "${install_args[@]}" --guest-a-kernel "$bz"
fresh
printf 'title the owner\nefi /EFI/mine.efi\n' >"$esp/loader/entries/twinmon.conf"
before=$(snap)
refused "a loader entry that is not ours" "^twinmon-install: $esp/loader/entries/twinmon.conf exists and twinmon-install did not write it" \
  "${install_args[@]}" --guest-a-kernel "$bz"
fresh
printf '#!/bin/sh\necho "the owner'"'"'s menu"\n' >"$root/etc/grub.d/42_twinmon"
before=$(snap)
refused "a GRUB snippet that is not ours" "^twinmon-install: $root/etc/grub.d/42_twinmon exists and twinmon-install did not write it" \
  "${install_args[@]}" --guest-a-kernel "$bz"
# --force replaces them, and uninstall leaves them.
mkdir -p "$esp/EFI/twinmon"
echo "the owner's kernel" >"$esp/EFI/twinmon/vmlinuz-a"
printf 'title the owner\nefi /EFI/mine.efi\n' >"$esp/loader/entries/twinmon.conf"
tc_run "${install_args[@]}" --guest-a-kernel "$bz" --force
tc_expect_rc 0 "--force"
tc_expect_out_has "vmlinuz-a is not twinmon-install's: replacing it \(--force\)" "--force"
cmp -s "$bz" "$esp/EFI/twinmon/vmlinuz-a" || tc_fail "--force: the kernel is not replaced"
tc_run --uninstall --esp "$esp" --root "$root"
tc_expect_rc 0 "uninstall after --force"
tc_expect_out_has "vmlinuz-a: was there before twinmon-install, kept\$" "uninstall after --force"
for f in "$esp/EFI/twinmon/vmlinuz-a" "$esp/loader/entries/twinmon.conf" "$root/etc/grub.d/42_twinmon"; do
  [ -f "$f" ] || tc_fail "uninstall after --force: $f, replaced, is gone"
done
for f in twinmon.efi twinmon.conf install.manifest; do
  [ ! -e "$esp/EFI/twinmon/$f" ] || tc_fail "uninstall after --force: $f, ours, is still there"
done
# A file identical to ours is not ours either.
fresh
mkdir -p "$esp/EFI/twinmon"
cp "$bz" "$esp/EFI/twinmon/vmlinuz-a"
tc_run "${install_args[@]}" --guest-a-kernel "$bz"
tc_expect_rc 0 "an identical kernel"
tc_expect_out_has "vmlinuz-a is there already, identical, but not twinmon-install's" "an identical kernel"
tc_run --uninstall --esp "$esp" --root "$root"
cmp -s "$bz" "$esp/EFI/twinmon/vmlinuz-a" || tc_fail "uninstall: the identical kernel, not ours, is gone"
# A path that leads off the ESP through a link.
fresh
mkdir -p "$TC_TMP/outside"
ln -s "$TC_TMP/outside" "$esp/EFI/elsewhere"
printf '[global]\nmode = a-alone\n[guest a]\nkernel = \\EFI\\elsewhere\\vmlinuz\ncmdline = x\n' >"$TC_TMP/off.conf"
before=$(snap)
refused "a kernel path off the ESP" "^twinmon-install: $esp/EFI/elsewhere/vmlinuz leads outside the ESP" \
  "${install_args[@]}" --config "$TC_TMP/off.conf" --guest-a-kernel "$bz"
[ -z "$(ls -A "$TC_TMP/outside")" ] || tc_fail "a kernel path off the ESP: written outside"
printf '[global]\nmode = a-alone\n[guest a]\nkernel = \\EFI\\..\\..\\vmlinuz\ncmdline = x\n' >"$TC_TMP/up.conf"
refused "a kernel path with .." "the path component '..' is not allowed" \
  "${install_args[@]}" --config "$TC_TMP/up.conf" --guest-a-kernel "$bz"

# Read-only and full ESPs need mounts: root only.
fresh
mkdir -p "$TC_TMP/ro" "$TC_TMP/small"
if mount --bind "$esp" "$TC_TMP/ro" 2>/dev/null; then
  MOUNTS+=("$TC_TMP/ro")
  mount -o remount,bind,ro "$TC_TMP/ro"
  before=$(snap)
  refused "read-only ESP" "^twinmon-install: $TC_TMP/ro is read-only" \
    --esp "$TC_TMP/ro" --root "$root" --efi "$EFI" --guest-a-kernel "$bz"
else
  echo "note: not root: the read-only ESP case is not run"
fi
if mount -t tmpfs -o size=512k tmpfs "$TC_TMP/small" 2>/dev/null; then
  MOUNTS+=("$TC_TMP/small")
  mkdir -p "$TC_TMP/small/EFI/BOOT"
  refused "full ESP" "^twinmon-install: $TC_TMP/small has [0-9]+ KiB free, the install needs [0-9]+ KiB: nothing changed\$" \
    --esp "$TC_TMP/small" --root "$root" --efi "$EFI" --guest-a-kernel "$bz"
  [ -z "$(find "$TC_TMP/small" -type f)" ] || tc_fail "full ESP: files were written"
else
  echo "note: not root: the full ESP case is not run"
fi
tc_done
