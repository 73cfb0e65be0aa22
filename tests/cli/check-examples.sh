#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# Every shipped example is valid, and plans with the partition library on the real OVMF
# captures (1G and 3G) and on the synthesized map of --ram 2G, printing the monitor's
# reservation and each guest's RAM. The few combinations that cannot be planned are listed
# below with the exact message; such an entry that starts to plan fails the test, so the list
# is kept true.
. "$(dirname "$0")/lib.sh"

# "example machine-option" -> the exact stderr expected instead of a plan.
declare -A expected_fail=(
  # 768M + 512M of RAM asked for on a 1G machine: cannot work, and must say by how much.
  ["linux-linux.conf --memmap $MAP1G"]="guest-config/examples/linux-linux.conf: partition: \
guest b: wants 512M low, only 238520K usable left (short by 285768K)"
)

examples=(guest-config/examples/*.conf)
[ "${#examples[@]}" -ge 5 ] || tc_fail "expected at least 5 examples, found ${#examples[@]}"

for f in "${examples[@]}"; do
  name=$(basename "$f")
  tc_run "$f"
  tc_expect_rc 0 "$name (validate only)"
  tc_expect_out_has "^$f: valid$" "$name (validate only)"
  grep -q 'plan for entry' "$TC_OUT" && tc_fail "$name: a plan without --ram or --memmap"

  for machine in "--memmap $MAP1G" "--memmap $MAP3G" "--ram 2G"; do
    # shellcheck disable=SC2086 # the option and its value are two words
    tc_run "$f" $machine
    what="$name $machine"
    if [ -n "${expected_fail[$name $machine]+set}" ]; then
      if [ "$TC_RC" = 0 ]; then
        tc_fail "$what: plans now; remove it from expected_fail"
        continue
      fi
      tc_expect_rc 1 "$what (expected to fail)"
      tc_expect_out_empty "$what (expected to fail)"
      tc_expect_err_is "${expected_fail[$name $machine]}" "$what (expected to fail)"
      continue
    fi
    tc_expect_rc 0 "$what" || continue
    [ -s "$TC_ERR" ] && tc_fail "$what: unexpected stderr: $(head -n 3 "$TC_ERR")"
    tc_expect_out_has "^$f: valid$" "$what"
    tc_expect_out_has '^  plan for entry (twin|a-alone|b-alone)$' "$what"
    tc_expect_out_has '^  monitor       16M at 0x[0-9a-f]+-0x[0-9a-f]+ \(estimate' "$what"
    tc_expect_out_has '^    mon    0x[0-9a-f]{16}-0x[0-9a-f]{16} +16M  monitor \(estimate\)$' \
      "$what"
    tc_expect_out_has '^  guest a: [0-9]+[KMG]? RAM ' "$what"
    tc_expect_out_has '^    ram    0x[0-9a-f]{16}-0x[0-9a-f]{16} ' "$what"
    tc_expect_out_has '^    e820   0x[0-9a-f]{16}-0x[0-9a-f]{16} .* ram$' "$what"
    case $machine in
      --memmap*) tc_expect_out_has "^  memory map    ${machine#--memmap }: [0-9]+ descriptors" \
                   "$what" ;;
      *) tc_expect_out_has '^  memory map    synthesized q35 map for --ram 2G: ' "$what" ;;
    esac
  done
done

# Stale expectations: every entry must name an example and a machine the loop ran.
for key in "${!expected_fail[@]}"; do
  [ -f "guest-config/examples/${key%% *}" ] || tc_fail "expected_fail names no example: $key"
done
tc_done
