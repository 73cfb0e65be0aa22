#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The Debian package: make deb builds it; its file list, owners, modes and control fields are
# as docs/install.md says; installed into a scratch root (dpkg --root) its tools run, its man
# pages render and its twinmon-install finds the packaged app and functions; and its kernel
# hook, run as the kernel package runs it, writes nothing to stdout, refreshes the guest kernel
# on the ESP the install used only when the install asked for it (--follow-kernel), and on a
# failure warns and exits 0 with nothing changed.
. "$(dirname "$0")/lib.sh"

rev=$(sed -n 's/^DEB_REVISION *:= *//p' package/module.mk)
version=$(cat VERSION)-$rev
deb=$BUILD/twinmon_${version}_amd64.deb
bz=loader/corpus/bzimage/modern
bz2=loader/corpus/bzimage/protocol-2.12

TC_CHECKS=$((TC_CHECKS + 1))
# A make of its own: under make check, the outer make's jobserver is not this one's.
if ! env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make --no-print-directory -s BUILD="$BUILD" deb \
       >"$TC_TMP/make.log" 2>&1; then
  tc_fail "make deb"
  tail -n 20 "$TC_TMP/make.log" | sed 's/^/  /'
  tc_done
fi
[ -f "$deb" ] || { tc_fail "make deb made no $deb"; tc_done; }

# ---- contents: every file with its mode and owner, nothing else ----
expected="drwxr-xr-x root/root ./
drwxr-xr-x root/root ./etc/
drwxr-xr-x root/root ./etc/kernel/
drwxr-xr-x root/root ./etc/kernel/postinst.d/
-rwxr-xr-x root/root ./etc/kernel/postinst.d/twinmon
drwxr-xr-x root/root ./usr/
drwxr-xr-x root/root ./usr/bin/
-rwxr-xr-x root/root ./usr/bin/twinmon-check
-rwxr-xr-x root/root ./usr/bin/twinmon-install
-rwxr-xr-x root/root ./usr/bin/twinmon-load
drwxr-xr-x root/root ./usr/lib/
drwxr-xr-x root/root ./usr/lib/twinmon/
-rw-r--r-- root/root ./usr/lib/twinmon/twinmon-install-lib.sh
-rw-r--r-- root/root ./usr/lib/twinmon/twinmon.efi
drwxr-xr-x root/root ./usr/share/
drwxr-xr-x root/root ./usr/share/doc/
drwxr-xr-x root/root ./usr/share/doc/twinmon/
-rw-r--r-- root/root ./usr/share/doc/twinmon/changelog.Debian.gz
-rw-r--r-- root/root ./usr/share/doc/twinmon/copyright
drwxr-xr-x root/root ./usr/share/man/
drwxr-xr-x root/root ./usr/share/man/man1/
-rw-r--r-- root/root ./usr/share/man/man1/twinmon-check.1.gz
-rw-r--r-- root/root ./usr/share/man/man1/twinmon-load.1.gz
drwxr-xr-x root/root ./usr/share/man/man5/
-rw-r--r-- root/root ./usr/share/man/man5/twinmon.conf.5.gz
drwxr-xr-x root/root ./usr/share/man/man8/
-rw-r--r-- root/root ./usr/share/man/man8/twinmon-install.8.gz
-rw-r--r-- root/root ./usr/share/man/man8/twinmon.8.gz"
got=$(dpkg-deb -c "$deb" | awk '{ print $1, $2, $6 }' | sort -k3)
TC_CHECKS=$((TC_CHECKS + 1))
if [ "$got" != "$expected" ]; then
  tc_fail "dpkg-deb -c: the file list differs"
  diff <(echo "$expected") <(echo "$got") | sed 's/^/  /'
fi

# ---- control fields ----
field() { dpkg-deb -f "$deb" "$1"; }
expect_field() {
  TC_CHECKS=$((TC_CHECKS + 1))
  grep -Eqx -- "$2" <<<"$(field "$1")" || tc_fail "control field $1 is '$(field "$1")', expected /$2/"
}
expect_field Package twinmon
expect_field Version "$version"
expect_field Architecture amd64
expect_field Section admin
expect_field Priority optional
expect_field Depends '.*libc6 \(>= [0-9.]+\).*'
expect_field Maintainer '.+ <.+@.+>'
expect_field Installed-Size '[0-9]+'
expect_field Description 'UEFI partitioning monitor .*'
TC_CHECKS=$((TC_CHECKS + 1))
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles >"$TC_TMP/conffiles" 2>/dev/null
[ "$(cat "$TC_TMP/conffiles")" = /etc/kernel/postinst.d/twinmon ] ||
  tc_fail "conffiles: '$(cat "$TC_TMP/conffiles")', expected the kernel hook"
