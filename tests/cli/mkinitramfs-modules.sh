#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# scripts/mkinitramfs --modules against Debian's kernel package (TWINMON_KERNEL, which
# tests/run-all fetches): a module list brings each module's dependency closure, at its usual
# path under /lib/modules/<version>/, with a modules.dep depmod wrote for the archive; /init
# is there; an unknown module is refused by name. Needs kmod and cpio (scripts/setup).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

if [ -z "${TWINMON_KERNEL:-}" ] || [ ! -f "$TWINMON_KERNEL" ]; then
  echo "FAIL: TWINMON_KERNEL is not set to Debian's vmlinuz (scripts/fetch-debian-kernel)"
  exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/twinmon-mkinitramfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

version=${TWINMON_KERNEL##*/vmlinuz-}
printf '#!/bin/false\n' >"$tmp/init"
printf '# a comment\nahci\n\next4   # ext4 and what it needs\n' >"$tmp/list"
if ! scripts/mkinitramfs "$tmp/out.cpio.gz" "$tmp/init" --modules "$TWINMON_KERNEL" "$tmp/list" \
  2>"$tmp/log"; then
  fail "mkinitramfs failed: $(cat "$tmp/log")"
  exit 1
fi
mkdir "$tmp/x"
(cd "$tmp/x" && zcat "$tmp/out.cpio.gz" | cpio --quiet -id) || fail "the archive does not unpack"
[ -x "$tmp/x/init" ] || fail "no executable /init in the archive"
dir=$tmp/x/lib/modules/$version
dep=$dir/modules.dep
[ -f "$dep" ] || { fail "no lib/modules/$version/modules.dep"; exit 1; }
# The closure: ahci needs libahci, libata and the SCSI core; ext4 needs jbd2, mbcache, crc16.
for m in ahci libahci libata scsi_mod scsi_common ext4 jbd2 mbcache crc16; do
  grep -Eq "(^|/)${m//_/[-_]}\.ko:" "$dep" || fail "$m is not in modules.dep"
done
# Each module of modules.dep is in the archive, and none that was not asked for.
n=0
while IFS=: read -r path deps; do
  n=$((n + 1))
  [ -f "$dir/$path" ] || fail "$path is in modules.dep but not in the archive"
  for d in $deps; do
    grep -q "^$d:" "$dep" || fail "$path needs $d, which modules.dep does not list"
  done
done <"$dep"
[ "$n" -eq 9 ] || fail "modules.dep lists $n modules, expected the 9 of ahci and ext4's closure"
grep -q '^kernel/fs/ext4/ext4.ko: .*kernel/fs/jbd2/jbd2.ko' "$dep" ||
  fail "ext4's line does not name jbd2: $(grep ext4.ko: "$dep")"
[ "$(find "$tmp/x" -name '*.ko' | wc -l)" -eq "$n" ] || fail "the archive holds modules modules.dep does not list"

# A name that is no module of this kernel is refused, naming it.
printf 'no_such_module\n' >"$tmp/bad"
if scripts/mkinitramfs "$tmp/bad.cpio.gz" "$tmp/init" --modules "$TWINMON_KERNEL" "$tmp/bad" \
  2>"$tmp/bad.log"; then
  fail "a list naming no_such_module was accepted"
fi
grep -q 'no module no_such_module' "$tmp/bad.log" || fail "the refusal does not name the module: $(cat "$tmp/bad.log")"
[ ! -e "$tmp/bad.cpio.gz" ] || fail "a refused list still left an archive"

# Without --modules the archive is /init alone, as before.
scripts/mkinitramfs "$tmp/tiny.cpio.gz" "$tmp/init" || fail "the tiny archive failed"
[ "$(zcat "$tmp/tiny.cpio.gz" | cpio --quiet -t | grep -c '\.ko$')" -eq 0 ] || fail "the tiny archive has modules"

[ $fails -eq 0 ] || exit 1
echo "ok: $n modules of $version with their modules.dep"
