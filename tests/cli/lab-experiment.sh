#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# scripts/lab-experiment (docs/lab.md, "The experiment file"): the bundled example is valid
# and expands into the runs of its matrix, repetition by repetition, with the workloads'
# arguments in the guests' twinmon.args encoding; each class of bad input exits 1 with its
# exact FILE:LINE:COLUMN: message(s) on stderr and nothing on stdout.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/twinmon-lab-experiment.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
tool=scripts/lab-experiment

out=$($tool check tests/lab/example.exp 2>&1) || fail "the example is refused: $out"
[ "$out" = "tests/lab/example.exp: ok: 3 configurations, 2 measurements, 2 neighbours, 20 runs" ] ||
  fail "check says: $out"
$tool runs tests/lab/example.exp >"$tmp/runs" || fail "runs failed"
[ "$(wc -l <"$tmp/runs")" = 20 ] || fail "$(wc -l <"$tmp/runs") runs, not 20"
# alone: 2 measures x no neighbour; twin: 2 configs x 2 measures x 2 neighbours; x 2 reps.
[ "$(grep -c ' kind=alone .* neighbour=- ' "$tmp/runs")" = 4 ] || fail "alone runs: $(grep -c kind=alone "$tmp/runs")"
[ "$(grep -c ' config=twin-1ms kind=twin slice=1ms policy=wait ' "$tmp/runs")" = 8 ] || fail "twin-1ms runs"
[ "$(grep -c ' slice=10ms policy=switch ' "$tmp/runs")" = 8 ] || fail "twin-10ms-switch runs"
first=$(head -1 "$tmp/runs")
[ "$first" = "run=1 of=20 experiment=cpu-hog config=alone kind=alone measure=latency a_run=cyclictest a_args=-i,1000,-h,20000,-q,-m,-D,5s neighbour=- rep=1 duration_s=5 timeout_s=600" ] ||
  fail "first run: $first"
# Repetition 2 starts once every run of repetition 1 is done.
[ "$(sed -n 11p "$tmp/runs" | grep -o 'rep=[0-9]*')" = rep=2 ] || fail "run 11 is not repetition 2"
grep -q ' neighbour=hog b_run=stress-ng b_stay_s=25 b_args=--cpu,1,--timeout,25s ' "$tmp/runs" ||
  fail "the hog neighbour's line: $(grep -m1 neighbour=hog "$tmp/runs")"
grep -q ' neighbour=idle b_run=- b_stay_s=25 rep=' "$tmp/runs" || fail "the idle neighbour's line"

# An argument with a comma, a blank (from a tab-free split: none) or a percent is escaped.
printf '[experiment]\nname = e\n[config a]\nkind = alone\n[measure m]\nworkload = stress-ng\nargs = --cpu 1 --taskset 0,1 --x 5%%\n' >"$tmp/esc.exp"
grep -q 'a_args=--cpu,1,--taskset,0%2C1,--x,5%25,--timeout,10s ' <($tool runs "$tmp/esc.exp") ||
  fail "escapes: $($tool runs "$tmp/esc.exp" 2>&1)"

# A neighbour with a disk: its size in MiB on the run line (after its args); 1G is 1024.
T='[config t]\nkind = twin\n'
printf '[experiment]\nname = e\nduration = 5s\nmargin = 10s\n'"$T"'[measure m]\nworkload = cyclictest\n[neighbour io]\nworkload = stress-ng\nargs = --hdd 1\ndisk = 256M\n[neighbour big]\nworkload = stress-ng\nargs = --iomix=1\ndisk = 1G\n' >"$tmp/disk.exp"
grep -q ' neighbour=io b_run=stress-ng b_stay_s=15 b_args=--hdd,1,--timeout,15s b_disk_mib=256 rep=1 ' <<<"$($tool runs "$tmp/disk.exp")" ||
  fail "the disk neighbour's line: $($tool runs "$tmp/disk.exp" 2>&1)"