TC_CHECKS=$((TC_CHECKS + 1))
zcat <(dpkg-deb --fsys-tarfile "$deb" | tar -xO ./usr/share/doc/twinmon/changelog.Debian.gz) |
  head -n 1 | grep -q "^twinmon ($version)" || tc_fail "changelog.Debian.gz does not start with $version"

# ---- installed into a scratch root ----
r=$TC_TMP/root
mkdir -p "$r/var/lib/dpkg/info" "$r/var/lib/dpkg/updates"
touch "$r/var/lib/dpkg/status"
TC_CHECKS=$((TC_CHECKS + 1))
if ! dpkg --root="$r" --force-depends --force-not-root --force-script-chrootless -i "$deb" >"$TC_TMP/dpkg.log" 2>&1; then
  tc_fail "dpkg --root -i"
  sed 's/^/  /' "$TC_TMP/dpkg.log"
fi
TC_CHECKS=$((TC_CHECKS + 1))
[ "$(dpkg --root="$r" -s twinmon 2>/dev/null | sed -n 's/^Status: //p')" = "install ok installed" ] ||
  tc_fail "dpkg --root: twinmon is not installed"
for t in twinmon-check twinmon-load twinmon-install; do
  TC_TOOL=$r/usr/bin/$t tc_run --help
  tc_expect_rc 0 "installed $t --help"
  tc_expect_out_has "^usage: $t" "installed $t --help"
done
TC_TOOL=$r/usr/bin/twinmon-check tc_run guest-config/examples/demo.conf
tc_expect_rc 0 "installed twinmon-check on demo.conf"
for p in man1/twinmon-check.1 man1/twinmon-load.1 man5/twinmon.conf.5 man8/twinmon.8 man8/twinmon-install.8; do
  TC_CHECKS=$((TC_CHECKS + 1))
  w=$(zcat "$r/usr/share/man/$p.gz" | groff -man -ww -Tascii -P-cbou 2>&1 >"$TC_TMP/page")
  [ -z "$w" ] && grep -q NAME "$TC_TMP/page" || tc_fail "installed $p does not render cleanly: $w"
done

# The packaged twinmon-install takes the packaged app.
PATH=$r/usr/bin:$PATH
export PATH
esp0=$TC_TMP/esp0
mkdir -p "$esp0/EFI"
TC_TOOL=$r/usr/bin/twinmon-install tc_run --esp "$esp0" --root "$TC_TMP" --guest-a-kernel "$bz" --dry-run
tc_expect_rc 0 "installed twinmon-install --dry-run"
tc_expect_out_has "^would: copy $r/usr/bin/../lib/twinmon/twinmon.efi to $esp0/EFI/twinmon/twinmon.efi\$" \
  "installed twinmon-install finds /usr/lib/twinmon/twinmon.efi"

# ---- the kernel hook on a scratch system root with its ESP at /boot/efi ----
# Hooks may run under debconf: the hook reads nothing and writes nothing to stdout, so
# every run_hook checks that stdout is empty and reads what it says on stderr.
HOOK=$r/etc/kernel/postinst.d/twinmon
sys=$TC_TMP/sys
esp=$sys/boot/efi
run_hook() {  # VERSION: as the kernel package runs it
  TC_ARGS=("$1" "$sys/boot/vmlinuz-$1")
  TWINMON_ROOT=$sys "$HOOK" "${TC_ARGS[@]}" >"$TC_OUT" 2>"$TC_ERR"
  TC_RC=$?
  TC_CHECKS=$((TC_CHECKS + 1))
  tc_expect_out_empty "hook $1"
}
snap() { (cd "$sys" && find . -type f -exec sha256sum {} + | sort -k2); }
same_file() {
  TC_CHECKS=$((TC_CHECKS + 1))
  cmp -s "$1" "$2" || tc_fail "$3: $2 is not $1"
}
new_sys() {
  rm -rf "$sys"
  mkdir -p "$esp/EFI/BOOT" "$sys/etc"
  cp "$bz" "$sys/boot/vmlinuz-6.1.0-9-amd64"
  cp "$bz2" "$sys/boot/initrd.img-6.1.0-9-amd64"
}
TC_TOOL=$r/usr/bin/twinmon-install
install_a() { tc_run --root "$sys" --guest-a-kernel "$sys/boot/vmlinuz-6.1.0-9-amd64" \
                --guest-a-initrd "$sys/boot/initrd.img-6.1.0-9-amd64" "$@"; }
# A newer kernel arrives: 6.1.0-10 sorts after 6.1.0-9 by version, before it by bytes.
new_kernel() {
  cp "$1" "$sys/boot/vmlinuz-6.1.0-10-amd64"
  cp "$2" "$sys/boot/initrd.img-6.1.0-10-amd64"
}

