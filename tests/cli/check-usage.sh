#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Usage errors exit 2 with one line saying what is wrong, then the usage, on stderr, and
# nothing on stdout; so does a --memmap file that cannot be read or parsed. --help exits 0.
. "$(dirname "$0")/lib.sh"

demo=guest-config/examples/demo.conf

# usage FIRST-LINE ARGS...: exit 2, stderr starts with FIRST-LINE, then the usage.
usage() {
  local first=$1 what
  shift
  what="twinmon-check $*"
  tc_run "$@"
  tc_expect_rc 2 "$what"
  tc_expect_out_empty "$what"
  [ "$(head -n 1 "$TC_ERR")" = "$first" ] ||
    { tc_fail "$what: first line of stderr is not: $first"; tc_show; }
  tc_expect_err_has '^usage: twinmon-check FILE\.\.\. \[--ram SIZE \| --memmap FILE\]' "$what"
}

usage "twinmon-check: no FILE given"
usage "twinmon-check: no FILE given" --ram 2G
usage "twinmon-check: unknown option '--frobnicate'" "$demo" --frobnicate
usage "twinmon-check: unknown option '-x'" -x "$demo"
usage "twinmon-check: --ram needs a value" "$demo" --ram
usage "twinmon-check: --ram needs a value" "$demo" --ram=
usage "twinmon-check: --ram: expected a size from 4M to 64T like 2G, found 'lots'" \
  "$demo" --ram lots
usage "twinmon-check: --ram: expected a size from 4M to 64T like 2G, found '3M'" \
  "$demo" --ram=3M
usage "twinmon-check: --ram: expected a size from 4M to 64T like 2G, found '65T'" \
  "$demo" --ram 65T
usage "twinmon-check: --memmap needs a value" "$demo" --memmap
usage "twinmon-check: give either --ram or --memmap, once" "$demo" --ram 1G --memmap "$MAP1G"
usage "twinmon-check: give either --ram or --memmap, once" "$demo" --ram 1G --ram 2G
usage "twinmon-check: --entry: expected twin, a-alone, b-alone, direct-a or direct-b, found \
'exit'" "$demo" --ram 1G --entry exit
usage "twinmon-check: --entry: expected twin, a-alone, b-alone, direct-a or direct-b, found ''" \
  "$demo" --ram 1G --entry
usage "twinmon-check: --entry needs --ram or --memmap" "$demo" --entry twin
usage "twinmon-check: --cpus: expected a CPU count from 1 to 4096, found '0'" "$demo" --cpus 0
usage "twinmon-check: --cpus: expected a CPU count from 1 to 4096, found '4097'" \
  "$demo" --cpus=4097
usage "twinmon-check: --cpus: expected a CPU count from 1 to 4096, found 'two'" "$demo" --cpus two
usage "twinmon-check: --cpus: expected a CPU count from 1 to 4096, found ''" "$demo" --cpus
usage "twinmon-check: give --cpus once" "$demo" --cpus 2 --cpus 4

# A map that cannot be used leaves nothing to check against: also status 2, no usage.
tc_run "$demo" --memmap "$TC_TMP/none.memmap"
tc_expect_rc 2 "unreadable --memmap"
tc_expect_out_empty "unreadable --memmap"
tc_expect_err_is "twinmon-check: $TC_TMP/none.memmap: cannot read: No such file or directory" \
  "unreadable --memmap"
printf 'twinmon-memmap 1\nconventional 0x100000 256 0xf\nconventional 0x1234 1 0xf\n' \
  >"$TC_TMP/bad.memmap"
tc_run "$demo" --memmap "$TC_TMP/bad.memmap"
tc_expect_rc 2 "malformed --memmap"
tc_expect_out_empty "malformed --memmap"
tc_expect_err_has "^twinmon-check: $TC_TMP/bad.memmap: partition: memmap line 3: " \
  "malformed --memmap"

# After --, everything is a FILE, even what looks like an option.
tc_run -- --ram
tc_expect_rc 1 "-- then a file named --ram"
tc_expect_err_is "--ram: cannot read: No such file or directory" "-- then a file named --ram"

tc_run --help
tc_expect_rc 0 "--help"
tc_expect_out_has '^usage: twinmon-check ' "--help"
tc_expect_out_has '--entry ENTRY' "--help"
[ -s "$TC_ERR" ] && tc_fail "--help wrote to stderr"
tc_done