grep -q ' neighbour=big .* b_disk_mib=1024 rep=1 ' <<<"$($tool runs "$tmp/disk.exp")" || fail "a disk of 1G"
grep -q 'b_disk_mib' "$tmp/runs" && fail "a neighbour without a disk has b_disk_mib"
# settle: A waits before measuring; the neighbour stays that much longer. None: no a_settle_s.
printf '[experiment]\nname = e\nduration = 5s\nmargin = 10s\nsettle = 4s\n'"$T"'[measure m]\nworkload = cyclictest\n[neighbour io]\nworkload = stress-ng\nargs = --hdd 1\ndisk = 64M\n' >"$tmp/settle.exp"
grep -q ' a_args=-D,5s a_settle_s=4 neighbour=io b_run=stress-ng b_stay_s=19 b_args=--hdd,1,--timeout,19s b_disk_mib=64 ' <<<"$($tool runs "$tmp/settle.exp")" ||
  fail "settle: $($tool runs "$tmp/settle.exp" 2>&1)"
grep -q 'a_settle_s' "$tmp/runs" && fail "an experiment without settle has a_settle_s"

# bad NAME CONTENT EXPECTED: CONTENT is printf'd; EXPECTED the stderr, @ for the file's path.
bad() {
  local file=$tmp/$1.exp want got rc
  printf "$2" >"$file"
  want=${3//@/$file}
  for cmd in check runs; do
    got=$($tool $cmd "$file" 2>"$tmp/err")
    rc=$?
    [ $rc = 1 ] || fail "$1 ($cmd): exit $rc, not 1"
    [ -z "$got" ] || fail "$1 ($cmd): stdout not empty: $got"
    [ "$(cat "$tmp/err")" = "$want" ] || fail "$1 ($cmd): stderr
$(cat "$tmp/err")
 not
$want"
  done
}
E='[experiment]\nname = e\n'
C='[config a]\nkind = alone\n'
M='[measure m]\nworkload = cyclictest\n'
bad empty '' '@: no [experiment] section
@: no [config NAME] section: nothing to compare
@: no [measure NAME] section: nothing to measure'
bad unknown-key "$E$C$M"'  kidn = twin\n' "@:7:3: unknown key 'kidn' in [measure] (args, workload)"
bad outside 'name = e\n'"$E$C$M" "@:1:1: 'name' outside a section"
bad syntax "$E"'this is not\n'"$C$M" "@:3:1: expected 'key = value' or '[section]'"
bad header "$E"'[config\n'"$C$M" "@:3:1: bad section header '[config'"
bad unknown-section "$E"'[guest a]\n'"$C$M" "@:3:1: unknown section [guest] (experiment, config, measure, neighbour)"
bad no-name "$E"'[config]\nkind = alone\n'"$M" "@:3:1: [config] needs a name: [config NAME]"
bad bad-name "$E"'[config A!]\nkind = alone\n'"$M" "@:3:1: bad name 'A!' (lower-case letters, digits, - and _)"
bad twice "$E$C$M"'[config a]\nkind = twin\n' "@:7:1: [config a] again (first at line 3)"
bad key-twice "$E"'[config a]\nkind = alone\nkind = twin\n'"$M" "@:5:1: 'kind' again (first at line 4)"
bad no-value "$E"'[config a]\nkind =\n'"$M" "@:4:7: 'kind' has no value"
bad kind "$E"'[config a]\nkind =  twins\n'"$M" "@:4:9: unknown kind 'twins' (direct, alone, twin, partitioned)"
bad slice-alone "$E"'[config a]\nkind = alone\nslice = 1ms\n'"$M" "@:5:9: 'slice' is for kind twin, not alone"
bad slice "$E"'[config a]\nkind = twin\nslice = 2s\n'"$M"'[neighbour n]\nworkload = idle\n' \
  "@:5:9: slice '2s' is not a time from 50us to 1s (500us, 10ms)"
bad policy "$E"'[config a]\nkind = twin\npolicy = later\n'"$M"'[neighbour n]\nworkload = idle\n' \
  "@:5:10: unknown policy 'later' (wait, switch)"
bad no-neighbour "$E"'[config t]\nkind = twin\n'"$M" "@:3:1: [config t] runs two guests but no [neighbour NAME] says what B runs"
bad workload "$E$C"'[measure m]\nworkload = iperf\n' "@:6:12: unknown workload 'iperf' for [measure] (cyclictest, stress-ng)"
bad no-workload "$E$C"'[measure m]\nargs = -q\n' "@:5:1: [measure m] has no 'workload' (cyclictest, stress-ng)"
bad duration-arg "$E$C$M"'args = -q -D 5\n' "@:7:8: '-D' in args: the run time comes from [experiment] duration"
bad timeout-arg "$E$C"'[measure m]\nworkload = stress-ng\nargs = --cpu 1 --timeout=5\n' \
  "@:7:8: '--timeout' in args: the run time comes from [experiment] duration"
bad idle-args "$E$C$M"'[neighbour n]\nworkload = idle\nargs = x\n' "@:9:8: an idle neighbour takes no args"
bad hog-no-args "$E"'[config t]\nkind = twin\n'"$M"'[neighbour n]\nworkload = stress-ng\n' \
  "@:7:1: [neighbour n] needs 'args' (a stressor: --cpu 1, --cache 1, --stream 1, --vm 1)"
bad disk-size "$E$T$M"'[neighbour n]\nworkload = stress-ng\nargs = --hdd 1\ndisk = 8M\n' \
  "@:10:8: disk '8M' is not a size from 16M to 16G (256M, 1G)"
bad disk-unit "$E$T$M"'[neighbour n]\nworkload = stress-ng\nargs = --hdd 1\ndisk = 256MB\n' \
  "@:10:8: disk '256MB' is not a size from 16M to 16G (256M, 1G)"
bad hdd-no-disk "$E$T$M"'[neighbour n]\nworkload = stress-ng\nargs = --cpu 1 --hdd 1\n' \
  "@:9:8: '--hdd' in args needs 'disk' (without one its files are in the guest's tmpfs, its RAM: disk = 256M)"
bad iomix-no-disk "$E$T$M"'[neighbour n]\nworkload = stress-ng\nargs = --iomix=2\n' \
  "@:9:8: '--iomix' in args needs 'disk' (without one its files are in the guest's tmpfs, its RAM: disk = 256M)"
bad measure-disk "$E$C$M"'disk = 64M\n' "@:7:1: unknown key 'disk' in [measure] (args, workload)"
bad settle '[experiment]\nname = e\nsettle = 11m\n'"$C$M" "@:3:10: settle '11m' is not whole seconds from 0s to 600s"
bad reps '[experiment]\nname = e\nrepetitions = 0\n'"$C$M" "@:3:15: repetitions '0' is not a number from 1 to 1000"
bad duration '[experiment]\nname = e\nduration = 1500ms\n'"$C$M" "@:3:12: duration '1500ms' is not whole seconds from 1s to 3600s"
bad exp-name '[experiment]\nname = E\n'"$C$M" "@:2:8: bad name 'E' (lower-case letters, digits, - and _)"
bad no-exp-name '[experiment]\n'"$C$M" "@:1:1: [experiment] has no 'name'"
# Every error at once, in file order.
bad several "$E"'[config a]\nkind = x\n[measure m]\nworkload = y\n' "@:4:8: unknown kind 'x' (direct, alone, twin, partitioned)
@:6:12: unknown workload 'y' for [measure] (cyclictest, stress-ng)"
# A comment line and a trailing comment are not values.
printf '# c\n[experiment] # x\nname = e # the name\n'"$C$M" >"$tmp/comments.exp"
$tool check "$tmp/comments.exp" >/dev/null 2>&1 || fail "comments: $($tool check "$tmp/comments.exp" 2>&1)"
$tool check "$tmp/none.exp" 2>"$tmp/err"; rc=$?
[ $rc = 1 ] && [ "$(cat "$tmp/err")" = "$tmp/none.exp: No such file or directory" ] || fail "a missing file: $rc $(cat "$tmp/err")"
$tool frob x 2>/dev/null; [ $? = 2 ] || fail "a usage error does not exit 2"
[ "$fails" -eq 0 ] && echo ok
exit $((fails > 0))