# Nothing installed: nothing to do.
new_sys
before=$(snap)
run_hook 6.1.0-9-amd64
tc_expect_rc 0 "hook, twinmon not installed"
TC_CHECKS=$((TC_CHECKS + 1))
[ "$(snap)" = "$before" ] || tc_fail "hook, twinmon not installed: the system root changed"

# Installed without --follow-kernel: a new kernel leaves the ESP alone.
install_a
tc_expect_rc 0 "install without --follow-kernel"
new_kernel "$bz2" "$bz"
before=$(snap)
run_hook 6.1.0-10-amd64
tc_expect_rc 0 "hook, not following"
tc_expect_err_has "no guest follows the kernel" "hook, not following"
TC_CHECKS=$((TC_CHECKS + 1))
[ "$(snap)" = "$before" ] || tc_fail "hook, not following: the system root changed"

# Usage: --follow-kernel needs a kernel; --refresh-kernels takes no install options.
tc_run --root "$sys" --follow-kernel
tc_expect_rc 2 "--follow-kernel without a kernel"
tc_expect_err_has "needs --guest-a-kernel or --guest-b-kernel" "--follow-kernel without a kernel"
tc_run --root "$sys" --refresh-kernels --guest-a-kernel "$bz"
tc_expect_rc 2 "--refresh-kernels with a kernel"
tc_expect_err_has "takes only --esp, --root and --dry-run" "--refresh-kernels with a kernel"

# --follow-kernel takes only /boot's kernels.
tc_run --root "$sys" --guest-a-kernel "$bz" --follow-kernel
tc_expect_rc 1 "--follow-kernel with a kernel outside /boot"
tc_expect_err_has "is not $sys/boot/vmlinuz-VERSION" "--follow-kernel with a kernel outside /boot"

# Installed with --follow-kernel: the newest kernel and its initrd go to the ESP.
new_sys
install_a --follow-kernel
tc_expect_rc 0 "install --follow-kernel"
tc_expect_out_has "record that guest a's kernel follows" "install --follow-kernel"
new_kernel "$bz2" "$bz"
run_hook 6.1.0-10-amd64
tc_expect_rc 0 "hook, following"
tc_expect_err_has "refreshed; twinmon-check --esp $esp passes" "hook, following"
same_file "$bz2" "$esp/EFI/twinmon/vmlinuz-a" "hook, following: kernel"
same_file "$bz" "$esp/EFI/twinmon/initrd-a.img" "hook, following: initrd"
TC_CHECKS=$((TC_CHECKS + 1))
grep -q "^file $(sha256sum <"$bz2" | cut -d' ' -f1) EFI/twinmon/vmlinuz-a\$" "$esp/EFI/twinmon/install.manifest" ||
  tc_fail "hook, following: the manifest has not the new kernel's digest"
# Again: already current, nothing changes.
before=$(snap)
run_hook 6.1.0-10-amd64
tc_expect_rc 0 "hook, current"
tc_expect_err_has "nothing to refresh" "hook, current"
TC_CHECKS=$((TC_CHECKS + 1))
[ "$(snap)" = "$before" ] || tc_fail "hook, current: the system root changed"

# A newest kernel the loader refuses: a warning, exit 0, the ESP as it was.
echo "not a kernel" >"$TC_TMP/junk"
cp "$TC_TMP/junk" "$sys/boot/vmlinuz-6.1.0-11-amd64"
cp "$bz" "$sys/boot/initrd.img-6.1.0-11-amd64"
before=$(snap)
run_hook 6.1.0-11-amd64
tc_expect_rc 0 "hook, bad kernel"
tc_expect_err_has "^twinmon kernel hook: warning: " "hook, bad kernel"
TC_CHECKS=$((TC_CHECKS + 1))
[ "$(snap)" = "$before" ] || tc_fail "hook, bad kernel: the system root changed"

# An ESP given with --esp, not where the ESP is looked for: the hook refreshes the one the
# install recorded (/var/lib/twinmon/esp).
new_sys
esp2=$TC_TMP/esp2
rm -rf "$esp2"
mkdir -p "$esp2/EFI"
install_a --esp "$esp2" --follow-kernel
tc_expect_rc 0 "install --esp --follow-kernel"
new_kernel "$bz2" "$bz"
run_hook 6.1.0-10-amd64
tc_expect_rc 0 "hook, ESP given at install"
tc_expect_err_has "refreshed; twinmon-check --esp $esp2 passes" "hook, ESP given at install"
same_file "$bz2" "$esp2/EFI/twinmon/vmlinuz-a" "hook, ESP given at install: kernel"

# twinmon-install gone (package removed, conffile kept): silent, exit 0.
TC_ARGS=(6.1.0-11-amd64)
PATH=/usr/bin:/bin TWINMON_ROOT=$sys "$HOOK" 6.1.0-11-amd64 >"$TC_OUT" 2>"$TC_ERR"
TC_RC=$?
tc_expect_rc 0 "hook without twinmon-install"

tc_done
