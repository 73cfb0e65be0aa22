#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-only
# --json prints one valid JSON document (python3 -m json.tool) with the same data as the
# table: each guest's RAM ranges, e820, devices and the monitor's reservation, for valid,
# invalid and unplaceable files alike.
. "$(dirname "$0")/lib.sh"

command -v python3 >/dev/null || { tc_fail "python3 is needed to read the JSON"; tc_done; }

json_valid() {
  python3 -m json.tool "$TC_OUT" >/dev/null 2>"$TC_TMP/json.err" && return 0
  tc_fail "$1: stdout is not valid JSON: $(head -n 1 "$TC_TMP/json.err")"
  tc_show
  return 1
}

# The "ram" lines of the table as "letter base last" (hex), to compare with the JSON.
table_ram() {
  awk '/^  guest [ab]: / { g = substr($2, 1, 1) }
       /^  unassigned/ { g = "" }
       g != "" && $1 == "ram" { split($2, r, "-"); print g, r[1], r[2] }' "$TC_OUT"
}

# Each guest's ranges from the JSON, checked for shape, in the form table_ram prints.
json_ram() {
  python3 - "$TC_OUT" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
plan = doc["files"][0]["plan"]
assert plan["monitor"]["ranges"], "no monitor reservation"
for letter, g in sorted(plan["guests"].items()):
    if g is None:
        continue
    assert g["ram"], "guest %s has no RAM ranges" % letter
    total = 0
    for r in g["ram"]:
        assert r["size"] == r["last"] - r["base"] + 1, r
        total += r["size"]
        print(letter, "0x%016x" % r["base"], "0x%016x" % r["last"])
    assert total == g["ram_bytes"], (letter, total, g["ram_bytes"])
    assert any(e["type"] == "ram" for e in g["e820"]), "no RAM in guest %s's e820" % letter
PY
}

for f in guest-config/examples/*.conf; do
  for machine in "--memmap $MAP1G" "--ram 2G"; do
    what="$(basename "$f") $machine --json"
    # shellcheck disable=SC2086 # the option and its value are two words
    tc_run "$f" $machine
    [ "$TC_RC" = 0 ] || continue # cannot be planned there: check-examples says why
    table_ram >"$TC_TMP/table.ram"
    # shellcheck disable=SC2086
    tc_run "$f" $machine --json
    tc_expect_rc 0 "$what"
    json_valid "$what" || continue
    if ! json_ram >"$TC_TMP/json.ram" 2>"$TC_TMP/json.err"; then
      tc_fail "$what: $(tail -n 1 "$TC_TMP/json.err")"
      continue
    fi
    [ -s "$TC_TMP/json.ram" ] || tc_fail "$what: no RAM ranges in the JSON"
    diff -u "$TC_TMP/table.ram" "$TC_TMP/json.ram" >"$TC_TMP/diff" ||
      { tc_fail "$what: RAM ranges differ from the table's"; sed 's/^/  /' "$TC_TMP/diff"; }
  done
done

# Two guests, both in the plan, with their devices.
tc_run guest-config/examples/linux-heartbeat.conf --memmap "$MAP3G" --json
json_valid "linux-heartbeat --json" &&
  python3 - "$TC_OUT" <<'PY' || tc_fail "linux-heartbeat --json: wrong plan content"
import json, sys
f = json.load(open(sys.argv[1]))["files"][0]
p = f["plan"]
assert f["valid"] and p["entry"] == "twin", p["entry"]
assert p["machine"]["memmap"].endswith("ovmf-q35-3g.memmap") and p["machine"]["ram"] is None
assert p["machine"]["descriptors"] == 123
assert p["monitor"]["runs"] and p["monitor"]["bytes"] == 16 << 20
a, b = p["guests"]["a"], p["guests"]["b"]
assert a["uarts"] == ["com1"] and b["uarts"] == ["com2"], (a["uarts"], b["uarts"])
assert a["irqs"] == [4, 8] and b["irqs"] == [3], (a["irqs"], b["irqs"])
ga = f["guests"]["a"]
assert ga["on_reset"] == "restart" and ga["apic"] == "xapic", (ga["on_reset"], ga["apic"])
assert {"first": 0x70, "last": 0x71} in a["ports"]
assert a["slice_us"] == 20000 and b["slice_us"] == 5000
assert min(r["base"] for r in a["ram"] if r["base"] >= 1 << 20) > max(r["last"] for r in b["ram"])
PY

# Invalid and unplaceable files: still one JSON document, exit 1, the messages inside.
printf '[global]\nmode = a-alone\n[guest a]\nkernel = \\a\nirqs = 2\n' >"$TC_TMP/bad.conf"
printf '[global]\nmode = a-alone\n[guest a]\nkernel = \\a\nmemory = 2G\n' >"$TC_TMP/big.conf"
tc_run "$TC_TMP/bad.conf" "$TC_TMP/big.conf" guest-config/examples/demo.conf --ram 1G --json
tc_expect_rc 1 "bad files --json"
json_valid "bad files --json" &&
  python3 - "$TC_OUT" "$TC_TMP" <<'PY' || tc_fail "bad files --json: wrong content"
import json, sys
files = json.load(open(sys.argv[1]))["files"]
tmp = sys.argv[2]
assert [f["valid"] for f in files] == [False, False, True]
assert files[0]["errors"][0]["text"] == tmp + "/bad.conf:5:8: irqs: IRQ 2 is the cascade " \
    "between the two PICs and cannot be given to a guest", files[0]["errors"]
assert files[0]["errors"][0]["line"] == 5 and files[0]["errors"][0]["column"] == 8
assert files[1]["errors"][0]["text"] == tmp + "/big.conf: partition: guest a: wants 2G " \
    "high, only 1006M usable left (short by 1042M)", files[1]["errors"]
assert "plan" not in files[0] and "plan" not in files[1]
assert files[2]["plan"]["machine"]["ram"] == 1 << 30
PY

# Without a machine there is no plan.
tc_run guest-config/examples/demo.conf --json
tc_expect_rc 0 "--json without a machine"
json_valid "--json without a machine" &&
  python3 - "$TC_OUT" <<'PY' || tc_fail "--json without a machine: a plan, or no guests"
import json, sys
f = json.load(open(sys.argv[1]))["files"][0]
assert "plan" not in f and f["guests"]["a"]["runs"]
PY
tc_done
