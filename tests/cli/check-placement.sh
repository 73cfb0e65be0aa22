#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The plan comes from the partition library: on the real OVMF capture both guests get RAM,
# guest A above guest B (TwinOS: A high, B low), apart from each other and from the monitor's
# reservation; guests that do not fit fail with the library's exact message; --entry picks
# the menu entry that is planned.
. "$(dirname "$0")/lib.sh"

# "LETTER BASE LAST" for every "ram" line of the plan, BASE and LAST as decimal numbers.
ram_ranges() {
  awk '/^  guest [ab]: / { g = substr($2, 1, 1) }
       /^  unassigned/ { g = "" }
       g != "" && $1 == "ram" { split($2, r, "-"); print g, r[1], r[2] }' "$TC_OUT" |
    while read -r g b l; do echo "$g $((b)) $((l))"; done
}

demo=guest-config/examples/linux-heartbeat.conf
for map in "$MAP1G" "$MAP3G"; do
  what="$(basename "$demo") on $map"
  tc_run "$demo" --memmap "$map"
  tc_expect_rc 0 "$what" || continue
  tc_expect_out_has '^  plan for entry twin$' "$what"
  tc_expect_out_has '^  guest a: .* RAM .* in [0-9]+ ranges' "$what"
  tc_expect_out_has '^  guest b: .* RAM .* in [0-9]+ ranges' "$what"
  mon=$(awk '$1 == "mon" { print $2; exit }' "$TC_OUT")
  [ -n "$mon" ] || { tc_fail "$what: no monitor reservation line"; continue; }
  mon_base=$((${mon%-*})) mon_last=$((${mon#*-}))
  [ $((mon_last - mon_base + 1)) -eq $((16 << 20)) ] ||
    tc_fail "$what: monitor reservation $mon is not 16M"

  a_low=-1 a_high=0 b_high=0 n=0
  while read -r g b l; do
    n=$((n + 1))
    if [ "$l" -ge "$mon_base" ] && [ "$b" -le "$mon_last" ]; then
      tc_fail "$what: guest $g's range $b-$l overlaps the monitor's $mon"
    fi
    # Below 1M both guests have a share of conventional memory; the order is about the rest.
    [ "$b" -lt $((1 << 20)) ] && continue
    if [ "$g" = a ]; then
      [ "$a_low" -lt 0 ] || [ "$b" -lt "$a_low" ] && a_low=$b
      [ "$l" -gt "$a_high" ] && a_high=$l
    else
      [ "$l" -gt "$b_high" ] && b_high=$l
    fi
  done < <(ram_ranges)
  [ "$n" -ge 4 ] || tc_fail "$what: expected RAM ranges of both guests, found $n"
  [ "$a_low" -gt 0 ] && [ "$b_high" -gt 0 ] || tc_fail "$what: a guest has no RAM above 1M"
  [ "$a_low" -gt "$b_high" ] ||
    tc_fail "$what: guest a's lowest RAM above 1M ($a_low) is not above guest b's highest ($b_high)"
  # Guest a takes the top: on the 3G capture that is the RAM above 4G.
  if [ "$map" = "$MAP3G" ] && [ "$a_high" -ne $(((5 << 30) - 1)) ]; then
    tc_fail "$what: guest a ends at $a_high, not at the top of RAM (5G - 1)"
  fi
done

# Does not fit: the library's message, naming the guest and the shortfall, after the file.
printf '[guest a]\nkernel = \\a\nmemory = 64M\n[guest b]\nkernel = \\b\nmemory = 512M\n' \
  >"$TC_TMP/tight.conf"
tc_run "$TC_TMP/tight.conf" --ram 256M
tc_expect_rc 1 "512M for guest b in 256M"
tc_expect_out_empty "512M for guest b in 256M"
tc_expect_err_is "$TC_TMP/tight.conf: partition: guest b: wants 512M low, only 174M usable \
left (short by 338M)" "512M for guest b in 256M"

tc_run "$demo" --ram 256M
tc_expect_rc 1 "linux-heartbeat in 256M"
tc_expect_err_is "$demo: partition: guest a: wants 512M high, only 238M usable left (short by \
274M)" "linux-heartbeat in 256M"

# The same config fits a bigger machine, and on the 1G capture the message uses its numbers.
tc_run "$TC_TMP/tight.conf" --ram 1G
tc_expect_rc 0 "512M for guest b in 1G"
sed -i 's/^memory = 512M$/memory = 1G/' "$TC_TMP/tight.conf"
tc_run "$TC_TMP/tight.conf" --memmap "$MAP1G"
tc_expect_rc 1 "1G for guest b on the 1G capture"
tc_expect_err_is "$TC_TMP/tight.conf: partition: guest b: wants 1G low, only 959416K usable \
left (short by 89160K)" "1G for guest b on the 1G capture"

# --entry: one guest alone under the monitor, or directly without it.
tc_run "$demo" --memmap "$MAP1G" --entry b-alone
tc_expect_rc 0 "--entry b-alone"
tc_expect_out_has '^  plan for entry b-alone$' "--entry b-alone"
tc_expect_out_has '^  guest a: not present$' "--entry b-alone"
tc_expect_out_has '^  guest b: .* RAM \(636K below 640K\)' "--entry b-alone"
tc_expect_out_has '^  slice         runs alone$' "--entry b-alone"

tc_run "$demo" --ram 4G --entry direct-a
tc_expect_rc 0 "--entry direct-a"
tc_expect_out_has '^  no monitor    1M at 0x[0-9a-f]+-0x[0-9a-f]+ \(estimate: ' "--entry direct-a"
tc_expect_out_has '^    mon    0x[0-9a-f]{16}-0x[0-9a-f]{16} +1M  direct boot \(estimate\)$' \
  "--entry direct-a"
tc_expect_out_has '^  guest b: not present$' "--entry direct-a"
# Guest a's 512M come from the top: the RAM above 4G (4G..6G on a 4G q35).
tc_expect_out_has '^    ram    0x0000000160000000-0x000000017fffffff +512M  write-back$' \
  "--entry direct-a"

printf '[global]\nmode = a-alone\n[guest a]\nkernel = \\a\n' >"$TC_TMP/alone.conf"
tc_run "$TC_TMP/alone.conf" --ram 1G --entry twin
tc_expect_rc 1 "--entry twin without [guest b]"
tc_expect_out_empty "--entry twin without [guest b]"
tc_expect_err_is "$TC_TMP/alone.conf: partition: twin needs [guest b], which the config lacks" \
  "--entry twin without [guest b]"
tc_done
