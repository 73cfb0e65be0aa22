#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The manual pages cannot go stale silently: each builds without a groff warning; every
# option a tool's --help prints is in its page's text, and every option its page lists is one
# the tool takes; every key the config parser knows is an entry of twinmon.conf(5), and every
# entry there is a key the parser knows; the page's example config is valid. A check that a
# page missing an option fails keeps the option check honest.
. "$(dirname "$0")/lib.sh"

MAN=$BUILD/man
for p in twinmon.8 twinmon.conf.5 twinmon-check.1 twinmon-install.8 twinmon-load.1; do
  [ -f "$MAN/$p" ] || { echo "FAIL: $MAN/$p is missing; run make man first"; exit 1; }
done

# The page as plain text on long lines, words never hyphenated, so an option is one word.
render() { groff -man -Tascii -P-cbou -rLL=250n -rHY=0 "$1" 2>/dev/null; }
has_word() { grep -Eq -- "(^|[^A-Za-z0-9-])$1([^A-Za-z0-9-]|\$)" "$2"; }

for p in "$MAN"/*.[0-9]; do
  TC_CHECKS=$((TC_CHECKS + 1))
  w=$(groff -man -ww -z "$p" 2>&1)
  [ -z "$w" ] || { tc_fail "$(basename "$p"): groff warns"; echo "$w" | sed 's/^/  /'; }
  render "$p" >"$TC_TMP/$(basename "$p").txt"
done

# Options: both ways between a tool's --help and the OPTIONS of its page (scdoc source: the
# lines that start an option's entry, *--name*).
# check_options TOOL PAGE-TEXT PAGE-SOURCE: the number of options missing either way.
check_options() {
  local tool=$1 text=$2 src=$3 o missing=0
  "$tool" --help >"$TC_TMP/help" 2>&1
  for o in $(grep -Eo -- '(^|[ [,])--[a-z][a-z0-9-]*' "$TC_TMP/help" | sed 's/^[ [,]//' | sort -u); do
    TC_CHECKS=$((TC_CHECKS + 1))
    if ! has_word "$o" "$text"; then
      echo "FAIL: $(basename "$tool") --help has $o, its page does not"
      missing=$((missing + 1))
    fi
  done
  for o in $(sed -n '/^# OPTIONS/,/^# /p' "$src" | grep -E '^\*-' | grep -Eo -- '--[a-z][a-z0-9-]*' |
             sort -u); do
    # --help itself: the usage it prints says nothing of it, and it printed that usage.
    [ "$o" != --help ] || continue
    TC_CHECKS=$((TC_CHECKS + 1))
    if ! has_word "$o" "$TC_TMP/help"; then
      echo "FAIL: $(basename "$src") lists $o, $(basename "$tool") --help does not"
      missing=$((missing + 1))
    fi
  done
  return "$missing"
}
for t in twinmon-check:1 twinmon-install:8 twinmon-load:1; do
  name=${t%:*}
  check_options "$BUILD/bin/$name" "$TC_TMP/$name.${t#*:}.txt" "man/$name.${t#*:}.scd" ||
    TC_FAILS=$((TC_FAILS + $?))
done

# The check itself: a page without --with must fail it.
grep -v -- '--with' "$TC_TMP/twinmon-check.1.txt" >"$TC_TMP/cut.txt"
TC_CHECKS=$((TC_CHECKS + 1))
if check_options "$CHECK" "$TC_TMP/cut.txt" man/twinmon-check.1.scd >/dev/null; then
  tc_fail "the option check passed a twinmon-check page without --with"
fi

# Config keys: the parser lists them in its unknown-key message, per section.
printf '[global]\nno-such-key = 1\n[guest a]\nkernel = \\k\nno-such-key = 1\n' >"$TC_TMP/keys.conf"
tc_run "$TC_TMP/keys.conf"
tc_expect_rc 1 "a config with unknown keys"
keys=$(sed -n 's/.*unknown key .no-such-key. in \[[a-z ]*\]; expected one of //p' "$TC_ERR" | tr ',' '\n' |
         sed 's/^ *//; s/ *$//' | sort -u)
nkeys=$(wc -w <<<"$keys")
TC_CHECKS=$((TC_CHECKS + 1))
[ "$nkeys" -ge 20 ] || { tc_fail "the parser's key lists: found only $nkeys keys"; tc_show; }
conf_txt=$TC_TMP/twinmon.conf.5.txt
for k in $keys; do
  TC_CHECKS=$((TC_CHECKS + 1))
  # An entry of the page starts with the key and its =.
  grep -Eq -- "^ {7}$k =|, $k =" "$conf_txt" || tc_fail "the parser knows '$k', twinmon.conf(5) has no entry '$k ='"
done
for k in $(grep -Eo '^\*[a-z-]+ =\*|, \*[a-z-]+ =\*' man/twinmon.conf.5.scd | grep -Eo '[a-z-]+' | sort -u); do
  TC_CHECKS=$((TC_CHECKS + 1))
  grep -qx -- "$k" <<<"$keys" || tc_fail "twinmon.conf(5) has an entry '$k =', the parser knows no such key"
done

# The page's example is a valid config.
sed -n '/^# EXAMPLE/,/^# /p' man/twinmon.conf.5.scd | sed -n '/^```$/,/^```$/p' | sed '/^```$/d; s/\\\\/\\/g' \
  >"$TC_TMP/example.conf"
TC_CHECKS=$((TC_CHECKS + 1))
[ -s "$TC_TMP/example.conf" ] || tc_fail "twinmon.conf(5): no example found"
tc_run "$TC_TMP/example.conf"
tc_expect_rc 0 "twinmon.conf(5)'s example"

tc_done
