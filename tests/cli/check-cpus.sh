#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# The CPU plan (cpus = in the config): shown for every valid file, checked against the
# machine's CPU count with --cpus N, in the table and in the JSON. A list naming a CPU the
# machine lacks, or lists that overlap only in part, make the file invalid (status 1).
. "$(dirname "$0")/lib.sh"

cores=guest-config/examples/cores.conf

# Core-partitioned: guest a on CPU 1, guest b on CPU 0, nothing shared.
tc_run "$cores" --cpus 2
tc_expect_rc 0 "cores --cpus 2"
tc_expect_out_has '^  CPUs for entry twin on a machine with 2 \(--cpus\)$' "cores --cpus 2"
tc_expect_out_has '^  cpus: 2 used \(0-1\) of 2, core-partitioned; vCPUs: guest a 1, guest b 1$' \
  "cores --cpus 2"
tc_expect_out_has '^    0    -        vCPU 0   own$' "cores --cpus 2"
tc_expect_out_has '^    1    vCPU 0   -        own$' "cores --cpus 2"
tc_expect_out_has '^  cpus +1 +0$' "cores --cpus 2 (the guests' lists)"

# Without --cpus the count is unknown, and nothing is checked against it.
tc_run "$cores"
tc_expect_rc 0 "cores"
tc_expect_out_has "count is unknown" "cores"
tc_expect_out_has '^  cpus: 2 used \(0-1\) of an unknown count, core-partitioned' "cores"

# The same CPUs in both guests: each is time-shared, one vCPU of each guest on it.
f=$TC_TMP/shared.conf
printf '[guest a]\nkernel = \\a\ncpus = 0-1\n[guest b]\nkernel = \\b\ncpus = 0 - 1\n' >"$f"
tc_run "$f" --cpus=4 --ram 2G
tc_expect_rc 0 "time-shared"
tc_expect_out_has '^  cpus: 2 used \(0-1\) of 4, time-shared; vCPUs: guest a 2, guest b 2$' \
  "time-shared"
tc_expect_out_has '^    1    vCPU 1   vCPU 1   time-shared$' "time-shared"
tc_expect_out_has 'plan for entry twin' "time-shared (the memory plan too)"

# A CPU the machine lacks: refused with the guest, the line and the count, plan or not.
f=$TC_TMP/three.conf
printf '[global]\nmode = a-alone\n[guest a]\nkernel = \\a\ncpus = 3\n' >"$f"
for machine in "" "--ram 2G" "--memmap $MAP1G"; do
  # shellcheck disable=SC2086 # the option and its value are two words
  tc_run "$f" --cpus 2 $machine
  tc_expect_rc 1 "cpus = 3 --cpus 2 $machine"
  tc_expect_out_empty "cpus = 3 --cpus 2 $machine"
  tc_expect_err_is "$f: partition: guest a: cpus = 3 (line 5) names CPU 3, but this machine \
has 2 (0-1)" "cpus = 3 --cpus 2 $machine"
done
tc_run "$f" --cpus 4
tc_expect_rc 0 "cpus = 3 --cpus 4"
tc_expect_out_has '^    3    vCPU 0   -        own$' "cpus = 3 --cpus 4"

# Lists that overlap only in part: refused at the later list, whatever the machine.
f=$TC_TMP/partial.conf
printf '[guest a]\nkernel = \\a\ncpus = 0-1\n[guest b]\nkernel = \\b\ncpus = 1\n' >"$f"
tc_run "$f" --cpus 2
tc_expect_rc 1 "partial overlap"
tc_expect_out_empty "partial overlap"
tc_expect_err_is "$f:6:8: cpus: guest b's cpus 1 overlap guest a's 0-1 (line 3) only in part: \
list the same CPUs (time-sharing) or disjoint ones (each guest its own cores)" "partial overlap"

# A direct entry starts a kernel without the monitor: no CPU plan.
tc_run "$cores" --ram 2G --entry direct-a --cpus 2
tc_expect_rc 0 "direct-a"
grep -q 'CPUs for entry' "$TC_OUT" && tc_fail "direct-a: a CPU plan for a direct entry"

# The JSON holds the same plan: vCPU k of each guest -> its CPU.
if command -v python3 >/dev/null; then
  tc_run "$cores" --cpus 2 --json
  tc_expect_rc 0 "cores --json"
  python3 - "$TC_OUT" <<'PY' || tc_fail "cores --json: the CPU plan differs"
import json, sys
f = json.load(open(sys.argv[1]))["files"][0]
cp = f["cpu_plan"]
assert cp["entry"] == "twin" and cp["machine_cpus"] == 2, cp
assert cp["used"] == [0, 1] and cp["shared"] == [], cp
assert cp["vcpu_cpu"] == {"a": [1], "b": [0]}, cp
assert f["guests"]["a"]["cpus"] == [1] and f["guests"]["b"]["cpus"] == [0]
PY
  tc_run guest-config/examples/demo.conf --json
  python3 - "$TC_OUT" <<'PY' || tc_fail "demo --json: not the default plan (both on CPU 0)"
import json, sys
cp = json.load(open(sys.argv[1]))["files"][0]["cpu_plan"]
assert cp["machine_cpus"] is None and cp["shared"] == [0], cp
assert cp["vcpu_cpu"] == {"a": [0], "b": [0]}, cp
PY
fi
tc_done
