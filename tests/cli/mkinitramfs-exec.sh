#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# scripts/mkinitramfs --exec: a dynamically linked program of the host comes with its ELF
# interpreter and every shared library the loader resolves for it, each at its own path; the
# copy runs in a chroot of the unpacked archive (as root; skipped otherwise); a program that
# does not exist is refused by name. Uses the host's own ls (coreutils), so it needs nothing
# but cpio.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/twinmon-mkinitramfs-exec.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

prog=$(command -v ls)
printf '#!/bin/false\n' >"$tmp/init"
if ! scripts/mkinitramfs "$tmp/out.cpio.gz" "$tmp/init" --exec ls 2>"$tmp/log"; then
  fail "mkinitramfs failed: $(cat "$tmp/log")"
  exit 1
fi
mkdir "$tmp/x"
(cd "$tmp/x" && zcat "$tmp/out.cpio.gz" | cpio --quiet -id) || fail "the archive does not unpack"
[ -x "$tmp/x$prog" ] || fail "no $prog in the archive"
[ -d "$tmp/x/tmp" ] || fail "no /tmp in the archive"
interp=$(readelf -l "$prog" | sed -n 's/.*Requesting program interpreter: \(.*\)\]/\1/p')
[ -n "$interp" ] || fail "$prog has no interpreter: is it static?"
[ -f "$tmp/x$interp" ] || fail "no interpreter $interp in the archive"
# Every DT_NEEDED of the program and of each library copied is in the archive.
for f in "$tmp/x$prog" $(find "$tmp/x" -name '*.so*' -type f); do
  for need in $(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    find "$tmp/x" -name "$need" | grep -q . || fail "${f#"$tmp/x"} needs $need, not in the archive"
  done
done
if [ "$(id -u)" -eq 0 ]; then
  out=$(chroot "$tmp/x" "$prog" / 2>&1) || fail "$prog does not run in the archive: $out"
  grep -qx init <<<"$out" || fail "ls in the archive's root shows no init: $out"
else
  echo "note: not root, the chroot run is skipped"
fi
if scripts/mkinitramfs "$tmp/bad.cpio.gz" "$tmp/init" --exec no-such-program-here 2>"$tmp/log"; then
  fail "a missing program was accepted"
fi
grep -q 'no-such-program-here: not found' "$tmp/log" || fail "no error naming the program: $(cat "$tmp/log")"
[ ! -e "$tmp/bad.cpio.gz" ] || fail "an archive was written anyway"
[ "$fails" -eq 0 ] && echo ok
exit $((fails > 0))
